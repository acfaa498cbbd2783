//! The preview's life in the wizard: the store's dry run of the picked
//! file (keeping earlier resolutions), settling conflicts, and applying it
//! as one batch — the same engine reading the file again, each conflict
//! settled as chosen here.

use super::entries::{self, Entry};
use super::{Closed, Step, Wizard};
use crate::app::state::{State, StatusLine};
use crate::sheet::{Resolution, Which};
use crate::store::Store;
use crate::store::interchange::{ImportOptions, InterchangeError, Outcome, Preview, Sample};

/// How much of a file the wizard's preview lists (the counts cover all).
const SAMPLE: Sample = Sample {
    rows: 1000,
    errors: 1000,
};

/// Reads the picked file: a new preview, forgetting earlier resolutions.
pub(super) fn read(w: &mut Wizard, store: &mut Store) {
    w.preview = None;
    preview(w, store);
}

/// Computes the preview of the picked file — a dry run of the store's
/// import, which streams the file, checks every row against the
/// workspace's rules and rolls back — keeping the resolutions of the
/// previous preview for the conflicts it still lists. A file that is not
/// UTF-8 but reads as Windows-1252 asks first; one that cannot be read
/// keeps the wizard where it is, saying why.
pub(super) fn preview(w: &mut Wizard, store: &mut Store) {
    let Some(path) = w.path.clone() else { return };
    let name = w.file_name();
    let options = ImportOptions {
        delete_missing: w.delete_missing,
        windows_1252: w.accepted_encoding,
        sample: SAMPLE,
        ..ImportOptions::default()
    };
    match store.preview_file(w.kind, &path, options, &mut |_, _, _| {}) {
        Ok(mut fresh) => {
            if let Some(old) = &w.preview {
                if let Some(all) = old.resolved_all {
                    fresh.resolve(Which::All, all);
                }
                for c in &old.plan.conflicts {
                    let Some(resolution) = c.resolution else {
                        continue;
                    };
                    let same = fresh
                        .plan
                        .conflicts
                        .iter()
                        .position(|n| n.id == c.id && n.name == c.name);
                    if let Some(i) = same {
                        fresh.resolve(Which::One(i), resolution);
                    }
                }
            }
            w.decoded = None;
            w.entries = entries::entries(&fresh);
            w.note = StatusLine::default();
            let matched = fresh
                .columns
                .iter()
                .any(|c| matches!(c.target, crate::sheet::Target::Column(_)));
            if !matched {
                w.error(format!(
                    "no column of {name} is a {} column: Esc, then ←/→ picks the kind the file holds",
                    w.kind
                ));
            }
            w.preview = Some(Box::new(fresh));
            w.step = Step::Preview;
            w.cursor = w.cursor.min(w.entries.len().saturating_sub(1));
            w.offset = w.offset.min(w.cursor);
        }
        Err(InterchangeError::NeedsConfirmation { start, .. }) => {
            w.decoded = Some(*start);
            w.step = Step::Encoding;
        }
        Err(InterchangeError::Unreadable { fault, .. }) => {
            w.error(format!("{name} cannot be read: {fault}; nothing written"));
        }
        Err(e) => {
            w.error(format!("{name}: {e}"));
            w.step = Step::File;
        }
    }
}

/// `f`/`w` on the conflict under the cursor (then on to the next open
/// one), or `F`/`W` on all of them.
pub(super) fn settle(w: &mut Wizard, all: bool, resolution: Resolution, height: usize) {
    let Some(p) = w.preview.as_deref_mut() else {
        return;
    };
    let what = match resolution {
        Resolution::TakeFile => "the file's value",
        Resolution::KeepWorkspace => "the workspace's value",
    };
    if p.plan.conflicts.is_empty() {
        return w.info("no conflicts in this file");
    }
    if all {
        p.resolve(Which::All, resolution);
        let n = p.plan.conflicts.len();
        w.entries = entries::entries(p);
        return w.info(format!(
            "{n} conflict{} settled: {what}",
            if n == 1 { "" } else { "s" }
        ));
    }
    let Some(&Entry::Conflict(c)) = w.entries.get(w.cursor) else {
        return w.error("put the cursor on a conflict (Tab jumps to the next one)");
    };
    p.resolve(Which::One(c), resolution);
    let conflict = &p.plan.conflicts[c];
    let text = format!("{} {}: {what}", conflict.id, conflict.name);
    w.entries = entries::entries(p);
    let open = p.open_conflicts();
    let next = (open > 0)
        .then(|| entries::next_conflict(p, &w.entries, w.cursor))
        .flatten()
        .or_else(|| entries::conflict_line(&w.entries, c));
    if let Some(line) = next {
        w.go(line, height);
    }
    w.info(format!("{text}; {open} open"));
}

/// Why a preview cannot be applied, or `None` when it can.
pub fn blocked(p: &Preview) -> Option<String> {
    let errors = p.error_count();
    let open = p.open_conflicts();
    let mut why = Vec::new();
    if errors > 0 {
        why.push(format!(
            "{errors} error{}: fix the file, then r reads it again",
            if errors == 1 { "" } else { "s" }
        ));
    }
    if open > 0 {
        why.push(format!(
            "{open} open conflict{}: f/w settles the one under the cursor, F/W all",
            if open == 1 { "" } else { "s" }
        ));
    }
    (!why.is_empty()).then(|| format!("cannot apply: {}", why.join("; ")))
}

/// "1 new, 2 changed (3 cells), 0 deleted".
pub fn summary(p: &Preview) -> String {
    let cells = p.changed_cells();
    format!(
        "{} new, {} changed ({} cell{}), {} deleted",
        p.totals.new,
        p.changed_records(),
        cells,
        if cells == 1 { "" } else { "s" },
        p.totals.deleted
    )
}

pub(super) fn apply(state: &mut State, w: &mut Wizard, store: &mut Store) -> Option<Closed> {
    if state.read_only {
        w.error("read-only workspace: nothing can be imported");
        return None;
    }
    let name = w.file_name();
    let p = w.preview.as_deref_mut()?;
    if let Some(why) = blocked(p) {
        w.error(why);
        return None;
    }
    let what = summary(p);
    match store.apply_import(p, false, &mut |_, _, _| {}) {
        Ok(Outcome::Applied(batch)) => {
            let text = format!(
                "imported {name} as batch {batch}: {what}; {} undoes",
                state.undo_key()
            );
            crate::app::update::after_write(state, store, Ok(text));
            Some(Closed::Finished)
        }
        Ok(Outcome::NoChanges) => {
            state.info(format!(
                "nothing to import: {name} matches the workspace (no batch written)"
            ));
            Some(Closed::Finished)
        }
        Ok(Outcome::Blocked | Outcome::Checked) => {
            let refused = p.error_count();
            w.entries = entries::entries(p);
            w.go(0, 1);
            w.error(format!(
                "the workspace refused {refused} row{}: nothing written",
                if refused == 1 { "" } else { "s" }
            ));
            None
        }
        Err(e) => {
            w.error(format!("{e}; nothing written (r reads the file again)"));
            None
        }
    }
}
