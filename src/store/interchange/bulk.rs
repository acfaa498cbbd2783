//! Importing a large file without holding it: `sheet::open_stream` surveys
//! the file, then each row is planned and written as it is read, inside the
//! one transaction of the import's batch. "Nothing written while any error
//! remains" holds because that transaction is rolled back at the end when
//! any row was refused (or on `--dry-run`): a reader never sees a part of it,
//! and a crash leaves none of it. Memory holds one chunk of the file, the
//! ids seen (a bitmap) and a bounded sample for the report.
//!
//! Rows with an id are read in a first pass and rows without in a second,
//! so that, as in the in-memory import, changes come before new records and
//! a generated id never takes a number a later row keeps. When a column's
//! day/month order is settled only by the stored records, the batch is
//! rolled back and the file read again with that order.

mod entries;
mod journal;
mod rows;
mod seen;

use super::import::spec_in;
use super::rules::RowCtx;
use super::values::{Refs, all_ids_after};
use super::{
    ImportOptions, InterchangeError, Kind, Outcome, Progress, RowError, apply, import::finish,
    rollback,
};
use crate::domain::RecordKey;
use crate::sheet::cell::DateOrder;
use crate::sheet::{
    ChangedRow, Conflict, Encoding, FileColumn, NewRow, Opened, Problem, RowFilter, START_BYTES,
    Schema, SheetStream, Survey, open_stream,
};
use crate::store::{Store, StoreError};
use entries::EntryInserter;
use rows::Importer;
use std::ops::ControlFlow;
use std::path::Path;

/// What a streamed import found and did: counts, and the first few of each.
#[derive(Debug, Clone)]
pub struct BulkReport {
    pub kind: Kind,
    pub source: String,
    pub schema: Schema,
    pub encoding: Option<Encoding>,
    pub delimiter: char,
    pub columns: Vec<FileColumn>,
    pub unknown_columns: Vec<String>,
    /// Data rows read (blank ones not counted).
    pub rows: usize,
    pub new: usize,
    pub changed: usize,
    pub changed_cells: usize,
    pub unchanged: usize,
    pub conflicts: usize,
    pub open_conflicts: usize,
    pub deleted: usize,
    pub errors: usize,
    /// Data rows with at least one error (counted in none of new, changed
    /// or unchanged: the four add up to `rows`).
    pub error_rows: usize,
    pub new_sample: Vec<NewRow>,
    pub changed_sample: Vec<ChangedRow>,
    pub conflict_sample: Vec<Conflict>,
    pub deleted_sample: Vec<String>,
    /// Sorted by position.
    pub error_sample: Vec<RowError>,
}

impl BulkReport {
    fn new(kind: Kind, source: &str, stream: &SheetStream, schema: Schema) -> Self {
        BulkReport {
            kind,
            source: source.to_owned(),
            schema,
            encoding: stream.sheet.encoding,
            delimiter: stream.sheet.delimiter,
            columns: stream.sheet.columns.clone(),
            unknown_columns: stream.sheet.unknown_columns.clone(),
            rows: stream.records,
            new: 0,
            changed: 0,
            changed_cells: 0,
            unchanged: 0,
            conflicts: 0,
            open_conflicts: 0,
            deleted: 0,
            errors: 0,
            error_rows: 0,
            new_sample: Vec::new(),
            changed_sample: Vec::new(),
            conflict_sample: Vec::new(),
            deleted_sample: Vec::new(),
            error_sample: Vec::new(),
        }
    }
}

/// How often progress is reported, in rows.
const TICK: usize = 10_000;

/// The page cache while a streamed import writes, in KiB.
const BULK_CACHE_KB: i64 = 8 * 1024;

