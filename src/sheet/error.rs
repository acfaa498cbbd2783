//! Error types: [`SheetError`] is one positioned problem in a file (what the
//! preview lists), [`Problem`] says what is wrong in plain words, and
//! [`WriteError`] covers export failures.

use std::fmt;

use chrono::NaiveDate;

/// One problem found in a file, positioned the way a person finds it again:
/// `data_row` N is the Nth record after the header (spreadsheet row N+1,
/// 0 = the header itself) and `line` is the 1-based physical line where that
/// record starts, counting the header and any `sep=` line.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct SheetError {
    pub data_row: usize,
    pub line: usize,
    /// The column's header as the file spells it, when the problem is in one cell.
    pub column: Option<String>,
    /// The raw cell text, when there is one worth showing.
    pub value: Option<String>,
    pub problem: Problem,
}

impl SheetError {
    pub(crate) fn new(data_row: usize, line: usize, problem: Problem) -> Self {
        SheetError {
            data_row,
            line,
            column: None,
            value: None,
            problem,
        }
    }

    #[must_use]
    pub(crate) fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    #[must_use]
    pub(crate) fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// The plain-words reason, without the position.
    pub fn reason(&self) -> String {
        self.problem.to_string()
    }
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if matches!(self.problem, Problem::EmptyFile | Problem::NoHeader) {
            return write!(f, "{}", self.problem);
        }
        if self.data_row == 0 {
            write!(f, "header (line {})", self.line)?;
        } else {
            write!(f, "data row {} (line {})", self.data_row, self.line)?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// What is wrong, in words a spreadsheet user understands.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    // --- the file as a whole -------------------------------------------
    #[error("empty file")]
    EmptyFile,
    #[error("no header row")]
    NoHeader,
    #[error("contains a NUL byte (a UTF-16 file without a byte-order mark, or not a text file?)")]
    NulByte,
    #[error("invalid UTF-8 (byte 0x{byte:02X})")]
    InvalidUtf8 { byte: u8 },
    #[error("invalid UTF-16 (odd length or unpaired surrogate)")]
    InvalidUtf16,

    // --- CSV structure ---------------------------------------------------
    #[error("quoted field opened on line {opened_line} is never closed")]
    UnterminatedQuote { opened_line: usize },
    #[error(
        "cell longer than the limit of {} ({limit} bytes){}",
        mebibytes(*limit),
        quoted_on.map(|l| format!("; or a quote opened on line {l} is never closed")).unwrap_or_default()
    )]
    CellTooLong {
        limit: usize,
        quoted_on: Option<usize>,
    },
    #[error("row longer than the limit of {} ({limit} bytes)", mebibytes(*limit))]
    RowTooLong { limit: usize },
    #[error("quote character inside an unquoted field")]
    StrayQuote,
    #[error("text after the closing quote of a quoted field")]
    TextAfterQuote,
    #[error("expected {expected} fields, found {found}")]
    FieldCount { expected: usize, found: usize },
    #[error("duplicate column (positions {first} and {second})")]
    DuplicateColumn { first: usize, second: usize },
    #[error("required column missing")]
    MissingColumn,
    #[error(
        "header “{found}” looks like “{meant}” behind a byte-order mark the file lost on the way (its encoding was misread, or it was saved twice); open it and save it again as UTF-8, then import that"
    )]
    MisreadBom { found: String, meant: String },

    // --- one cell ---------------------------------------------------------
    #[error("spreadsheet error value {0} instead of data")]
    SpreadsheetError(String),
    #[error("not a number: {0}")]
    NotANumber(String),
    #[error("not a whole number: {0}")]
    NotAnInteger(String),
    #[error("number out of range: {0}")]
    NumberOutOfRange(String),
    #[error("not a date: {0}")]
    NotADate(String),
    #[error("no such date: {0}")]
    InvalidDate(String),
    #[error("two-digit year in {0}; write the year with four digits")]
    TwoDigitYear(String),
    #[error("spreadsheet date number {0} is outside 1900-03-01..9999-12-31")]
    SerialOutOfRange(String),
    #[error(
        "ambiguous date {raw} ({} or {}): no value in this column shows whether the day or the month comes first",
        month_day(*month_first),
        month_day(*day_first)
    )]
    AmbiguousDate {
        raw: String,
        month_first: NaiveDate,
        day_first: NaiveDate,
    },
    #[error("date {raw} contradicts the {order} order of other dates in this column")]
    DateOrderConflict { raw: String, order: &'static str },
    #[error("not a yes/no value: {0}")]
    NotABoolean(String),
    #[error("{raw} is not one of: {}", options.join(", "))]
    NotAChoice { raw: String, options: Vec<String> },
    #[error("line break in a single-line column")]
    LineBreak,
    #[error("id {0} was turned into scientific notation by a spreadsheet")]
    IdScientific(String),
    #[error("id {raw} does not start with {prefix}")]
    IdPrefix { raw: String, prefix: String },
    #[error("not a revision number: {0}")]
    BadRev(String),

    // --- against the workspace ------------------------------------------
    #[error("unknown id {0}")]
    UnknownId(String),
    #[error("duplicate id {id} (first seen data row {first_row}, line {first_line})")]
    DuplicateId {
        id: String,
        first_row: usize,
        first_line: usize,
    },
    #[error("required for a new row")]
    RequiredForNewRow,
    #[error("required; it cannot be cleared")]
    RequiredCleared,
    #[error(
        "_rev {file} is newer than the workspace's revision {workspace}: is this file from another workspace?"
    )]
    RevAhead { file: i64, workspace: i64 },
}

fn month_day(date: NaiveDate) -> String {
    date.format("%B %-d").to_string()
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("could not write the file: {0}")]
    Io(#[from] std::io::Error),
    /// A file that could not be written, named as the user gave it.
    #[error("cannot write {path}: {reason}")]
    File { path: String, reason: String },
    #[error("could not write CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("record {id} has {found} values but the schema has {expected} columns")]
    RowWidth {
        id: String,
        expected: usize,
        found: usize,
    },
}

/// `256 KiB`, `4 MiB`: a limit in the unit people read.
fn mebibytes(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes >> 10)
    }
}
