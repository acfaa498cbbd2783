//! Decoded text → typed rows, collecting every problem instead of stopping at
//! the first: the preview shows them all, and nothing is written while any
//! remains.

pub(crate) mod header;
#[cfg(test)]
mod tests;

pub use header::{FileColumn, Target};

use chrono::NaiveDate;

use crate::sheet::cell::{self, ColumnContext};
use crate::sheet::decode::{Decoded, Encoding};
use crate::sheet::error::{Problem, SheetError};
use crate::sheet::records::RawRecord;
use crate::sheet::schema::{Schema, Value};

/// One data record, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    /// Nth record after the header (blank records count, so this is the
    /// spreadsheet row minus one).
    pub data_row: usize,
    /// Physical line where the record starts.
    pub line: usize,
    /// Trimmed id; `None` means a new row (or an id that failed to parse,
    /// see `id_invalid`).
    pub id: Option<String>,
    pub id_invalid: bool,
    pub rev: Option<i64>,
    /// One entry per schema column: `None` when the file lacks the column or
    /// the cell had an error.
    pub cells: Vec<Option<Value>>,
    /// Some cell of this row has an error listed in `ParsedSheet::errors`.
    pub has_errors: bool,
}

/// A date cell left unread because its column can't tell day/month order.
/// The plan may still settle it from the workspace (see `plan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmbiguousDate {
    /// Index into `ParsedSheet::rows`.
    pub row: usize,
    /// Index into `Schema::columns`.
    pub column: usize,
    pub month_first: NaiveDate,
    pub day_first: NaiveDate,
}

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSheet {
    pub delimiter: char,
    /// Set by [`parse_decoded`]; `None` when the caller parsed text directly.
    pub encoding: Option<Encoding>,
    /// Physical line of the header row.
    pub header_line: usize,
    /// The header mapping, in file order.
    pub columns: Vec<FileColumn>,
    /// Headers the schema doesn't know, as written: ignored, but shown.
    pub unknown_columns: Vec<String>,
    /// Schema columns the file has (indexes, ascending). Absent columns are
    /// left untouched by an import.
    pub present: Vec<usize>,
    pub has_rev: bool,
    pub rows: Vec<ParsedRow>,
    pub errors: Vec<SheetError>,
    /// Records with delimiters or whitespace but no data (not counting
    /// empty lines), skipped.
    pub skipped_rows: usize,
    /// Empty-headed, empty columns skipped.
    pub ignored_empty_columns: usize,
    pub ambiguous_dates: Vec<AmbiguousDate>,
}

impl ParsedSheet {
    /// Takes the file's mapped columns and what follows from them: the
    /// unknown and ignored ones, the schema columns present, `_rev`.
    pub(crate) fn set_columns(&mut self, columns: Vec<FileColumn>) {
        self.columns = columns;
        self.ignored_empty_columns = self
            .columns
            .iter()
            .filter(|c| c.target == Target::IgnoredEmpty)
            .count();
        self.unknown_columns = self
            .columns
            .iter()
            .filter(|c| c.target == Target::Unknown)
            .map(|c| c.header.clone())
            .collect();
        self.present = self
            .columns
            .iter()
            .filter_map(|c| match c.target {
                Target::Column(i) => Some(i),
                _ => None,
            })
            .collect();
        self.present.sort_unstable();
        self.has_rev = self.columns.iter().any(|c| c.target == Target::Rev);
    }

    pub(crate) fn empty() -> Self {
        ParsedSheet {
            delimiter: ',',
            encoding: None,
            header_line: 1,
            columns: Vec::new(),
            unknown_columns: Vec::new(),
            present: Vec::new(),
            has_rev: false,
            rows: Vec::new(),
            errors: Vec::new(),
            skipped_rows: 0,
            ignored_empty_columns: 0,
            ambiguous_dates: Vec::new(),
        }
    }
}

/// Parses decoded text against a schema: the text read through the one
/// streamed reader (`stream::read_whole`), every row kept.
pub fn parse(text: &str, schema: &Schema) -> ParsedSheet {
    let input = crate::sheet::stream::Input::Text {
        text: text.into(),
        encoding: Encoding::Utf8,
    };
    let mut sheet = crate::sheet::stream::read_whole(&input, schema);
    sheet.encoding = None;
    sheet
}

/// The shape every data record must have once the header is mapped.
pub(crate) struct Shape<'a> {
    pub columns: &'a [FileColumn],
    pub schema: &'a Schema,
    pub width: usize,
    /// Rows may omit trailing ignorable (empty) columns.
    pub min_width: usize,
}

