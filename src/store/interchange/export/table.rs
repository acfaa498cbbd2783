//! Exporting a whole table fast: one statement over the table in id order,
//! streamed (SQLite's rows as it steps; a server's as they arrive), each
//! cell formatted straight from the stored value into the CSV writer (no
//! record or [`Value`](crate::sheet::Value) per row). The text is exactly
//! what `to_values` + `write_csv` produce; `tests/interchange.rs` compares
//! the two on every kind.

use super::super::values::Refs;
use super::{InterchangeError, Progress, TICK};
use crate::domain::dates::parse_iso;
use crate::interchange::spec::{Col, Conv, Spec};
use crate::sheet::{CsvSink, ExportOptions, ExportWarning, text_field};
use crate::store::db::{Db, args};
use crate::store::{StoreError, StoredValue};
use chrono::Datelike;
use rusqlite::types::ValueRef;
use std::fmt::Write as _;
use std::io::Write;

/// Writes every record of `spec` (wide) to `out`; (rows, warnings).
pub(super) fn write_table(
    db: &Db,
    spec: &Spec,
    refs: &Refs,
    out: &mut dyn Write,
    options: ExportOptions,
    total: usize,
    progress: Progress<'_>,
) -> Result<(usize, Vec<ExportWarning>), InterchangeError> {
    let schema = spec.schema();
    let names = spec.sql_columns();
    let sql = format!(
        "SELECT id, rev{}{} FROM {} ORDER BY id",
        if names.is_empty() { "" } else { ", " },
        names.join(", "),
        spec.record.table()
    );
    // Where each column's value sits in the row (priority reads two).
    let at = |sql: &str| names.iter().position(|n| *n == sql).map(|i| i + 2);
    let sources: Vec<Source> = spec
        .cols
        .iter()
        .map(|col| match col.conv {
            Conv::Priority => Source::Product(at("impact"), at("uncertainty")),
            _ => Source::Column(at(&col.sql)),
        })
        .collect();
    let mut table = Table {
        spec,
        refs,
        sources,
        prefix: format!("{}-", spec.record.prefix()),
        sink: CsvSink::new(out, &schema, options)?,
        cell: String::new(),
        key: String::new(),
        count: 0,
        total,
        progress,
    };
    if let Some(conn) = db.sqlite() {
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            table.row(row)?;
        }
    } else {
        // A server's rows: each read into its values, then written (no
        // query may run while the rows arrive, and none does).
        let mut failed = None;
        let mut values: Vec<StoredValue> = Vec::with_capacity(names.len() + 2);
        let read = db.for_each(&sql, args![], |row| {
            values.clear();
            for i in 0..names.len() + 2 {
                values.push(row.get(i)?);
            }
            table.row(&values.as_slice()).map_err(|e| {
                failed = Some(e);
                StoreError::Refused("export stopped".into())
            })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        read?;
    }
    Ok((table.count, table.sink.finish()?))
}

/// A row's cells by position: `id, rev, <columns…>` (the statement
/// selects exactly those, so every index asked for is there).
trait Cells {
    fn cell(&self, index: usize) -> ValueRef<'_>;
}

impl Cells for rusqlite::Row<'_> {
    #[inline]
    fn cell(&self, index: usize) -> ValueRef<'_> {
        self.get_ref(index).unwrap_or(ValueRef::Null)
    }
}

impl Cells for &[StoredValue] {
    #[inline]
    fn cell(&self, index: usize) -> ValueRef<'_> {
        self.get(index).map_or(ValueRef::Null, ValueRef::from)
    }
}

/// The export under way.
struct Table<'t, 'p, W: Write> {
    spec: &'t Spec,
    refs: &'t Refs,
    sources: Vec<Source>,
    prefix: String,
    sink: CsvSink<'t, W>,
    cell: String,
    key: String,
    count: usize,
    total: usize,
    progress: Progress<'p>,
}

impl<W: Write> Table<'_, '_, W> {
    /// Writes one record.
    fn row(&mut self, row: &impl Cells) -> Result<(), InterchangeError> {
        let Table {
            spec,
            refs,
            sources,
            prefix,
            sink,
            cell,
            key,
            ..
        } = self;
        let id = integer(row.cell(0));
        let rev = integer(row.cell(1));
        key.clear();
        let _ = write!(key, "{prefix}{id}");
        sink.field(key.as_bytes())?;
        for (c, (col, source)) in spec.cols.iter().zip(sources.iter()).enumerate() {
            cell.clear();
            match *source {
                Source::Product(Some(i), Some(u)) => {
                    if let (ValueRef::Integer(i), ValueRef::Integer(u)) = (row.cell(i), row.cell(u))
                    {
                        let _ = write!(cell, "{}", i * u);
                    }
                }
                Source::Column(Some(i)) => {
                    if let Some(text) = format_cell(cell, col, row.cell(i), refs) {
                        sink.check_length(key, c, text);
                    }
                }
                _ => {}
            }
            sink.field(cell.as_bytes())?;
        }
        cell.clear();
        let _ = write!(cell, "{rev}");
        sink.field(cell.as_bytes())?;
        sink.end_record()?;
        self.count += 1;
        if self.count.is_multiple_of(TICK) {
            (self.progress)("exported", self.count, self.total);
        }
        Ok(())
    }
}

/// An id or rev cell.
fn integer(value: ValueRef<'_>) -> i64 {
    match value {
        ValueRef::Integer(i) => i,
        _ => 0,
    }
}

/// Where a CSV column's value comes from.
enum Source {
    Column(Option<usize>),
    /// `impact × uncertainty`.
    Product(Option<usize>, Option<usize>),
}

/// Formats one stored value into `out` as `to_value` + the CSV writer
/// would; returns the text for the Excel length check when it is text.
fn format_cell<'v>(
    out: &mut String,
    col: &Col,
    value: ValueRef<'v>,
    refs: &'v Refs,
) -> Option<&'v str> {
    let text = match (&col.conv, value) {
        (_, ValueRef::Null) => return None,
        (Conv::Ref(kind), ValueRef::Integer(id)) => {
            let Some(name) = refs.shown(*kind, id) else {
                out.push_str(&text_field(&refs.show(*kind, id)));
                return None;
            };
            name
        }
        (Conv::Stamp, ValueRef::Text(bytes)) => {
            let s = std::str::from_utf8(bytes).unwrap_or_default();
            match s.get(..10).and_then(parse_iso) {
                Some(d) => return date(out, d),
                None => s,
            }
        }
        (Conv::Date, ValueRef::Text(bytes)) => {
            let s = std::str::from_utf8(bytes).unwrap_or_default();
            match parse_iso(s) {
                Some(d) => return date(out, d),
                None => s,
            }
        }
        (Conv::Bool, ValueRef::Integer(i)) => {
            out.push_str(if i != 0 { "true" } else { "false" });
            return None;
        }
        (Conv::Real | Conv::Percent, ValueRef::Integer(i)) => {
            let _ = write!(out, "{}", i as f64);
            return None;
        }
        (_, ValueRef::Text(bytes)) => std::str::from_utf8(bytes).unwrap_or_default(),
        (_, ValueRef::Integer(i)) => {
            let _ = write!(out, "{i}");
            return None;
        }
        (_, ValueRef::Real(r)) => {
            let _ = write!(out, "{r}");
            return None;
        }
        (_, ValueRef::Blob(b)) => {
            let _ = write!(out, "<{} bytes>", b.len());
            return None;
        }
    };
    out.push_str(&text_field(text));
    Some(text)
}

fn date(out: &mut String, d: chrono::NaiveDate) -> Option<&'static str> {
    let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    None
}
