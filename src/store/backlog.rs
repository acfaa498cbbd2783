//! Backlog items in the store: rows for lists, save with validation and a
//! rev guard, status changes through the state machine, delete with its
//! evidence.

use super::db::{Row as DbRow, args};
use super::values::{Row, by_ids, for_ids, int, opt_int, opt_text, row, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::backlog::{TransitionInput, transition};
use crate::domain::evidence::tally;
use crate::domain::{
    BacklogItem, Category, Decision, ItemKind, Meta, RecordKey, RecordKind, Stance, Status,
    Strength,
};

/// A backlog item with what lists show beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BacklogRow {
    pub item: BacklogItem,
    /// Weighted (+supports, −refutes).
    pub tally: (i64, i64),
    pub evidence_count: usize,
}

const COLUMNS: &str = "id, kind, statement, category, test, metric, metric_field_id, criterion,
    impact, uncertainty, status, status_reason, status_since, owner, tags, learning, decision,
    decided_at, created_at, updated_at, rev";

fn from_row(r: &DbRow<'_>) -> Result<BacklogItem> {
    let tags: String = r.get(14)?;
    let decided: Option<String> = r.get(17)?;
    Ok(BacklogItem {
        id: r.get(0)?,
        kind: ItemKind::parse(&r.get::<String>(1)?).unwrap_or(ItemKind::Hypothesis),
        statement: r.get(2)?,
        category: r
            .get::<Option<String>>(3)?
            .and_then(|c| Category::parse(&c)),
        test: r.get(4)?,
        metric: r.get(5)?,
        metric_field: r.get(6)?,
        criterion: r.get(7)?,
        impact: r.get(8)?,
        uncertainty: r.get(9)?,
        status: Status::parse(&r.get::<String>(10)?).unwrap_or(Status::Backlog),
        status_reason: r.get(11)?,
        status_since: r.get(12)?,
        owner: r.get(13)?,
        tags: tags.split_whitespace().map(str::to_string).collect(),
        learning: r.get(15)?,
        decision: r
            .get::<Option<String>>(16)?
            .and_then(|d| Decision::parse(&d)),
        decided_at: decided.and_then(|d| crate::domain::dates::parse_iso(&d)),
        meta: Meta {
            created_at: r.get(18)?,
            updated_at: r.get(19)?,
            rev: r.get(20)?,
        },
    })
}

fn to_row(item: &BacklogItem) -> Row {
    row(vec![
        ("kind", text(item.kind.as_str())),
        ("statement", text(item.statement.trim())),
        ("category", opt_text(item.category)),
        ("test", text(&item.test)),
        ("metric", text(&item.metric)),
        ("metric_field_id", opt_int(item.metric_field)),
        ("criterion", text(&item.criterion)),
        ("impact", int(item.impact)),
        ("uncertainty", int(item.uncertainty)),
        ("status", text(item.status.as_str())),
        ("status_reason", text(&item.status_reason)),
        ("status_since", text(&item.status_since)),
        ("owner", text(item.owner.trim())),
        ("tags", text(&item.tags.join(" "))),
        ("learning", text(&item.learning)),
        ("decision", opt_text(item.decision)),
        ("decided_at", opt_text(item.decided_at)),
    ])
}

impl Writer<'_> {
    /// Inserts or updates (guarded by the item's rev) a backlog item.
    pub fn save_backlog(&mut self, item: &BacklogItem) -> Result<i64> {
        item.validate()?;
        let mut item = item.clone();
        if item.status_since.is_empty() {
            item.status_since = self.today().to_string();
        }
        if item.id == 0 {
            self.insert(RecordKind::Backlog, &to_row(&item))
        } else {
            self.update(
                RecordKind::Backlog,
                item.id,
                Some(item.meta.rev),
                &to_row(&item),
            )?;
            Ok(item.id)
        }
    }
}

impl Store {
    pub fn backlog_item(&self, id: i64) -> Result<BacklogItem> {
        self.db()
            .query_opt(
                &format!("SELECT {COLUMNS} FROM backlog_items WHERE id = ?1"),
                args![id],
                from_row,
            )?
            .ok_or(StoreError::NotFound(RecordKey::new(
                RecordKind::Backlog,
                id,
            )))
    }

