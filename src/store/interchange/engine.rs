//! The one import engine: every import (the CLI's, the wizard's preview
//! and apply, `import all`) reads its files as streams and plans and
//! writes each row as it is read, inside the one transaction of the
//! import's batch. "Nothing written while any error remains" holds because
//! that transaction is rolled back at the end when any row was refused,
//! any conflict is open, or on a dry run (a preview is one): a reader
//! never sees a part of it, and a crash leaves none of it. Memory holds
//! one chunk of each file, the ids seen (a bitmap) and the preview's
//! bounded sample.
//!
//! Rows with an id are read in a first pass and rows without in a second,
//! so changes come before new records and a generated id never takes a
//! number a later row keeps. When a column's day/month order is settled
//! only by the stored records, or a file surveyed at its start reads
//! differently further on, the batch is rolled back and read again.

mod entries;
mod job;
mod journal;
mod rows;

pub(crate) use job::Job;

use super::rules::RowCtx;
use super::values::{Refs, all_ids_after};
use super::{
    ImportOptions, InterchangeError, Kind, Outcome, Preview, Progress, RowError, apply,
    import::finish, rollback,
};
use crate::domain::RecordKey;
use crate::interchange::seen::SeenIds;
use crate::sheet::cell::DateOrder;
use crate::sheet::{DateVotes, Problem, Resolution, RowFilter, Survey};
use crate::store::db::args;
use crate::store::{Store, StoreError, Writer};
use entries::EntryInserter;
use rows::Importer;
use std::collections::HashMap;
use std::ops::ControlFlow;

/// How often progress is reported, in rows.
const TICK: usize = 10_000;

/// Conflicts settled one by one: (record id, schema column) → how.
pub(crate) type Resolutions = HashMap<(String, usize), Resolution>;

/// What every file of a run shares.
struct Run<'r> {
    label: &'r str,
    options: ImportOptions,
    each: &'r Resolutions,
}

/// One file read and written: its preview and what the end of the batch
/// needs (the ids it named, for `--delete-missing`).
struct Done {
    preview: Preview,
    seen: SeenIds,
    repeats: Vec<(String, Option<usize>)>,
    /// The table was empty before (nothing to delete), and its largest id.
    empty: bool,
    max_before: i64,
    settle: Vec<(usize, DateOrder)>,
    open_conflicts: usize,
    readable: bool,
}

impl Done {
    fn clean(&self) -> bool {
        self.preview.totals.errors == 0 && self.open_conflicts == 0
    }
}

impl Store {
    /// Runs `jobs` as one batch labelled `label`, in order; the previews
    /// of the files read (reading stops after the first that cannot be
    /// applied, since later files would only repeat its errors).
    pub(crate) fn run_import(
        &mut self,
        label: &str,
        jobs: &mut [Job],
        options: ImportOptions,
        each: &Resolutions,
        progress: Progress<'_>,
    ) -> Result<(Vec<Preview>, Outcome), InterchangeError> {
        let checked_by_importer = jobs.iter().all(|j| j.kind == Kind::Data);
        let fast = match self.db().sqlite() {
            Some(conn) => Some(journal::Bulk::begin(conn, &options, checked_by_importer)?),
            None => None,
        };
        let run = Run {
            label,
            options,
            each,
        };
        let result = self.run_jobs(&run, jobs, progress);
        if let (Some(fast), Some(conn)) = (fast, self.db().sqlite()) {
            fast.end(conn)?;
        }
        let (mut previews, outcome) = result?;
        let stamp = self.data_stamp().ok();
        for p in &mut previews {
            p.stamp = stamp;
        }
        Ok((previews, outcome))
    }

