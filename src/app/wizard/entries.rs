//! The import preview as a scrollable list: one entry per line, pointing
//! into the [`Preview`] rather than copying it, so a large file costs one
//! small entry per line and drawing formats only the visible ones.
//!
//! Order: what blocks the import first (errors, then conflicts), then what
//! it would do (new rows, changed records cell by cell, deletions), then the
//! unchanged count. Errors and conflicts never move when a conflict is
//! resolved, so the cursor stays on the conflict it was on.

use crate::store::interchange::Preview;

/// A part of the preview, introduced by a heading line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Errors,
    Conflicts,
    New,
    Changed,
    Deleted,
}

/// One line of the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Heading(Section),
    /// Index into `Preview::errors`.
    Error(usize),
    /// Index into `plan.conflicts`.
    Conflict(usize),
    /// Index into `plan.new`.
    New(usize),
    /// Index into `plan.changed`: the record's line.
    Changed(usize),
    /// (changed row, cell): one cell's old → new.
    Cell(usize, usize),
    /// Index into `plan.deleted`.
    Deleted(usize),
    /// A section's rows the preview counted but does not list.
    More(Section, usize),
    /// The closing line: how many records the file leaves as they are.
    Unchanged,
}

/// Every line of `p`, in display order.
pub fn entries(p: &Preview) -> Vec<Entry> {
    let plan = &p.plan;
    let cells: usize = plan.changed.iter().map(|r| r.cells.len()).sum();
    let mut out = Vec::with_capacity(
        p.errors.len() + plan.conflicts.len() + plan.new.len() + plan.changed.len() + cells + 6,
    );
    let more = |out: &mut Vec<Entry>, section, listed: usize, total: usize| {
        if total > listed {
            out.push(Entry::More(section, total - listed));
        }
    };
    if !p.errors.is_empty() {
        out.push(Entry::Heading(Section::Errors));
        out.extend((0..p.errors.len()).map(Entry::Error));
        more(&mut out, Section::Errors, p.errors.len(), p.error_count());
    }
    if !plan.conflicts.is_empty() {
        out.push(Entry::Heading(Section::Conflicts));
        out.extend((0..plan.conflicts.len()).map(Entry::Conflict));
        more(
            &mut out,
            Section::Conflicts,
            plan.conflicts.len(),
            p.totals.conflicts,
        );
    }
    if !plan.new.is_empty() {
        out.push(Entry::Heading(Section::New));
        out.extend((0..plan.new.len()).map(Entry::New));
        more(&mut out, Section::New, plan.new.len(), p.totals.new);
    }
    if !plan.changed.is_empty() {
        out.push(Entry::Heading(Section::Changed));
        for (r, row) in plan.changed.iter().enumerate() {
            out.push(Entry::Changed(r));
            out.extend((0..row.cells.len()).map(|c| Entry::Cell(r, c)));
        }
        more(
            &mut out,
            Section::Changed,
            plan.changed.len(),
            p.changed_records(),
        );
    }
    if !plan.deleted.is_empty() {
        out.push(Entry::Heading(Section::Deleted));
        out.extend((0..plan.deleted.len()).map(Entry::Deleted));
        more(
            &mut out,
            Section::Deleted,
            plan.deleted.len(),
            p.totals.deleted,
        );
    }
    out.push(Entry::Unchanged);
    out
}

/// The next conflict after `from` (wrapping), preferring open ones.
pub fn next_conflict(p: &Preview, entries: &[Entry], from: usize) -> Option<usize> {
    let n = entries.len();
    let after = |open_only: bool| {
        (1..=n).map(|k| (from + k) % n).find(|&i| match entries[i] {
            Entry::Conflict(c) => !open_only || p.plan.conflicts[c].resolution.is_none(),
            _ => false,
        })
    };
    after(true).or_else(|| after(false))
}

/// Where the `Entry::Conflict(conflict)` line is.
pub fn conflict_line(entries: &[Entry], conflict: usize) -> Option<usize> {
    entries.iter().position(|e| *e == Entry::Conflict(conflict))
}
