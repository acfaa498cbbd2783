//! Conversions between domain values and stored values, shared by the
//! record stores and the change log.

use super::Result;
use super::db::{Db, Dialect, args};
use rusqlite::types::Value;

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

/// Every column of `table` except `id`, in table order; not a server's
/// generated columns (`checkins.notes_folded`), which it computes itself.
pub(crate) fn columns_of(db: &Db, table: &str) -> Result<Vec<String>> {
    match db.dialect() {
        Dialect::Sqlite => db.query_map(
            &format!(
                "SELECT name FROM pragma_table_info('{table}') WHERE name <> 'id' ORDER BY cid"
            ),
            args![],
            |r| r.get(0),
        ),
        Dialect::Postgres => db.query_map(
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = ?1 AND column_name <> 'id'
               AND is_generated = 'NEVER'
             ORDER BY ordinal_position",
            args![table],
            |r| r.get(0),
        ),
    }
}

/// How many ids one [`for_ids`] statement asks for.
const CHUNK: usize = 64;

/// Runs `sql` for `ids`, `CHUNK` at a time rather than one query per id
/// (on a server each query is a round trip), calling `f` on every row.
/// `sql` holds `{ids}` where the list goes, after the placeholders of
/// `fixed`. The statement's text is the same for every window (the list
/// is padded with 0, never an id), so it is prepared once.
pub(crate) fn for_ids(
    db: &Db,
    sql: &str,
    fixed: &[super::db::Arg<'_>],
    ids: &[i64],
    mut f: impl FnMut(&super::db::Row<'_>) -> Result<()>,
) -> Result<()> {
    use super::db::IntoArg;
    let first = fixed.len() + 1;
    let marks: Vec<String> = (first..first + CHUNK).map(|n| format!("?{n}")).collect();
    let sql = sql.replace("{ids}", &marks.join(", "));
    for chunk in ids.chunks(CHUNK) {
        let mut args: Vec<super::db::Arg<'_>> = fixed.iter().map(IntoArg::arg).collect();
        args.extend(chunk.iter().map(IntoArg::arg));
        args.resize(fixed.len() + CHUNK, 0i64.arg());
        db.for_each(&sql, &args, &mut f)?;
    }
    Ok(())
}

/// The rows of `ids` in their order, by [`for_ids`]; `f` reads a row into
/// its id and value. An id without a row is an error, as a missing record
/// is.
pub(crate) fn by_ids<T>(
    db: &Db,
    sql: &str,
    fixed: &[super::db::Arg<'_>],
    ids: &[i64],
    mut f: impl FnMut(&super::db::Row<'_>) -> Result<(i64, T)>,
) -> Result<Vec<T>> {
    let mut found = std::collections::HashMap::with_capacity(ids.len());
    for_ids(db, sql, fixed, ids, |r| {
        let (id, value) = f(r)?;
        found.insert(id, value);
        Ok(())
    })?;
    ids.iter()
        .map(|id| {
            found
                .remove(id)
                .ok_or_else(|| super::StoreError::Refused(format!("no row {id} from: {sql}")))
        })
        .collect()
}
