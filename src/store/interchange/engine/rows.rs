//! One streamed row at a time: canonical references, kept ids, the plan of
//! `sheet::plan_row` against the workspace, then straight into the batch
//! (new entries through the fast path). Counts and a bounded sample of
//! what happened are kept for the report; nothing else grows with the file.

use super::super::apply;
use super::super::existing::{Workspace, number};
use super::super::import::uneditable;
use super::super::prepare::canonicalise_row;
use super::super::rules::RowCtx;
use super::super::values::{Refs, load};
use super::super::{ImportOptions, Kind, Preview, RowError};
use super::Resolutions;
use super::entries::{COPY_ROWS, EntryInserter, Fast, MANY, Rules};
use crate::interchange::seen::SeenIds;
use crate::interchange::spec::Spec;
use crate::sheet::{
    AmbiguousDate, DateVotes, Existing, ID_COLUMN, ImportPlan, ParsedRow, Problem, Schema,
    SheetError, StreamedRow, Which, plan_row,
};
use crate::store::{Result, Writer};

/// The state of one streamed import.
pub(crate) struct Importer<'a, 't> {
    pub spec: &'a Spec,
    pub schema: &'a Schema,
    pub present: &'a [usize],
    pub refs: Refs,
    pub ctx: &'a RowCtx<'a>,
    pub options: ImportOptions,
    /// Conflicts settled one by one (after `options.resolution`).
    pub each: &'a Resolutions,
    /// The table was empty: every row is new and keeps the file's id.
    pub keep_ids: bool,
    pub seen: SeenIds,
    /// Repeated ids listed in the report: (id, index into the error sample).
    pub repeats: Vec<(String, Option<usize>)>,
    /// Day/month votes of ambiguous date columns.
    pub votes: DateVotes,
    /// Conflicts left open once every resolution was applied.
    pub open_conflicts: usize,
    pub entries: Option<EntryInserter<'t>>,
    /// New entries handed to a server's `COPY` and not sent yet (see
    /// [`Importer::rows_copied`]).
    pub staged: Vec<ParsedRow>,
    pub preview: Preview,
}

impl Importer<'_, '_> {
    pub fn error(&mut self, error: RowError) {
        self.preview.totals.errors += 1;
        if self.preview.errors.len() < self.preview.sample.errors {
            self.preview.errors.push(error);
        }
    }

    fn errors(&mut self, errors: Vec<RowError>) {
        for e in errors {
            self.error(e);
        }
    }

    /// Checks and writes a batch of rows, in order. Runs of [`MANY`] new
    /// entries without id, error or undecided date go in with one
    /// statement; when one of a run is refused, the run goes through
    /// [`Importer::row`] one row at a time, which says why.
    pub fn rows(&mut self, w: &mut Writer<'_>, batch: &mut [StreamedRow]) -> Result<()> {
        if self.entries.as_ref().is_some_and(EntryInserter::copies) {
            return self.rows_copied(w, batch);
        }
        let mut i = 0;
        while i < batch.len() {
            let end = i + MANY;
            let run = end <= batch.len() && batch[i..end].iter().all(|r| self.plain_new_entry(r));
            if run && let Some(entries) = &mut self.entries {
                let rows: Vec<&ParsedRow> = batch[i..end]
                    .iter()
                    .filter_map(|r| r.row.as_ref())
                    .collect();
                let rules = Rules {
                    spec: self.spec,
                    schema: self.schema,
                    present: self.present,
                    refs: &self.refs,
                };
                let all = entries.insert_many(w, &rules, &rows)?;
                if all {
                    for row in rows {
                        self.counted_new(row, None);
                    }
                } else {
                    for streamed in &mut batch[i..end] {
                        self.row(w, streamed)?;
                    }
                }
                i = end;
                continue;
            }
            self.row(w, &mut batch[i])?;
            i += 1;
        }
        Ok(())
    }

    /// [`Importer::rows`] on a server: new entries without id, error or
    /// undecided date are checked and staged for one `COPY` of up to
    /// [`COPY_ROWS`] rows; any other row first sends what is staged, so
    /// rows are written in the file's order. When the server refuses the
    /// `COPY` (a day a customer already has), nothing of it was kept and
    /// its rows go through [`Importer::row`] one at a time, which says why.
    fn rows_copied(&mut self, w: &mut Writer<'_>, batch: &mut [StreamedRow]) -> Result<()> {
        for streamed in batch.iter_mut() {
            let can_stage = self.entries.as_ref().is_some_and(EntryInserter::can_stage);
            if !can_stage || !self.plain_new_entry(streamed) {
                self.send_staged(w)?;
                self.row(w, streamed)?;
                continue;
            }
            let (Some(row), Some(entries)) = (streamed.row.take(), &mut self.entries) else {
                continue;
            };
            let rules = Rules {
                spec: self.spec,
                schema: self.schema,
                present: self.present,
                refs: &self.refs,
            };
            let mut errors = Vec::new();
            if entries.stage(w, &rules, &row, &mut errors)? {
                self.staged.push(row);
                if self.staged.len() >= COPY_ROWS {
                    self.send_staged(w)?;
                }
            } else if !errors.is_empty() {
                self.errors(errors);
                self.preview.totals.error_rows += 1;
            }
        }
        Ok(())
    }

