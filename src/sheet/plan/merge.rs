//! The three-way merge of one value (shared by the importer and the
//! forms' conflict handling) and resolving conflicts: per cell or all at
//! once, and changeable until the import is applied.

use super::{CellChange, ChangedRow, ImportPlan};

/// The three-way verdict for one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellMerge {
    /// Both sides hold the same value.
    Same,
    /// Only the stored side changed it since the base: keep theirs.
    KeepTheirs,
    /// Only the incoming side changed it: take mine.
    TakeMine,
    /// Both changed it differently, or the base is unknown: ask.
    Conflict,
}

/// Merges `mine` (the incoming edit: a file's cell, a form's field) into
/// `theirs` (the value stored now), both descended from `base` (what mine
/// started from; `None` when it is unknown). The one rule both the import
/// preview and a form saved against a newer rev follow.
pub fn merge_cell<T: PartialEq>(base: Option<&T>, mine: &T, theirs: &T) -> CellMerge {
    if mine == theirs {
        return CellMerge::Same;
    }
    match base {
        Some(b) if mine == b => CellMerge::KeepTheirs,
        Some(b) if theirs == b => CellMerge::TakeMine,
        _ => CellMerge::Conflict,
    }
}

/// How one conflict is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    TakeFile,
    KeepWorkspace,
}

/// Which conflicts a resolution applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    All,
    /// Index into `ImportPlan::conflicts`.
    One(usize),
}

/// Resolves conflicts and updates `plan.changed` to match: a conflict taken
/// from the file becomes a cell change, one kept from the workspace none.
/// Returns false when `which` names no conflict.
pub fn resolve(plan: &mut ImportPlan, which: Which, resolution: Resolution) -> bool {
    match which {
        Which::All => plan
            .conflicts
            .iter_mut()
            .for_each(|c| c.resolution = Some(resolution)),
        Which::One(i) => match plan.conflicts.get_mut(i) {
            Some(c) => c.resolution = Some(resolution),
            None => return false,
        },
    }
    sync_changes(plan);
    true
}

impl ImportPlan {
    /// Method form of [`resolve`].
    pub fn resolve(&mut self, which: Which, resolution: Resolution) -> bool {
        resolve(self, which, resolution)
    }
}

/// Rebuilds the cell changes that come from conflicts. Clean changes never
/// share an (id, column) with a conflict, so removing by that key is exact.
fn sync_changes(plan: &mut ImportPlan) {
    for conflict in &plan.conflicts {
        let existing = plan.changed.iter().position(|r| r.id == conflict.id);
        let at = existing.unwrap_or_else(|| {
            plan.changed.push(ChangedRow {
                id: conflict.id.clone(),
                data_row: conflict.data_row,
                line: conflict.line,
                expected_rev: conflict.expected_rev,
                cells: Vec::new(),
            });
            plan.changed.len() - 1
        });
        let row = &mut plan.changed[at];
        row.cells.retain(|cell| cell.column != conflict.column);
        if conflict.resolution == Some(Resolution::TakeFile) {
            row.cells.push(CellChange {
                column: conflict.column,
                name: conflict.name.clone(),
                old: conflict.workspace.clone(),
                new: conflict.file.clone(),
            });
            row.cells.sort_by_key(|cell| cell.column);
        }
    }
    plan.changed.retain(|row| !row.cells.is_empty());
    plan.changed.sort_by_key(|row| row.data_row);
}
