//! Parsed rows compared with the workspace: what an import would do.
//!
//! The plan never touches storage. The app implements [`Existing`] over its
//! store, shows the plan as the preview (and `--dry-run` output), and applies
//! it in one transaction only when [`ImportPlan::is_applicable`].

mod merge;
#[cfg(test)]
mod tests;
mod votes;

use std::collections::{HashMap, HashSet};

use crate::sheet::error::{Problem, SheetError};
use crate::sheet::parse::{ParsedRow, ParsedSheet};
use crate::sheet::schema::{ID_COLUMN, REV_COLUMN, Schema, Value};

pub use merge::{CellMerge, Resolution, Which, merge_cell, resolve};
pub use votes::DateVotes;

/// The workspace as the planner sees it. Values are in schema column order.
pub trait Existing {
    /// The record's current revision and values, if the id exists.
    fn current(&self, id: &str) -> Option<(i64, Vec<Value>)>;
    /// The record as it was at `rev` (rebuilt by the app from its change
    /// log), for the three-way merge of stale files.
    fn at_rev(&self, id: &str, rev: i64) -> Option<Vec<Value>>;
    /// Every id of this record type; only used for `delete_missing`.
    fn ids(&self) -> Vec<String>;
}

/// Options that change what the plan proposes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// List workspace rows absent from the file as deletions.
    pub delete_missing: bool,
}

/// A row without an id: a record to create. `cells` are in schema order,
/// `None` where the file lacks the column (the app applies its defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct NewRow {
    pub data_row: usize,
    pub line: usize,
    pub cells: Vec<Option<Value>>,
}

/// One changed cell.
#[derive(Debug, Clone, PartialEq)]
pub struct CellChange {
    /// Index into `Schema::columns`.
    pub column: usize,
    pub name: String,
    pub old: Value,
    pub new: Value,
}

/// An existing record the import changes.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangedRow {
    pub id: String,
    pub data_row: usize,
    pub line: usize,
    /// The revision the plan was computed against: the app should refuse to
    /// apply if the record moved on meanwhile.
    pub expected_rev: i64,
    pub cells: Vec<CellChange>,
}

/// A cell changed both in the workspace and in the file since the file's
/// `_rev`, to different values.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: String,
    pub data_row: usize,
    pub line: usize,
    pub column: usize,
    pub name: String,
    /// The value at the file's `_rev`; `None` when the app could not rebuild it.
    pub base: Option<Value>,
    pub workspace: Value,
    pub file: Value,
    pub expected_rev: i64,
    pub resolution: Option<Resolution>,
}

/// What an import would do. Errors are sorted by position.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportPlan {
    pub new: Vec<NewRow>,
    pub changed: Vec<ChangedRow>,
    /// Existing records in the file with nothing to change.
    pub unchanged: usize,
    pub conflicts: Vec<Conflict>,
    /// Ids absent from the file, when `delete_missing` was asked for.
    pub deleted: Vec<String>,
    pub errors: Vec<SheetError>,
    pub unknown_columns: Vec<String>,
}

impl ImportPlan {
    /// True when nothing blocks applying: no error and every conflict resolved.
    pub fn is_applicable(&self) -> bool {
        self.errors.is_empty() && self.conflicts.iter().all(|c| c.resolution.is_some())
    }

    /// True when applying would write nothing.
    pub fn is_noop(&self) -> bool {
        self.new.is_empty() && self.changed.is_empty() && self.deleted.is_empty()
    }
}

/// [`plan_with`] without deletions.
pub fn plan(parsed: &ParsedSheet, schema: &Schema, existing: &dyn Existing) -> ImportPlan {
    plan_with(parsed, schema, existing, PlanOptions::default())
}

/// Compares the parsed file with the workspace.
///
/// Rows match by trimmed id; a blank id is a new row, an unknown or repeated
/// id is an error. Cells compare as parsed values, and columns absent from
/// the file are left alone. When the file's `_rev` is older than the
/// record's, each cell is merged three ways against the record at that rev.
pub fn plan_with(
    parsed: &ParsedSheet,
    schema: &Schema,
    existing: &dyn Existing,
    options: PlanOptions,
) -> ImportPlan {
    let mut out = ImportPlan {
        unknown_columns: parsed.unknown_columns.clone(),
        ..ImportPlan::default()
    };
    let settled = settle_ambiguous_dates(parsed, schema, existing);
    out.errors = parsed
        .errors
        .iter()
        .filter(|e| {
            !(matches!(e.problem, Problem::AmbiguousDate { .. })
                && settled
                    .errors
                    .contains(&(e.data_row, e.column.clone().unwrap_or_default())))
        })
        .cloned()
        .collect();
    let mut seen: HashMap<&str, (usize, usize)> = HashMap::new();
    for (index, row) in parsed.rows.iter().enumerate() {
        if row.id_invalid {
            continue;
        }
        if let Some(id) = row.id.as_deref() {
            if let Some(&(first_row, first_line)) = seen.get(id) {
                let problem = Problem::DuplicateId {
                    id: id.to_owned(),
                    first_row,
                    first_line,
                };
                out.errors.push(
                    SheetError::new(row.data_row, row.line, problem)
                        .in_column(ID_COLUMN)
                        .with_value(id),
                );
                continue;
            }
            seen.insert(id, (row.data_row, row.line));
        }
        let cell = |c: usize| settled.values.get(&(index, c)).or(row.cells[c].as_ref());
        plan_row(&parsed.present, schema, existing, row, &cell, &mut out);
    }
    if options.delete_missing {
        let in_file: HashSet<&str> = parsed.rows.iter().filter_map(|r| r.id.as_deref()).collect();
        out.deleted = existing
            .ids()
            .into_iter()
            .filter(|id| !in_file.contains(id.as_str()))
            .collect();
    }
    out.errors.sort_by_key(|e| (e.data_row, e.line));
    out
}

