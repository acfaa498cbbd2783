//! Undo: reverts a batch by writing a new batch that puts every field back.
//! An undo is itself a batch, so it shows in Activity and undoing it redoes.
//!
//! Undo refuses, changing nothing, when a field it would restore has been
//! changed again since (someone else's later edit is never silently lost):
//! the message says which record and which later batch to undo first.

use super::changelog::{Logged, Writer, packed};
use super::db::{Db, Dialect, Row as DbRow, args};
use super::values::{Row, same};
use super::{Result, Store, StoreError};
use crate::domain::{Batch, Change, ChangeOp, RecordKey, RecordKind};
use rusqlite::types::Value;

/// One record's part of a batch, in the order it was written.
struct Step {
    kind: RecordKind,
    id: i64,
    op: ChangeOp,
    rev: i64,
    /// Logged as one packed row (a bulk create or delete): undone the same way.
    packed: bool,
    /// A range row: records `id..=last` created in bulk (see `packed::RANGE`).
    last: Option<i64>,
    fields: Vec<(String, Value, Value)>,
}

/// How many change rows undo reads at a time, newest first, so undoing a
/// million-row import holds one page, not the batch.
const PAGE: i64 = 2000;

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
        let label = format!("undo batch {batch} ({})", info.label);
        let actor = self.actor.clone();
        let at = self.clock.stamp();
        let today = self.clock.today();
        let tx = self.begin_write()?;
        let mut writer = Writer::begin(&tx, &actor, &at, &label, today, Some(batch))?;
        let mut before = i64::MAX;
        let mut pending: Option<Step> = None;
        loop {
            let page = load_page(writer.db(), batch, before)?;
            let Some(last) = page.last() else {
                break;
            };
            before = last.0;
            for (_, step) in page {
                match &mut pending {
                    Some(p) if p.same_record(&step) => p.fields.extend(step.fields),
                    _ => {
                        if let Some(done) = pending.replace(step) {
                            revert(&mut writer, done)?;
                        }
                    }
                }
            }
        }
        if let Some(done) = pending {
            revert(&mut writer, done)?;
        }
        let (undo, touched) = writer.finish();
        let Some(undo) = undo else {
            return Err(StoreError::Refused(format!(
                "batch {batch} changed nothing"
            )));
        };
        super::list::index_stale_notes(tx.db())?;
        tx.commit()?;
        self.committed(touched);
        Ok(undo)
    }

    /// Undoes the actor's newest batch that is still in effect, so pressing
    /// undo again walks further back. Returns (undone batch, undo batch).
    pub fn undo_latest(&mut self) -> Result<(i64, i64)> {
        let target: Option<i64> = self.db().query_opt(
            "SELECT b.id FROM batches b
             WHERE b.actor = ?1 AND b.undoes IS NULL
               AND NOT EXISTS (
                 SELECT 1 FROM batches u WHERE u.undoes = b.id
                   AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.undoes = u.id))
             ORDER BY b.id DESC LIMIT 1",
            args![self.actor],
            |r| r.get(0),
        )?;
        let target = target.ok_or_else(|| {
            StoreError::Refused(format!("nothing of {}'s left to undo", self.actor))
        })?;
        let undo = self.undo(target)?;
        Ok((target, undo))
    }

    /// The batch that undid `batch` and is itself still in effect.
    pub fn undone_by(&self, batch: i64) -> Result<Option<i64>> {
        self.db().query_opt(
            "SELECT u.id FROM batches u WHERE u.undoes = ?1
               AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.undoes = u.id)
             ORDER BY u.id DESC LIMIT 1",
            args![batch],
            |r| r.get(0),
        )
    }

    /// One batch with its change count.
    pub fn batch(&self, id: i64) -> Result<Option<Batch>> {
        let sql = format!(
            "SELECT {} FROM batches WHERE id = ?1",
            batch_columns(self.db().dialect())
        );
        self.db().query_opt(&sql, args![id], batch_from_row)
    }

    /// The changes of a batch, in the order they were made; a packed row
    /// (a record created or deleted in bulk) shows as one change per field.
    pub fn changes(&self, batch: i64) -> Result<Vec<Change>> {
        let dialect = self.db().dialect();
        let sql = format!(
            "SELECT batch_id, tbl, record_id, op, field, {}, {} FROM changes
             WHERE batch_id = ?1 ORDER BY id",
            Logged::column(dialect, "old"),
            Logged::column(dialect, "new")
        );
        let mut out = Vec::new();
        self.db().for_each(&sql, args![batch], |r| {
            let table: String = r.get(1)?;
            let op: String = r.get(3)?;
            let field: String = r.get(4)?;
            let (old, new) = (r.get::<Logged>(5)?.0, r.get::<Logged>(6)?.0);
            let record_id: i64 = r.get(2).unwrap_or_default();
            let change = |field: String, old: &Value, new: &Value| Change {
                batch_id: batch,
                record: RecordKey::new(
                    RecordKind::from_table(&table).unwrap_or(RecordKind::Backlog),
                    record_id,
                ),
                op: ChangeOp::parse(&op).unwrap_or(ChangeOp::Update),
                field,
                old: super::values::display(old),
                new: super::values::display(new),
            };
            if field == packed::RANGE {
                let first = record_id;
                let last = match new {
                    Value::Integer(last) => last,
                    _ => 0,
                };
                let kind = RecordKind::from_table(&table).unwrap_or(RecordKind::Entry);
                let summary = Value::Text(format!(
                    "{} … {} ({} created)",
                    RecordKey::new(kind, first),
                    RecordKey::new(kind, last),
                    last - first + 1
                ));
                out.push(change("records".to_owned(), &Value::Null, &summary));
                return Ok(());
            }
            if field != packed::PACKED {
                out.push(change(field, &old, &new));
                return Ok(());
            }
            match (&old, &new) {
                (_, Value::Text(text)) => {
                    for (c, v) in packed::unpack(text)? {
                        out.push(change(c, &Value::Null, &v));
                    }
                }
                (Value::Text(text), _) => {
                    for (c, v) in packed::unpack(text)? {
                        out.push(change(c, &v, &Value::Null));
                    }
                }
                _ => {}
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// The select list [`batch_from_row`] reads from `batches`: a range row
/// counts the records it names.
pub(super) fn batch_columns(dialect: Dialect) -> String {
    let count = format!(
        "count(*) + coalesce(sum(CASE WHEN field = '*range' THEN {} - record_id END), 0)",
        dialect.integer("new")
    );
    format!(
        "id, actor, at, label, undoes,
         (SELECT {} FROM changes WHERE batch_id = batches.id)",
        dialect.integer(&count)
    )
}

pub(super) fn batch_from_row(r: &DbRow<'_>) -> Result<Batch> {
    Ok(Batch {
        id: r.get(0)?,
        actor: r.get(1)?,
        at: r.get(2)?,
        label: r.get(3)?,
        undoes: r.get(4)?,
        change_count: r.get(5)?,
    })
}

impl Step {
    fn same_record(&self, other: &Step) -> bool {
        !self.packed
            && !other.packed
            && self.last.is_none()
            && other.last.is_none()
            && (self.kind, self.id, self.op, self.rev)
                == (other.kind, other.id, other.op, other.rev)
    }
}

/// Up to [`PAGE`] change rows of `batch` older than change `before`, newest
/// first, each as a one-field step (a packed row as its whole record).
fn load_page(db: &Db, batch: i64, before: i64) -> Result<Vec<(i64, Step)>> {
    let sql = format!(
        "SELECT id, tbl, record_id, op, field, {}, {}, rev FROM changes
         WHERE batch_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3",
        Logged::column(db.dialect(), "old"),
        Logged::column(db.dialect(), "new")
    );
    let mut page = Vec::new();
    db.for_each(&sql, args![batch, before, PAGE], |r| {
        let table: String = r.get(1)?;
        let kind = RecordKind::from_table(&table)
            .ok_or_else(|| StoreError::Refused(format!("unknown table {table} in the log")))?;
        let op_text: String = r.get(3)?;
        let op = ChangeOp::parse(&op_text).unwrap_or(ChangeOp::Update);
        let field: String = r.get(4)?;
        let (old, new) = (r.get::<Logged>(5)?.0, r.get::<Logged>(6)?.0);
        let packed = field == packed::PACKED;
        let last = match (&field[..], &new) {
            (packed::RANGE, Value::Integer(last)) => Some(*last),
            _ => None,
        };
        let fields = if last.is_some() {
            Vec::new()
        } else if packed {
            let (text, created) = match (&old, &new) {
                (_, Value::Text(t)) => (t, true),
                (Value::Text(t), _) => (t, false),
                _ => return Err(StoreError::Refused("an empty packed change".into())),
            };
            packed::unpack(text)?
                .into_iter()
                .map(|(c, v)| {
                    if created {
                        (c, Value::Null, v)
                    } else {
                        (c, v, Value::Null)
                    }
                })
                .collect()
        } else {
            vec![(field, old, new)]
        };
        page.push((
            r.get(0)?,
            Step {
                kind,
                id: r.get(2)?,
                op,
                rev: r.get(7)?,
                packed,
                last,
                fields,
            },
        ));
        Ok(())
    })?;
    Ok(page)
}

/// Undoes records created in bulk, newest first: each must still be at the
/// rev it was created with (any later change bumps it).
fn revert_range(writer: &mut Writer<'_>, step: &Step, last: i64) -> Result<()> {
    for id in (step.id..=last).rev() {
        let key = RecordKey::new(step.kind, id);
        match writer.current(step.kind, id, &[])? {
            None => {
                return Err(StoreError::Refused(format!(
                    "{key} no longer exists; undo the batch that deleted it first"
                )));
            }
            Some((_, rev)) if rev != step.rev => {
                return Err(StoreError::Refused(format!(
                    "{key} has changed since; undo the later change first"
                )));
            }
            Some(_) => {}
        }
        super::fields::before_delete(writer, step.kind, id)?;
        writer.delete_packed(step.kind, id, None)?;
    }
    Ok(())
}

fn revert(writer: &mut Writer<'_>, step: Step) -> Result<()> {
    if let Some(last) = step.last {
        return revert_range(writer, &step, last);
    }
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
                if step.packed {
                    writer.delete_packed(step.kind, step.id, None)
                } else {
                    writer.delete(step.kind, step.id, None)
                }
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
            if step.packed {
                writer.insert_packed(step.kind, Some(step.id), &old, step.rev + 1)?;
            } else {
                writer.restore(step.kind, step.id, &old, step.rev + 1)?;
            }
            super::fields::after_restore(writer, step.kind, step.id)
        }
    }
}
