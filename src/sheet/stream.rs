//! Large files read as a stream instead of whole, so memory stays bounded
//! whatever the file's size: [`open_stream`] surveys the file once (header,
//! column mapping, each column's decimal separator and day/month order,
//! how many rows carry an id) and [`SheetStream::rows`] then reads it again,
//! handing each typed row to the caller as [`parse`](crate::sheet::parse)
//! would have produced it. Only UTF-8 files (with or without BOM) stream;
//! anything else is read whole through [`decode`](crate::sheet::decode).

mod ahead;
mod chunks;
mod survey;

use std::fs::File;
use std::io;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use crate::sheet::cell::{ColumnContext, ContextVotes, DateOrder};
use crate::sheet::decode::Encoding;
use crate::sheet::error::{Problem, SheetError};
use crate::sheet::parse::header::{self, Target};
use crate::sheet::parse::{AmbiguousDate, ParsedRow, ParsedSheet, RowReader, Shape};
use crate::sheet::records::{RawRecord, detect_delimiter, prelude};
use crate::sheet::schema::Schema;
use chunks::{ChunkError, each_record, head};

/// A surveyed file, ready to hand out its rows.
#[derive(Debug, Clone)]
pub struct SheetStream {
    path: PathBuf,
    schema: Schema,
    /// Everything [`parse`](crate::sheet::parse) reports about the file
    /// except its rows and their errors: header, mapping, header errors.
    pub sheet: ParsedSheet,
    contexts: Vec<ColumnContext>,
    start: u64,
    first_line: usize,
    delimiter: u8,
    width: usize,
    min_width: usize,
    /// Data records that are not blank.
    pub records: usize,
    /// Of those, how many have something in the id column.
    pub with_id: usize,
}

/// What opening a file for streaming found.
#[derive(Debug)]
pub enum Opened {
    Stream(Box<SheetStream>),
    /// Not UTF-8 (or holding a NUL byte): read it whole with `decode`,
    /// which names the encoding or the problem.
    ReadWhole,
}

/// Which rows [`SheetStream::rows`] hands out, by their id cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFilter {
    All,
    WithId,
    WithoutId,
}

/// One data record as read: the typed row (`None` when its shape was
/// wrong) with the problems found in it and its undecided dates.
#[derive(Debug)]
pub struct StreamedRow {
    pub row: Option<ParsedRow>,
    pub errors: Vec<SheetError>,
    /// Dates whose column could not tell day/month order (`row` field is 0).
    pub ambiguous: Vec<AmbiguousDate>,
}

/// Surveys `path` against `schema` (one full read).
pub fn open_stream(path: &Path, schema: &Schema) -> io::Result<Opened> {
    open_surveyed(path, schema, survey::SPLIT_BYTES)
}

/// [`open_stream`], surveying in two halves when the data is longer than
/// `split_over` bytes.
fn open_surveyed(path: &Path, schema: &Schema, split_over: u64) -> io::Result<Opened> {
    let mut file = File::open(path)?;
    let head = head(&mut file)?;
    let (skip, encoding) = match head.as_slice() {
        [0xEF, 0xBB, 0xBF, ..] => (3, Encoding::Utf8Bom),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => return Ok(Opened::ReadWhole),
        _ => (0, Encoding::Utf8),
    };
    let text = match std::str::from_utf8(&head[skip..]) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[skip..skip + e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return Ok(Opened::ReadWhole),
    };
    let mut sheet = ParsedSheet::empty();
    sheet.encoding = Some(encoding);
    if text.is_empty() {
        // Empty files are refused as `parse` refuses them.
        return Ok(Opened::ReadWhole);
    }
    let p = prelude(text);
    let delimiter = p
        .delimiter
        .unwrap_or_else(|| detect_delimiter(&text[p.body_start..]));
    sheet.delimiter = char::from(delimiter);
    let mut stream = SheetStream {
        path: path.to_path_buf(),
        schema: schema.clone(),
        sheet,
        contexts: vec![ColumnContext::default(); schema.columns.len()],
        start: (skip + p.body_start) as u64,
        first_line: p.first_line,
        delimiter,
        width: 0,
        min_width: 0,
        records: 0,
        with_id: 0,
    };
    match stream.survey(&mut file, split_over) {
        Ok(()) => Ok(Opened::Stream(Box::new(stream))),
        Err(ChunkError::NotUtf8) => Ok(Opened::ReadWhole),
        Err(ChunkError::Io(e)) => Err(e),
        Err(ChunkError::TooLong(line)) => {
            stream.sheet.errors.push(SheetError::new(
                0,
                line,
                Problem::UnterminatedQuote { opened_line: line },
            ));
            Ok(Opened::Stream(Box::new(stream)))
        }
    }
}

