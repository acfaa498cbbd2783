//! What the weekly review reads, as plain data, and recording a finished
//! review (`R-`). The computation itself lives in `crate::review`; this file
//! only runs the queries, so the review pane and the report never touch SQL.

mod facts;

use super::db::args;
use super::values::{row, text};
use super::{Result, Store, StoreError};
use crate::domain::entry::CellValue;
use crate::domain::{
    BacklogItem, Batch, Customer, FollowUp, Meta, RecordKey, RecordKind, Stance, Strength,
};
use chrono::{NaiveDate, Weekday};

/// A check-in as the review counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInFact {
    pub id: i64,
    pub customer_id: i64,
    pub occurred_on: NaiveDate,
    pub effort_minutes: Option<i64>,
}

/// An evidence link as the review weighs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFact {
    pub item_id: i64,
    pub stance: Stance,
    pub strength: Strength,
    /// The UTC day the link was made.
    pub created_on: NaiveDate,
}

/// One live-data entry: `(field id, value)` for each field it has a value for.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryFact {
    pub customer_id: i64,
    pub recorded_on: NaiveDate,
    pub values: Vec<(i64, CellValue)>,
}

/// One logged value of a field the review follows through time (a
/// customer's `stage`, an item's `status` and `status_since`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedValue {
    pub record: RecordKey,
    pub field: String,
    pub batch: i64,
    /// The UTC day of the batch.
    pub day: NaiveDate,
    /// `None` when the record did not exist before (a create).
    pub old: Option<String>,
    /// `None` when the record was deleted.
    pub new: Option<String>,
}

/// A recorded weekly review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRecord {
    pub id: i64,
    /// `2026-W47`.
    pub week: String,
    /// When it was finished (UTC, RFC 3339).
    pub held_at: String,
    pub attendees: String,
    pub notes: String,
    /// The batch that recorded it: "since the last review" starts after it.
    pub batch: Option<i64>,
    pub meta: Meta,
}

/// How many records of one kind a stretch of batches touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindCount {
    pub kind: RecordKind,
    pub created: i64,
    pub updated: i64,
    pub deleted: i64,
}

/// The change log after a batch, up to a day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangesSince {
    pub batches: i64,
    /// The newest batches, newest first.
    pub recent: Vec<Batch>,
    pub kinds: Vec<KindCount>,
}

/// Everything one weekly review reads. Customers, items, follow-ups,
/// fields and evidence are the workspace's current records; check-ins and
/// entries are those dated within the window read; `last_checkins` holds
/// each customer's newest check-in before that window.
#[derive(Debug, Clone, Default)]
pub struct ReviewData {
    pub workspace: String,
    pub customers: Vec<Customer>,
    pub items: Vec<BacklogItem>,
    pub followups: Vec<FollowUp>,
    pub fields: Vec<crate::domain::Field>,
    pub checkins: Vec<CheckInFact>,
    pub last_checkins: Vec<(i64, NaiveDate)>,
    pub evidence: Vec<EvidenceFact>,
    pub entries: Vec<EntryFact>,
    pub history: Vec<LoggedValue>,
    pub reviews: Vec<ReviewRecord>,
    /// Filled by the caller once it knows which review came last.
    pub since: Option<ChangesSince>,
}

/// The `meta` key of the week's start day.
const WEEK_START: &str = "week_start";

impl Store {
    /// The records and facts a review of the days `from..=to` needs.
    pub fn review_data(&self, from: NaiveDate, to: NaiveDate) -> Result<ReviewData> {
        let ids =
            |sql: &str| -> Result<Vec<i64>> { self.db().query_map(sql, args![], |r| r.get(0)) };
        let customers = ids("SELECT id FROM customers ORDER BY id")?
            .into_iter()
            .map(|id| self.customer(id))
            .collect::<Result<_>>()?;
        let items = ids("SELECT id FROM backlog_items ORDER BY id")?
            .into_iter()
            .map(|id| self.backlog_item(id))
            .collect::<Result<_>>()?;
        let followups = ids("SELECT id FROM followups ORDER BY id")?
            .into_iter()
            .map(|id| self.followup(id))
            .collect::<Result<_>>()?;
        Ok(ReviewData {
            workspace: self.name(),
            customers,
            items,
            followups,
            fields: self.fields()?,
            checkins: self.checkin_facts(from, to)?,
            last_checkins: self.last_checkins_before(from)?,
            evidence: self.evidence_facts(to)?,
            entries: self.entry_facts(from, to)?,
            history: self.followed_history(to)?,
            reviews: self.reviews()?,
            since: None,
        })
    }
    /// Every recorded review, oldest first.
    pub fn reviews(&self) -> Result<Vec<ReviewRecord>> {
        self.db().query_map(
            "SELECT r.id, r.week, r.held_at, r.attendees, r.notes,
                    (SELECT max(batch_id) FROM changes
                     WHERE tbl = 'reviews' AND record_id = r.id AND op = 'create'),
                    r.created_at, r.updated_at, r.rev
             FROM reviews r ORDER BY r.id",
            args![],
            |r| {
                Ok(ReviewRecord {
                    id: r.get(0)?,
                    week: r.get(1)?,
                    held_at: r.get(2)?,
                    attendees: r.get(3)?,
                    notes: r.get(4)?,
                    batch: r.get(5)?,
                    meta: Meta {
                        created_at: r.get(6)?,
                        updated_at: r.get(7)?,
                        rev: r.get(8)?,
                    },
                })
            },
        )
    }

