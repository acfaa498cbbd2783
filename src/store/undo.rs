//! Undo: reverts a batch by writing a new batch that puts every field back.
//! An undo is itself a batch, so it shows in Activity and undoing it redoes.
//!
//! Undo refuses, changing nothing, when a field it would restore has been
//! changed again since (someone else's later edit is never silently lost):
//! the message says which record and which later batch to undo first.

use super::changelog::Writer;
use super::values::{Row, same};
use super::{Result, Store, StoreError};
use crate::domain::{Batch, Change, ChangeOp, RecordKey, RecordKind};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};

/// One record's part of a batch, in the order it was written.
struct Step {
    kind: RecordKind,
    id: i64,
    op: ChangeOp,
    rev: i64,
    fields: Vec<(String, Value, Value)>,
}

impl Store {
    /// Undoes batch `batch`; returns the id of the new (undo) batch.
    pub fn undo(&mut self, batch: i64) -> Result<i64> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let info = self
            .batch(batch)?
            .ok_or_else(|| StoreError::Refused(format!("there is no batch {batch}")))?;
        if let Some(by) = self.undone_by(batch)? {
            return Err(StoreError::Refused(format!(
                "batch {batch} was already undone by batch {by}; undo that to redo it"
            )));
        }
        let steps = load_steps(&self.conn, batch)?;
        let label = format!("undo batch {batch} ({})", info.label);
        let actor = self.actor.clone();
        let at = self.clock.stamp();
        let today = self.clock.today();
        let tx = self.begin_write()?;
        let mut writer = Writer::begin(&tx, &actor, &at, &label, today, Some(batch))?;
        for step in steps.iter().rev() {
            revert(&mut writer, step)?;
        }
        let undo = writer.finish()?;
        tx.commit()?;
        undo.ok_or_else(|| StoreError::Refused(format!("batch {batch} changed nothing")))
    }

    /// Undoes the actor's newest batch that is still in effect, so pressing
    /// undo again walks further back. Returns (undone batch, undo batch).
    pub fn undo_latest(&mut self) -> Result<(i64, i64)> {
        let target: Option<i64> = self
            .conn
            .query_row(
                "SELECT b.id FROM batches b
                 WHERE b.actor = ?1 AND b.undoes IS NULL
                   AND NOT EXISTS (
                     SELECT 1 FROM batches u WHERE u.undoes = b.id
                       AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.undoes = u.id))
                 ORDER BY b.id DESC LIMIT 1",
                [&self.actor],
                |r| r.get(0),
            )
            .optional()?;
        let target = target.ok_or_else(|| {
            StoreError::Refused(format!("nothing of {}'s left to undo", self.actor))
        })?;
        let undo = self.undo(target)?;
        Ok((target, undo))
    }

    /// The batch that undid `batch` and is itself still in effect.
    pub fn undone_by(&self, batch: i64) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT u.id FROM batches u WHERE u.undoes = ?1
                   AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.undoes = u.id)
                 ORDER BY u.id DESC LIMIT 1",
                [batch],
                |r| r.get(0),
            )
            .optional()
            .map_err(Into::into)
    }

    /// One batch with its change count.
    pub fn batch(&self, id: i64) -> Result<Option<Batch>> {
        self.conn
            .query_row(
                "SELECT id, actor, at, label, undoes,
                        (SELECT count(*) FROM changes WHERE batch_id = batches.id)
                 FROM batches WHERE id = ?1",
                [id],
                batch_from_row,
            )
            .optional()
            .map_err(Into::into)
    }

    /// The changes of a batch, in the order they were made.
    pub fn changes(&self, batch: i64) -> Result<Vec<Change>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT batch_id, tbl, record_id, op, field, old, new FROM changes
             WHERE batch_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([batch], |r| {
            let table: String = r.get(1)?;
            let op: String = r.get(3)?;
            Ok(Change {
                batch_id: r.get(0)?,
                record: RecordKey::new(
                    RecordKind::from_table(&table).unwrap_or(RecordKind::Backlog),
                    r.get(2)?,
                ),
                op: ChangeOp::parse(&op).unwrap_or(ChangeOp::Update),
                field: r.get(4)?,
                old: super::values::display(&r.get::<_, Value>(5)?),
                new: super::values::display(&r.get::<_, Value>(6)?),
            })
        })?;
        rows.collect::<rusqlite::Result<_>>().map_err(Into::into)
    }
}

pub(super) fn batch_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Batch> {
    Ok(Batch {
        id: r.get(0)?,
        actor: r.get(1)?,
        at: r.get(2)?,
        label: r.get(3)?,
        undoes: r.get(4)?,
        change_count: r.get(5)?,
    })
}

fn load_steps(conn: &Connection, batch: i64) -> Result<Vec<Step>> {
    let mut stmt = conn.prepare(
        "SELECT tbl, record_id, op, field, old, new, rev FROM changes
         WHERE batch_id = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query(params![batch])?;
    let mut steps: Vec<Step> = Vec::new();
    while let Some(r) = rows.next()? {
        let table: String = r.get(0)?;
        let kind = RecordKind::from_table(&table)
            .ok_or_else(|| StoreError::Refused(format!("unknown table {table} in the log")))?;
        let id: i64 = r.get(1)?;
        let op_text: String = r.get(2)?;
        let op = ChangeOp::parse(&op_text).unwrap_or(ChangeOp::Update);
        let rev: i64 = r.get(6)?;
        let field = (r.get::<_, String>(3)?, r.get(4)?, r.get(5)?);
        match steps.last_mut() {
            Some(last)
                if last.kind == kind && last.id == id && last.op == op && last.rev == rev =>
            {
                last.fields.push(field);
            }
            _ => steps.push(Step {
                kind,
                id,
                op,
                rev,
                fields: vec![field],
            }),
        }
    }
    Ok(steps)
}

fn revert(writer: &mut Writer<'_>, step: &Step) -> Result<()> {
    let key = RecordKey::new(step.kind, step.id);
    match step.op {
        ChangeOp::Create | ChangeOp::Update => {
            let columns: Vec<String> = step.fields.iter().map(|(c, _, _)| c.clone()).collect();
            let Some((current, _)) = writer.current(step.kind, step.id, &columns)? else {
                return Err(StoreError::Refused(format!(
                    "{key} no longer exists; undo the batch that deleted it first"
                )));
            };
            for ((field, _, new), now) in step.fields.iter().zip(&current) {
                if !same(new, now) {
                    return Err(StoreError::Refused(format!(
                        "{key}.{field} has changed since; undo the later change first"
                    )));
                }
            }
            if step.op == ChangeOp::Create {
                super::fields::before_delete(writer, step.kind, step.id)?;
                writer.delete(step.kind, step.id, None)
            } else {
                let old: Row = step
                    .fields
                    .iter()
                    .map(|(c, old, _)| (c.clone(), old.clone()))
                    .collect();
                writer.update(step.kind, step.id, None, &old)?;
                let retyped = step.fields.iter().any(|(c, _, _)| c == "type");
                if step.kind == RecordKind::Field && retyped {
                    super::fields::retype_column(writer, step.id)?;
                }
                Ok(())
            }
        }
        ChangeOp::Delete => {
            if writer.current(step.kind, step.id, &[])?.is_some() {
                return Err(StoreError::Refused(format!(
                    "{key} exists again; cannot restore it"
                )));
            }
            let old: Row = step
                .fields
                .iter()
                .map(|(c, old, _)| (c.clone(), old.clone()))
                .collect();
            writer.restore(step.kind, step.id, &old, step.rev + 1)?;
            super::fields::after_restore(writer, step.kind, step.id)
        }
    }
}