    /// Sends the staged new entries (see [`Importer::rows_copied`]).
    pub fn send_staged(&mut self, w: &mut Writer<'_>) -> Result<()> {
        let Some(entries) = &mut self.entries else {
            return Ok(());
        };
        if self.staged.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.staged);
        if entries.send(w)? {
            for row in &rows {
                self.counted_new(row, None);
            }
            return Ok(());
        }
        for row in rows {
            let mut streamed = StreamedRow {
                row: Some(row),
                errors: Vec::new(),
                ambiguous: Vec::new(),
            };
            self.row(w, &mut streamed)?;
        }
        Ok(())
    }

    /// Whether `streamed` is a new entry [`Importer::row`] would hand the
    /// fast path as it is: no id, no problem, no undecided date.
    fn plain_new_entry(&self, streamed: &StreamedRow) -> bool {
        self.spec.kind == Kind::Data
            && self.entries.is_some()
            && streamed.errors.is_empty()
            && streamed.ambiguous.is_empty()
            && streamed
                .row
                .as_ref()
                .is_some_and(|r| r.id.is_none() && !r.id_invalid && !r.has_errors)
    }

    /// Counts a new row written (under the file's id and rev when
    /// `kept`), keeping the first few for the preview.
    fn counted_new(&mut self, row: &ParsedRow, kept: Option<(i64, i64)>) {
        let p = &mut self.preview;
        p.totals.new += 1;
        if p.plan.new.len() < p.sample.rows {
            p.plan.new.push(crate::sheet::NewRow {
                data_row: row.data_row,
                line: row.line,
                cells: row.cells.clone(),
            });
            if let Some(kept) = kept {
                p.keep_ids.insert(row.data_row, kept);
            }
        }
    }

    /// Checks and writes one row. The row is borrowed, so that it is
    /// dropped where it was read (see `SheetStream::rows_read_ahead`).
    /// A row with any error counts once among `error_rows` and in none of
    /// new, changed or unchanged, so that the counts add up to the rows
    /// read.
    pub fn row(&mut self, w: &mut Writer<'_>, streamed: &mut StreamedRow) -> Result<()> {
        let before = self.preview.totals.errors;
        self.checked_row(w, streamed, before)?;
        if self.preview.totals.errors > before {
            self.preview.totals.error_rows += 1;
        }
        Ok(())
    }

    fn checked_row(
        &mut self,
        w: &mut Writer<'_>,
        streamed: &mut StreamedRow,
        before: usize,
    ) -> Result<()> {
        for e in &streamed.errors {
            self.error(RowError::from(e));
        }
        let Some(row) = streamed.row.as_mut() else {
            return Ok(());
        };
        if !streamed.ambiguous.is_empty() {
            self.vote(w, row, &streamed.ambiguous)?;
        }
        if row.id_invalid {
            return Ok(());
        }
        let mut kept = None;
        if self.keep_ids {
            if let Some(id) = row.id.take() {
                match self.keep(row, &id) {
                    Some(k) => kept = Some(k),
                    None => return Ok(()),
                }
            }
        } else if let Some(id) = row.id.as_deref()
            && !self.seen.insert(id)
        {
            let id = id.to_owned();
            self.repeated(row, id);
            return Ok(());
        }
        let mut errors = Vec::new();
        if row.id.is_none()
            && !row.has_errors
            && self.spec.kind == Kind::Data
            && let Some(entries) = &mut self.entries
        {
            {
                let rules = Rules {
                    spec: self.spec,
                    schema: self.schema,
                    present: self.present,
                    refs: &self.refs,
                };
                let fast = entries.insert(w, &rules, row, kept, &mut errors)?;
                match fast {
                    Fast::Inserted => {
                        self.counted_new(row, kept);
                        return Ok(());
                    }
                    Fast::Refused => {
                        // Counted among the rows with errors.
                        self.errors(errors);
                        return Ok(());
                    }
                    Fast::Exists(id) => {
                        let id = format!("E-{id}");
                        if !self.seen.insert(&id) {
                            self.repeated(row, id);
                            return Ok(());
                        }
                        row.id = Some(id);
                    }
                }
            }
        }
        canonicalise_row(w.db(), self.spec, &self.refs, row, &mut errors)?;
        let mut plan = ImportPlan::default();
        {
            let workspace = Workspace::new(w.db(), self.spec, &self.refs);
            plan_row(
                self.present,
                self.schema,
                &workspace,
                row,
                &|c| row.cells[c].as_ref(),
                &mut plan,
            );
            workspace.finish()?;
        }
        errors.extend(plan.errors.iter().map(RowError::from));
        errors.extend(uneditable(self.spec, &plan));
        let clean_cells: usize = plan.changed.iter().map(|c| c.cells.len()).sum();
        self.settle(&mut plan);
        self.count_conflicts(&plan);
        let clean = errors.is_empty() && !row.has_errors && self.preview.totals.errors == before;
        self.errors(errors);
        if !clean {
            return Ok(());
        }
        let mut refused = Vec::new();
        for changed in &plan.changed {
            let before = match number(self.spec, &changed.id) {
                Some(id) => load(w.db(), self.spec, id)?,
                None => None,
            };
            apply::changed(
                w,
                self.spec,
                &self.refs,
                self.ctx,
                changed,
                before,
                &mut refused,
            )?;
        }
        for new in &plan.new {
            apply::new(w, self.spec, &self.refs, self.ctx, new, kept, &mut refused)?;
        }
        let clean = refused.is_empty();
        self.errors(refused);
        if clean {
            self.count_rows(&plan, kept, clean_cells);
        }
        Ok(())
    }

    /// Settles a row's conflicts: all of them as `options.resolution`
    /// says, then each one chosen on its own as chosen.
    fn settle(&self, plan: &mut ImportPlan) {
        if let Some(resolution) = self.options.resolution {
            plan.resolve(Which::All, resolution);
        }
        if self.each.is_empty() {
            return;
        }
        let chosen: Vec<(usize, crate::sheet::Resolution)> = plan
            .conflicts
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let key = (c.id.clone(), c.column);
                self.each.get(&key).map(|r| (i, *r))
            })
            .collect();
        for (i, resolution) in chosen {
            plan.resolve(Which::One(i), resolution);
        }
    }

    /// Counts a written row: new, changed (a cell change or a conflict,
    /// settled or not) or unchanged, keeping the first few for the preview.
    fn count_rows(&mut self, plan: &ImportPlan, kept: Option<(i64, i64)>, clean_cells: usize) {
        let p = &mut self.preview;
        let t = &mut p.totals;
        t.new += plan.new.len();
        let changed = !plan.changed.is_empty() || !plan.conflicts.is_empty();
        t.changed += usize::from(changed);
        t.clean_cells += clean_cells;
        t.unchanged += plan.unchanged;
        for new in &plan.new {
            if p.plan.new.len() < p.sample.rows {
                p.plan.new.push(new.clone());
                if let Some(kept) = kept {
                    p.keep_ids.insert(new.data_row, kept);
                }
            }
        }
        for changed in &plan.changed {
            if p.plan.changed.len() < p.sample.rows {
                p.plan.changed.push(changed.clone());
            }
        }
    }

    /// Counts a row's conflicts, whether or not the row is written.
    fn count_conflicts(&mut self, plan: &ImportPlan) {
        let p = &mut self.preview;
        p.totals.conflicts += plan.conflicts.len();
        self.open_conflicts += plan
            .conflicts
            .iter()
            .filter(|c| c.resolution.is_none())
            .count();
        for conflict in &plan.conflicts {
            if p.plan.conflicts.len() < p.sample.errors {
                p.plan.conflicts.push(conflict.clone());
            }
        }
    }

    /// The file's id and rev for a new row into an empty table.
    fn keep(&mut self, row: &ParsedRow, id: &str) -> Option<(i64, i64)> {
        let Some(n) = number(self.spec, id) else {
            let mut error = RowError::at(
                row.data_row,
                row.line,
                Some(ID_COLUMN),
                format!("{id} is not an id like {}12", self.schema.id_prefix),
            );
            error.value = Some(id.to_owned());
            self.error(error);
            return None;
        };
        if !self.seen.insert(id) {
            self.repeated(row, id.to_owned());
            return None;
        }
        Some((n, row.rev.unwrap_or(1).max(1)))
    }

    /// A repeated id; where it first appeared is filled in after the file
    /// was read (see `engine::locate_repeats`).
    fn repeated(&mut self, row: &ParsedRow, id: String) {
        let problem = Problem::DuplicateId {
            id: id.clone(),
            first_row: 0,
            first_line: 0,
        };
        let error = SheetError::new(row.data_row, row.line, problem)
            .in_column(ID_COLUMN)
            .with_value(&id);
        let listed = self.preview.errors.len() < self.preview.sample.errors;
        self.error(RowError::from(&error));
        // Only listed errors get their first row filled in (memory stays
        // bounded however many ids repeat).
        if listed {
            self.repeats.push((id, Some(self.preview.errors.len() - 1)));
        }
    }

    /// Counts which reading of each undecided date the stored record
    /// matches (as `sheet::plan` settles ambiguous columns).
    fn vote(&mut self, w: &Writer<'_>, row: &ParsedRow, dates: &[AmbiguousDate]) -> Result<()> {
        let Some(id) = row.id.as_deref() else {
            for a in dates {
                self.votes.add(a, None);
            }
            return Ok(());
        };
        let stored = {
            let workspace = Workspace::new(w.db(), self.spec, &self.refs);
            let current = workspace.current(id);
            workspace.finish()?;
            current
        };
        for a in dates {
            let value = stored.as_ref().and_then(|(_, v)| v.get(a.column));
            self.votes.add(a, value);
        }
        Ok(())
    }
}
