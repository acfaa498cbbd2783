//! The change-log writer: every insert, update and delete of a record goes
//! through here inside the batch's transaction, and leaves one change row
//! per field (actor and time are on the batch) — or, for records created or
//! deleted in bulk, one packed row per record (`packed.rs`).

pub mod packed;

mod logged;

pub(crate) use logged::Logged;

use super::db::{Arg, Db, IntoArg, args};
use super::engine::WriteTx;
use super::values::{Row, same};
use super::{Result, StoreError};
use crate::domain::{Kinds, RecordKey, RecordKind};
use chrono::NaiveDate;
use rusqlite::types::Value;

/// Writes records and their change rows within one batch.
pub struct Writer<'a> {
    tx: &'a WriteTx<'a>,
    batch: i64,
    now: String,
    /// `now` in Unix seconds, for the records stored with compact stamps.
    now_secs: Option<i64>,
    today: NaiveDate,
    changes: usize,
    /// The kinds of record this write changed.
    touched: Kinds,
}

impl<'a> Writer<'a> {
    pub(super) fn begin(
        tx: &'a WriteTx<'a>,
        actor: &str,
        at: &str,
        label: &str,
        today: NaiveDate,
        undoes: Option<i64>,
    ) -> Result<Self> {
        let batch = tx.db().value(
            "INSERT INTO batches (actor, at, label, undoes) VALUES (?1, ?2, ?3, ?4) RETURNING id",
            args![actor, at, label, undoes],
        )?;
        Ok(Self::resume(tx, batch, at, today))
    }

    /// Adds this write's changes to `batch`, which an earlier write of the
    /// same user action opened (a row or a week entered cell by cell).
    pub(super) fn resume(tx: &'a WriteTx<'a>, batch: i64, at: &str, today: NaiveDate) -> Self {
        Self {
            tx,
            batch,
            now: at.to_string(),
            now_secs: chrono::DateTime::parse_from_rfc3339(at)
                .ok()
                .map(|t| t.timestamp()),
            today,
            changes: 0,
            touched: Kinds::NONE,
        }
    }

    /// The batch when this write changed anything, and what kinds of
    /// record it changed; `None` otherwise, and the caller rolls its
    /// transaction back (a new batch's row goes with it; a resumed batch
    /// keeps the earlier writes' changes).
    pub(super) fn finish(self) -> (Option<i64>, Kinds) {
        // Nothing changed: the caller rolls the transaction back, batch row
        // and all (on a server the change log cannot be deleted from).
        if self.changes == 0 {
            return (None, Kinds::NONE);
        }
        (Some(self.batch), self.touched)
    }

    /// Counts one change row of `kind`.
    fn logged(&mut self, kind: RecordKind) {
        self.changes += 1;
        self.touched.add(kind);
    }

    pub fn batch(&self) -> i64 {
        self.batch
    }

    /// The batch's time, as stored on records.
    pub fn now(&self) -> &str {
        &self.now
    }

    /// The batch's time as `kind`'s `created_at`/`updated_at` store it.
    /// Entries keep Unix seconds (4 bytes instead of 20 of text, a fifth
    /// of an imported row; nothing shows an entry's stamps, and a
    /// million-row import writes them a million times: BENCHMARKS.md);
    /// every other record keeps RFC 3339 text.
    pub fn stamp(&self, kind: RecordKind) -> Value {
        match (kind, self.now_secs) {
            (RecordKind::Entry, Some(secs)) => Value::Integer(secs),
            _ => Value::Text(self.now.clone()),
        }
    }

