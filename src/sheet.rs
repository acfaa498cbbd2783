//! CSV interchange: files from and for spreadsheets, driven by a schema.
//!
//! This module knows nothing about `SQLite` or the screen. A record type is a
//! [`Schema`] (an id prefix plus typed [`Column`]s); the app adapts its store
//! to the [`Existing`] trait and applies the resulting [`ImportPlan`] in one
//! transaction.
//!
//! ```text
//! bytes ─► decode ─► Decoded{text, encoding, needs_confirmation}
//!                       │
//!                       ▼
//!          parse(text, &Schema) ─► ParsedSheet{rows, errors, …}
//!                       │
//!                       ▼
//!          plan(&parsed, &Schema, &dyn Existing) ─► ImportPlan{new, changed, conflicts, errors, …}
//!                       │  resolve(&mut plan, Which, Resolution)
//!                       ▼
//!          app applies when plan.is_applicable()
//!
//! rows ─► write_csv(w, &Schema, rows, ExportOptions{excel}) ─► CSV (+ warnings)
//! ```
//!
//! # API
//! - [`decode`]`(&[u8]) -> Result<Decoded, SheetError>`: BOM sniffing
//!   (UTF-8, UTF-16LE/BE), strict UTF-8, or Windows-1252 with
//!   `needs_confirmation` when no byte sequence is valid multi-byte UTF-8.
//!   Mixed encodings and NUL bytes are refused with a position.
//! - [`parse`]`(&str, &Schema) -> ParsedSheet` (and [`parse_decoded`]):
//!   delimiter (`,` `;` TAB, or Excel's `sep=` line), header mapping by
//!   name in any order, typed cells, every problem collected in
//!   `ParsedSheet::errors` with data row, physical line, column, raw value
//!   and reason.
//! - [`plan`]`(&ParsedSheet, &Schema, &dyn Existing) -> ImportPlan` (and
//!   [`plan_with`] for `delete_missing`): new rows, cell-by-cell changes,
//!   three-way merge of stale rows into changes or [`Conflict`]s.
//!   [`resolve`] settles conflicts per cell or all at once;
//!   [`ImportPlan::is_applicable`] is false while any error or unresolved
//!   conflict remains.
//! - [`write_csv`]`(W, &Schema, rows, ExportOptions) -> Result<Vec<ExportWarning>, WriteError>`
//!   and [`write_atomically`]`(path, like, |w| …)` (private like the workspace).
//! - [`open_stream`]`(path, &Schema, Survey) -> Opened`: the same reading for
//!   large UTF-8 files without holding them: a survey (header, mapping,
//!   column contexts) of the whole file or of its start, then
//!   [`SheetStream::rows`] hands out one typed row at a time; the store
//!   plans and applies each as it comes. After a survey of the start, the
//!   first full read's [`Verdict`] says whether those rows stand.
//! - [`cell`]: the typed cell readers (dates, numbers, booleans, text), also
//!   usable for validating form input.
//!
//! # Contract decisions
//! - [`Value`] equality is by value: `Int(3) == Decimal(3.0)`, and
//!   `Null == Text("")` because CSV cannot tell them apart.
//! - Percent columns store the fraction (`25%` → 0.25; a bare `0.25` is
//!   taken as written) and export the bare fraction, so the trip is lossless.
//! - Day/month order is decided per column from values that can only be
//!   read one way; when none can, each ambiguous cell is an error, unless the
//!   workspace settles it: if an existing row's stored date equals exactly
//!   one reading, that order holds for the column (an unedited date that a
//!   spreadsheet re-rendered). Dotted dates are always day-first; two-digit
//!   years and serial numbers below 61 (before 1900-03-01) are refused.
//! - Decimal separator: values that can be read only one way decide the
//!   column; otherwise `;`-delimited files mean decimal comma. Integer
//!   columns read `1,000` and `1.000` as one thousand.
//! - Text is stored exactly except that CRLF/CR become LF and one leading
//!   apostrophe is removed before `= + - @ TAB CR '`. A line break in a
//!   single-line [`ColumnType::Text`] column is an error.
//! - A file `_rev` newer than the record's is an error; an older one merges
//!   three ways against [`Existing::at_rev`] (every differing cell is a
//!   conflict when that snapshot is unavailable).
//! - Clearing a required column is an error, as is leaving it empty (or
//!   absent) on a new row.

pub mod cell;
mod decode;
pub mod diff;
mod error;
mod export;
mod parse;
mod plan;
mod records;
mod schema;
mod stream;

pub use decode::{Decoded, Encoding, decode, large_file_fault, transcode_to_utf8};
pub use diff::{TextDiff, describe_change, text_diff};
pub use error::{Problem, SheetError, WriteError};
pub use export::{
    CsvSink, EXCEL_CELL_LIMIT, ExportOptions, ExportWarning, create_dir_like, csv_writer,
    os_reason, permissions_for, text_field, write_atomically, write_csv,
};
pub use parse::{AmbiguousDate, FileColumn, ParsedRow, ParsedSheet, Target, parse, parse_decoded};
pub use plan::{
    CellChange, CellMerge, ChangedRow, Conflict, DateVotes, Existing, ImportPlan, NewRow,
    PlanOptions, Resolution, Which, merge_cell, plan, plan_row, plan_with, resolve,
};
pub use schema::{Column, ColumnType, ID_COLUMN, REV_COLUMN, Schema, Value};
pub use stream::{
    Input, Opened, RowFilter, START_BYTES, SheetStream, StreamedRow, Survey, Verdict, open_input,
    open_stream,
};
