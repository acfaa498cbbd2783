//! Live-data entries: one row per customer and day, one typed column per
//! field.

use super::changelog::Writer;
use super::db::args;
use super::values::{Row, int, text};
use super::{Result, Store};
use crate::domain::RecordKind;
use chrono::NaiveDate;
use rusqlite::types::Value;

impl Writer<'_> {
    /// Adds an entry with `(field id, value)` pairs already validated.
    pub fn add_entry(
        &mut self,
        customer_id: i64,
        recorded_on: NaiveDate,
        values: &[(i64, Value)],
    ) -> Result<i64> {
        let mut row: Row = vec![
            ("customer_id".into(), int(customer_id)),
            ("recorded_on".into(), text(&recorded_on.to_string())),
        ];
        row.extend(values.iter().map(|(id, v)| (format!("f_{id}"), v.clone())));
        self.insert(RecordKind::Entry, &row)
    }
}

impl Store {
    /// How many entries the workspace holds.
    pub fn entry_count(&self) -> Result<i64> {
        self.db().value("SELECT count(*) FROM entries", args![])
    }

    /// The newest entry date, if any.
    pub fn latest_entry_date(&self) -> Result<Option<String>> {
        self.db()
            .value("SELECT max(recorded_on) FROM entries", args![])
    }
}
