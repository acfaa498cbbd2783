//! The change log as Activity shows it.

use super::undo::batch_from_row;
use super::{Result, Store};
use crate::domain::Batch;

impl Store {
    /// Batches for the given ids, in order.
    pub fn batch_rows(&self, ids: &[i64]) -> Result<Vec<Batch>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, actor, at, label, undoes,
                    (SELECT count(*) + coalesce(sum(CASE WHEN field = '*range' THEN new - record_id END), 0)
                     FROM changes WHERE batch_id = batches.id)
             FROM batches WHERE id = ?1",
        )?;
        ids.iter()
            .map(|id| stmt.query_row([id], batch_from_row).map_err(Into::into))
            .collect()
    }

    /// The newest `limit` batches, newest first (for `concierge log`).
    pub fn recent_batches(&self, limit: usize) -> Result<Vec<Batch>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, actor, at, label, undoes,
                    (SELECT count(*) + coalesce(sum(CASE WHEN field = '*range' THEN new - record_id END), 0)
                     FROM changes WHERE batch_id = batches.id)
             FROM batches ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], batch_from_row)?;
        rows.collect::<rusqlite::Result<_>>().map_err(Into::into)
    }
}
