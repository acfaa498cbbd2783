//! Values between SQLite and the sheet: a stored record as its SQL values,
//! each column converted to a typed [`Value`] and back, and references
//! (customers, check-ins, backlog items, fields) resolved both ways.

use crate::domain::dates::parse_iso;
use crate::domain::{BacklogItem, Field, RecordKey, RecordKind};
use crate::interchange::spec::{Col, Conv, Empty, RefKind, Spec};
use crate::sheet::Value;
use crate::store::Result;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use std::collections::HashMap;

/// One stored record: its id, rev and SQL values in `Spec::sql_columns` order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    pub id: i64,
    pub rev: i64,
    pub names: Vec<String>,
    pub values: Vec<Sql>,
}

impl Record {
    pub fn get(&self, sql: &str) -> &Sql {
        self.names
            .iter()
            .position(|n| n == sql)
            .and_then(|i| self.values.get(i))
            .unwrap_or(&Sql::Null)
    }

    pub fn set(&mut self, sql: &str, value: Sql) {
        if let Some(i) = self.names.iter().position(|n| n == sql) {
            self.values[i] = value;
        } else {
            self.names.push(sql.to_owned());
            self.values.push(value);
        }
    }

    pub fn text(&self, sql: &str) -> String {
        match self.get(sql) {
            Sql::Text(s) => s.clone(),
            Sql::Integer(i) => i.to_string(),
            Sql::Real(r) => r.to_string(),
            Sql::Null | Sql::Blob(_) => String::new(),
        }
    }

    pub fn opt_text(&self, sql: &str) -> Option<String> {
        Some(self.text(sql)).filter(|s| !s.is_empty())
    }

    pub fn int(&self, sql: &str) -> Option<i64> {
        match self.get(sql) {
            Sql::Integer(i) => Some(*i),
            Sql::Real(r) if r.fract() == 0.0 => Some(*r as i64),
            _ => None,
        }
    }

    pub fn real(&self, sql: &str) -> Option<f64> {
        match self.get(sql) {
            Sql::Integer(i) => Some(*i as f64),
            Sql::Real(r) => Some(*r),
            _ => None,
        }
    }

    pub fn date(&self, sql: &str) -> Option<chrono::NaiveDate> {
        parse_iso(&self.text(sql))
    }

    /// The (column, value) pairs the change-log writer takes.
    pub fn row(&self) -> Vec<(String, Sql)> {
        self.names
            .iter()
            .cloned()
            .zip(self.values.iter().cloned())
            .collect()
    }
}

