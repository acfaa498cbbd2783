//! Check-ins in the store.

use super::db::{Row as DbRow, args};
use super::values::{Row, by_ids, int, opt_int, row, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::dates::parse_iso;
use crate::domain::{CheckIn, CheckInKind, Meta, RecordKey, RecordKind};

/// A check-in with its customer's name and link counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInRow {
    pub checkin: CheckIn,
    pub customer: String,
    pub evidence_count: i64,
}

const COLUMNS: &str = "k.id, k.customer_id, k.occurred_on, k.kind, k.author, k.summary, k.notes,
    k.health, k.effort_minutes, k.created_at, k.updated_at, k.rev, c.name,
    (SELECT count(*) FROM evidence e WHERE e.checkin_id = k.id)";

fn from_row(r: &DbRow<'_>) -> Result<CheckInRow> {
    Ok(CheckInRow {
        checkin: CheckIn {
            id: r.get(0)?,
            customer_id: r.get(1)?,
            occurred_on: parse_iso(&r.get::<String>(2)?).unwrap_or_default(),
            kind: CheckInKind::parse(&r.get::<String>(3)?).unwrap_or(CheckInKind::Call),
            author: r.get(4)?,
            summary: r.get(5)?,
            notes: r.get(6)?,
            health: r.get(7)?,
            effort_minutes: r.get(8)?,
            meta: Meta {
                created_at: r.get(9)?,
                updated_at: r.get(10)?,
                rev: r.get(11)?,
            },
        },
        customer: r.get(12)?,
        evidence_count: r.get(13)?,
    })
}

fn to_row(k: &CheckIn) -> Row {
    row(vec![
        ("customer_id", int(k.customer_id)),
        ("occurred_on", text(&k.occurred_on.to_string())),
        ("kind", text(k.kind.as_str())),
        ("author", text(k.author.trim())),
        ("summary", text(k.summary.trim())),
        ("notes", text(&k.notes)),
        ("health", opt_int(k.health)),
        ("effort_minutes", opt_int(k.effort_minutes)),
    ])
}

impl Writer<'_> {
    pub fn save_checkin(&mut self, k: &CheckIn) -> Result<i64> {
        k.validate()?;
        if k.id == 0 {
            self.insert(RecordKind::CheckIn, &to_row(k))
        } else {
            self.update(RecordKind::CheckIn, k.id, Some(k.meta.rev), &to_row(k))?;
            Ok(k.id)
        }
    }
}

impl Store {
    pub fn checkin(&self, id: i64) -> Result<CheckInRow> {
        self.db()
            .query_opt(
                &format!("SELECT {COLUMNS} FROM checkins k JOIN customers c ON c.id = k.customer_id WHERE k.id = ?1"),
                args![id],
                from_row,
            )?
            .ok_or(StoreError::NotFound(RecordKey::new(RecordKind::CheckIn, id)))
    }

    pub fn checkin_rows(&self, ids: &[i64]) -> Result<Vec<CheckInRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM checkins k JOIN customers c ON c.id = k.customer_id
              WHERE k.id IN ({{ids}})"
        );
        by_ids(self.db(), &sql, args![], ids, |r| {
            let row = from_row(r)?;
            Ok((row.checkin.id, row))
        })
    }

    /// A customer's check-ins, newest first (the customer's timeline).
    pub fn checkins_of(&self, customer_id: i64, limit: usize) -> Result<Vec<CheckInRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM checkins k JOIN customers c ON c.id = k.customer_id
             WHERE k.customer_id = ?1 ORDER BY k.occurred_on DESC, k.id DESC LIMIT ?2"
        );
        self.db()
            .query_map(&sql, args![customer_id, limit], from_row)
    }

    /// `(id, "K-41 2026-11-18 Halvorsen · summary", notes)` of the newest
    /// `limit` check-ins, for pickers and mention suggestions.
    pub fn checkin_titles(&self, limit: usize) -> Result<Vec<(i64, String, String)>> {
        self.db().query_map(
            "SELECT k.id, 'K-' || k.id || ' ' || k.occurred_on || ' ' || c.name || ' · ' || k.summary, k.notes
             FROM checkins k JOIN customers c ON c.id = k.customer_id
             ORDER BY k.occurred_on DESC, k.id DESC LIMIT ?1",
            args![limit],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    /// Check-ins dated after today (planned).
    pub fn planned_checkin_count(&self) -> Result<i64> {
        self.db().value(
            "SELECT count(*) FROM checkins WHERE occurred_on > ?1",
            args![self.clock.today()],
        )
    }

    pub fn save_checkin(&mut self, k: &CheckIn) -> Result<(i64, Option<i64>)> {
        let label = if k.id == 0 {
            "log check-in".to_string()
        } else {
            format!("edit {}", RecordKey::new(RecordKind::CheckIn, k.id))
        };
        let (batch, id) = self.write(&label, |w| w.save_checkin(k))?;
        Ok((id, batch))
    }

    /// Deletes a check-in with its evidence links; follow-ups made from it
    /// stay on the customer (their link to the check-in is cleared).
    pub fn delete_checkin(&mut self, id: i64, expected_rev: i64) -> Result<Option<i64>> {
        let key = RecordKey::new(RecordKind::CheckIn, id);
        let links = self.ids_where("evidence", "checkin_id", id)?;
        let followups = self.ids_where("followups", "checkin_id", id)?;
        let (batch, ()) = self.write(&format!("delete {key}"), |w| {
            for link in links {
                w.delete(RecordKind::Evidence, link, None)?;
            }
            for f in followups {
                w.update(
                    RecordKind::FollowUp,
                    f,
                    None,
                    &row(vec![("checkin_id", rusqlite::types::Value::Null)]),
                )?;
            }
            w.delete(RecordKind::CheckIn, id, Some(expected_rev))
        })?;
        Ok(batch)
    }

    pub(super) fn ids_where(&self, table: &str, column: &str, id: i64) -> Result<Vec<i64>> {
        self.db().query_map(
            &format!("SELECT id FROM {table} WHERE {column} = ?1 ORDER BY id"),
            args![id],
            |r| r.get(0),
        )
    }
}
