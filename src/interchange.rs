//! CSV round-trips, independent of the engine that stores the records:
//! the kinds a file can hold and each kind's columns (`spec.rs`), what an
//! import found and did ([`Preview`], [`RowError`], [`Outcome`]) and what
//! it may do ([`ImportOptions`]). Reading and planning a file is
//! `crate::sheet`; running an import against a workspace is the store's
//! one import engine (`store/interchange/engine.rs`).

pub(crate) mod seen;
pub(crate) mod spec;

use crate::domain::RecordKind;
use crate::sheet::{
    Encoding, FileColumn, ImportPlan, Input, NewRow, Resolution, Schema, SheetError, Which,
};
use crate::store::{DataStamp, ListKind};
use std::collections::HashMap;
use std::fmt;

/// The record kinds a CSV file can hold, named as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Customers,
    Backlog,
    CheckIns,
    FollowUps,
    Evidence,
    Fields,
    Data,
}

impl Kind {
    /// Every kind in the order `import all` applies them (references first).
    pub const ALL: [Kind; 7] = [
        Kind::Fields,
        Kind::Customers,
        Kind::Backlog,
        Kind::CheckIns,
        Kind::FollowUps,
        Kind::Evidence,
        Kind::Data,
    ];

    /// The command-line name, also the file name in `export all` (`NAME.csv`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Customers => "customers",
            Kind::Backlog => "backlog",
            Kind::CheckIns => "checkins",
            Kind::FollowUps => "followups",
            Kind::Evidence => "evidence",
            Kind::Fields => "fields",
            Kind::Data => "data",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name.trim()))
    }

    pub fn record(self) -> RecordKind {
        match self {
            Kind::Customers => RecordKind::Customer,
            Kind::Backlog => RecordKind::Backlog,
            Kind::CheckIns => RecordKind::CheckIn,
            Kind::FollowUps => RecordKind::FollowUp,
            Kind::Evidence => RecordKind::Evidence,
            Kind::Fields => RecordKind::Field,
            Kind::Data => RecordKind::Entry,
        }
    }

    /// `customers.csv` and so on.
    pub fn file_name(self) -> String {
        format!("{}.csv", self.name())
    }

    /// The pane list whose filter a view export uses.
    pub fn list(self) -> Option<ListKind> {
        match self {
            Kind::Customers => Some(ListKind::Customers),
            Kind::Backlog => Some(ListKind::Backlog),
            Kind::CheckIns => Some(ListKind::CheckIns),
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One problem with one row of a file, positioned like [`SheetError`]:
/// `data_row` N is spreadsheet row N+1, `line` the physical line. Rows
/// absent from the file (a refused deletion) have neither, only `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub data_row: usize,
    pub line: usize,
    pub id: Option<String>,
    pub column: Option<String>,
    pub value: Option<String>,
    pub reason: String,
}

impl RowError {
    pub(crate) fn at(
        data_row: usize,
        line: usize,
        column: Option<&str>,
        reason: impl Into<String>,
    ) -> Self {
        RowError {
            data_row,
            line,
            id: None,
            column: column.map(str::to_owned),
            value: None,
            reason: reason.into(),
        }
    }
}

impl From<&SheetError> for RowError {
    fn from(e: &SheetError) -> Self {
        let whole_file = matches!(
            e.problem,
            crate::sheet::Problem::EmptyFile | crate::sheet::Problem::NoHeader
        );
        RowError {
            data_row: if whole_file { 0 } else { e.data_row },
            line: if whole_file { 0 } else { e.line },
            id: None,
            column: e.column.clone(),
            value: e.value.clone(),
            reason: e.reason(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.data_row, self.line) {
            (0, 0) => {
                if let Some(id) = &self.id {
                    write!(f, "{id}")?;
                }
            }
            (0, line) => write!(f, "header (line {line})")?,
            (row, line) => write!(f, "data row {row} (line {line})")?,
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        if self.data_row != 0 || self.line != 0 || self.id.is_some() {
            f.write_str(": ")?;
        }
        f.write_str(&self.reason)
    }
}

/// What an import would do, and what stops it: the counts of every row
/// by outcome, and the first rows of each kind (all of them when
/// [`ImportOptions::sample`] allows) with every error up to its limit.
/// The one engine (`engine.rs`) computes it by reading the file once,
/// whether it then writes or rolls back.
#[derive(Debug, Clone)]
pub struct Preview {
    pub kind: Kind,
    /// Where the rows came from (a file name), for messages.
    pub source: String,
    pub schema: Schema,
    pub encoding: Option<Encoding>,
    pub delimiter: char,
    /// The file's header, column by column, and what each maps to.
    pub columns: Vec<FileColumn>,
    /// Data rows read (blank ones not counted).
    pub rows: usize,
    /// The first new, changed, conflicting and deleted rows (`unchanged`
    /// is a count); `totals` counts them all.
    pub plan: ImportPlan,
    /// The first errors, sorted by position; `totals.errors` counts them all.
    pub errors: Vec<RowError>,
    pub totals: Totals,
    /// How every conflict was settled at once (`F`/`W`, `--resolve`);
    /// a conflict in the sample may say otherwise.
    pub resolved_all: Option<Resolution>,
    /// New rows that keep the file's id and rev (empty table): data row → (id, rev).
    pub(crate) keep_ids: HashMap<usize, (i64, i64)>,
    /// What was read, so that applying reads it again.
    pub(crate) input: Input,
    pub(crate) windows_1252: bool,
    pub(crate) delete_missing: bool,
    pub(crate) sample: Sample,
    /// The workspace when the preview was taken: applying refuses if it moved.
    pub(crate) stamp: Option<DataStamp>,
}

/// Every row of a file counted by outcome, and every error and conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub new: usize,
    /// Records with a cell change or a conflict.
    pub changed: usize,
    /// Cells changed outside conflicts.
    pub clean_cells: usize,
    pub unchanged: usize,
    pub conflicts: usize,
    pub deleted: usize,
    pub errors: usize,
    /// Data rows with at least one error (counted in none of the others).
    pub error_rows: usize,
}

/// How many of each kind of row and error a [`Preview`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    pub rows: usize,
    pub errors: usize,
}

impl Sample {
    /// The first 20 rows of each kind and 200 errors: a large file's report.
    pub const FIRST: Sample = Sample {
        rows: 20,
        errors: 200,
    };
    /// Everything: for files small enough to list whole.
    pub const ALL: Sample = Sample {
        rows: usize::MAX,
        errors: usize::MAX,
    };
}

impl Default for Sample {
    fn default() -> Self {
        Sample::FIRST
    }
}

/// The file's data rows by what happens to them, each row counted once:
/// a row with any error is "with errors" whatever else it is; the rest are
/// new, changed (a cell change or a conflict) or unchanged. They add up to
/// the rows read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowCounts {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub with_errors: usize,
}

