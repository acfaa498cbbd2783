//! The fast path for new live-data rows, the bulk of any large import: one
//! prepared INSERT per file, the customer resolved by name, the field's
//! min/max checked, and one packed change row per entry. The table's
//! UNIQUE (customer, day) index does the uniqueness check: a row for a day
//! that already had an entry is handed back to be planned as a change, and
//! one repeating a day this file added is refused as the rules refuse it.

use super::super::RowError;
use super::super::rules::out_of_range;
use super::super::values::{Refs, to_sql};
use crate::interchange::spec::{Conv, RefKind, Spec};

mod bound;
use crate::domain::{RecordKey, RecordKind};
use crate::sheet::{ParsedRow, Problem, Schema, SheetError, Value};
use crate::store::changelog::packed::pack_into;
use crate::store::{Result, StoreError, Writer};
use bound::Bound;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Statement, params};

/// What became of one row.
pub(crate) enum Fast {
    Inserted,
    /// The customer already had an entry that day, before this import.
    Exists(i64),
    /// Refused; the reasons were pushed.
    Refused,
}

/// What each row is checked against: the kind's columns, the file's
/// schema and the columns it has, the references it may name.
pub(crate) struct Rules<'a> {
    pub spec: &'a Spec,
    pub schema: &'a Schema,
    pub present: &'a [usize],
    pub refs: &'a Refs,
}

/// Rows per multi-row INSERT ([`EntryInserter::insert_many`]).
pub(crate) const MANY: usize = 32;

/// SQLite's limit on a statement's parameters (`SQLITE_MAX_VARIABLE_NUMBER`
/// as libsqlite3-sys builds it): a workspace with so many fields that
/// [`MANY`] rows would pass it writes one row at a time.
const MAX_PARAMETERS: usize = 32_766;

/// Which prepared INSERT a row's cells are bound to.
#[derive(Clone, Copy)]
enum Slot {
    /// The one-row INSERT.
    One,
    /// Row `n` of the multi-row INSERT.
    Many(usize),
}

/// Inserts new entries for one import.
pub(crate) struct EntryInserter<'t> {
    /// The INSERT, prepared once: binding and stepping it is most of an
    /// import's time, so nothing per row goes through the statement cache.
    insert: Statement<'t>,
    /// The same for [`MANY`] rows at once: one step opens the table and
    /// its index once and keeps their cursors at the end where the rows
    /// go, instead of seeking from the root for every row (1M-row
    /// benchmark: see BENCHMARKS.md).
    many: Option<Statement<'t>>,
    /// Spec columns the file has (the others stay NULL), and their SQL names.
    columns: Vec<(usize, String)>,
    /// Of those, the positions of the customer and the day.
    customer_at: Option<usize>,
    day_at: Option<usize>,
    /// Schema columns a new row must fill.
    required: Vec<usize>,
    /// The last row's customer and day, for [`EntryInserter::clash`].
    customer: Option<i64>,
    day: String,
    packed: String,
    /// Entries with a larger id were added by this import.
    max_before: i64,
    /// The largest id in the table now: generated ids follow it, one by
    /// one, as long as it is below `i64::MAX` (then SQLite picks any
    /// unused id).
    max_id: i64,
    /// New entries with generated ids not logged yet: a run of ids.
    run: Option<(i64, i64)>,
}