    fn run_jobs(
        &mut self,
        run: &Run<'_>,
        jobs: &mut [Job],
        progress: Progress<'_>,
    ) -> Result<(Vec<Preview>, Outcome), InterchangeError> {
        let Run {
            label,
            options,
            each,
        } = *run;
        let mut settled_once = false;
        loop {
            let mut differs = None;
            let mut settle: Vec<(usize, Vec<(usize, DateOrder)>)> = Vec::new();
            let mut finished: Option<(Vec<Preview>, bool, usize)> = None;
            let actor = self.actor.clone();
            let result = self.write(label, |w| {
                let ctx = RowCtx::new(&actor, w.today());
                let mut done: Vec<Done> = Vec::new();
                for (j, job) in jobs.iter_mut().enumerate() {
                    // Earlier files of the batch may have added data fields.
                    job.refresh(w.db()).map_err(into_store)?;
                    let Some(d) = read_job(w, job, &ctx, options, each, &mut *progress)? else {
                        differs = Some(j);
                        return Err(rollback());
                    };
                    if !d.settle.is_empty() {
                        settle.push((j, d.settle.clone()));
                    }
                    let clean = d.clean();
                    done.push(d);
                    if !clean {
                        break;
                    }
                }
                if options.delete_missing {
                    for d in done.iter_mut().rev() {
                        // A file whose rows could not be read names none.
                        if !d.empty && d.readable {
                            delete_missing(w, d)?;
                        }
                    }
                }
                // A decided item's evidence may come later in the batch.
                let unproven = ctx.unproven(w.db())?;
                if !unproven.is_empty() {
                    let at = done.iter().position(|d| d.preview.kind == Kind::Backlog);
                    if let Some(d) = done.get_mut(at.unwrap_or(0)) {
                        for (new, e) in unproven {
                            let t = &mut d.preview.totals;
                            t.errors += 1;
                            t.error_rows += 1;
                            if new {
                                t.new = t.new.saturating_sub(1);
                            } else {
                                t.changed = t.changed.saturating_sub(1);
                            }
                            if d.preview.errors.len() < d.preview.sample.errors {
                                d.preview.errors.push(e);
                            }
                        }
                    }
                }
                for (d, job) in done.iter_mut().zip(jobs.iter()) {
                    if !d.repeats.is_empty() {
                        locate_repeats(job, d).map_err(StoreError::Io)?;
                    }
                    d.preview.sort_errors();
                    d.preview.plan.unchanged = d.preview.totals.unchanged;
                }
                let clean = done.iter().all(Done::clean);
                let applied: usize = done
                    .iter()
                    .map(|d| {
                        d.preview.totals.new + d.preview.changed_cells() + d.preview.totals.deleted
                    })
                    .sum();
                let previews = done.into_iter().map(|d| d.preview).collect();
                finished = Some((previews, clean, applied));
                if clean && !options.dry_run && settle.is_empty() && applied > 0 {
                    if w.db().postgres().is_some() {
                        // Rows kept the file's ids, and new entries took
                        // theirs from the fast path: the server's next key
                        // follows them.
                        w.db().execute("SELECT concierge_sync_ids()", args![])?;
                    }
                    Ok(())
                } else {
                    Err(rollback())
                }
            });
            if let Some(j) = differs {
                // The survey of the start did not hold for the whole file:
                // what was written is rolled back; survey it all and again.
                let job = &mut jobs[j];
                job.reopen(Survey::Whole)?;
                progress("read again", job.stream.records, job.stream.records);
                continue;
            }
            let Some((previews, clean, applied)) = finished else {
                return Err(result.err().map_or_else(
                    || InterchangeError::Refused("the import stopped early".into()),
                    InterchangeError::from,
                ));
            };
            if !settle.is_empty() && !settled_once {
                for (j, orders) in settle {
                    for (column, order) in orders {
                        jobs[j].stream.settle_date_order(column, order);
                    }
                }
                settled_once = true;
                continue;
            }
            for p in &previews {
                if p.rows >= TICK {
                    progress("imported", p.rows, p.rows);
                }
            }
            let outcome = match finish(result, clean)? {
                Outcome::Checked if applied == 0 => Outcome::NoChanges,
                other => other,
            };
            return Ok((previews, outcome));
        }
    }
}