impl Preview {
    /// The rows by outcome (see [`RowCounts`]).
    pub fn row_counts(&self) -> RowCounts {
        RowCounts {
            new: self.totals.new,
            changed: self.totals.changed,
            unchanged: self.totals.unchanged,
            with_errors: self.totals.error_rows,
        }
    }

    /// Every error, listed or not.
    pub fn error_count(&self) -> usize {
        self.totals.errors
    }

    /// True when the sample holds every new, changed and conflicting row.
    pub fn is_complete(&self) -> bool {
        self.plan.new.len() == self.totals.new
            && self.plan.conflicts.len() == self.totals.conflicts
            && self.plan.deleted.len() == self.totals.deleted
            && self.totals.changed <= self.sample.rows
    }

    /// True when nothing blocks applying: no error, every conflict resolved.
    pub fn is_applicable(&self) -> bool {
        self.totals.errors == 0 && self.open_conflicts() == 0
    }

    /// True when applying would write nothing.
    pub fn is_noop(&self) -> bool {
        self.totals.new == 0 && self.totals.deleted == 0 && self.changed_cells() == 0
    }

    /// Conflicts not listed in the sample, settled as `resolved_all` says.
    fn unlisted_conflicts(&self) -> usize {
        self.totals
            .conflicts
            .saturating_sub(self.plan.conflicts.len())
    }