impl<'t> EntryInserter<'t> {
    pub fn new(
        conn: &'t Connection,
        spec: &Spec,
        schema: &Schema,
        present: &[usize],
        stamp: &rusqlite::types::Value,
        max_before: i64,
    ) -> Result<Self> {
        let columns: Vec<(usize, String)> = present
            .iter()
            .filter(|c| !spec.cols[**c].sql.is_empty())
            .map(|c| (*c, spec.cols[*c].sql.clone()))
            .collect();
        let names: Vec<&str> = columns.iter().map(|(_, n)| n.as_str()).collect();
        let marks = vec!["?"; columns.len() + 4].join(", ");
        let mut insert = conn.prepare(&format!(
            "INSERT INTO entries ({}, created_at, updated_at, rev, id) VALUES ({marks})",
            names.join(", ")
        ))?;
        let at = columns.len();
        insert.raw_bind_parameter(at + 1, stamp)?;
        insert.raw_bind_parameter(at + 2, stamp)?;
        // Row r's cells are ?(2 + r * width + c); ?1 is the time of the batch.
        let tuples: Vec<String> = (0..MANY)
            .map(|r| {
                let marks: Vec<String> = (0..at).map(|c| format!("?{}", 2 + r * at + c)).collect();
                format!("({}, ?1, ?1, 1, NULL)", marks.join(", "))
            })
            .collect();
        let many = if MANY * at < MAX_PARAMETERS {
            let mut many = conn.prepare(&format!(
                "INSERT INTO entries ({}, created_at, updated_at, rev, id) VALUES {}",
                names.join(", "),
                tuples.join(", ")
            ))?;
            many.raw_bind_parameter(1, stamp)?;
            Some(many)
        } else {
            None
        };
        let required = (0..schema.columns.len())
            .filter(|c| schema.columns[*c].required)
            .collect();
        let at = |name: &str| columns.iter().position(|(_, n)| n == name);
        Ok(EntryInserter {
            customer_at: at("customer_id"),
            day_at: at("recorded_on"),
            insert,
            many,
            columns,
            required,
            customer: None,
            day: String::new(),
            packed: String::new(),
            max_before,
            max_id: max_before,
            run: None,
        })
    }

    /// Logs the pending run of new entries as one range row.
    pub fn flush(&mut self, w: &mut Writer<'_>) -> Result<()> {
        if let Some((first, last)) = self.run.take() {
            w.log_created_range(RecordKind::Entry, first, last)?;
        }
        Ok(())
    }