/// Reads and writes one file's rows inside the batch; `None` when the file
/// read differently from its surveyed start (the batch must be redone).
fn read_job(
    w: &mut Writer<'_>,
    job: &Job,
    ctx: &RowCtx<'_>,
    options: ImportOptions,
    each: &Resolutions,
    progress: Progress<'_>,
) -> Result<Option<Done>, StoreError> {
    let stream = &job.stream;
    let mut preview = job.preview(options);
    if !stream.readable() {
        // A header that cannot be mapped: no row is read.
        preview.rows = 0;
    }
    for e in &stream.sheet.errors {
        preview.totals.errors += 1;
        preview.errors.push(RowError::from(e));
    }
    let table = job.spec.record.table();
    let (empty, max_before): (bool, i64) = w.db().query_row(
        &format!("SELECT count(*) = 0, coalesce(max(id), 0) FROM {table}"),
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut importer = Importer {
        spec: &job.spec,
        schema: &job.schema,
        present: &stream.sheet.present,
        refs: Refs::load(w.db())?,
        ctx,
        options,
        each,
        keep_ids: empty,
        seen: SeenIds::default(),
        repeats: Vec::new(),
        votes: DateVotes::default(),
        open_conflicts: 0,
        entries: match job.kind {
            Kind::Data if stream.readable() => Some(EntryInserter::new(
                w.db(),
                &job.spec,
                &job.schema,
                &stream.sheet.present,
                &w.stamp(crate::domain::RecordKind::Entry),
                max_before,
            )?),
            _ => None,
        },
        staged: Vec::new(),
        preview,
    };
    if stream.readable() {
        // Until the whole file was read, the count is an estimate from
        // the survey of its start.
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
            importer.send_staged(w)?;
            if stream.differs() {
                return Ok(None);
            }
        }
        importer.preview.rows = stream.records_read();
        if let Some(entries) = &mut importer.entries {
            entries.flush(w)?;
        }
    }
    let settle = importer.votes.settled();
    let Importer {
        seen,
        repeats,
        open_conflicts,
        preview,
        ..
    } = importer;
    Ok(Some(Done {
        preview,
        seen,
        repeats,
        empty,
        max_before,
        settle,
        open_conflicts,
        readable: job.stream.readable(),
    }))
}

/// An error inside the batch's transaction.
fn into_store(e: InterchangeError) -> StoreError {
    match e {
        InterchangeError::Store(e) => e,
        other => StoreError::Refused(other.to_string()),
    }
}

/// Deletes the records the file did not name (`--delete-missing`), page by
/// page; records this import created are never among them.
fn delete_missing(w: &mut Writer<'_>, d: &mut Done) -> Result<(), StoreError> {
    let record = d.preview.kind.record();
    let spec = super::import::spec_in(w.db(), d.preview.kind).map_err(into_store)?;
    let mut after = 0;
    loop {
        let ids = all_ids_after(w.db(), record.table(), after, 1000)?;
        let Some(&last) = ids.last() else {
            return Ok(());
        };
        after = last;
        let keys: Vec<String> = ids
            .into_iter()
            .filter(|id| *id <= d.max_before)
            .map(|id| RecordKey::new(record, id).to_string())
            .filter(|key| !d.seen.contains(key))
            .collect();
        let refused = apply::deletes(w, &spec, &keys)?;
        let p = &mut d.preview;
        p.totals.deleted += keys.len();
        for key in keys {
            if p.plan.deleted.len() < p.sample.rows {
                p.plan.deleted.push(key);
            }
        }
        for e in refused {
            p.totals.errors += 1;
            if p.errors.len() < p.sample.errors {
                p.errors.push(e);
            }
        }
    }
}

/// Fills in where each repeated id first appeared (one more read of the
/// rows with ids; only when the import already failed).
fn locate_repeats(job: &Job, d: &mut Done) -> std::io::Result<()> {
    let mut first: HashMap<String, (usize, usize)> = d
        .repeats
        .iter()
        .map(|(id, _)| (id.clone(), (0, 0)))
        .collect();
    job.stream.rows(RowFilter::WithId, false, &mut |row| {
        if let Some(row) = row.row
            && let Some(id) = row.id
            && let Some(slot) = first.get_mut(&id)
            && *slot == (0, 0)
        {
            *slot = (row.data_row, row.line);
        }
        ControlFlow::Continue(())
    })?;
    for (id, index) in &d.repeats {
        let (Some(index), Some(&(first_row, first_line))) = (index, first.get(id)) else {
            continue;
        };
        if let Some(e) = d.preview.errors.get_mut(*index) {
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
