//! Files read as a stream instead of whole, so memory stays bounded
//! whatever the file's size: [`open_stream`] (or [`open_input`] for text
//! in memory) surveys the file once (header, column mapping, each column's
//! decimal separator and day/month order, how many rows carry an id) and
//! [`SheetStream::rows`] then reads it again, handing each typed row to the
//! caller as [`parse`](crate::sheet::parse) would have produced it. UTF-8
//! (with or without BOM) streams; other encodings are copied to UTF-8
//! first ([`transcode_to_utf8`](crate::sheet::transcode_to_utf8)), and
//! what is not text is named by [`decode`](crate::sheet::decode)'s rules.

mod ahead;
mod check;
mod chunks;
mod input;
mod whole;

pub use chunks::MAX_CELL;
mod survey;

use std::io;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::sheet::cell::{ColumnContext, ContextVotes, DateOrder};
use crate::sheet::decode::Encoding;
use crate::sheet::error::{Problem, SheetError};
use crate::sheet::parse::header::{self, Target};
use crate::sheet::parse::{AmbiguousDate, ParsedRow, ParsedSheet, RowReader, Shape};
use crate::sheet::records::{RawRecord, detect_delimiter, prelude};
use crate::sheet::schema::Schema;
use check::{Check, Checker};
use chunks::{ChunkError, each_record, head};

pub use check::Verdict;
pub use input::Input;
pub(crate) use whole::read_whole;

/// A surveyed file, ready to hand out its rows.
#[derive(Debug, Clone)]
pub struct SheetStream {
    input: Input,
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
    /// Data records that are not blank; when only the file's start was
    /// surveyed, an estimate from its share of the bytes (see
    /// [`SheetStream::records_read`]).
    pub records: usize,
    /// Of those, how many have something in the id column (of the start's
    /// records, when only the start was surveyed).
    pub with_id: usize,
    /// When only the start was surveyed: what the first full read checks.
    check: Option<Arc<Check>>,
    /// What that read found.
    verdict: OnceLock<Verdict>,
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

/// How much of the file [`open_stream`] surveys before it hands out rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Survey {
    /// All of it (one full read).
    Whole,
    /// The records that start in its first so many bytes of data: the
    /// first full read of the rows checks the rest (see
    /// [`SheetStream::verdict`]).
    Start(u64),
}

/// A good size for [`Survey::Start`]: about 45,000 rows of the benchmark
/// file, surveyed in a few milliseconds.
pub const START_BYTES: u64 = 4 << 20;

/// Surveys `path` against `schema`, all of it or its start.
pub fn open_stream(path: &Path, schema: &Schema, survey: Survey) -> io::Result<Opened> {
    open_input(&Input::File(path.to_path_buf()), schema, survey)
}

/// [`open_stream`] for any [`Input`].
pub fn open_input(input: &Input, schema: &Schema, survey: Survey) -> io::Result<Opened> {
    let how = match survey {
        Survey::Whole => How::Whole {
            split_over: survey::SPLIT_BYTES,
        },
        Survey::Start(bytes) => How::Start { bytes },
    };
    open_surveyed(input, schema, how)
}

/// How [`open_surveyed`] surveys (tests use small sizes).
#[derive(Debug, Clone, Copy)]
enum How {
    /// The whole file, in two halves when its data is longer than `split_over`.
    Whole { split_over: u64 },
    /// The records that start in its first `bytes` of data.
    Start { bytes: u64 },
}