    /// Inserts `rows` (no ids, no errors) with one statement of [`MANY`]
    /// rows: true when every one was inserted. False when any row is
    /// refused (a cell's check, or a day the customer already has): then
    /// nothing of them was written (SQLite undoes the statement) and each
    /// goes through [`EntryInserter::insert`], which tells why.
    pub fn insert_many(
        &mut self,
        w: &mut Writer<'_>,
        rules: &Rules<'_>,
        rows: &[&ParsedRow],
    ) -> Result<bool> {
        debug_assert_eq!(rows.len(), MANY);
        if self.many.is_none() || self.max_id > i64::MAX - MANY as i64 {
            return Ok(false);
        }
        let mut refused = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            self.bind_cells(Slot::Many(r), w, rules, row, None, &mut refused)?;
            if !refused.is_empty() {
                return Ok(false);
            }
        }
        let Some(many) = &mut self.many else {
            return Ok(false);
        };
        match many.raw_execute() {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == ErrorCode::ConstraintViolation =>
            {
                return Ok(false);
            }
            Err(e) => return Err(e.into()),
        }
        // Generated ids follow the largest one: the rows took the next
        // MANY of them, in order.
        let (first, last) = (self.max_id + 1, self.max_id + MANY as i64);
        if w.tx().last_insert_rowid() != last {
            return Err(StoreError::Refused(format!(
                "new entries did not take ids E-{first} to E-{last} as expected; nothing was imported"
            )));
        }
        self.max_id = last;
        self.extend_run(w, first, last)?;
        Ok(true)
    }

    /// Inserts `row` (no id, no errors), as (id, rev) when `kept`.
    pub fn insert(
        &mut self,
        w: &mut Writer<'_>,
        rules: &Rules<'_>,
        row: &ParsedRow,
        kept: Option<(i64, i64)>,
        errors: &mut Vec<RowError>,
    ) -> Result<Fast> {
        let before = errors.len();
        self.bind_cells(Slot::One, w, rules, row, kept, errors)?;
        let Rules { spec, refs, .. } = *rules;
        if errors.len() > before {
            return Ok(Fast::Refused);
        }
        let at = self.columns.len();
        let (id, rev) = kept.map_or((None, 1), |(id, rev)| (Some(id), rev));
        self.insert.raw_bind_parameter(at + 3, rev)?;
        self.insert.raw_bind_parameter(at + 4, id)?;
        match self.insert.raw_execute() {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == ErrorCode::ConstraintViolation =>
            {
                return self.clash(w, row, kept, errors);
            }
            Err(e) => return Err(e.into()),
        }
        let id = w.tx().last_insert_rowid();
        self.max_id = self.max_id.max(id);
        if let Some((_, rev)) = kept {
            // The file's own id and rev: logged with its values, as any
            // imported record (`at_rev` needs the create's rev).
            let mut values = Vec::with_capacity(self.columns.len());
            for (c, name) in &self.columns {
                let value = match &row.cells[*c] {
                    Some(v) if !v.is_empty() => match to_sql(w.tx(), &spec.cols[*c], v, refs)? {
                        Ok(value) => value,
                        Err(_) => continue,
                    },
                    _ => continue,
                };
                values.push((name.as_str(), value));
            }
            pack_into(&mut self.packed, values.iter().map(|(n, v)| (*n, v)));
            w.log_packed_create(RecordKind::Entry, id, &self.packed, rev)?;
            return Ok(Fast::Inserted);
        }
        self.extend_run(w, id, id)?;
        Ok(Fast::Inserted)
    }

    /// Adds the new entries `first..=last` (generated ids) to the run
    /// logged as one range row, logging the run before when they do not
    /// follow it.
    fn extend_run(&mut self, w: &mut Writer<'_>, first: i64, last: i64) -> Result<()> {
        self.run = match self.run {
            Some((start, end)) if first == end + 1 => Some((start, last)),
            other => {
                if let Some((start, end)) = other {
                    w.log_created_range(RecordKind::Entry, start, end)?;
                }
                Some((first, last))
            }
        };
        Ok(())
    }

    /// Checks `row`'s cells and binds them to the INSERT `slot`, pushing
    /// what is wrong to `errors`.
    fn bind_cells(
        &mut self,
        slot: Slot,
        w: &Writer<'_>,
        rules: &Rules<'_>,
        row: &ParsedRow,
        kept: Option<(i64, i64)>,
        errors: &mut Vec<RowError>,
    ) -> Result<()> {
        let Rules {
            spec,
            schema,
            present,
            refs,
        } = *rules;
        let fail = |column: &str, reason: String| {
            let mut e = RowError::at(row.data_row, row.line, Some(column), reason);
            e.id = kept.map(|(id, _)| RecordKey::new(RecordKind::Entry, id).to_string());
            e
        };
        for &c in &self.required {
            let blank = row.cells[c].as_ref().is_none_or(Value::is_empty);
            if blank || !present.contains(&c) {
                let e = SheetError::new(row.data_row, row.line, Problem::RequiredForNewRow)
                    .in_column(&schema.columns[c].name);
                errors.push(RowError::from(&e));
            }
        }
        self.customer = None;
        for (at, (c, _)) in self.columns.iter().enumerate() {
            let col = &spec.cols[*c];
            let bound = match &row.cells[*c] {
                None => Bound::Null,
                Some(v) if v.is_empty() => Bound::Null,
                Some(Value::Text(text)) if col.conv == Conv::Ref(RefKind::Customer) => {
                    match refs.resolve(w.tx(), RefKind::Customer, text)? {
                        Ok(id) => Bound::Int(id),
                        Err(reason) => {
                            let mut e = fail(&col.header, reason);
                            e.value = Some(text.clone());
                            errors.push(e);
                            continue;
                        }
                    }
                }
                Some(v) => match Bound::of(w.tx(), col, v, refs)? {
                    Ok(bound) => bound,
                    Err(reason) => {
                        errors.push(fail(&col.header, reason));
                        continue;
                    }
                },
            };
            let number = match bound {
                Bound::Int(i) => Some(i as f64),
                Bound::Real(x) => Some(x),
                _ => None,
            };
            if let Some(reason) = number.and_then(|x| out_of_range(x, col.bounds)) {
                errors.push(fail(&col.header, reason));
            }
            if Some(at) == self.customer_at {
                self.customer = bound.int();
            } else if Some(at) == self.day_at {
                bound.text_into(&mut self.day);
            }
            match slot {
                Slot::One => bound.bind(&mut self.insert, at + 1)?,
                Slot::Many(r) => {
                    if let Some(many) = &mut self.many {
                        bound.bind(many, 2 + r * self.columns.len() + at)?;
                    }
                }
            }
        }
        Ok(())
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
            .query_row(params![self.customer, self.day], |r| r.get(0))
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
