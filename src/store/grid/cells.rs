//! The Data grid's writes: one cell, one new row, one deleted row. Each is
//! one batch; values are checked against their field here too, so nothing
//! invalid is stored whoever calls.

use super::stored;
use crate::domain::dates::parse_iso;
use crate::domain::entry::CellValue;
use crate::domain::{Field, RecordKey, RecordKind, value};
use crate::store::db::args;
use crate::store::{Result, Store, StoreError};
use chrono::{Duration, NaiveDate};

/// How far a new row's date may step from the customer's last one.
const LONGEST_PERIOD_DAYS: i64 = 31;
/// The period when a customer has fewer than two entries: a week.
const DEFAULT_PERIOD_DAYS: i64 = 7;

/// The current period's day after entries on `days` (newest first): the
/// last step of the period not after `today`, or `today` itself.
fn period_day(days: &[NaiveDate], today: NaiveDate) -> NaiveDate {
    let (last, gap) = match days {
        [] => return today,
        [last] => (*last, DEFAULT_PERIOD_DAYS),
        [last, before, ..] => {
            let gap = (*last - *before).num_days();
            let gap = if (1..=LONGEST_PERIOD_DAYS).contains(&gap) {
                gap
            } else {
                DEFAULT_PERIOD_DAYS
            };
            (*last, gap)
        }
    };
    let behind = (today - last).num_days();
    if behind < gap {
        return today;
    }
    last + Duration::days(behind / gap * gap)
}

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
        let label = format!(
            "set {} {}",
            RecordKey::new(RecordKind::Entry, entry),
            field.key
        );
        self.set_cell_into(None, &label, entry, rev, field, new)
    }

    /// [`Store::set_cell`] as part of a row or a week being entered: its
    /// change joins batch `into` while that batch is open (see
    /// [`Store::write_into`]), else opens one labelled `label`.
    pub fn set_cell_into(
        &mut self,
        into: Option<i64>,
        label: &str,
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
        let row = vec![(field.column(), stored(new))];
        let (batch, _) = self.write_into(into, label, |w| {
            w.update(RecordKind::Entry, entry, rev, &row)
        })?;
        Ok(batch)
    }

    /// The entry of `customer` on `day`, if there is one.
    pub fn entry_on(&self, customer: i64, day: NaiveDate) -> Result<Option<i64>> {
        self.db().query_opt(
            "SELECT id FROM entries WHERE customer_id = ?1 AND recorded_on = ?2",
            args![customer, day],
            |r| r.get(0),
        )
    }

    /// The date a new row for `customer` defaults to: the current period's
    /// day — the latest step of their period (the gap between their last
    /// two entries, else a week) after their last entry that is not after
    /// today — and today when that step is still ahead or they have none.
    /// Never a future date.
    pub fn new_row_day(&self, customer: i64) -> Result<NaiveDate> {
        let days: Vec<NaiveDate> = self
            .db()
            .query_map(
                "SELECT recorded_on FROM entries WHERE customer_id = ?1
                 ORDER BY recorded_on DESC LIMIT 2",
                args![customer],
                |r| r.get::<String>(0),
            )?
            .iter()
            .filter_map(|d| parse_iso(d))
            .collect();
        Ok(period_day(&days, self.clock.today()))
    }

    /// The customers in stage `active` with no entry dated `from..=to`,
    /// by name: who still needs a row this period.
    pub fn active_without_entry(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(i64, String)>> {
        let sql = format!(
            "SELECT c.id, c.name FROM customers c
             WHERE c.stage = 'active' AND NOT EXISTS (
               SELECT 1 FROM entries e WHERE e.customer_id = c.id
                 AND e.recorded_on BETWEEN ?1 AND ?2)
             ORDER BY {}",
            self.db().dialect().nocase("c.name")
        );
        self.db()
            .query_map(&sql, args![from, to], |r| Ok((r.get(0)?, r.get(1)?)))
    }

    /// The entries of customers in stage `active` dated `from..=to`: the
    /// rows a week's entry fills.
    pub fn active_entries_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<i64>> {
        self.db().query_map(
            "SELECT e.id FROM entries e JOIN customers c ON c.id = e.customer_id
             WHERE c.stage = 'active' AND e.recorded_on BETWEEN ?1 AND ?2",
            args![from, to],
            |r| r.get(0),
        )
    }

    /// Adds an empty row for each `(customer, day)` as one batch (joining
    /// `into` while it is open): the rows of a week entered together.
    /// A pair that already has a row is refused, naming it, and nothing is
    /// added.
    pub fn add_grid_rows(
        &mut self,
        into: Option<i64>,
        label: &str,
        rows: &[(i64, NaiveDate)],
    ) -> Result<(Vec<i64>, Option<i64>)> {
        for (customer, day) in rows {
            if let Some(existing) = self.entry_on(*customer, *day)? {
                return Err(StoreError::Refused(format!(
                    "{} already has a row for {day}",
                    RecordKey::new(RecordKind::Entry, existing)
                )));
            }
        }
        let (batch, ids) = self.write_into(into, label, |w| {
            rows.iter()
                .map(|(customer, day)| w.add_entry(*customer, *day, &[]))
                .collect::<Result<Vec<i64>>>()
        })?;
        Ok((ids, batch))
    }

    /// Adds an empty row for `customer` on `day`. A row for that pair
    /// already exists: refused, naming it.
    pub fn add_grid_row(&mut self, customer: i64, day: NaiveDate) -> Result<(i64, Option<i64>)> {
        let name = self.customer(customer)?.name;
        let label = format!("add a data row for {name} on {day}");
        let (ids, batch) = self.add_grid_rows(None, &label, &[(customer, day)])?;
        Ok((ids.first().copied().unwrap_or_default(), batch))
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

#[cfg(test)]
mod tests {
    use super::period_day;
    use chrono::NaiveDate;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).expect("date")
    }

    #[test]
    fn a_new_row_is_dated_in_the_current_period_never_the_future() {
        // Weekly on Mondays; today is Friday 12-04: this week's Monday.
        assert_eq!(period_day(&[d(11, 23), d(11, 16)], d(12, 4)), d(11, 30));
        // Three weeks behind: still this week's Monday, not the next gap.
        assert_eq!(period_day(&[d(11, 9), d(11, 2)], d(12, 4)), d(11, 30));
        // The period's step is still ahead: today, not next Monday.
        assert_eq!(period_day(&[d(11, 30), d(11, 23)], d(12, 4)), d(12, 4));
        // One entry: a week's step; none: today.
        assert_eq!(period_day(&[d(11, 20)], d(12, 4)), d(12, 4));
        assert_eq!(period_day(&[], d(12, 4)), d(12, 4));
        // An entry dated in the future never pushes the default forward.
        assert_eq!(period_day(&[d(12, 20), d(12, 13)], d(12, 4)), d(12, 4));
    }
}
