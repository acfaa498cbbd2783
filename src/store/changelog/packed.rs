//! Packed change rows: a record created (or deleted) in bulk is logged as
//! one `changes` row whose `field` is [`PACKED`] and whose `new` (or `old`)
//! holds every column as a JSON array of `[column, value]` pairs in column
//! order, instead of one row per column. Imports log their new records so
//! (a 1M-row file writes 1M change rows, not 11M); undo, Activity, the
//! review's history and the three-way merge's `at_rev` all read them.
//! New live-data entries of a streamed import are cheaper still: one
//! [`RANGE`] row for a run of consecutive ids.

use super::super::values::Row;
use super::super::{Result, StoreError};
use rusqlite::types::Value;
use std::fmt::Write as _;

/// The `field` of a packed change row.
pub const PACKED: &str = "*";

/// The `field` of a change row that stands for records created in bulk
/// with consecutive ids: `record_id` is the first, `new` the last, `rev`
/// their rev (1). Their values are not logged: each record is as created
/// while its rev is unchanged, and undo checks exactly that. The live-data
/// fast path of large imports logs its new entries so (see ARCHITECTURE.md).
/// A batch's change count counts each record of a range once.
pub const RANGE: &str = "*range";

/// `[["customer_id",3],["recorded_on","2026-11-20"],…]`. Reals keep a
/// fraction or exponent (`3.0`), so they read back as reals.
pub fn pack<'a>(row: impl IntoIterator<Item = (&'a str, &'a Value)>) -> String {
    let mut out = String::with_capacity(128);
    pack_into(&mut out, row);
    out
}

/// [`pack`] into a reused buffer.
pub fn pack_into<'a>(out: &mut String, row: impl IntoIterator<Item = (&'a str, &'a Value)>) {
    out.clear();
    out.push('[');
    for (i, (column, value)) in row.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        string(out, column);
        out.push(',');
        match value {
            Value::Integer(n) => {
                let _ = write!(out, "{n}");
            }
            Value::Real(x) if x.is_finite() => {
                let _ = write!(out, "{x:?}");
            }
            Value::Text(t) => string(out, t),
            // SQLite stores no NaN or infinity, and the schema has no blobs.
            Value::Null | Value::Real(_) | Value::Blob(_) => out.push_str("null"),
        }
        out.push(']');
    }
    out.push(']');
}

fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The columns and values of a packed change row.
pub fn unpack(text: &str) -> Result<Row> {
    let bad =
        |e: &dyn std::fmt::Display| StoreError::Refused(format!("unreadable packed change: {e}"));
    let pairs: Vec<(String, serde_json::Value)> =
        serde_json::from_str(text).map_err(|e| bad(&e))?;
    pairs
        .into_iter()
        .map(|(column, value)| {
            let value = match value {
                serde_json::Value::Null => Value::Null,
                serde_json::Value::String(s) => Value::Text(s),
                // `3.0` parses as a float, `3` as an integer.
                serde_json::Value::Number(n) => match n.as_i64() {
                    Some(i) => Value::Integer(i),
                    None => Value::Real(n.as_f64().ok_or_else(|| bad(&n))?),
                },
                other => return Err(bad(&other)),
            };
            Ok((column, value))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_reads_back_as_it_was_written() {
        let row: Row = vec![
            ("a".into(), Value::Integer(-42)),
            ("b".into(), Value::Real(3.0)),
            ("c".into(), Value::Real(0.1 + 0.2)),
            ("d".into(), Value::Real(1e-300)),
            (
                "e".into(),
                Value::Text("quote \" back\\slash\nline\ttab \u{1} é 🦀".into()),
            ),
            ("f".into(), Value::Null),
            ("g".into(), Value::Integer(i64::MIN)),
        ];
        let text = pack(row.iter().map(|(c, v)| (c.as_str(), v)));
        assert_eq!(unpack(&text).expect("unpack"), row);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(unpack("not json").is_err());
        assert!(unpack("[[1,2]]").is_err());
    }
}
