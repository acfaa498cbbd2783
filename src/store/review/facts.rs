//! The queries behind `Store::review_data`: check-ins and entries in a
//! window, evidence, and the logged stages and statuses the review follows
//! through time.

use super::{CheckInFact, EntryFact, EvidenceFact, LoggedValue};
use crate::domain::dates::parse_iso;
use crate::domain::entry::CellValue;
use crate::domain::{FieldType, FollowUp, RecordKey, RecordKind, Stance, Strength};
use crate::store::changelog::Logged;
use crate::store::db::{Dialect, args};
use crate::store::values::display;
use crate::store::{Result, Store};
use chrono::NaiveDate;
use rusqlite::types::Value;

/// The UTC day of a stored timestamp (`2026-11-21T09:30:00Z`).
fn day_of(stamp: &str) -> Option<NaiveDate> {
    stamp.get(..10).and_then(parse_iso)
}

impl Store {
    pub(super) fn followup(&self, id: i64) -> Result<FollowUp> {
        self.followup_row(id).map(|row| row.followup)
    }

    pub(super) fn checkin_facts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<CheckInFact>> {
        let rows = self.db().query_map(
            "SELECT id, customer_id, occurred_on, effort_minutes FROM checkins
             WHERE occurred_on BETWEEN ?1 AND ?2 ORDER BY occurred_on, id",
            args![from, to],
            |r| Ok((r.get(0)?, r.get(1)?, r.get::<String>(2)?, r.get(3)?)),
        )?;
        let mut facts = Vec::new();
        for (id, customer_id, on, effort_minutes) in rows {
            if let Some(occurred_on) = parse_iso(&on) {
                facts.push(CheckInFact {
                    id,
                    customer_id,
                    occurred_on,
                    effort_minutes,
                });
            }
        }
        Ok(facts)
    }

    pub(super) fn last_checkins_before(&self, day: NaiveDate) -> Result<Vec<(i64, NaiveDate)>> {
        let rows = self.db().query_map(
            "SELECT customer_id, max(occurred_on) FROM checkins
             WHERE occurred_on < ?1 GROUP BY customer_id ORDER BY customer_id",
            args![day],
            |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
        )?;
        let mut last = Vec::new();
        for (customer, on) in rows {
            if let Some(on) = parse_iso(&on) {
                last.push((customer, on));
            }
        }
        Ok(last)
    }

    pub(super) fn evidence_facts(&self, to: NaiveDate) -> Result<Vec<EvidenceFact>> {
        let rows = self.db().query_map(
            "SELECT item_id, stance, strength, created_at FROM evidence
             WHERE substr(created_at, 1, 10) <= ?1 ORDER BY id",
            args![to],
            |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                    r.get::<String>(3)?,
                ))
            },
        )?;
        let mut facts = Vec::new();
        for (item_id, stance, strength, at) in rows {
            if let (Some(stance), Some(strength), Some(created_on)) = (
                Stance::parse(&stance),
                Strength::parse(&strength),
                day_of(&at),
            ) {
                facts.push(EvidenceFact {
                    item_id,
                    stance,
                    strength,
                    created_on,
                });
            }
        }
        Ok(facts)
    }

    pub(super) fn entry_facts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<EntryFact>> {
        let fields: Vec<(i64, FieldType)> = self
            .fields()?
            .into_iter()
            .filter(|f| !f.archived)
            .map(|f| (f.id, f.field_type))
            .collect();
        let columns: String = fields
            .iter()
            .fold(String::new(), |cols, (id, _)| cols + &format!(", f_{id}"));
        let sql = format!(
            "SELECT customer_id, recorded_on{columns} FROM entries
             WHERE recorded_on BETWEEN ?1 AND ?2 ORDER BY recorded_on, customer_id"
        );
        let mut facts = Vec::new();
        self.db().for_each(&sql, args![from, to], |r| {
            let Some(recorded_on) = parse_iso(&r.get::<String>(1)?) else {
                return Ok(());
            };
            let mut values = Vec::new();
            for (i, (id, field_type)) in fields.iter().enumerate() {
                if let Some(value) = cell(r.get::<Value>(i + 2)?, *field_type) {
                    values.push((*id, value));
                }
            }
            facts.push(EntryFact {
                customer_id: r.get(0)?,
                recorded_on,
                values,
            });
            Ok(())
        })?;
        Ok(facts)
    }

    /// Every logged customer stage and item status (with its
    /// `status_since`) up to the day `to`, in batch order.
    pub(super) fn followed_history(&self, to: NaiveDate) -> Result<Vec<LoggedValue>> {
        // Packed rows (records created or deleted in bulk, one row per
        // record) are opened into one value per field: with json_each on
        // SQLite, jsonb_array_elements on PostgreSQL (whose values are
        // tagged text as `Logged` reads them).
        let dialect = self.db().dialect();
        let (elements, key, packed) = match dialect {
            Dialect::Sqlite => (
                "json_each(coalesce(c.new, c.old)) j",
                "j.key",
                "j.value ->> 1",
            ),
            Dialect::Postgres => (
                "jsonb_array_elements(coalesce(c.new, c.old)::jsonb) WITH ORDINALITY j(value, key)",
                "j.key",
                "'t' || (j.value ->> 1)",
            ),
        };
        let sql = format!(
            "SELECT c.tbl, c.record_id, c.field, c.batch_id, b.at, {old}, {new}, c.id, 0
             FROM changes c JOIN batches b ON b.id = c.batch_id
             WHERE ((c.tbl = 'backlog_items' AND c.field IN ('status', 'status_since'))
                 OR (c.tbl = 'customers' AND c.field = 'stage'))
               AND substr(b.at, 1, 10) <= ?1
             UNION ALL
             SELECT c.tbl, c.record_id, j.value ->> 0, c.batch_id, b.at,
                    CASE WHEN c.op = 'delete' THEN {packed} END,
                    CASE WHEN c.op = 'delete' THEN NULL ELSE {packed} END,
                    c.id, {key}
             FROM changes c JOIN batches b ON b.id = c.batch_id,
                  {elements}
             WHERE c.field = '*' AND c.tbl IN ('backlog_items', 'customers')
               AND ((c.tbl = 'backlog_items' AND j.value ->> 0 IN ('status', 'status_since'))
                 OR (c.tbl = 'customers' AND j.value ->> 0 = 'stage'))
               AND substr(b.at, 1, 10) <= ?1
             ORDER BY 4, 8, 9",
            old = Logged::column(dialect, "c.old"),
            new = Logged::column(dialect, "c.new"),
        );
        let rows = self.db().query_map(&sql, args![to], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<i64>(1)?,
                r.get::<String>(2)?,
                r.get::<i64>(3)?,
                r.get::<String>(4)?,
                r.get::<Logged>(5)?.0,
                r.get::<Logged>(6)?.0,
            ))
        })?;
        let mut history = Vec::new();
        for (table, id, field, batch, at, old, new) in rows {
            let (Some(kind), Some(day)) = (RecordKind::from_table(&table), day_of(&at)) else {
                continue;
            };
            history.push(LoggedValue {
                record: RecordKey::new(kind, id),
                field,
                batch,
                day,
                old: display(&old),
                new: display(&new),
            });
        }
        Ok(history)
    }
}

