//! The fast path for new live-data rows, the bulk of any large import: one
//! prepared INSERT per file, the customer resolved by name, the field's
//! min/max checked, and one packed change row per entry. The table's
//! UNIQUE (customer, day) index does the uniqueness check: a row for a day
//! that already had an entry is handed back to be planned as a change, and
//! one repeating a day this file added is refused as the rules refuse it.

use super::super::RowError;
use super::super::rules::out_of_range;
use super::super::spec::{Conv, RefKind, Spec};
use super::super::values::{Refs, to_sql};
use crate::domain::{RecordKey, RecordKind};
use crate::sheet::{ParsedRow, Problem, Schema, SheetError, Value};
use crate::store::changelog::packed::pack_into;
use crate::store::{Result, Writer};
use rusqlite::types::Value as Sql;
use rusqlite::{ErrorCode, OptionalExtension, params, params_from_iter};

/// What became of one row.
pub(crate) enum Fast {
    Inserted,
    /// The customer already had an entry that day, before this import.
    Exists(i64),
    /// Refused; the reasons were pushed.
    Refused,
}

/// Inserts new entries for one import.
pub(crate) struct EntryInserter {
    sql: String,
    /// Spec columns the file has (the others stay NULL), and their SQL names.
    columns: Vec<(usize, String)>,
    values: Vec<Sql>,
    packed: String,
    now: Sql,
    /// Entries with a larger id were added by this import.
    max_before: i64,
    /// New entries with generated ids not logged yet: a run of ids.
    run: Option<(i64, i64)>,
}

impl EntryInserter {
    pub fn new(spec: &Spec, present: &[usize], now: &str, max_before: i64) -> Self {
        let columns: Vec<(usize, String)> = present
            .iter()
            .filter(|c| !spec.cols[**c].sql.is_empty())
            .map(|c| (*c, spec.cols[*c].sql.clone()))
            .collect();
        let names: Vec<&str> = columns.iter().map(|(_, n)| n.as_str()).collect();
        let marks = vec!["?"; columns.len() + 4].join(", ");
        EntryInserter {
            sql: format!(
                "INSERT INTO entries ({}, created_at, updated_at, rev, id) VALUES ({marks})",
                names.join(", ")
            ),
            columns,
            values: Vec::new(),
            packed: String::new(),
            now: Sql::Text(now.to_owned()),
            max_before,
            run: None,
        }
    }

    /// Logs the pending run of new entries as one range row.
    pub fn flush(&mut self, w: &mut Writer<'_>) -> Result<()> {
        if let Some((first, last)) = self.run.take() {
            w.log_created_range(RecordKind::Entry, first, last)?;
        }
        Ok(())
    }

