//! A change row's `old` and `new` values on either engine. SQLite keeps
//! each as it was written (integer, real, text or NULL, the columns have no
//! declared type); PostgreSQL keeps its text and a type tag beside it
//! (`old`/`old_type`, `new`/`new_type`: 'i', 'r' or 't'; see schema.sql).
//! Readers select [`Logged::column`] and read it as [`Logged`].

use crate::store::db::{Arg, Db, Dialect, FromCell, args};
use crate::store::{Result, StoreError};
use rusqlite::types::{Value, ValueRef};

/// A logged value read back exactly as it was written.
pub(crate) struct Logged(pub Value);

impl Logged {
    /// The select-list expression for the change column `column` (`old`,
    /// `new`, or either qualified, `c.new`): PostgreSQL's type tag first,
    /// then the text.
    pub fn column(dialect: Dialect, column: &str) -> String {
        match dialect {
            Dialect::Sqlite => column.to_owned(),
            Dialect::Postgres => format!("{column}_type || {column}"),
        }
    }
}

impl FromCell for Logged {
    fn from_sqlite(value: ValueRef<'_>) -> Result<Self> {
        Ok(Logged(value.into()))
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self> {
        let Some(tagged) = Option::<String>::from_postgres(row, index)? else {
            return Ok(Logged(Value::Null));
        };
        let bad = || StoreError::Refused(format!("a change row holds {tagged:?}"));
        let text = tagged.get(1..).ok_or_else(bad)?;
        Ok(Logged(match tagged.as_bytes().first() {
            Some(b'i') => Value::Integer(text.parse().map_err(|_| bad())?),
            Some(b'r') => Value::Real(text.parse().map_err(|_| bad())?),
            Some(b't') => Value::Text(text.to_owned()),
            _ => return Err(bad()),
        }))
    }
}

/// A value as PostgreSQL's change columns keep it: its text and its tag.
fn tagged(value: &Value) -> (Arg<'_>, Arg<'_>) {
    let text = |t: String| Arg::Text(t.into());
    let tag = |t: &'static str| Arg::Text(t.into());
    match value {
        Value::Null => (Arg::Null, Arg::Null),
        Value::Integer(i) => (text(i.to_string()), tag("i")),
        Value::Real(r) => (text(format!("{r:?}")), tag("r")),
        Value::Text(t) => (Arg::Text(t.as_str().into()), tag("t")),
        // The schema has no blobs; one would be a bug, kept visible.
        Value::Blob(b) => (text(format!("<{} bytes>", b.len())), tag("t")),
    }
}

/// Inserts one change row: `(batch, table, record, op, field)`, the
/// values before and after, and the record's rev after the change.
pub(super) fn insert(
    db: &Db,
    (batch, table, record, op, field): (i64, &str, i64, &str, &str),
    old: &Value,
    new: &Value,
    rev: i64,
) -> Result<()> {
    match db.dialect() {
        Dialect::Sqlite => db.execute(
            "INSERT INTO changes (batch_id, tbl, record_id, op, field, old, new, rev)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            args![batch, table, record, op, field, old, new, rev],
        ),
        Dialect::Postgres => {
            let ((old, old_type), (new, new_type)) = (tagged(old), tagged(new));
            db.execute(
                "INSERT INTO changes
                   (batch_id, tbl, record_id, op, field, old, old_type, new, new_type, rev)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                args![
                    batch, table, record, op, field, old, old_type, new, new_type, rev
                ],
            )
        }
    }?;
    Ok(())
}
