//! The change log as Activity shows it.

use super::db::args;
use super::undo::{batch_columns, batch_from_row};
use super::{Result, Store};
use crate::domain::Batch;

impl Store {
    /// Batches for the given ids, in order.
    pub fn batch_rows(&self, ids: &[i64]) -> Result<Vec<Batch>> {
        let sql = format!(
            "SELECT {} FROM batches WHERE id = ?1",
            batch_columns(self.db().dialect())
        );
        ids.iter()
            .map(|id| self.db().query_row(&sql, args![id], batch_from_row))
            .collect()
    }

    /// The newest `limit` batches, newest first (for `concierge log`).
    pub fn recent_batches(&self, limit: usize) -> Result<Vec<Batch>> {
        let sql = format!(
            "SELECT {} FROM batches ORDER BY id DESC LIMIT ?1",
            batch_columns(self.db().dialect())
        );
        self.db().query_map(&sql, args![limit], batch_from_row)
    }
}
