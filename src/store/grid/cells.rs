//! The Data grid's writes: one cell, one new row, one deleted row. Each is
//! one batch; values are checked against their field here too, so nothing
//! invalid is stored whoever calls.

use super::stored;
use crate::domain::dates::parse_iso;
use crate::domain::entry::CellValue;
use crate::domain::{Field, RecordKey, RecordKind, value};
use crate::store::{Result, Store, StoreError};
use chrono::{Duration, NaiveDate};
use rusqlite::OptionalExtension;

/// How far a new row's date may step from the customer's last one.
const LONGEST_PERIOD_DAYS: i64 = 31;
/// The period when a customer has fewer than two entries: a week.
const DEFAULT_PERIOD_DAYS: i64 = 7;

impl Store {
    /// Sets (or clears, with `None`) one cell. `rev` is the entry's rev as
    /// the grid saw it: someone else's change in between is a conflict.
    pub fn set_cell(
        &mut self,
        entry: i64,
        rev: Option<i64>,
        field: &Field,
        new: Option<&CellValue>,
    ) -> Result<Option<i64>> {
        if let Some(v) = new {
            value::validate(field, v)
                .map_err(|reason| StoreError::Refused(format!("{}: {reason}", field.label)))?;
        } else if field.required {
            return Err(StoreError::Refused(format!(
                "{} is required; type a value instead",
                field.label
            )));
        }
        let key = RecordKey::new(RecordKind::Entry, entry);
        let label = format!("set {key} {}", field.key);
        let row = vec![(field.column(), stored(new))];
        let (batch, _) = self.write(&label, |w| w.update(RecordKind::Entry, entry, rev, &row))?;
        Ok(batch)
    }

    /// The entry of `customer` on `day`, if there is one.
    pub fn entry_on(&self, customer: i64, day: NaiveDate) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM entries WHERE customer_id = ?1 AND recorded_on = ?2",
                rusqlite::params![customer, day.to_string()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The date a new row for `customer` defaults to: the next period
    /// after their last entry (the gap between their last two, else a
    /// week), or today when they have none.
    pub fn next_entry_date(&self, customer: i64) -> Result<NaiveDate> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT recorded_on FROM entries WHERE customer_id = ?1
             ORDER BY recorded_on DESC LIMIT 2",
        )?;
        let days: Vec<NaiveDate> = stmt
            .query_map([customer], |r| r.get::<_, String>(0))?
            .filter_map(|d| d.ok().and_then(|d| parse_iso(&d)))
            .collect();
        Ok(match days.as_slice() {
            [] => self.clock.today(),
            [last] => *last + Duration::days(DEFAULT_PERIOD_DAYS),
            [last, before, ..] => {
                let gap = (*last - *before).num_days();
                let gap = if (1..=LONGEST_PERIOD_DAYS).contains(&gap) {
                    gap
                } else {
                    DEFAULT_PERIOD_DAYS
                };
                *last + Duration::days(gap)
            }
        })
    }

    /// Adds an empty row for `customer` on `day`. A row for that pair
    /// already exists: refused, naming it.
    pub fn add_grid_row(&mut self, customer: i64, day: NaiveDate) -> Result<(i64, Option<i64>)> {
        if let Some(existing) = self.entry_on(customer, day)? {
            return Err(StoreError::Refused(format!(
                "{} already has a row for {day}",
                RecordKey::new(RecordKind::Entry, existing)
            )));
        }
        let name = self.customer(customer)?.name;
        let label = format!("add a data row for {name} on {day}");
        let (batch, id) = self.write(&label, |w| w.add_entry(customer, day, &[]))?;
        Ok((id, batch))
    }

    /// Deletes one row (undo brings it back with its values).
    pub fn delete_grid_row(&mut self, entry: i64, rev: i64) -> Result<Option<i64>> {
        let key = RecordKey::new(RecordKind::Entry, entry);
        let (batch, ()) = self.write(&format!("delete {key}"), |w| {
            w.delete(RecordKind::Entry, entry, Some(rev))
        })?;
        Ok(batch)
    }
}
