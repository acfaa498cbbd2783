//! A whole text read through the stream into a [`ParsedSheet`]: what
//! [`parse`](crate::sheet::parse) returns. There is one reader: the text
//! is surveyed and its rows typed exactly as a streamed file's are.

use std::ops::ControlFlow;

use super::{Input, Opened, RowFilter, SheetStream, Survey, open_input};
use crate::sheet::error::{Problem, SheetError};
use crate::sheet::parse::ParsedSheet;
use crate::sheet::schema::Schema;

/// Every row of `input` (text in memory), with its problems.
pub(crate) fn read_whole(input: &Input, schema: &Schema) -> ParsedSheet {
    if let Ok(Opened::Stream(stream)) = open_input(input, schema, Survey::Whole) {
        return stream.read_all();
    }
    // Text cannot fail to read; a NUL character is what the stream refuses
    // in it (`decode` names where, for a file).
    let mut sheet = ParsedSheet::empty();
    sheet.errors.push(SheetError::new(0, 1, Problem::NulByte));
    sheet
}

impl SheetStream {
    /// Reads every row into the sheet the survey began.
    fn read_all(&self) -> ParsedSheet {
        let mut sheet = self.sheet.clone();
        let mut errors = Vec::new();
        let read = self.rows_skipping(RowFilter::All, true, &mut |streamed| {
            errors.extend(streamed.errors);
            if let Some(row) = streamed.row {
                for mut a in streamed.ambiguous {
                    a.row = sheet.rows.len();
                    sheet.ambiguous_dates.push(a);
                }
                sheet.rows.push(row);
            }
            ControlFlow::Continue(())
        });
        match read {
            Ok(skipped) => sheet.skipped_rows = skipped,
            Err(_) => errors.push(SheetError::new(0, 1, Problem::NulByte)),
        }
        sheet.errors.extend(errors);
        sheet
    }
}