fn open_surveyed(input: &Input, schema: &Schema, how: How) -> io::Result<Opened> {
    let mut file = input.open()?;
    let head = head(&mut file)?;
    let (skip, encoding) = match (input, head.as_slice()) {
        (Input::Text { encoding, .. }, _) => (0, *encoding),
        (_, [0xEF, 0xBB, 0xBF, ..]) => (3, Encoding::Utf8Bom),
        (_, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) => return Ok(Opened::ReadWhole),
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
    if head.len() == skip {
        // Nothing but a byte-order mark, or nothing at all: refused as
        // `parse` refuses it.
        sheet.errors.push(SheetError::new(0, 1, Problem::EmptyFile));
    }
    if head.len() == skip {
        let empty = SheetStream::new(input.clone(), schema.clone(), sheet, (0, 1, b','));
        return Ok(Opened::Stream(Box::new(empty)));
    }
    if text.is_empty() {
        // Bytes that are not UTF-8 from the first: read as `decode` says.
        return Ok(Opened::ReadWhole);
    }
    let p = prelude(text);
    let delimiter = p
        .delimiter
        .unwrap_or_else(|| detect_delimiter(&text[p.body_start..]));
    sheet.delimiter = char::from(delimiter);
    let at = ((skip + p.body_start) as u64, p.first_line, delimiter);
    let mut stream = SheetStream::new(input.clone(), schema.clone(), sheet, at);
    let surveyed = match how {
        How::Whole { split_over } => stream.survey(&mut file, split_over),
        How::Start { bytes } => {
            let end = stream.start.saturating_add(bytes);
            stream.survey_start(&mut file, end)
        }
    };
    match surveyed {
        Ok(()) => Ok(Opened::Stream(Box::new(stream))),
        Err(ChunkError::NotUtf8) => Ok(Opened::ReadWhole),
        Err(ChunkError::Io(e)) => Err(e),
        Err(ChunkError::TooLong(t)) => {
            let problem = if t.cell {
                Problem::CellTooLong {
                    limit: chunks::MAX_CELL,
                    quoted_on: t.quoted.then_some(t.line),
                }
            } else {
                Problem::RowTooLong {
                    limit: chunks::MAX_RECORD,
                }
            };
            let mut error = SheetError::new(t.data_row, t.line, problem);
            error.column = t.column;
            stream.sheet.errors.push(error);
            Ok(Opened::Stream(Box::new(stream)))
        }
    }
}

impl SheetStream {
    /// A stream not surveyed yet, its data starting at (byte, line) with
    /// this delimiter.
    fn new(input: Input, schema: Schema, sheet: ParsedSheet, at: (u64, usize, u8)) -> Self {
        let (start, first_line, delimiter) = at;
        SheetStream {
            input,
            contexts: vec![ColumnContext::default(); schema.columns.len()],
            schema,
            sheet,
            start,
            first_line,
            delimiter,
            width: 0,
            min_width: 0,
            records: 0,
            with_id: 0,
            check: None,
            verdict: OnceLock::new(),
        }
    }

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

    /// What a survey of the whole file with this `head` and `tally` makes
    /// of it.
    fn surveyed_as(&self, head: &RawRecord<'static>, tally: &survey::Tally) -> SheetStream {
        let mut sheet = ParsedSheet::empty();
        sheet.encoding = self.sheet.encoding;
        sheet.delimiter = self.sheet.delimiter;
        let at = (self.start, self.first_line, self.delimiter);
        let mut whole = SheetStream::new(self.input.clone(), self.schema.clone(), sheet, at);
        whole.records = tally.records;
        whole.with_id = tally.with_id;
        whole.finish_survey(Some(head.clone()), &tally.nonempty, &tally.votes);
        whole
    }

    /// Whether `other` reads every record as this stream does.
    fn reads_as(&self, other: &SheetStream) -> bool {
        self.sheet == other.sheet
            && self.contexts == other.contexts
            && (self.width, self.min_width) == (other.width, other.min_width)
    }

    /// For a stream surveyed only at its start ([`Survey::Start`]): what
    /// its first full read of the rows found, `None` before that read
    /// ended (or when the whole file was surveyed). On
    /// [`Verdict::Differs`], the rows read do not count: survey the whole
    /// file and read again.
    pub fn verdict(&self) -> Option<Verdict> {
        self.verdict.get().copied()
    }

    /// Whether the whole file was surveyed, so `records` is exact.
    pub fn surveyed_whole(&self) -> bool {
        self.check.is_none()
    }

    /// Whether the rows read so far must be read again after a whole
    /// survey ([`Verdict::Differs`]).
    pub fn differs(&self) -> bool {
        self.verdict() == Some(Verdict::Differs)
    }

    /// Data records that are not blank, counted exactly once known: by
    /// the survey, or by the first full read after a survey of the start.
    pub fn records_read(&self) -> usize {
        match self.verdict() {
            Some(Verdict::Same { records, .. }) => records,
            _ => self.records,
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
        self.rows_skipping(filter, shapes, f).map(|_| ())
    }

    /// [`SheetStream::rows`], returning how many records were blank
    /// (skipped, not counted as rows).
    fn rows_skipping(
        &self,
        filter: RowFilter,
        shapes: bool,
        f: &mut dyn FnMut(StreamedRow) -> ControlFlow<()>,
    ) -> io::Result<usize> {
        if !self.readable() {
            return Ok(0);
        }
        let mut file = self.input.open()?;
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
        let mut checker = match (&self.check, self.verdict()) {
            (Some(check), None) => Some(Checker::new(self, check)),
            _ => None,
        };
        let mut differs = false;
        let mut broke = false;
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
                if let Some(checker) = &mut checker
                    && checker.add(record).is_break()
                {
                    differs = true;
                    return ControlFlow::Break(());
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
                let flow = if !ok || !wanted {
                    if errors.is_empty() {
                        return ControlFlow::Continue(());
                    }
                    f(StreamedRow {
                        row: None,
                        errors,
                        ambiguous: Vec::new(),
                    })
                } else {
                    let mut ambiguous = Vec::new();
                    let row = reader.read(0, data_row, record, &mut errors, &mut ambiguous);
                    f(StreamedRow {
                        row: Some(row),
                        errors,
                        ambiguous,
                    })
                };
                broke = flow.is_break();
                flow
            },
        );
        if let Some(checker) = checker {
            let verdict = match &result {
                // The caller stopped: the rest of the file is unknown.
                Ok(()) if broke => None,
                Ok(()) if differs => Some(Verdict::Differs),
                Ok(()) => Some(checker.finish()),
                // Bytes the survey never saw stop the read.
                Err(ChunkError::NotUtf8 | ChunkError::TooLong(_)) => Some(Verdict::Differs),
                Err(ChunkError::Io(_)) => None,
            };
            if let Some(verdict) = verdict {
                let _ = self.verdict.set(verdict);
                if verdict == Verdict::Differs {
                    return Ok(skipped);
                }
            }
        }
        match result {
            Ok(()) => Ok(skipped),
            Err(ChunkError::Io(e)) => Err(e),
            // The survey read the same bytes: these cannot happen now.
            Err(ChunkError::NotUtf8 | ChunkError::TooLong(_)) => Err(io::Error::other(
                "the file changed while it was being imported",
            )),
        }
    }
}