/// Reads record `id` of `spec`, or `None` when there is none.
pub(crate) fn load(conn: &Connection, spec: &Spec, id: i64) -> Result<Option<Record>> {
    let names: Vec<String> = spec.sql_columns().into_iter().map(str::to_owned).collect();
    let sql = format!(
        "SELECT id, rev{}{} FROM {} WHERE id = ?1",
        if names.is_empty() { "" } else { ", " },
        names.join(", "),
        spec.record.table()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let record = stmt
        .query_row([id], |r| {
            let mut values = Vec::with_capacity(names.len());
            for i in 0..names.len() {
                values.push(r.get::<_, Sql>(i + 2)?);
            }
            Ok(Record {
                id: r.get(0)?,
                rev: r.get(1)?,
                names: names.clone(),
                values,
            })
        })
        .optional()?;
    Ok(record)
}

/// The record as it was at `rev`: its current values with every change
/// logged after `rev` reverted, newest first. `None` when the record was
/// created (or re-created) after `rev`.
pub(crate) fn at_rev(
    conn: &Connection,
    mut record: Record,
    table: &str,
    rev: i64,
) -> Result<Option<Record>> {
    // Records start at rev 1 (or later): none existed "at rev 0". This also
    // covers records whose creation is logged as a range (no per-record row).
    if rev < 1 {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT op, field, old FROM changes
         WHERE tbl = ?1 AND record_id = ?2 AND rev > ?3 ORDER BY id DESC",
    )?;
    let mut rows = stmt.query(rusqlite::params![table, record.id, rev])?;
    while let Some(row) = rows.next()? {
        let op: String = row.get(0)?;
        if op != "update" {
            return Ok(None);
        }
        let field: String = row.get(1)?;
        if record.names.contains(&field) {
            record.set(&field, row.get(2)?);
        }
    }
    record.rev = rev;
    Ok(Some(record))
}

/// Names and keys of the records references point to.
#[derive(Debug, Default)]
pub(crate) struct Refs {
    customer_names: HashMap<i64, String>,
    customer_ids: HashMap<String, i64>,
    /// Names exactly as stored (trimmed): most files spell them so, and
    /// this lookup needs no lower-casing (a million-row import makes it
    /// once per row).
    exact_names: HashMap<String, i64>,
    /// Names customers had before a rename (`None`: more than one had it),
    /// so a file exported before the rename still resolves.
    former_names: HashMap<String, Option<i64>>,
    field_keys: HashMap<i64, String>,
    field_ids: HashMap<String, i64>,
}

impl Refs {
    pub fn load(conn: &Connection) -> Result<Self> {
        let mut refs = Refs::default();
        let mut stmt = conn.prepare_cached("SELECT id, name FROM customers")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = row?;
            refs.customer_ids.insert(name.trim().to_lowercase(), id);
            refs.exact_names.insert(name.trim().to_owned(), id);
            refs.customer_names.insert(id, name);
        }
        let mut stmt = conn.prepare_cached(
            "SELECT record_id, old FROM changes
             WHERE tbl = 'customers' AND field = 'name' AND op = 'update' AND old IS NOT NULL",
        )?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = row?;
            let name = name.trim().to_lowercase();
            if refs.customer_ids.contains_key(&name) || !refs.customer_names.contains_key(&id) {
                continue;
            }
            let entry = refs.former_names.entry(name).or_insert(Some(id));
            if *entry != Some(id) {
                *entry = None;
            }
        }
        let mut stmt = conn.prepare_cached("SELECT id, key FROM fields")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (id, key) = row?;
            refs.field_ids.insert(key.to_lowercase(), id);
            refs.field_keys.insert(id, key);
        }
        Ok(refs)
    }

    /// The customer with this name now, or (unambiguously) before a rename.
    pub fn customer_id(&self, name: &str) -> Option<i64> {
        if let Some(id) = self.exact_names.get(name.trim()) {
            return Some(*id);
        }
        let name = name.trim().to_lowercase();
        self.customer_ids
            .get(&name)
            .copied()
            .or_else(|| self.former_names.get(&name).copied().flatten())
    }

    /// The id a reference cell names, or why it names none.
    pub fn resolve(
        &self,
        conn: &Connection,
        kind: RefKind,
        text: &str,
    ) -> Result<Result<i64, String>> {
        let text = text.trim();
        // Names are the common case: parse a key only when no name matched.
        let key = || RecordKey::parse(text);
        let found = match kind {
            RefKind::Customer => self.customer_id(text).or_else(|| {
                key()
                    .filter(|k| k.kind == RecordKind::Customer)
                    .map(|k| k.id)
                    .filter(|id| self.customer_names.contains_key(id))
            }),
            RefKind::Field => self
                .field_ids
                .get(&text.to_lowercase())
                .copied()
                .or_else(|| {
                    key()
                        .filter(|k| k.kind == RecordKind::Field)
                        .map(|k| k.id)
                        .filter(|id| self.field_keys.contains_key(id))
                }),
            RefKind::CheckIn | RefKind::Item => {
                let record = if kind == RefKind::CheckIn {
                    RecordKind::CheckIn
                } else {
                    RecordKind::Backlog
                };
                match key().filter(|k| k.kind == record) {
                    Some(k) if exists(conn, record.table(), k.id)? => Some(k.id),
                    _ => None,
                }
            }
        };
        Ok(found.ok_or_else(|| match kind {
            RefKind::Customer => format!("no customer named {text} (write the name or C-<n>)"),
            RefKind::Field => format!("no data field {text} (write its key)"),
            RefKind::CheckIn => format!("no check-in {text} (write K-<n>)"),
            RefKind::Item => format!("no backlog item {text} (write H-<n>)"),
        }))
    }

    /// A customer's name or a field's key, borrowed (`None` for other
    /// kinds, or an id that names nothing: use [`Refs::show`]).
    pub fn shown(&self, kind: RefKind, id: i64) -> Option<&str> {
        match kind {
            RefKind::Customer => self.customer_names.get(&id).map(String::as_str),
            RefKind::Field => self.field_keys.get(&id).map(String::as_str),
            RefKind::CheckIn | RefKind::Item => None,
        }
    }

    /// How a reference to `id` is written in a file.
    pub fn show(&self, kind: RefKind, id: i64) -> String {
        let fallback = |k: RecordKind| RecordKey::new(k, id).to_string();
        match kind {
            RefKind::Customer => self
                .customer_names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| fallback(RecordKind::Customer)),
            RefKind::Field => self
                .field_keys
                .get(&id)
                .cloned()
                .unwrap_or_else(|| fallback(RecordKind::Field)),
            RefKind::CheckIn => fallback(RecordKind::CheckIn),
            RefKind::Item => fallback(RecordKind::Backlog),
        }
    }
}

fn exists(conn: &Connection, table: &str, id: i64) -> Result<bool> {
    let mut stmt = conn.prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?;
    Ok(stmt.exists([id])?)
}