impl Store {
    /// Imports the file at `path` as `kind`, streaming it (see the module
    /// doc). `Ok(None)` when the file is not UTF-8: read it whole and use
    /// [`Store::import`], which names its encoding or problem.
    pub fn import_file(
        &mut self,
        kind: Kind,
        path: &Path,
        options: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<Option<(BulkReport, Outcome)>, InterchangeError> {
        self.import_file_surveying(kind, path, options, progress, Survey::Start(START_BYTES))
    }

    /// [`Store::import_file`], surveying the file as `survey` says before
    /// the first row is written: only its start, by default, and all of
    /// it when the rows read show the rest differs.
    pub fn import_file_surveying(
        &mut self,
        kind: Kind,
        path: &Path,
        options: ImportOptions,
        progress: Progress<'_>,
        survey: Survey,
    ) -> Result<Option<(BulkReport, Outcome)>, InterchangeError> {
        let spec = spec_in(&self.conn, kind)?;
        let schema = spec.schema();
        let source = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let mut stream = match open_stream(path, &schema, survey).map_err(cannot_read(path))? {
            Opened::ReadWhole => return Ok(None),
            Opened::Stream(stream) => stream,
        };
        if stream.surveyed_whole() {
            progress("read", stream.records, stream.records);
        }
        // A bigger page cache while the batch is written keeps the index's
        // pages in memory instead of spilling them again and again (the
        // default is 2 MB); memory stays well under SPEC's 32 MB.
        let cache: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        let bulk_cache = std::env::var("CONCIERGE_BULK_CACHE_KB")
            .ok()
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(BULK_CACHE_KB);
        self.conn.pragma_update(None, "cache_size", -bulk_cache)?;
        // A dry run keeps WAL: switching the journal rewrites the file's
        // header (its change counter), and a dry run changes no byte.
        let alone = !options.dry_run && journal::take_alone(&self.conn)?;
        // Live data refers only to customers, and the importer resolves
        // every customer cell against the customers table in this same
        // transaction (no customer is deleted by a data import): SQLite's
        // own check of that reference would repeat the lookup for every
        // row, a sixth of the insert's time.
        let checked_by_importer = kind == Kind::Data;
        if checked_by_importer {
            self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        }
        let result = self.import_stream(
            kind,
            &spec,
            &schema,
            (path, &source),
            &mut stream,
            options,
            progress,
        );
        if checked_by_importer {
            self.conn.pragma_update(None, "foreign_keys", "ON")?;
        }
        if alone {
            journal::give_back(&self.conn)?;
        }
        self.conn.pragma_update(None, "cache_size", cache)?;
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn import_stream(
        &mut self,
        kind: Kind,
        spec: &super::spec::Spec,
        schema: &Schema,
        (path, source): (&Path, &str),
        stream: &mut SheetStream,
        options: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<Option<(BulkReport, Outcome)>, InterchangeError> {
        let mut settled_once = false;
        loop {
            let mut report = BulkReport::new(kind, source, stream, schema.clone());
            for e in &stream.sheet.errors {
                report.errors += 1;
                report.error_sample.push(RowError::from(e));
            }
            if !stream.readable() {
                return Ok(Some((report, Outcome::Blocked)));
            }
            let mut settle = Vec::new();
            let mut finished = None;
            let label = format!("import {kind} from {source}");
            let actor = self.actor.clone();
            let result = self.write(&label, |w| {
                let refs = Refs::load(w.tx())?;
                let table = spec.record.table();
                let (empty, max_before): (bool, i64) = w.tx().query_row(
                    &format!("SELECT count(*) = 0, coalesce(max(id), 0) FROM {table}"),
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                let mut importer = Importer {
                    spec,
                    schema,
                    present: &stream.sheet.present,
                    refs,
                    ctx: RowCtx::new(&actor, w.today()),
                    options,
                    keep_ids: empty,
                    seen: seen::SeenIds::default(),
                    repeats: Vec::new(),
                    votes: std::collections::HashMap::new(),
                    entries: match kind {
                        Kind::Data => Some(EntryInserter::new(
                            w.conn(),
                            spec,
                            schema,
                            &stream.sheet.present,
                            &w.stamp(crate::domain::RecordKind::Entry),
                            max_before,
                        )?),
                        _ => None,
                    },
                    report,
                };
                // Until the whole file was read, the count is an estimate
                // from the survey of its start.
                let (ticking, total) = if stream.surveyed_whole() {
                    ("imported", stream.records)
                } else {
                    ("importing", stream.records)
                };
                let mut done = 0usize;
                let passes: &[(RowFilter, bool)] = if stream.with_id > 0 {
                    &[(RowFilter::WithId, false), (RowFilter::WithoutId, true)]
                } else {
                    &[(RowFilter::All, true)]
                };
                for &(filter, shapes) in passes {
                    let mut stopped = None;
                    stream
                        .rows_read_ahead(filter, shapes, &mut |batch| {
                            let before = done;
                            done += batch.iter().filter(|r| r.row.is_some()).count();
                            if done / TICK > before / TICK {
                                progress(ticking, done / TICK * TICK, total);
                            }
                            match importer.rows(w, batch) {
                                Ok(()) => ControlFlow::Continue(()),
                                Err(e) => {
                                    stopped = Some(e);
                                    ControlFlow::Break(())
                                }
                            }
                        })
                        .map_err(StoreError::Io)?;
                    if let Some(e) = stopped {
                        return Err(e);
                    }
                    if stream.differs() {
                        return Err(rollback());
                    }
                }
                importer.report.rows = stream.records_read();
                if let Some(entries) = &mut importer.entries {
                    entries.flush(w)?;
                }
                if options.delete_missing && !empty {
                    delete_missing(w, &mut importer, max_before)?;
                }
                for e in importer.ctx.unproven(w.tx())? {
                    importer.error(e);
                }
                settle = settled(&importer);
                if !importer.repeats.is_empty() {
                    locate_repeats(stream, &mut importer).map_err(StoreError::Io)?;
                }
                let clean = importer.report.errors == 0 && importer.report.open_conflicts == 0;
                let applied =
                    importer.report.new + importer.report.changed + importer.report.deleted;
                importer
                    .report
                    .error_sample
                    .sort_by_key(|e| (e.data_row, e.line));
                finished = Some(importer.report);
                if clean && !options.dry_run && settle.is_empty() && applied > 0 {
                    Ok(())
                } else {
                    Err(rollback())
                }
            });
            if stream.differs() {
                // The survey of the start did not hold for the whole file:
                // what was written is rolled back; survey it all and again.
                *stream =
                    match open_stream(path, schema, Survey::Whole).map_err(cannot_read(path))? {
                        Opened::ReadWhole => return Ok(None),
                        Opened::Stream(whole) => *whole,
                    };
                progress("read again", stream.records, stream.records);
                continue;
            }
            let Some(report) = finished else {
                return Err(result.err().map_or_else(
                    || InterchangeError::Refused("the import stopped early".into()),
                    InterchangeError::from,
                ));
            };
            if !settle.is_empty() && !settled_once {
                for (column, order) in settle {
                    stream.settle_date_order(column, order);
                }
                settled_once = true;
                continue;
            }
            if report.rows >= TICK {
                progress("imported", report.rows, report.rows);
            }
            let clean = report.errors == 0 && report.open_conflicts == 0;
            let outcome = match finish(result, clean)? {
                Outcome::Checked if report.new + report.changed + report.deleted == 0 => {
                    Outcome::NoChanges
                }
                other => other,
            };
            return Ok(Some((report, outcome)));
        }
    }
}

/// The refusal for a file that cannot be read.
fn cannot_read(path: &Path) -> impl Fn(std::io::Error) -> InterchangeError {
    move |e| InterchangeError::Refused(format!("cannot read {}: {e}", path.display()))
}

/// Columns whose ambiguous dates the stored records settle, and how.
fn settled(importer: &Importer<'_, '_>) -> Vec<(usize, DateOrder)> {
    importer
        .votes
        .iter()
        .filter_map(|(&column, &votes)| match votes {
            (m, 0) if m > 0 => Some((column, DateOrder::MonthFirst)),
            (0, d) if d > 0 => Some((column, DateOrder::DayFirst)),
            _ => None,
        })
        .collect()
}

/// Deletes the records the file did not name (`--delete-missing`), page by
/// page; records this import created are never among them.
fn delete_missing(
    w: &mut crate::store::Writer<'_>,
    importer: &mut Importer<'_, '_>,
    max_before: i64,
) -> Result<(), StoreError> {
    let mut after = 0;
    loop {
        let ids = all_ids_after(w.tx(), importer.spec.record.table(), after, 1000)?;
        let Some(&last) = ids.last() else {
            return Ok(());
        };
        after = last;
        let keys: Vec<String> = ids
            .into_iter()
            .filter(|id| *id <= max_before)
            .map(|id| RecordKey::new(importer.spec.record, id).to_string())
            .filter(|key| !importer.seen.contains(key))
            .collect();
        let refused = apply::deletes(w, importer.spec, &keys)?;
        let r = &mut importer.report;
        r.deleted += keys.len();
        for key in keys {
            if r.deleted_sample.len() < rows::ERROR_SAMPLE {
                r.deleted_sample.push(key);
            }
        }
        for e in refused {
            importer.error(e);
        }
    }
}

/// Fills in where each repeated id first appeared (one more read of the
/// rows with ids; only when the import already failed).
fn locate_repeats(stream: &SheetStream, importer: &mut Importer<'_, '_>) -> std::io::Result<()> {
    let mut first: std::collections::HashMap<String, (usize, usize)> = importer
        .repeats
        .iter()
        .map(|(id, _)| (id.clone(), (0, 0)))
        .collect();
    stream.rows(RowFilter::WithId, false, &mut |row| {
        if let Some(row) = row.row
            && let Some(id) = row.id
            && let Some(slot) = first.get_mut(&id)
            && *slot == (0, 0)
        {
            *slot = (row.data_row, row.line);
        }
        ControlFlow::Continue(())
    })?;
    for (id, index) in &importer.repeats {
        let (Some(index), Some(&(first_row, first_line))) = (index, first.get(id)) else {
            continue;
        };
        if let Some(e) = importer.report.error_sample.get_mut(*index) {
            let problem = Problem::DuplicateId {
                id: id.clone(),
                first_row,
                first_line,
            };
            let mut sheet_error =
                crate::sheet::SheetError::new(e.data_row, e.line, problem).in_column("id");
            sheet_error.value.clone_from(&e.value);
            *e = RowError::from(&sheet_error);
        }
    }
    Ok(())
}