    /// The user's calendar day when the batch was written.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// The batch's transaction, to read and write within it.
    pub(crate) fn db(&self) -> &'a Db {
        self.tx.db()
    }

    /// Inserts a record and logs every given field as created.
    pub fn insert(&mut self, kind: RecordKind, row: &Row) -> Result<i64> {
        self.insert_row(kind, None, row, 1, false)
    }

    /// Re-inserts a deleted record under its old id (undo of a delete).
    pub(super) fn restore(
        &mut self,
        kind: RecordKind,
        id: i64,
        row: &Row,
        rev: i64,
    ) -> Result<i64> {
        self.insert_row(kind, Some(id), row, rev, false)
    }

    /// [`Writer::insert`] (or, with `id`, a restore) logged as one packed
    /// change row: what imports use for new records.
    pub fn insert_packed(
        &mut self,
        kind: RecordKind,
        id: Option<i64>,
        row: &Row,
        rev: i64,
    ) -> Result<i64> {
        self.insert_row(kind, id, row, rev, true)
    }

    /// Logs a record just inserted by the caller's own statement as one
    /// packed create (`packed` from [`packed::pack`]); for bulk inserts
    /// that prepare their statement once.
    pub fn log_packed_create(
        &mut self,
        kind: RecordKind,
        id: i64,
        packed: &str,
        rev: i64,
    ) -> Result<()> {
        let packed = Value::Text(packed.to_owned());
        self.log(kind, id, "create", "*", &Value::Null, &packed, rev)
    }

    /// Logs records `first..=last` of `kind`, just inserted by the caller
    /// at rev 1, as one range row (see [`packed::RANGE`]).
    pub fn log_created_range(&mut self, kind: RecordKind, first: i64, last: i64) -> Result<()> {
        self.log(
            kind,
            first,
            "create",
            packed::RANGE,
            &Value::Null,
            &Value::Integer(last),
            1,
        )
    }

    fn insert_row(
        &mut self,
        kind: RecordKind,
        id: Option<i64>,
        row: &Row,
        rev: i64,
        pack: bool,
    ) -> Result<i64> {
        let mut cols: Vec<&str> = row.iter().map(|(c, _)| c.as_str()).collect();
        let mut vals: Vec<Value> = row.iter().map(|(_, v)| v.clone()).collect();
        for (col, val) in [
            ("created_at", self.stamp(kind)),
            ("updated_at", self.stamp(kind)),
            ("rev", Value::Integer(rev)),
        ] {
            if !cols.contains(&col) {
                cols.push(col);
                vals.push(val);
            }
        }
        if let Some(id) = id {
            cols.push("id");
            vals.push(Value::Integer(id));
        }
        let marks = vec!["?"; cols.len()].join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({marks}) RETURNING id",
            kind.table(),
            cols.join(", ")
        );
        let vals: Vec<Arg<'_>> = vals.iter().map(IntoArg::arg).collect();
        let id = self.db().value(&sql, &vals)?;
        if pack {
            let text = packed::pack(row.iter().map(|(c, v)| (c.as_str(), v)));
            self.log_packed_create(kind, id, &text, rev)?;
            return Ok(id);
        }
        for (col, val) in row {
            self.log(kind, id, "create", col, &Value::Null, val, rev)?;
        }
        Ok(id)
    }

    /// Sets the given fields of a record. `expected_rev` guards against
    /// overwriting someone else's change; `None` skips that guard (undo,
    /// which checks values instead). Logs only fields whose value really
    /// changes and bumps `rev` only then. Returns whether anything changed.
    pub fn update(
        &mut self,
        kind: RecordKind,
        id: i64,
        expected_rev: Option<i64>,
        row: &Row,
    ) -> Result<bool> {
        let key = RecordKey::new(kind, id);
        let columns: Vec<String> = row.iter().map(|(c, _)| c.clone()).collect();
        let (current, rev) = self
            .current(kind, id, &columns)?
            .ok_or(StoreError::NotFound(key))?;
        guard_rev(key, expected_rev, rev)?;
        let changed: Vec<(&String, &Value, &Value)> = row
            .iter()
            .zip(&current)
            .filter(|((_, new), old)| !same(old, new))
            .map(|((col, new), old)| (col, old, new))
            .collect();
        if changed.is_empty() {
            return Ok(false);
        }
        let sets: Vec<String> = changed.iter().map(|(c, _, _)| format!("{c} = ?")).collect();
        let sql = format!(
            "UPDATE {} SET {}, updated_at = ?, rev = rev + 1 WHERE id = ? AND rev = ?",
            kind.table(),
            sets.join(", ")
        );
        let stamp = self.stamp(kind);
        let mut vals: Vec<Arg<'_>> = changed.iter().map(|(_, _, new)| new.arg()).collect();
        vals.extend([stamp.arg(), Arg::Int(id), Arg::Int(rev)]);
        if self.db().execute(&sql, &vals)? == 0 {
            return Err(StoreError::Conflict {
                record: key,
                expected: rev,
                actual: rev + 1,
            });
        }
        for (col, old, new) in changed {
            self.log(kind, id, "update", col, old, new, rev + 1)?;
        }
        Ok(true)
    }

    /// Deletes a record, logging every column's last value so undo can
    /// bring it back exactly.
    pub fn delete(&mut self, kind: RecordKind, id: i64, expected_rev: Option<i64>) -> Result<()> {
        self.delete_row(kind, id, expected_rev, false)
    }

    /// [`Writer::delete`] logged as one packed change row (undo of a bulk
    /// create).
    pub fn delete_packed(
        &mut self,
        kind: RecordKind,
        id: i64,
        expected_rev: Option<i64>,
    ) -> Result<()> {
        self.delete_row(kind, id, expected_rev, true)
    }

    fn delete_row(
        &mut self,
        kind: RecordKind,
        id: i64,
        expected_rev: Option<i64>,
        pack: bool,
    ) -> Result<()> {
        let key = RecordKey::new(kind, id);
        let columns = super::values::columns_of(self.db(), kind.table())?;
        let (current, rev) = self
            .current(kind, id, &columns)?
            .ok_or(StoreError::NotFound(key))?;
        guard_rev(key, expected_rev, rev)?;
        self.db().execute(
            &format!("DELETE FROM {} WHERE id = ?1", kind.table()),
            args![id],
        )?;
        if pack {
            let kept = columns
                .iter()
                .zip(&current)
                .filter(|(c, _)| !matches!(c.as_str(), "created_at" | "updated_at" | "rev"))
                .map(|(c, v)| (c.as_str(), v));
            let text = Value::Text(packed::pack(kept));
            return self.log(kind, id, "delete", "*", &text, &Value::Null, rev);
        }
        for (col, old) in columns.iter().zip(&current) {
            if matches!(col.as_str(), "created_at" | "updated_at" | "rev") {
                continue;
            }
            self.log(kind, id, "delete", col, old, &Value::Null, rev)?;
        }
        Ok(())
    }

    /// The current values of `columns` and the rev, or `None` if missing.
    pub(super) fn current(
        &self,
        kind: RecordKind,
        id: i64,
        columns: &[String],
    ) -> Result<Option<(Vec<Value>, i64)>> {
        let list = if columns.is_empty() {
            "rev".to_string()
        } else {
            format!("{}, rev", columns.join(", "))
        };
        let sql = format!("SELECT {list} FROM {} WHERE id = ?1", kind.table());
        self.db().query_opt(&sql, args![id], |row| {
            let mut values = Vec::with_capacity(columns.len());
            for i in 0..columns.len() {
                values.push(row.get::<Value>(i)?);
            }
            Ok((values, row.get(columns.len())?))
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn log(
        &mut self,
        kind: RecordKind,
        id: i64,
        op: &str,
        field: &str,
        old: &Value,
        new: &Value,
        rev: i64,
    ) -> Result<()> {
        logged::insert(
            self.db(),
            (self.batch, kind.table(), id, op, field),
            old,
            new,
            rev,
        )?;
        self.logged(kind);
        Ok(())
    }
}

/// Whether `batch` can take more changes from `actor`: it exists, is
/// theirs, is not an undo, nothing undid it, and they wrote nothing since.
pub(super) fn open_for(db: &Db, batch: i64, actor: &str) -> Result<bool> {
    db.value(
        "SELECT EXISTS (SELECT 1 FROM batches b WHERE b.id = ?1 AND b.actor = ?2
             AND b.undoes IS NULL
             AND NOT EXISTS (SELECT 1 FROM batches u WHERE u.undoes = b.id)
             AND NOT EXISTS (SELECT 1 FROM batches l WHERE l.id > b.id AND l.actor = ?2))",
        args![batch, actor],
    )
}

/// A conflict when the caller saw another rev than the stored one.
fn guard_rev(key: RecordKey, expected: Option<i64>, actual: i64) -> Result<()> {
    match expected {
        Some(expected) if expected != actual => Err(StoreError::Conflict {
            record: key,
            expected,
            actual,
        }),
        _ => Ok(()),
    }
}