    /// Conflicts still waiting for a resolution.
    pub fn open_conflicts(&self) -> usize {
        let listed = self.plan.conflicts.iter();
        let open = listed.filter(|c| c.resolution.is_none()).count();
        open + if self.resolved_all.is_none() {
            self.unlisted_conflicts()
        } else {
            0
        }
    }

    /// Records applying would change: those with a changed cell once the
    /// conflicts are settled as they are now.
    pub fn changed_records(&self) -> usize {
        if self.is_complete() {
            self.plan.changed.len()
        } else {
            self.totals.changed
        }
    }

    /// Cells applying would change, conflicts taken from the file included.
    pub fn changed_cells(&self) -> usize {
        let listed = self.plan.conflicts.iter();
        let taken = listed
            .filter(|c| c.resolution == Some(Resolution::TakeFile))
            .count();
        let unlisted = if self.resolved_all == Some(Resolution::TakeFile) {
            self.unlisted_conflicts()
        } else {
            0
        };
        self.totals.clean_cells + taken + unlisted
    }

    /// Settles one conflict (index into `plan.conflicts`) or all of them.
    pub fn resolve(&mut self, which: Which, resolution: Resolution) -> bool {
        if matches!(which, Which::All) {
            self.resolved_all = Some(resolution);
        }
        self.plan.resolve(which, resolution)
    }

    /// A new row as `column=value` pieces (empty cells left out, each value
    /// as `show` writes it) and " as C-7" when the file decides its key:
    /// what the CLI preview and the wizard list for it.
    pub fn describe_new(
        &self,
        row: &NewRow,
        show: impl Fn(&crate::sheet::Value) -> String,
    ) -> (Vec<String>, String) {
        let cells = self.schema.cell_pieces(&row.cells, show);
        let id = self
            .kept_id(row)
            .map(|id| format!(" as {id}"))
            .unwrap_or_default();
        (cells, id)
    }

    /// The display key a new row will get, when the file decides it.
    pub fn kept_id(&self, row: &NewRow) -> Option<String> {
        self.keep_ids
            .get(&row.data_row)
            .map(|(id, _)| crate::domain::RecordKey::new(self.kind.record(), *id).to_string())
    }

    pub(crate) fn sort_errors(&mut self) {
        self.errors.sort_by_key(|e| (e.data_row, e.line));
    }
}

/// How an import ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Written as this batch (`concierge undo BATCH` reverts it).
    Applied(i64),
    /// The file matches the workspace: nothing written, no batch.
    NoChanges,
    /// Errors or open conflicts: nothing written.
    Blocked,
    /// `--dry-run`: everything checked, including the domain rules, and
    /// nothing written.
    Checked,
}

/// What an import may do beyond the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Delete records absent from the file.
    pub delete_missing: bool,
    /// Settle every conflict this way.
    pub resolution: Option<Resolution>,
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// How much of what it found the preview lists.
    pub sample: Sample,
    /// Read a file that is not UTF-8 as Windows-1252 (the user confirmed).
    pub windows_1252: bool,
}

/// Reports long work: (what, done, total). A streamed import reports
/// "importing" while its total is an estimate (only the file's start was
/// surveyed), "imported" once it is exact; "read again" when the rest of
/// the file read differently from its start, which was rolled back: the
/// whole file was surveyed and is imported again.
pub type Progress<'a> = &'a mut dyn FnMut(&str, usize, usize);