impl Shape<'_> {
    /// Pushes a record's quoting problems and a wrong field count to
    /// `errors`, counts it in `skipped` when blank; true when its cells can
    /// be read.
    pub(crate) fn check(
        &self,
        record: &RawRecord<'_>,
        data_row: usize,
        errors: &mut Vec<SheetError>,
        skipped: &mut usize,
    ) -> bool {
        if record.is_blank() && record.problems.is_empty() {
            if !record.empty_line {
                *skipped += 1;
            }
            return false;
        }
        for (field, problem) in &record.problems {
            let error = SheetError::new(data_row, record.line, problem.clone());
            errors.push(match column_label(self.columns, *field, self.schema) {
                Some(label) => error.in_column(label),
                None => error,
            });
        }
        if record.is_broken() {
            return false;
        }
        // The streamed reader stops at a cell over the limit; a file read
        // whole is held to the same limit.
        let limit = crate::sheet::stream::MAX_CELL;
        if let Some(field) = record.fields.iter().position(|f| f.len() > limit) {
            let error = SheetError::new(
                data_row,
                record.line,
                Problem::CellTooLong {
                    limit,
                    quoted_on: None,
                },
            );
            errors.push(match column_label(self.columns, field, self.schema) {
                Some(label) => error.in_column(label),
                None => error,
            });
            return false;
        }
        let found = record.fields.len();
        let extra_has_data = record
            .fields
            .iter()
            .skip(self.width)
            .any(|f| !f.trim().is_empty());
        if found < self.min_width || extra_has_data {
            let expected = if found < self.min_width {
                self.min_width
            } else {
                self.width
            };
            errors.push(SheetError::new(
                data_row,
                record.line,
                Problem::FieldCount { expected, found },
            ));
            return false;
        }
        true
    }
}

/// Decodes nothing itself: parses `decoded.text` and records its encoding.
pub fn parse_decoded(decoded: &Decoded, schema: &Schema) -> ParsedSheet {
    let mut sheet = parse(&decoded.text, schema);
    sheet.encoding = Some(decoded.encoding);
    sheet
}

/// The schema's name for mapped columns, the header as written otherwise.
pub(crate) fn column_label(
    columns: &[FileColumn],
    field: usize,
    schema: &Schema,
) -> Option<String> {
    let column = columns.get(field)?;
    header::target_name(column.target, schema).or_else(|| Some(column.header.clone()))
}

/// Reads data records once the header and column contexts are known.
pub(crate) struct RowReader<'a> {
    pub columns: &'a [FileColumn],
    pub schema: &'a Schema,
    pub contexts: Vec<ColumnContext>,
}

impl RowReader<'_> {
    pub(crate) fn read(
        &self,
        row_index: usize,
        data_row: usize,
        record: &RawRecord,
        errors: &mut Vec<SheetError>,
        ambiguous: &mut Vec<AmbiguousDate>,
    ) -> ParsedRow {
        let schema = self.schema;
        let line = record.line;
        let mut row = ParsedRow {
            data_row,
            line,
            id: None,
            id_invalid: false,
            rev: None,
            cells: vec![None; schema.columns.len()],
            has_errors: !record.problems.is_empty(),
        };
        for (field, column) in self.columns.iter().enumerate() {
            let raw: &str = record.fields.get(field).map_or("", AsRef::as_ref);
            let result = match column.target {
                Target::Id => cell::text::parse_id(raw, &schema.id_prefix).map(|id| row.id = id),
                Target::Rev => cell::text::parse_rev(raw).map(|rev| row.rev = rev),
                Target::Column(c) => {
                    match cell::parse_cell(raw, &schema.columns[c].ty, self.contexts[c]) {
                        Ok(value) => {
                            row.cells[c] = Some(value);
                            Ok(())
                        }
                        Err(problem) => {
                            if let Problem::AmbiguousDate {
                                month_first,
                                day_first,
                                ..
                            } = problem
                            {
                                ambiguous.push(AmbiguousDate {
                                    row: row_index,
                                    column: c,
                                    month_first,
                                    day_first,
                                });
                            }
                            Err(problem)
                        }
                    }
                }
                Target::Unknown | Target::IgnoredEmpty => Ok(()),
            };
            if let Err(problem) = result {
                row.has_errors = true;
                row.id_invalid |= column.target == Target::Id;
                let label = header::target_name(column.target, schema).unwrap_or_default();
                errors.push(
                    SheetError::new(data_row, line, problem)
                        .in_column(label)
                        .with_value(raw),
                );
            }
        }
        row
    }
}
