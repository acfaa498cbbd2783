//! Follow-ups in the store.

use super::db::{Row as DbRow, args};
use super::values::{Row, int, opt_int, opt_text, row, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::dates::parse_iso;
use crate::domain::{FollowUp, Meta, RecordKind};

/// A follow-up with its customer's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRow {
    pub followup: FollowUp,
    pub customer: String,
}

const SELECT: &str = "SELECT f.id, f.customer_id, f.checkin_id, f.text, f.owner, f.due_on,
        f.done_at, f.created_at, f.updated_at, f.rev, c.name
    FROM followups f JOIN customers c ON c.id = f.customer_id";

fn from_row(r: &DbRow<'_>) -> Result<FollowUpRow> {
    Ok(FollowUpRow {
        followup: FollowUp {
            id: r.get(0)?,
            customer_id: r.get(1)?,
            checkin_id: r.get(2)?,
            text: r.get(3)?,
            owner: r.get(4)?,
            due_on: r.get::<Option<String>>(5)?.and_then(|d| parse_iso(&d)),
            done_at: r.get(6)?,
            meta: Meta {
                created_at: r.get(7)?,
                updated_at: r.get(8)?,
                rev: r.get(9)?,
            },
        },
        customer: r.get(10)?,
    })
}

fn to_row(f: &FollowUp) -> Row {
    row(vec![
        ("customer_id", int(f.customer_id)),
        ("checkin_id", opt_int(f.checkin_id)),
        ("text", text(f.text.trim())),
        ("owner", text(f.owner.trim())),
        ("due_on", opt_text(f.due_on)),
        ("done_at", opt_text(f.done_at.as_deref())),
    ])
}

impl Writer<'_> {
    pub fn save_followup(&mut self, f: &FollowUp) -> Result<i64> {
        f.validate()?;
        if f.id == 0 {
            self.insert(RecordKind::FollowUp, &to_row(f))
        } else {
            self.update(RecordKind::FollowUp, f.id, Some(f.meta.rev), &to_row(f))?;
            Ok(f.id)
        }
    }
}

impl Store {
    /// A customer's follow-ups: open ones first (by due date), then done.
    pub fn followups_of(&self, customer_id: i64) -> Result<Vec<FollowUpRow>> {
        let sql = format!(
            "{SELECT} WHERE f.customer_id = ?1
             ORDER BY f.done_at IS NOT NULL, f.due_on IS NULL, f.due_on, f.id"
        );
        self.db().query_map(&sql, args![customer_id], from_row)
    }

    /// Follow-ups made from a check-in.
    pub fn followups_of_checkin(&self, checkin_id: i64) -> Result<Vec<FollowUpRow>> {
        let sql = format!("{SELECT} WHERE f.checkin_id = ?1 ORDER BY f.id");
        self.db().query_map(&sql, args![checkin_id], from_row)
    }

    pub fn followup_row(&self, id: i64) -> Result<FollowUpRow> {
        self.db()
            .query_opt(&format!("{SELECT} WHERE f.id = ?1"), args![id], from_row)?
            .ok_or(StoreError::NotFound(crate::domain::RecordKey::new(
                RecordKind::FollowUp,
                id,
            )))
    }

    pub fn save_followup(&mut self, f: &FollowUp) -> Result<(i64, Option<i64>)> {
        let label = if f.id == 0 {
            "add follow-up".to_string()
        } else {
            format!("edit F-{}", f.id)
        };
        let (batch, id) = self.write(&label, |w| w.save_followup(f))?;
        Ok((id, batch))
    }

    /// Marks a follow-up done (now) or open again, as one batch.
    pub fn toggle_followup(&mut self, id: i64, expected_rev: i64) -> Result<(bool, Option<i64>)> {
        let mut f = self.followup_row(id)?.followup;
        f.meta.rev = expected_rev;
        let done = f.done_at.is_none();
        f.done_at = done.then(|| self.clock.stamp());
        let label = format!("F-{id} {}", if done { "done" } else { "reopened" });
        let (batch, _) = self.write(&label, |w| w.save_followup(&f))?;
        Ok((done, batch))
    }
}