    /// Rows for the given ids, in the same order (a list window).
    pub fn backlog_rows(&self, ids: &[i64]) -> Result<Vec<BacklogRow>> {
        let db = self.db();
        let items = by_ids(
            db,
            &format!("SELECT {COLUMNS} FROM backlog_items WHERE id IN ({{ids}})"),
            args![],
            ids,
            |r| {
                let item = from_row(r)?;
                Ok((item.id, item))
            },
        )?;
        // Every item's evidence, read for the window at once.
        let mut pairs: std::collections::HashMap<i64, Vec<(Stance, Strength)>> =
            std::collections::HashMap::new();
        for_ids(
            db,
            "SELECT item_id, stance, strength FROM evidence WHERE item_id IN ({ids})",
            args![],
            ids,
            |r| {
                let (stance, strength) = (r.get::<String>(1)?, r.get::<String>(2)?);
                if let (Some(s), Some(t)) = (Stance::parse(&stance), Strength::parse(&strength)) {
                    pairs.entry(r.get(0)?).or_default().push((s, t));
                }
                Ok(())
            },
        )?;
        Ok(items
            .into_iter()
            .map(|item| {
                let pairs = pairs.remove(&item.id).unwrap_or_default();
                BacklogRow {
                    tally: tally(&pairs),
                    evidence_count: pairs.len(),
                    item,
                }
            })
            .collect())
    }

    /// Saves a new or edited item as one batch; returns (id, batch).
    pub fn save_backlog(&mut self, item: &BacklogItem) -> Result<(i64, Option<i64>)> {
        let label = if item.id == 0 {
            "create backlog item".to_string()
        } else {
            format!("edit {}", RecordKey::new(RecordKind::Backlog, item.id))
        };
        let (batch, id) = self.write(&label, |w| w.save_backlog(item))?;
        Ok((id, batch))
    }

    /// Moves an item through the state machine (refused with what is
    /// missing), as one batch.
    pub fn set_backlog_status(
        &mut self,
        id: i64,
        expected_rev: i64,
        to: Status,
        reason: &str,
    ) -> Result<Option<i64>> {
        let mut item = self.backlog_item(id)?;
        item.meta.rev = expected_rev;
        self.move_backlog(&item, to, reason)
    }

    /// Saves `edited` (the fields a move needs, typed by the user) and
    /// moves it to `to`, together as one batch; refused, writing nothing,
    /// if the state machine says no or someone else changed the item since
    /// `edited.meta.rev`.
    pub fn move_backlog(
        &mut self,
        edited: &BacklogItem,
        to: Status,
        reason: &str,
    ) -> Result<Option<i64>> {
        let id = edited.id;
        let key = RecordKey::new(RecordKind::Backlog, id);
        let current = self.backlog_item(id)?;
        if current.meta.rev != edited.meta.rev {
            return Err(StoreError::Conflict {
                record: key,
                expected: edited.meta.rev,
                actual: current.meta.rev,
            });
        }
        let evidence_count: i64 = self.db().value(
            "SELECT count(*) FROM evidence WHERE item_id = ?1",
            args![id],
        )?;
        let input = TransitionInput {
            reason: reason.to_string(),
            evidence_count: evidence_count as usize,
            today: Some(self.clock.today()),
        };
        let mut base = edited.clone();
        base.status = current.status;
        let next = transition(&base, to, &input).map_err(|e| StoreError::Refused(e.to_string()))?;
        let (batch, _) = self.write(&format!("{key} {} → {to}", current.status), |w| {
            w.save_backlog(&next)
        })?;
        Ok(batch)
    }

    /// Deletes an item and its evidence links as one batch.
    pub fn delete_backlog(&mut self, id: i64, expected_rev: i64) -> Result<Option<i64>> {
        let key = RecordKey::new(RecordKind::Backlog, id);
        let links: Vec<i64> = self.db().query_map(
            "SELECT id FROM evidence WHERE item_id = ?1",
            args![id],
            |r| r.get(0),
        )?;
        let (batch, ()) = self.write(&format!("delete {key}"), |w| {
            for link in links {
                w.delete(RecordKind::Evidence, link, None)?;
            }
            w.delete(RecordKind::Backlog, id, Some(expected_rev))
        })?;
        Ok(batch)
    }

    /// `(id, "H-4 testing · statement")` of every item, by priority, for
    /// pickers.
    pub fn backlog_titles(&self) -> Result<Vec<(i64, String)>> {
        self.db().query_map(
            "SELECT id, 'H-' || id || ' ' || status || ' · ' || statement FROM backlog_items
             ORDER BY impact * uncertainty DESC, id",
            args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Every tag in use, sorted, for completion.
    pub fn backlog_tags(&self) -> Result<Vec<String>> {
        let rows: Vec<String> = self.db().query_map(
            "SELECT DISTINCT tags FROM backlog_items WHERE tags <> ''",
            args![],
            |r| r.get(0),
        )?;
        let mut tags: Vec<String> = Vec::new();
        for row in rows {
            tags.extend(row.split_whitespace().map(str::to_string));
        }
        tags.sort();
        tags.dedup();
        Ok(tags)
    }

    pub fn backlog_count(&self) -> Result<i64> {
        self.db()
            .value("SELECT count(*) FROM backlog_items", args![])
    }
}
