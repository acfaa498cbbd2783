//! The fast path for new live-data rows, the bulk of any large import: the
//! customer resolved by name, the field's min/max checked, and the new
//! entries logged as one range row (or, keeping the file's ids, one packed
//! change row each). On SQLite, one prepared INSERT per file (and one of
//! [`MANY`] rows); on a server, rows staged in `COPY`'s text format and
//! sent [`COPY_ROWS`] at a time (`copy.rs`), under ids the import writes
//! itself, which the server's next key then follows (`concierge_sync_ids`).
//! The table's UNIQUE (customer, day) index does the uniqueness check: a
//! row for a day that already had an entry is handed back to be planned as
//! a change, and one repeating a day this file added is refused as the
//! rules refuse it. (On a server a refused statement would end the
//! transaction: a `COPY` runs inside a savepoint, and a single row is
//! looked up before it is inserted.)

use super::super::RowError;
use super::super::rules::out_of_range;
use super::super::values::{Refs, to_sql};
use crate::interchange::spec::{Conv, RefKind, Spec};

mod bound;
mod copy;
use crate::domain::{RecordKey, RecordKind};
use crate::sheet::{ParsedRow, Problem, Schema, SheetError, Value};
use crate::store::StoredValue;
use crate::store::changelog::packed::pack_into;
use crate::store::db::{Db, args};
use crate::store::{Result, StoreError, Writer};
use bound::Bound;
use copy::Copy;
use rusqlite::{Connection, ErrorCode, Statement};

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

/// Rows per `COPY` on a server ([`EntryInserter::stage`]).
pub(crate) const COPY_ROWS: usize = 10_000;

/// SQLite's limit on a statement's parameters (`SQLITE_MAX_VARIABLE_NUMBER`
/// as libsqlite3-sys builds it): a workspace with so many fields that
/// [`MANY`] rows would pass it writes one row at a time.
const MAX_PARAMETERS: usize = 32_766;

/// Where a row's cells go.
#[derive(Clone, Copy)]
enum Slot {
    /// The one-row INSERT.
    One,
    /// Row `n` of the multi-row INSERT (SQLite).
    Many(usize),
    /// The rows staged for `COPY` (a server).
    Copy,
}

/// How new entries reach the table.
enum Sink<'t> {
    Sqlite {
        /// The INSERT, prepared once: binding and stepping it is most of
        /// an import's time, so nothing per row goes through the
        /// statement cache.
        insert: Statement<'t>,
        /// The same for [`MANY`] rows at once: one step opens the table
        /// and its index once and keeps their cursors at the end where
        /// the rows go, instead of seeking from the root for every row
        /// (1M-row benchmark: see BENCHMARKS.md).
        many: Option<Statement<'t>>,
    },
    Postgres(Copy),
}