    /// Inserts `row` (no id, no errors), as (id, rev) when `kept`.
    #[allow(clippy::too_many_arguments)]
    pub fn insert(
        &mut self,
        w: &mut Writer<'_>,
        spec: &Spec,
        schema: &Schema,
        present: &[usize],
        refs: &Refs,
        row: &ParsedRow,
        kept: Option<(i64, i64)>,
        errors: &mut Vec<RowError>,
    ) -> Result<Fast> {
        let fail = |column: &str, reason: String| {
            let mut e = RowError::at(row.data_row, row.line, Some(column), reason);
            e.id = kept.map(|(id, _)| RecordKey::new(RecordKind::Entry, id).to_string());
            e
        };
        let before = errors.len();
        for (c, column) in schema.columns.iter().enumerate() {
            let blank = row.cells[c].as_ref().is_none_or(Value::is_empty);
            if column.required && (blank || !present.contains(&c)) {
                let e = SheetError::new(row.data_row, row.line, Problem::RequiredForNewRow)
                    .in_column(&column.name);
                errors.push(RowError::from(&e));
            }
        }
        self.values.clear();
        for &(c, _) in &self.columns {
            let col = &spec.cols[c];
            let value = match &row.cells[c] {
                None => Sql::Null,
                Some(v) if v.is_empty() => Sql::Null,
                Some(Value::Text(name)) if col.conv == Conv::Ref(RefKind::Customer) => {
                    match refs.resolve(w.tx(), RefKind::Customer, name)? {
                        Ok(id) => Sql::Integer(id),
                        Err(reason) => {
                            let mut e = fail(&col.header, reason);
                            e.value = Some(name.clone());
                            errors.push(e);
                            continue;
                        }
                    }
                }
                Some(v) => match to_sql(w.tx(), col, v, refs)? {
                    Ok(value) => value,
                    Err(reason) => {
                        errors.push(fail(&col.header, reason));
                        continue;
                    }
                },
            };
            let number = match value {
                Sql::Integer(i) => Some(i as f64),
                Sql::Real(x) => Some(x),
                _ => None,
            };
            if let Some(reason) = number.and_then(|x| out_of_range(x, col.bounds)) {
                errors.push(fail(&col.header, reason));
            }
            self.values.push(value);
        }
        if errors.len() > before {
            return Ok(Fast::Refused);
        }
        let (id, rev) = kept.map_or((Sql::Null, 1), |(id, rev)| (Sql::Integer(id), rev));
        let now = &self.now;
        let inserted = w.tx().prepare_cached(&self.sql)?.execute(params_from_iter(
            self.values
                .iter()
                .chain([now, now, &Sql::Integer(rev), &id]),
        ));
        match inserted {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == ErrorCode::ConstraintViolation =>
            {
                return self.clash(w, row, kept, errors);
            }
            Err(e) => return Err(e.into()),
        }
        let id = w.tx().last_insert_rowid();
        if kept.is_some() {
            // The file's own id and rev: logged with its values, as any
            // imported record (`at_rev` needs the create's rev).
            let pairs = self
                .columns
                .iter()
                .zip(&self.values)
                .filter(|(_, v)| **v != Sql::Null)
                .map(|((_, c), v)| (c.as_str(), v));
            pack_into(&mut self.packed, pairs);
            w.log_packed_create(RecordKind::Entry, id, &self.packed, rev)?;
            return Ok(Fast::Inserted);
        }
        self.run = match self.run {
            Some((first, last)) if id == last + 1 => Some((first, id)),
            other => {
                if let Some((first, last)) = other {
                    w.log_created_range(RecordKind::Entry, first, last)?;
                }
                Some((id, id))
            }
        };
        Ok(Fast::Inserted)
    }

    /// The value bound for an SQL column in the last row (NULL if absent).
    fn value(&self, sql: &str) -> &Sql {
        self.columns
            .iter()
            .position(|(_, n)| n == sql)
            .and_then(|i| self.values.get(i))
            .unwrap_or(&Sql::Null)
    }

    /// After a refused insert: an entry the customer had that day before
    /// this import is for the planner; one this import added is a clash.
    fn clash(
        &self,
        w: &Writer<'_>,
        row: &ParsedRow,
        kept: Option<(i64, i64)>,
        errors: &mut Vec<RowError>,
    ) -> Result<Fast> {
        let other: Option<i64> = w
            .tx()
            .prepare_cached("SELECT id FROM entries WHERE customer_id = ?1 AND recorded_on = ?2")?
            .query_row(
                params![self.value("customer_id"), self.value("recorded_on")],
                |r| r.get(0),
            )
            .optional()?;
        match other {
            Some(other) if other <= self.max_before && kept.is_none() => Ok(Fast::Exists(other)),
            Some(other) => {
                let key = RecordKey::new(RecordKind::Entry, other);
                let mut e = RowError::at(
                    row.data_row,
                    row.line,
                    Some("recorded_on"),
                    format!("{key} already holds this customer's data for this day"),
                );
                e.id = kept.map(|(id, _)| RecordKey::new(RecordKind::Entry, id).to_string());
                errors.push(e);
                Ok(Fast::Refused)
            }
            // Another constraint (an id the file keeps twice is caught
            // before): report it as the store words it.
            None => {
                let mut e = RowError::at(row.data_row, row.line, None, "refused by the workspace");
                e.id = kept.map(|(id, _)| RecordKey::new(RecordKind::Entry, id).to_string());
                errors.push(e);
                Ok(Fast::Refused)
            }
        }
    }
}
