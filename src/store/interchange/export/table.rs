//! Exporting a whole table fast: one statement over the table in id order,
//! each cell formatted straight from SQLite's value into the CSV writer
//! (no record or [`Value`](crate::sheet::Value) per row). The text is
//! exactly what `to_values` + `write_csv` produce; `tests/interchange.rs`
//! compares the two on every kind.

use super::super::values::Refs;
use super::{InterchangeError, Progress, TICK};
use crate::domain::dates::parse_iso;
use crate::interchange::spec::{Col, Conv, Spec};
use crate::sheet::{CsvSink, ExportOptions, ExportWarning, text_field};
use chrono::Datelike;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::fmt::Write as _;
use std::io::Write;

/// Writes every record of `spec` (wide) to `out`; (rows, warnings).
pub(super) fn write_table(
    conn: &Connection,
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
    let prefix = format!("{}-", spec.record.prefix());
    let mut sink = CsvSink::new(out, &schema, options)?;
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let (mut cell, mut key) = (String::new(), String::new());
    let mut count = 0usize;
    while let Some(row) = rows.next()? {
        let (id, rev): (i64, i64) = (row.get(0)?, row.get(1)?);
        key.clear();
        let _ = write!(key, "{prefix}{id}");
        sink.field(key.as_bytes())?;
        for (c, (col, source)) in spec.cols.iter().zip(&sources).enumerate() {
            cell.clear();
            match *source {
                Source::Product(Some(i), Some(u)) => {
                    if let (ValueRef::Integer(i), ValueRef::Integer(u)) =
                        (row.get_ref(i)?, row.get_ref(u)?)
                    {
                        let _ = write!(cell, "{}", i * u);
                    }
                }
                Source::Column(Some(i)) => {
                    if let Some(text) = format_cell(&mut cell, col, row.get_ref(i)?, refs) {
                        sink.check_length(&key, c, text);
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
        count += 1;
        if count.is_multiple_of(TICK) {
            progress("exported", count, total);
        }
    }
    Ok((count, sink.finish()?))
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