/// Inserts new entries for one import.
pub(crate) struct EntryInserter<'t> {
    sink: Sink<'t>,
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
        db: &'t Db,
        spec: &Spec,
        schema: &Schema,
        present: &[usize],
        stamp: &StoredValue,
        max_before: i64,
    ) -> Result<Self> {
        let columns: Vec<(usize, String)> = present
            .iter()
            .filter(|c| !spec.cols[**c].sql.is_empty())
            .map(|c| (*c, spec.cols[*c].sql.clone()))
            .collect();
        let names: Vec<&str> = columns.iter().map(|(_, n)| n.as_str()).collect();
        let sink = match db.sqlite() {
            Some(conn) => sqlite_sink(conn, &names, stamp)?,
            None => Sink::Postgres(Copy::new(&names, stamp)),
        };
        let required = (0..schema.columns.len())
            .filter(|c| schema.columns[*c].required)
            .collect();
        let at = |name: &str| columns.iter().position(|(_, n)| n == name);
        Ok(EntryInserter {
            customer_at: at("customer_id"),
            day_at: at("recorded_on"),
            sink,
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

    /// Whether new entries are staged for a server's `COPY`
    /// ([`EntryInserter::stage`]) rather than inserted as they come.
    pub fn copies(&self) -> bool {
        matches!(self.sink, Sink::Postgres(_))
    }

    /// Whether a row can be staged now: its id follows the largest one
    /// (not past `i64::MAX`, where the server draws ids one by one).
    pub fn can_stage(&self) -> bool {
        self.copies() && self.max_id < i64::MAX - COPY_ROWS as i64
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
        let has_many = matches!(self.sink, Sink::Sqlite { many: Some(_), .. });
        if !has_many || self.max_id > i64::MAX - MANY as i64 {
            return Ok(false);
        }
        let mut refused = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            self.bind_cells(Slot::Many(r), w, rules, row, None, &mut refused)?;
            if !refused.is_empty() {
                return Ok(false);
            }
        }
        let Sink::Sqlite {
            many: Some(many), ..
        } = &mut self.sink
        else {
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
        if w.db().sqlite().map(Connection::last_insert_rowid) != Some(last) {
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
        let id = match &mut self.sink {
            Sink::Sqlite { insert, .. } => {
                let at = self.columns.len();
                let (id, rev) = kept.map_or((None, 1), |(id, rev)| (Some(id), rev));
                insert.raw_bind_parameter(at + 3, rev)?;
                insert.raw_bind_parameter(at + 4, id)?;
                match insert.raw_execute() {
                    Ok(_) => {}
                    Err(rusqlite::Error::SqliteFailure(e, _))
                        if e.code == ErrorCode::ConstraintViolation =>
                    {
                        let other = self.existing(w)?;
                        return Ok(self.clash(other, row, kept, errors));
                    }
                    Err(e) => return Err(e.into()),
                }
                w.db().sqlite().map_or(0, Connection::last_insert_rowid)
            }
            Sink::Postgres(_) => {
                // Looked up first: a refused INSERT would end the
                // server's transaction.
                if let Some(other) = self.existing(w)? {
                    return Ok(self.clash(Some(other), row, kept, errors));
                }
                if kept.is_none() {
                    self.ids_from_server(w.db())?;
                }
                // Past the largest id nothing follows: the server draws one.
                let next = self.max_id.checked_add(1);
                let (id, rev) = kept.map_or((next, 1), |(id, rev)| (Some(id), rev));
                match &mut self.sink {
                    Sink::Postgres(copy) => copy.insert(w.db(), id, rev)?,
                    Sink::Sqlite { .. } => 0,
                }
            }
        };
        self.max_id = self.max_id.max(id);
        if let Some((_, rev)) = kept {
            // The file's own id and rev: logged with its values, as any
            // imported record (`at_rev` needs the create's rev).
            let mut values = Vec::with_capacity(self.columns.len());
            for (c, name) in &self.columns {
                let value = match &row.cells[*c] {
                    Some(v) if !v.is_empty() => match to_sql(w.db(), &spec.cols[*c], v, refs)? {
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
        if let Sink::Postgres(copy) = &mut self.sink {
            copy.start_row();
        }
        for at in 0..self.columns.len() {
            let c = self.columns[at].0;
            let col = &spec.cols[c];
            let bound = match &row.cells[c] {
                None => Bound::Null,
                Some(v) if v.is_empty() => Bound::Null,
                Some(Value::Text(text)) if col.conv == Conv::Ref(RefKind::Customer) => {
                    match refs.resolve(w.db(), RefKind::Customer, text)? {
                        Ok(id) => Bound::Int(id),
                        Err(reason) => {
                            let mut e = fail(&col.header, reason);
                            e.value = Some(text.clone());
                            errors.push(e);
                            continue;
                        }
                    }
                }
                Some(v) => match Bound::of(w.db(), col, v, refs)? {
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
            let width = self.columns.len();
            match (&mut self.sink, slot) {
                (Sink::Sqlite { insert, .. }, Slot::One) => bound.bind(insert, at + 1)?,
                (
                    Sink::Sqlite {
                        many: Some(many), ..
                    },
                    Slot::Many(r),
                ) => bound.bind(many, 2 + r * width + at)?,
                (Sink::Postgres(copy), Slot::One) => copy.arg(&bound),
                (Sink::Postgres(copy), Slot::Copy) => copy.cell(at, &bound),
                _ => {}
            }
        }
        Ok(())
    }

    /// Checks `row` (no id, no errors) and stages it for the server's
    /// `COPY` under the next id; false when it is refused (the reasons were
    /// pushed). Nothing reaches the server before [`EntryInserter::send`].
    pub fn stage(
        &mut self,
        w: &Writer<'_>,
        rules: &Rules<'_>,
        row: &ParsedRow,
        errors: &mut Vec<RowError>,
    ) -> Result<bool> {
        let before = errors.len();
        self.bind_cells(Slot::Copy, w, rules, row, None, errors)?;
        if errors.len() > before {
            return Ok(false);
        }
        self.ids_from_server(w.db())?;
        let next = self.max_id + 1;
        let Sink::Postgres(copy) = &mut self.sink else {
            return Ok(false);
        };
        copy.end_row(next);
        self.max_id = next;
        Ok(true)
    }

    /// Sends the staged rows with one `COPY`: true when the server took
    /// them all; false when a unique index refused one (a day the
    /// customer already had), and then none of them was kept and their
    /// ids are free again.
    pub fn send(&mut self, w: &mut Writer<'_>) -> Result<bool> {
        let Sink::Postgres(copy) = &mut self.sink else {
            return Ok(true);
        };
        let Some(first) = copy.staged_from() else {
            return Ok(true);
        };
        let sent = copy.send(w.db())?;
        if sent {
            let last = self.max_id;
            self.extend_run(w, first, last)?;
        } else {
            self.max_id = first - 1;
        }
        Ok(sent)
    }

    /// On a server, before this import's first id: locks the table
    /// against others' inserts (until the import commits or rolls back)
    /// and starts after the largest id in the table and any the server's
    /// sequence has handed out, so the ids the import writes itself are
    /// nobody else's.
    fn ids_from_server(&mut self, db: &Db) -> Result<()> {
        let Sink::Postgres(copy) = &mut self.sink else {
            return Ok(());
        };
        if copy.locked {
            return Ok(());
        }
        db.execute_batch("LOCK TABLE entries IN SHARE ROW EXCLUSIVE MODE")?;
        let taken: i64 = db.value(
            "SELECT greatest(coalesce(max(id), 0), coalesce(pg_sequence_last_value(
                 pg_get_serial_sequence('entries', 'id')::regclass), 0)) FROM entries",
            args![],
        )?;
        copy.locked = true;
        self.max_id = self.max_id.max(taken);
        Ok(())
    }

    /// The entry the last row's customer has on its day, if any.
    fn existing(&self, w: &Writer<'_>) -> Result<Option<i64>> {
        w.db().query_opt(
            "SELECT id FROM entries WHERE customer_id = ?1 AND recorded_on = ?2",
            args![self.customer, self.day],
            |r| r.get(0),
        )
    }

    /// After an insert refused (or, on a server, found to clash): an entry
    /// the customer had that day (`other`) before this import is for the
    /// planner; one this import added is a clash.
    fn clash(
        &self,
        other: Option<i64>,
        row: &ParsedRow,
        kept: Option<(i64, i64)>,
        errors: &mut Vec<RowError>,
    ) -> Fast {
        match other {
            Some(other) if other <= self.max_before && kept.is_none() => Fast::Exists(other),
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
                Fast::Refused
            }
            // Another constraint (an id the file keeps twice is caught
            // before): report it as the store words it.
            None => {
                let mut e = RowError::at(row.data_row, row.line, None, "refused by the workspace");
                e.id = kept.map(|(id, _)| RecordKey::new(RecordKind::Entry, id).to_string());
                errors.push(e);
                Fast::Refused
            }
        }
    }
}

/// The prepared INSERTs of a file workspace.
fn sqlite_sink<'t>(conn: &'t Connection, names: &[&str], stamp: &StoredValue) -> Result<Sink<'t>> {
    let width = names.len();
    let marks = vec!["?"; width + 4].join(", ");
    let mut insert = conn.prepare(&format!(
        "INSERT INTO entries ({}, created_at, updated_at, rev, id) VALUES ({marks})",
        names.join(", ")
    ))?;
    insert.raw_bind_parameter(width + 1, stamp)?;
    insert.raw_bind_parameter(width + 2, stamp)?;
    // Row r's cells are ?(2 + r * width + c); ?1 is the time of the batch.
    let tuples: Vec<String> = (0..MANY)
        .map(|r| {
            let marks: Vec<String> = (0..width)
                .map(|c| format!("?{}", 2 + r * width + c))
                .collect();
            format!("({}, ?1, ?1, 1, NULL)", marks.join(", "))
        })
        .collect();
    let many = if MANY * width < MAX_PARAMETERS {
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
    Ok(Sink::Sqlite { insert, many })
}