/// A record's cells in column order, as the sheet compares and writes them.
pub(crate) fn to_values(spec: &Spec, record: &Record, refs: &Refs) -> Vec<Value> {
    spec.cols
        .iter()
        .map(|col| match col.conv {
            Conv::Priority => match (record.int("impact"), record.int("uncertainty")) {
                (Some(i), Some(u)) => Value::Int(i * u),
                _ => Value::Null,
            },
            _ => to_value(col, record.get(&col.sql), refs),
        })
        .collect()
}

fn to_value(col: &Col, sql: &Sql, refs: &Refs) -> Value {
    match (&col.conv, sql) {
        (_, Sql::Null) => Value::Null,
        (Conv::Ref(kind), Sql::Integer(id)) => Value::Text(refs.show(*kind, *id)),
        (Conv::Stamp, Sql::Text(s)) => s
            .get(..10)
            .and_then(parse_iso)
            .map_or_else(|| Value::Text(s.clone()), Value::Date),
        (Conv::Date, Sql::Text(s)) => {
            parse_iso(s).map_or_else(|| Value::Text(s.clone()), Value::Date)
        }
        (Conv::Bool, Sql::Integer(i)) => Value::Bool(*i != 0),
        (Conv::Real | Conv::Percent, Sql::Integer(i)) => Value::Decimal(*i as f64),
        (_, Sql::Text(s)) => Value::Text(s.clone()),
        (_, Sql::Integer(i)) => Value::Int(*i),
        (_, Sql::Real(r)) => Value::Decimal(*r),
        (_, Sql::Blob(b)) => Value::Text(format!("<{} bytes>", b.len())),
    }
}

/// The SQL value a non-empty cell stores. References must already be
/// canonical (see `prepare`).
pub(crate) fn to_sql(
    conn: &Connection,
    col: &Col,
    value: &Value,
    refs: &Refs,
) -> Result<Result<Sql, String>> {
    Ok(Ok(match (&col.conv, value) {
        (Conv::Ref(kind), Value::Text(text)) => match refs.resolve(conn, *kind, text)? {
            Ok(id) => Sql::Integer(id),
            Err(reason) => return Ok(Err(reason)),
        },
        (Conv::Priority, _) => {
            return Ok(Err(
                "priority is impact × uncertainty; change those instead".to_owned(),
            ));
        }
        (Conv::Real | Conv::Percent, Value::Int(i)) => Sql::Real(*i as f64),
        // Noon UTC is the same calendar day almost everywhere.
        (Conv::Stamp, Value::Date(d)) => Sql::Text(format!("{d}T12:00:00Z")),
        (_, Value::Null) => Sql::Null,
        (_, Value::Text(s)) => Sql::Text(s.clone()),
        (_, Value::Int(i)) => Sql::Integer(*i),
        (_, Value::Decimal(d)) => Sql::Real(*d),
        (_, Value::Date(d)) => Sql::Text(d.to_string()),
        (_, Value::Bool(b)) => Sql::Integer(i64::from(*b)),
    }))
}

/// What an empty cell stores in `col`: `Ok(None)` when the importer fills
/// it in (derived), an error when the column cannot be cleared.
pub(crate) fn empty_sql(col: &Col, is_new: bool) -> Result<Option<Sql>, String> {
    match &col.empty {
        Empty::Default(value) if is_new => Ok(Some(value.clone())),
        Empty::Derived if is_new => Ok(None),
        _ if col.nullable => Ok(Some(Sql::Null)),
        _ if col.conv.is_text() => Ok(Some(Sql::Text(String::new()))),
        _ if is_new => Err("required".to_owned()),
        _ => Err("required; it cannot be cleared".to_owned()),
    }
}

/// Tags as the backlog form stores them: lower-case words, one space apart.
pub(crate) fn normalise_tags(text: &str) -> String {
    BacklogItem::parse_tags(text).join(" ")
}

/// Every id of a record kind, ascending.
pub(crate) fn all_ids(conn: &Connection, table: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT id FROM {table} ORDER BY id"))?;
    let ids = stmt.query_map(params_from_iter(std::iter::empty::<i64>()), |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Up to `limit` ids of a record kind after `after`, ascending.
pub(crate) fn all_ids_after(
    conn: &Connection,
    table: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id FROM {table} WHERE id > ?1 ORDER BY id LIMIT ?2"
    ))?;
    let ids = stmt.query_map([after, limit], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Every live-data field in display order, read through `conn` (which may
/// be an import's transaction that has just added some).
pub(crate) fn fields_in(conn: &Connection) -> Result<Vec<Field>> {
    crate::store::fields::fields_in(conn)
}