/// Plans one row (not a repeated id) into `out`: a new row, a changed
/// record with its cell changes, conflicts, an unchanged record, or errors.
/// `cell(c)` is the row's value for schema column `c`; `present` are the
/// schema columns the file has. [`plan_with`] calls it for every row; a
/// caller streaming a large file calls it row by row with a scratch plan.
pub fn plan_row<'v>(
    present: &[usize],
    schema: &Schema,
    existing: &dyn Existing,
    row: &ParsedRow,
    cell: &dyn Fn(usize) -> Option<&'v Value>,
    out: &mut ImportPlan,
) {
    let error = |problem: Problem, column: &str| {
        SheetError::new(row.data_row, row.line, problem).in_column(column)
    };
    let Some(id) = row.id.as_deref() else {
        for (c, column) in schema.columns.iter().enumerate() {
            let absent = !present.contains(&c);
            if column.required && (absent || cell(c).is_some_and(is_blank)) {
                out.errors
                    .push(error(Problem::RequiredForNewRow, &column.name));
            }
        }
        let cells = (0..schema.columns.len())
            .map(|c| cell(c).cloned())
            .collect();
        out.new.push(NewRow {
            data_row: row.data_row,
            line: row.line,
            cells,
        });
        return;
    };
    let Some((rev, current)) = existing.current(id) else {
        out.errors
            .push(error(Problem::UnknownId(id.to_owned()), ID_COLUMN).with_value(id));
        return;
    };
    let base = match row.rev {
        Some(file_rev) if file_rev > rev => {
            let problem = Problem::RevAhead {
                file: file_rev,
                workspace: rev,
            };
            out.errors.push(error(problem, REV_COLUMN));
            return;
        }
        Some(file_rev) if file_rev < rev => Some(existing.at_rev(id, file_rev)),
        _ => None,
    };
    let mut changes = Vec::new();
    let mut conflicts = Vec::new();
    for &c in present {
        let (Some(file), Some(workspace)) = (cell(c), current.get(c)) else {
            continue;
        };
        if file == workspace {
            continue;
        }
        let name = schema.columns[c].name.clone();
        if schema.columns[c].required && is_blank(file) {
            out.errors.push(error(Problem::RequiredCleared, &name));
            continue;
        }
        let merged = match &base {
            None => Merge::Take,
            Some(snapshot) => {
                let b = snapshot.as_ref().and_then(|b| b.get(c));
                match merge_cell(b, file, workspace) {
                    // The file kept what it was exported with: the workspace edit stands.
                    CellMerge::KeepTheirs | CellMerge::Same => Merge::Keep,
                    // Only the file changed the cell: take it.
                    CellMerge::TakeMine => Merge::Take,
                    // Both changed it differently, or the base is unknown: ask.
                    CellMerge::Conflict => Merge::Conflict(b.cloned()),
                }
            }
        };
        match merged {
            Merge::Keep => {}
            Merge::Take => changes.push(CellChange {
                column: c,
                name,
                old: workspace.clone(),
                new: file.clone(),
            }),
            Merge::Conflict(base) => conflicts.push(Conflict {
                id: id.to_owned(),
                data_row: row.data_row,
                line: row.line,
                column: c,
                name,
                base,
                workspace: workspace.clone(),
                file: file.clone(),
                expected_rev: rev,
                resolution: None,
            }),
        }
    }
    if changes.is_empty() && conflicts.is_empty() {
        out.unchanged += 1;
    } else if !changes.is_empty() {
        out.changed.push(ChangedRow {
            id: id.to_owned(),
            data_row: row.data_row,
            line: row.line,
            expected_rev: rev,
            cells: changes,
        });
    }
    out.conflicts.extend(conflicts);
}

/// Ambiguous dates the workspace settled.
struct Settled {
    /// Keyed by (index into `ParsedSheet::rows`, schema column).
    values: HashMap<(usize, usize), Value>,
    /// The (data row, column name) errors these clear.
    errors: HashSet<(usize, String)>,
}

/// The three-way merge's verdict for one cell.
enum Merge {
    Keep,
    Take,
    Conflict(Option<Value>),
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Text(s) => s.trim().is_empty(),
        other => other.is_empty(),
    }
}

/// Settles ambiguous day/month columns from the workspace: when the stored
/// date of some row equals exactly one reading of its cell (an unedited date
/// re-rendered by a spreadsheet), that reading's order holds for the column.
fn settle_ambiguous_dates(
    parsed: &ParsedSheet,
    schema: &Schema,
    existing: &dyn Existing,
) -> Settled {
    let mut votes = DateVotes::default();
    for a in &parsed.ambiguous_dates {
        let stored = parsed.rows[a.row]
            .id
            .as_deref()
            .and_then(|id| existing.current(id))
            .and_then(|(_, values)| values.into_iter().nth(a.column));
        votes.add(a, stored.as_ref());
    }
    let mut overrides = HashMap::new();
    let mut settled = HashSet::new();
    for a in &parsed.ambiguous_dates {
        let date = match votes.order(a.column) {
            Some(crate::sheet::cell::DateOrder::MonthFirst) => a.month_first,
            Some(crate::sheet::cell::DateOrder::DayFirst) => a.day_first,
            None => continue,
        };
        overrides.insert((a.row, a.column), Value::Date(date));
        let row = &parsed.rows[a.row];
        settled.insert((row.data_row, schema.columns[a.column].name.clone()));
    }
    Settled {
        values: overrides,
        errors: settled,
    }
}