    /// Records a finished review of `week` (`2026-W47`) as one batch;
    /// returns (review id, batch).
    pub fn record_review(
        &mut self,
        week: &str,
        attendees: &str,
        notes: &str,
    ) -> Result<(i64, Option<i64>)> {
        let week = week.trim().to_ascii_uppercase();
        if !is_week_label(&week) {
            let mut errors = crate::domain::Invalid::default();
            errors.push("week", "write it as YYYY-Www, e.g. 2026-W47");
            return Err(errors.into());
        }
        let attendees = attendees
            .split([',', '\n'])
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let (batch, id) = self.write(&format!("record review {week}"), |w| {
            let held_at = w.now().to_string();
            w.insert(
                RecordKind::Review,
                &row(vec![
                    ("week", text(&week)),
                    ("held_at", text(&held_at)),
                    ("attendees", text(&attendees)),
                    ("notes", text(notes)),
                ]),
            )
        })?;
        Ok((id, batch))
    }

    /// The change log after `batch` up to the day `until`: how many
    /// batches, the newest `limit` of them, and the records touched per kind.
    pub fn changes_since(
        &self,
        batch: i64,
        until: NaiveDate,
        limit: usize,
    ) -> Result<ChangesSince> {
        let until = until.to_string();
        let db = self.db();
        let batches: i64 = db.value(
            "SELECT count(*) FROM batches WHERE id > ?1 AND substr(at, 1, 10) <= ?2",
            args![batch, until],
        )?;
        let sql = format!(
            "SELECT {} FROM batches WHERE id > ?1 AND substr(at, 1, 10) <= ?2
             ORDER BY id DESC LIMIT ?3",
            super::undo::batch_columns(db.dialect())
        );
        let recent = db.query_map(
            &sql,
            args![batch, until, limit],
            super::undo::batch_from_row,
        )?;
        let count = format!(
            "count(DISTINCT c.record_id)
                    + coalesce(sum(CASE WHEN c.field = '*range' THEN {} - c.record_id END), 0)",
            db.dialect().integer("c.new")
        );
        let sql = format!(
            "SELECT c.tbl, c.op, {}
             FROM changes c JOIN batches b ON b.id = c.batch_id
             WHERE b.id > ?1 AND substr(b.at, 1, 10) <= ?2
             GROUP BY c.tbl, c.op",
            db.dialect().integer(&count)
        );
        let rows = db.query_map(&sql, args![batch, until], |r| {
            Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<i64>(2)?))
        })?;
        let mut kinds: Vec<KindCount> = Vec::new();
        for (table, op, count) in rows {
            let Some(kind) = RecordKind::from_table(&table) else {
                continue;
            };
            let at = if let Some(i) = kinds.iter().position(|k| k.kind == kind) {
                i
            } else {
                kinds.push(KindCount {
                    kind,
                    created: 0,
                    updated: 0,
                    deleted: 0,
                });
                kinds.len() - 1
            };
            let slot = &mut kinds[at];
            match op.as_str() {
                "create" => slot.created += count,
                "delete" => slot.deleted += count,
                _ => slot.updated += count,
            }
        }
        kinds.sort_by_key(|k| RecordKind::ALL.iter().position(|a| *a == k.kind));
        Ok(ChangesSince {
            batches,
            recent,
            kinds,
        })
    }

    /// The day weeks start on in this workspace (Monday unless set).
    pub fn week_start(&self) -> Result<Weekday> {
        let stored: Option<String> = self.db().query_opt(
            "SELECT value FROM meta WHERE key = ?1",
            args![WEEK_START],
            |r| r.get(0),
        )?;
        Ok(stored
            .and_then(|s| s.trim().parse::<Weekday>().ok())
            .unwrap_or(Weekday::Mon))
    }

    /// Sets the day weeks start on. A workspace setting, not a record: it
    /// is written in its own transaction but not to the change log.
    pub fn set_week_start(&mut self, day: Weekday) -> Result<()> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        self.db().execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            args![WEEK_START, crate::review::week::day_name(day)],
        )?;
        self.commits.set(self.commits.get() + 1);
        Ok(())
    }
}

/// `2026-W47`: four digits, `-W`, two digits.
fn is_week_label(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 8
        && b[..4].iter().all(u8::is_ascii_digit)
        && &b[4..6] == b"-W"
        && b[6..].iter().all(u8::is_ascii_digit)
}
