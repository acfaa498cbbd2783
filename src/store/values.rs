//! Conversions between domain values and SQLite values, shared by the
//! record stores and the change log.

use rusqlite::types::Value;
use rusqlite::{Connection, Result};

/// A record's fields as (column, value) pairs.
pub type Row = Vec<(String, Value)>;

/// Builds a [`Row`] from literal column names.
pub fn row(pairs: Vec<(&str, Value)>) -> Row {
    pairs.into_iter().map(|(c, v)| (c.to_string(), v)).collect()
}

pub fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

pub fn opt_text<T: ToString>(v: Option<T>) -> Value {
    v.map_or(Value::Null, |v| Value::Text(v.to_string()))
}

pub fn int(i: i64) -> Value {
    Value::Integer(i)
}

pub fn opt_int(i: Option<i64>) -> Value {
    i.map_or(Value::Null, Value::Integer)
}

/// Equal as stored values; an integer and a real of the same number are
/// equal (SQLite may hand back either for a REAL column).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Integer(x), Value::Real(y)) | (Value::Real(y), Value::Integer(x)) => {
            (*x as f64 - *y).abs() < f64::EPSILON
        }
        _ => a == b,
    }
}

/// A value as text for the change log view; `None` for NULL.
pub fn display(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Integer(i) => Some(i.to_string()),
        Value::Real(r) => Some(r.to_string()),
        Value::Text(t) => Some(t.clone()),
        Value::Blob(b) => Some(format!("<{} bytes>", b.len())),
    }
}

/// Every column of `table` except `id`, in table order.
pub fn columns_of(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(&format!("PRAGMA table_info({table})"))?;
    let names = stmt.query_map([], |r| r.get::<_, String>(1))?;
    names
        .filter(|n| n.as_ref().map_or(true, |n| n != "id"))
        .collect()
}