impl SheetStream {
    /// Maps the header now that every column's emptiness is known, and
    /// decides each column's reading from the rows that will be read.
    fn finish_survey(
        &mut self,
        header: Option<RawRecord<'static>>,
        nonempty: &[bool],
        votes: &survey::Votes,
    ) {
        let schema = &self.schema;
        let sheet = &mut self.sheet;
        let Some(header) = header else {
            sheet
                .errors
                .push(SheetError::new(0, self.first_line, Problem::NoHeader));
            return;
        };
        sheet.header_line = header.line;
        for (_, problem) in &header.problems {
            sheet
                .errors
                .push(SheetError::new(0, header.line, problem.clone()));
        }
        if header.is_broken() {
            return;
        }
        let is_empty = |i: usize| !nonempty.get(i).copied().unwrap_or(false);
        let map = header::map_header(&header, &is_empty, schema);
        sheet.set_columns(map.columns);
        sheet.errors.extend(map.errors);
        self.width = sheet.columns.len();
        self.min_width = self.width - map.trailing_ignorable;
        for (c, column) in schema.columns.iter().enumerate() {
            let mut total = ContextVotes::default();
            for (i, tally) in votes.by_width.iter().enumerate() {
                if votes.lowest + i >= self.min_width {
                    total.add(tally[c]);
                }
            }
            self.contexts[c] = total.decide(&column.ty, self.delimiter);
        }
    }

    /// True when rows can be read: the header is sound and mapped.
    pub fn readable(&self) -> bool {
        self.sheet.errors.is_empty()
    }

    /// Reads ambiguous dates of schema column `column` in `order` from now
    /// on (the workspace settled the column, see `plan`).
    pub fn settle_date_order(&mut self, column: usize, order: DateOrder) {
        if let Some(ctx) = self.contexts.get_mut(column) {
            ctx.date_order = Some(order);
        }
    }

    /// Whether schema column `column` could not tell its day/month order.
    pub fn date_order(&self, column: usize) -> Option<DateOrder> {
        self.contexts.get(column).and_then(|c| c.date_order)
    }

    /// Reads the file again and calls `f` for each data record `filter`
    /// wants, in file order. Problems with a record's shape (quoting,
    /// field count) are reported only when `shapes` is set, so a caller
    /// reading the file in several passes sees each once.
    pub fn rows(
        &self,
        filter: RowFilter,
        shapes: bool,
        f: &mut dyn FnMut(StreamedRow) -> ControlFlow<()>,
    ) -> io::Result<()> {
        if !self.readable() {
            return Ok(());
        }
        let mut file = File::open(&self.path)?;
        let reader = RowReader {
            columns: &self.sheet.columns,
            schema: &self.schema,
            contexts: self.contexts.clone(),
        };
        let shape = Shape {
            columns: &self.sheet.columns,
            schema: &self.schema,
            width: self.width,
            min_width: self.min_width,
        };
        let id_field = self
            .sheet
            .columns
            .iter()
            .position(|c| c.target == Target::Id);
        let mut seen_header = false;
        let mut data_row = 0usize;
        let mut skipped = 0usize;
        let result = each_record(
            &mut file,
            self.start,
            self.first_line,
            self.delimiter,
            &mut |record| {
                if !seen_header {
                    seen_header = !record.is_blank();
                    return ControlFlow::Continue(());
                }
                data_row += 1;
                let has_id = id_field
                    .and_then(|i| record.fields.get(i))
                    .is_some_and(|f| !f.trim().is_empty());
                let wanted = match filter {
                    RowFilter::All => true,
                    RowFilter::WithId => has_id,
                    RowFilter::WithoutId => !has_id,
                };
                let mut errors = Vec::new();
                let ok = shape.check(record, data_row, &mut errors, &mut skipped);
                if !shapes {
                    errors.clear();
                }
                if !ok || !wanted {
                    if errors.is_empty() {
                        return ControlFlow::Continue(());
                    }
                    return f(StreamedRow {
                        row: None,
                        errors,
                        ambiguous: Vec::new(),
                    });
                }
                let mut ambiguous = Vec::new();
                let row = reader.read(0, data_row, record, &mut errors, &mut ambiguous);
                f(StreamedRow {
                    row: Some(row),
                    errors,
                    ambiguous,
                })
            },
        );
        match result {
            Ok(()) => Ok(()),
            Err(ChunkError::Io(e)) => Err(e),
            // The survey read the same bytes: these cannot happen now.
            Err(ChunkError::NotUtf8 | ChunkError::TooLong(_)) => Err(io::Error::other(
                "the file changed while it was being imported",
            )),
        }
    }
}
