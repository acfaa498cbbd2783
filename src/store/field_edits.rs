//! The field schema editor's writes: save (with the type-change check),
//! reorder, archive and delete. Each is one batch and undoable; values a
//! change touches are logged one by one, so undo puts them back.

use super::changelog::Writer;
use super::db::args;
use super::grid::{cell_value, stored};
use super::values::int;
use super::{Result, Store, StoreError};
use crate::domain::entry::CellValue;
use crate::domain::{Field, RecordKey, RecordKind, value};
use rusqlite::types::Value;

/// How many values that do not convert a refusal lists.
const LISTED: usize = 5;

impl Store {
    /// Creates a field (at the end) or saves an edited one. When the type,
    /// options or bounds change, every stored value must convert and fit,
    /// or nothing is written and the first values that don't are listed.
    pub fn save_field(&mut self, field: &Field) -> Result<(i64, Option<i64>)> {
        field.validate()?;
        let clash: Option<i64> = self.db().query_opt(
            "SELECT id FROM fields WHERE key = ?1 AND id <> ?2",
            args![field.key, field.id],
            |r| r.get(0),
        )?;
        if clash.is_some() {
            let mut errors = crate::domain::Invalid::default();
            errors.push("key", "another field already has this key");
            return Err(errors.into());
        }
        if field.id == 0 {
            let mut field = field.clone();
            field.position = self
                .db()
                .value("SELECT coalesce(max(position) + 1, 0) FROM fields", args![])?;
            let label = format!("add field {}", field.key);
            let (batch, id) = self.write(&label, |w| w.add_field(&field))?;
            return Ok((id, batch));
        }
        let before = self.field(field.id)?;
        let converted = self.converted_values(&before, field)?;
        let label = format!("edit field {}", field.key);
        let (batch, ()) = self.write(&label, |w| {
            let retype = before.field_type != field.field_type;
            if retype {
                set_values(w, field, converted.iter().map(|(id, _)| (*id, None)))?;
            }
            w.update(
                RecordKind::Field,
                field.id,
                Some(field.meta.rev),
                &super::fields::field_row(field),
            )?;
            if retype {
                super::fields::retype_column(w, field.id)?;
            }
            set_values(w, field, converted.iter().map(|(id, v)| (*id, Some(v))))
        })?;
        Ok((field.id, batch))
    }

    /// Every stored value of `before` as `after` reads it; refused, listing
    /// the first values that don't convert or fit.
    fn converted_values(&self, before: &Field, after: &Field) -> Result<Vec<(i64, CellValue)>> {
        let unchanged = before.field_type == after.field_type
            && before.options == after.options
            && before.min == after.min
            && before.max == after.max;
        if unchanged {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT e.id, c.name, e.recorded_on, e.{col} FROM entries e
             JOIN customers c ON c.id = e.customer_id WHERE e.{col} IS NOT NULL ORDER BY e.id",
            col = before.column()
        );
        let (mut converted, mut refused, mut failures) = (Vec::new(), Vec::new(), 0usize);
        let today = self.clock.today();
        self.db().for_each(&sql, args![], |r| {
            let Some(old) = cell_value(r.get(3)?, before.field_type) else {
                return Ok(());
            };
            match value::convert(before.field_type, &old, after, today) {
                Ok(new) => converted.push((r.get(0)?, new)),
                Err(reason) => {
                    failures += 1;
                    if refused.len() < LISTED {
                        let (name, day): (String, String) = (r.get(1)?, r.get(2)?);
                        refused.push(format!(
                            "{} ({name}, {day}) “{}”: {reason}",
                            RecordKey::new(RecordKind::Entry, r.get(0)?),
                            value::display(before.field_type, &old)
                        ));
                    }
                }
            }
            Ok(())
        })?;
        if failures > 0 {
            return Err(StoreError::Refused(format!(
                "{failures} value(s) of {} don't fit the change, so nothing changed: {}",
                before.label,
                refused.join("; ")
            )));
        }
        Ok(converted)
    }

    /// One field, archived or not.
    pub fn field(&self, id: i64) -> Result<Field> {
        self.fields()?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(StoreError::NotFound(RecordKey::new(RecordKind::Field, id)))
    }

    /// Moves a field one place up (`-1`) or down (`1`) in the order.
    pub fn move_field(&mut self, id: i64, step: i64) -> Result<Option<i64>> {
        let mut order = self.fields()?;
        let Some(at) = order.iter().position(|f| f.id == id) else {
            return Err(StoreError::NotFound(RecordKey::new(RecordKind::Field, id)));
        };
        let to = at.saturating_add_signed(step as isize).min(order.len() - 1);
        if to == at {
            return Ok(None);
        }
        let moved = order.remove(at);
        let label = format!("move field {}", moved.key);
        order.insert(to, moved);
        let (batch, ()) = self.write(&label, |w| {
            for (position, f) in order.iter().enumerate() {
                let row = vec![("position".to_string(), int(position as i64))];
                w.update(RecordKind::Field, f.id, None, &row)?;
            }
            Ok(())
        })?;
        Ok(batch)
    }

    /// Archives a field (hidden from the grid, values kept) or brings it back.
    pub fn set_field_archived(&mut self, id: i64, rev: i64, archived: bool) -> Result<Option<i64>> {
        let field = self.field(id)?;
        let verb = if archived { "archive" } else { "restore" };
        let row = vec![("archived".to_string(), int(i64::from(archived)))];
        let (batch, _) = self.write(&format!("{verb} field {}", field.key), |w| {
            w.update(RecordKind::Field, id, Some(rev), &row)
        })?;
        Ok(batch)
    }

    /// How many values a field holds (what deleting it would clear).
    pub fn field_value_count(&self, field: &Field) -> Result<i64> {
        self.db().value(
            &format!(
                "SELECT count(*) FROM entries WHERE {} IS NOT NULL",
                field.column()
            ),
            args![],
        )
    }

    /// Deletes a field with its values (each logged, so undo restores
    /// them). Refused while evidence or a backlog metric points at it.
    pub fn delete_field(&mut self, id: i64, rev: i64) -> Result<Option<i64>> {
        let field = self.field(id)?;
        let users: Vec<String> = self.db().query_map(
            "SELECT 'H-' || id FROM backlog_items WHERE metric_field_id = ?1 UNION ALL SELECT 'evidence of H-' || item_id FROM evidence WHERE field_id = ?1",
            args![id],
            |r| r.get(0),
        )?;
        if !users.is_empty() {
            return Err(StoreError::Refused(format!(
                "{} is linked from {}; unlink it there first",
                field.label,
                users.join(", ")
            )));
        }
        let ids: Vec<i64> = self.db().query_map(
            &format!(
                "SELECT id FROM entries WHERE {} IS NOT NULL ORDER BY id",
                field.column()
            ),
            args![],
            |r| r.get(0),
        )?;
        let (batch, ()) = self.write(&format!("delete field {}", field.key), |w| {
            set_values(w, &field, ids.iter().map(|id| (*id, None)))?;
            w.delete(RecordKind::Field, id, Some(rev))?;
            super::fields::drop_column(w, id)
        })?;
        Ok(batch)
    }
}

/// Writes one value per entry into `field`'s column, each logged.
fn set_values<'v>(
    w: &mut Writer<'_>,
    field: &Field,
    values: impl Iterator<Item = (i64, Option<&'v CellValue>)>,
) -> Result<()> {
    let column = field.column();
    for (id, v) in values {
        let row: Vec<(String, Value)> = vec![(column.clone(), stored(v))];
        w.update(RecordKind::Entry, id, None, &row)?;
    }
    Ok(())
}