/// A stored value as the typed cell of its field; `None` for an empty cell.
fn cell(value: Value, field_type: FieldType) -> Option<CellValue> {
    match (value, field_type) {
        (Value::Null | Value::Blob(_), _) => None,
        (Value::Integer(i), FieldType::Boolean) => Some(CellValue::Boolean(i != 0)),
        (Value::Integer(i), FieldType::Decimal | FieldType::Percent) => {
            Some(CellValue::Decimal(i as f64))
        }
        (Value::Integer(i), _) => Some(CellValue::Integer(i)),
        (Value::Real(r), _) => Some(CellValue::Decimal(r)),
        (Value::Text(t), FieldType::Date) => {
            Some(parse_iso(&t).map_or(CellValue::Text(t), CellValue::Date))
        }
        (Value::Text(t), _) => Some(CellValue::Text(t)),
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::Clock;
    use crate::sheet::decode;
    use crate::store::interchange::{ImportOptions, Kind, Outcome};
    use crate::store::{OpenMode, Store};
    use chrono::NaiveDate;

    #[test]
    fn stages_of_customers_created_by_an_import_are_in_the_history() {
        let dir = tempfile::tempdir().expect("tempdir");
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).expect("day");
        let mut store = Store::open(
            &dir.path().join("w.db"),
            OpenMode::ReadWrite,
            "dana",
            Clock::fixed_day(day),
        )
        .expect("open");
        let text = "id,name,stage,agreement_signed_on\n,Packed Co,active,2026-11-01\n";
        let decoded = decode(text.as_bytes()).expect("decodes");
        let (_, outcome) = store
            .import(
                Kind::Customers,
                "c.csv",
                &decoded,
                ImportOptions::default(),
                &mut |_, _, _| {},
            )
            .expect("import");
        let Outcome::Applied(batch) = outcome else {
            panic!("{outcome:?}");
        };
        // One packed change row for the new customer…
        let rows: i64 = store
            .db()
            .value(
                "SELECT count(*) FROM changes WHERE batch_id = ?1",
                crate::store::db::args![batch],
            )
            .expect("count");
        assert_eq!(rows, 1);
        // …which the review's history reads as the stage it was created with.
        let history = store.followed_history(day).expect("history");
        assert_eq!(history.len(), 1, "{history:?}");
        assert_eq!(history[0].field, "stage");
        assert_eq!(
            (history[0].old.as_deref(), history[0].new.as_deref()),
            (None, Some("active"))
        );
    }
}
