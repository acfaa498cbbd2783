//! CSV round-trips for a real workspace: the store side of `src/sheet/`.
//!
//! Each record kind is a [`crate::sheet::Schema`] with its fields in a fixed,
//! documented order (`spec.rs`; README "CSV round-trips"). References are
//! written the way a person reads them and resolved on import: a customer
//! by its name (`C-3` is read too), a check-in or backlog item by its
//! display key (`K-41`, `H-12`), a data field by its key. Live data has one
//! column per field key (wide) or one row per value (long, export only).
//!
//! ```text
//! export:  Store ─► Record (SQL values) ─► Vec<Value> ─► sheet::write_csv
//! import:  file or text ─► sheet::open_input (survey) ─► engine: inside one
//!          Store::write batch, each row read ─► canonical references, kept
//!          ids, entry matching ─► sheet::plan_row against `Workspace`
//!          (Existing) ─► written through the domain rules ─► Preview
//!          (counts + a bounded sample); rolled back on any error, open
//!          conflict or dry run (a preview is a dry run)
//! ```
//!
//! There is one import engine (`engine.rs`): the CLI, the TUI wizard's
//! preview and apply, and `import all` all run it.
//!
//! - [`Existing::at_rev`](crate::sheet::Existing::at_rev) is rebuilt from the
//!   change log: the record's current values with every change logged after
//!   that rev reverted, newest first (a create after it means "did not exist").
//! - Nothing is written while any error or unresolved conflict remains: a
//!   refusal anywhere rolls the whole batch back and is reported with its
//!   data row, line and column.
//! - Into an empty table, rows keep the ids (and `_rev`) of the file, so
//!   `export all` → `import all` into an empty workspace reproduces it.
//! - Data rows without an id match an existing entry by customer + recorded_on.

mod all;
mod apply;
mod engine;
mod existing;
mod export;
mod import;
mod prepare;
mod rules;
mod values;

pub use crate::interchange::{
    ImportOptions, Kind, Outcome, Preview, Progress, RowCounts, RowError, Sample, Totals,
};
pub use all::Source;
pub use export::{ExportSummary, Layout};

use crate::sheet::{Decoded, WriteError};
use crate::store::StoreError;

/// Why an export or import could not run at all (row-level problems are
/// [`RowError`]s in the [`Preview`]).
#[derive(Debug, thiserror::Error)]
pub enum InterchangeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("{0}")]
    Refused(String),
    /// The file is not UTF-8 but reads as Windows-1252: ask first, showing
    /// what its start reads as (`ImportOptions::windows_1252` accepts).
    #[error("{name} is not UTF-8 but reads as Windows-1252")]
    NeedsConfirmation { name: String, start: Box<Decoded> },
    /// The file cannot be read as text: `fault` says where and why.
    #[error("{name}: {fault}")]
    Unreadable { name: String, fault: String },
}

impl From<rusqlite::Error> for InterchangeError {
    fn from(err: rusqlite::Error) -> Self {
        InterchangeError::Store(err.into())
    }
}

/// The rollback signal between an import closure and `Store::write`.
const ROLLBACK: &str = "\u{0}interchange rollback";

fn rollback() -> StoreError {
    StoreError::Refused(ROLLBACK.to_owned())
}

fn is_rollback(err: &StoreError) -> bool {
    matches!(err, StoreError::Refused(m) if m == ROLLBACK)
}
