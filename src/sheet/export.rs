//! Writing records as CSV that spreadsheets open safely and that imports back
//! with zero changes.
//!
//! Columns are `id`, the schema's columns, `_rev`. Text that a spreadsheet
//! would run as a formula (leading `= + - @ TAB CR`), and text that already
//! starts with an apostrophe, gets one apostrophe prepended; the importer
//! removes exactly that one. Typed values are never escaped: a decimal `-42`
//! stays `-42`.

mod atomic;
#[cfg(test)]
mod tests;

pub use atomic::{create_dir_like, os_reason, permissions_for, write_atomically};

use std::borrow::Cow;
use std::fmt;
use std::io::Write;

use crate::sheet::cell::text::needs_apostrophe;
use crate::sheet::error::WriteError;
use crate::sheet::schema::{ID_COLUMN, REV_COLUMN, Schema, Value};

/// The most characters Excel keeps in one cell.
pub const EXCEL_CELL_LIMIT: usize = 32_767;

/// How to write the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// UTF-8 with BOM, CRLF and every field quoted: what Excel opens
    /// correctly on double-click. Otherwise plain UTF-8, LF, minimal quoting.
    pub excel: bool,
}

/// A cell a spreadsheet will not hold in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportWarning {
    pub id: String,
    pub column: String,
    pub chars: usize,
}

impl fmt::Display for ExportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {} characters; Excel keeps only the first {EXCEL_CELL_LIMIT}",
            self.id, self.column, self.chars
        )
    }
}

/// The text written for one value.
fn field(value: &Value) -> Cow<'_, str> {
    match value {
        Value::Text(s) => text_field(s),
        other => Cow::Owned(other.to_csv_string()),
    }
}

fn into_bytes(text: Cow<'_, str>) -> Cow<'_, [u8]> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    }
}

/// Writes `rows` (id, values in schema order, rev) as CSV. Returns warnings
/// for cells longer than Excel's limit.
pub fn write_csv<W, I>(
    out: W,
    schema: &Schema,
    rows: I,
    options: ExportOptions,
) -> Result<Vec<ExportWarning>, WriteError>
where
    W: Write,
    I: IntoIterator<Item = (String, Vec<Value>, i64)>,
{
    let mut sink = CsvSink::new(out, schema, options)?;
    for (id, values, rev) in rows {
        if values.len() != schema.columns.len() {
            return Err(WriteError::RowWidth {
                id,
                expected: schema.columns.len(),
                found: values.len(),
            });
        }
        sink.field(id.as_bytes())?;
        for (column, value) in schema.columns.iter().enumerate().zip(&values) {
            if let Value::Text(s) = value {
                sink.check_length(&id, column.0, s);
            }
            sink.field(into_bytes(field(value)).as_ref())?;
        }
        sink.field(rev.to_string().as_bytes())?;
        sink.end_record()?;
    }
    sink.finish()
}

/// A CSV file written field by field, with [`write_csv`]'s header, quoting,
/// line ends and warnings: for exports that format cells straight from
/// storage without building [`Value`]s (the caller then escapes text as
/// [`text_field`] does).
pub struct CsvSink<'s, W: Write> {
    writer: csv::Writer<W>,
    schema: &'s Schema,
    warnings: Vec<ExportWarning>,
}

impl<'s, W: Write> CsvSink<'s, W> {
    /// Writes the BOM (Excel) and the header: `id`, the columns, `_rev`.
    pub fn new(out: W, schema: &'s Schema, options: ExportOptions) -> Result<Self, WriteError> {
        let mut writer = csv_writer(out, options)?;
        let header = std::iter::once(ID_COLUMN)
            .chain(schema.columns.iter().map(|c| c.name.as_str()))
            .chain(std::iter::once(REV_COLUMN));
        writer.write_record(header)?;
        Ok(CsvSink {
            writer,
            schema,
            warnings: Vec::new(),
        })
    }

    /// One field of the current record, quoted as needed.
    pub fn field(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        Ok(self.writer.write_field(bytes)?)
    }

    /// Ends the current record.
    pub fn end_record(&mut self) -> Result<(), WriteError> {
        Ok(self.writer.write_record(None::<&[u8]>)?)
    }

    /// Notes a text cell of schema column `column` longer than Excel keeps.
    pub fn check_length(&mut self, id: &str, column: usize, text: &str) {
        // Cheap first: a cell of fewer bytes cannot have more characters.
        if text.len() > EXCEL_CELL_LIMIT {
            let chars = text.chars().count();
            if chars > EXCEL_CELL_LIMIT {
                self.warnings.push(ExportWarning {
                    id: id.to_owned(),
                    column: self.schema.columns[column].name.clone(),
                    chars,
                });
            }
        }
    }

    /// Flushes; the warnings collected.
    pub fn finish(mut self) -> Result<Vec<ExportWarning>, WriteError> {
        self.writer.flush()?;
        Ok(self.warnings)
    }
}

/// How a text cell is written: with one apostrophe before what a
/// spreadsheet would run as a formula (or an apostrophe already there).
pub fn text_field(text: &str) -> Cow<'_, str> {
    if needs_apostrophe(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A CSV writer as `options` ask: for Excel a BOM first, every field
/// quoted and CRLF line ends; otherwise quotes only where needed and LF.
pub fn csv_writer<W: Write>(
    mut out: W,
    options: ExportOptions,
) -> Result<csv::Writer<W>, WriteError> {
    if options.excel {
        out.write_all("\u{FEFF}".as_bytes())?;
    }
    Ok(csv::WriterBuilder::new()
        .quote_style(if options.excel {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .terminator(if options.excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .buffer_capacity(1 << 16)
        .from_writer(out))
}
