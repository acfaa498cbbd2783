//! Values between the store and the sheet: a stored record as its SQL values,
//! each column converted to a typed [`Value`] and back, and references
//! (customers, check-ins, backlog items, fields) resolved both ways.

use crate::domain::dates::parse_iso;
use crate::domain::{BacklogItem, Field, RecordKey, RecordKind};
use crate::interchange::spec::{Col, Conv, Empty, RefKind, Spec};
use crate::sheet::Value;
use crate::store::Result;
use crate::store::StoredValue as Sql;
use crate::store::changelog::Logged;
use crate::store::db::{Db, args};
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
pub(crate) fn load(db: &Db, spec: &Spec, id: i64) -> Result<Option<Record>> {
    let names: Vec<String> = spec.sql_columns().into_iter().map(str::to_owned).collect();
    let sql = format!(
        "SELECT id, rev{}{} FROM {} WHERE id = ?1",
        if names.is_empty() { "" } else { ", " },
        names.join(", "),
        spec.record.table()
    );
    db.query_opt(&sql, args![id], |r| record_from(r, &names))
}

/// A row of `SELECT id, rev, <names…>` as a [`Record`].
pub(crate) fn record_from(r: &crate::store::db::Row<'_>, names: &[String]) -> Result<Record> {
    let mut values = Vec::with_capacity(names.len());
    for i in 0..names.len() {
        values.push(r.get::<Sql>(i + 2)?);
    }
    Ok(Record {
        id: r.get(0)?,
        rev: r.get(1)?,
        names: names.to_vec(),
        values,
    })
}

/// The record as it was at `rev`: its current values with every change
/// logged after `rev` reverted, newest first. `None` when the record was
/// created (or re-created) after `rev`.
pub(crate) fn at_rev(db: &Db, mut record: Record, table: &str, rev: i64) -> Result<Option<Record>> {
    // Records start at rev 1 (or later): none existed "at rev 0". This also
    // covers records whose creation is logged as a range (no per-record row).
    if rev < 1 {
        return Ok(None);
    }
    let sql = format!(
        "SELECT op, field, {} FROM changes
         WHERE tbl = ?1 AND record_id = ?2 AND rev > ?3 ORDER BY id DESC",
        Logged::column(db.dialect(), "old")
    );
    let changes = db.query_map(&sql, args![table, record.id, rev], |r| {
        Ok((
            r.get::<String>(0)?,
            r.get::<String>(1)?,
            r.get::<Logged>(2)?.0,
        ))
    })?;
    for (op, field, old) in changes {
        if op != "update" {
            return Ok(None);
        }
        if record.names.contains(&field) {
            record.set(&field, old);
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
    pub fn load(db: &Db) -> Result<Self> {
        let mut refs = Refs::default();
        db.for_each("SELECT id, name FROM customers", args![], |r| {
            let (id, name): (i64, String) = (r.get(0)?, r.get(1)?);
            refs.customer_ids.insert(name.trim().to_lowercase(), id);
            refs.exact_names.insert(name.trim().to_owned(), id);
            refs.customer_names.insert(id, name);
            Ok(())
        })?;
        let sql = format!(
            "SELECT record_id, {} FROM changes
             WHERE tbl = 'customers' AND field = 'name' AND op = 'update' AND old IS NOT NULL",
            Logged::column(db.dialect(), "old")
        );
        db.for_each(&sql, args![], |r| {
            let (id, Logged(Sql::Text(name))) = (r.get::<i64>(0)?, r.get::<Logged>(1)?) else {
                return Ok(());
            };
            let name = name.trim().to_lowercase();
            if refs.customer_ids.contains_key(&name) || !refs.customer_names.contains_key(&id) {
                return Ok(());
            }
            let entry = refs.former_names.entry(name).or_insert(Some(id));
            if *entry != Some(id) {
                *entry = None;
            }
            Ok(())
        })?;
        db.for_each("SELECT id, key FROM fields", args![], |r| {
            let (id, key): (i64, String) = (r.get(0)?, r.get(1)?);
            refs.field_ids.insert(key.to_lowercase(), id);
            refs.field_keys.insert(id, key);
            Ok(())
        })?;
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
    pub fn resolve(&self, db: &Db, kind: RefKind, text: &str) -> Result<Result<i64, String>> {
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
                    Some(k) if exists(db, record.table(), k.id)? => Some(k.id),
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

fn exists(db: &Db, table: &str, id: i64) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {table} WHERE id = ?1");
    Ok(db.query_opt(&sql, args![id], |_| Ok(()))?.is_some())
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
    db: &Db,
    col: &Col,
    value: &Value,
    refs: &Refs,
) -> Result<Result<Sql, String>> {
    Ok(Ok(match (&col.conv, value) {
        (Conv::Ref(kind), Value::Text(text)) => match refs.resolve(db, *kind, text)? {
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
pub(crate) fn all_ids(db: &Db, table: &str) -> Result<Vec<i64>> {
    db.query_map(
        &format!("SELECT id FROM {table} ORDER BY id"),
        args![],
        |r| r.get(0),
    )
}

/// Up to `limit` ids of a record kind after `after`, ascending.
pub(crate) fn all_ids_after(db: &Db, table: &str, after: i64, limit: i64) -> Result<Vec<i64>> {
    db.query_map(
        &format!("SELECT id FROM {table} WHERE id > ?1 ORDER BY id LIMIT ?2"),
        args![after, limit],
        |r| r.get(0),
    )
}

/// Every live-data field in display order, read through `db` (which may
/// be inside an import's transaction that has just added some).
pub(crate) fn fields_in(db: &Db) -> Result<Vec<Field>> {
    crate::store::fields::fields_in(db)
}
