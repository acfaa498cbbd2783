//! Writing the benchmark fixture ([`crate::fixture`]) into this engine: one
//! transaction, one prepared statement per table, no change rows.

use super::{Result, Store, StoreError, StoredValue};
use crate::domain::Field;
use crate::fixture::{FixtureSize, FixtureSummary, Sink, generate, label, stamp};
use rusqlite::{Statement, Transaction, params, params_from_iter};

/// Inserts the fixture's rows through one prepared statement per table.
struct Inserts<'t> {
    tx: &'t Transaction<'t>,
    stmt: Option<Statement<'t>>,
}

impl Sink for Inserts<'_> {
    fn table(&mut self, table: &str, columns: &[&str]) -> Result<()> {
        let marks = vec!["?"; columns.len()].join(", ");
        self.stmt = Some(self.tx.prepare(&format!(
            "INSERT INTO {table} ({}) VALUES ({marks})",
            columns.join(", ")
        ))?);
        Ok(())
    }

    fn row(&mut self, values: &[StoredValue]) -> Result<()> {
        let stmt = self
            .stmt
            .as_mut()
            .ok_or_else(|| StoreError::Refused("a fixture row before its table".into()))?;
        stmt.execute(params_from_iter(values.iter()))?;
        Ok(())
    }

    fn field_column(&mut self, field: &Field) -> Result<()> {
        self.tx.execute_batch(&format!(
            "ALTER TABLE entries ADD COLUMN {} {}",
            field.column(),
            super::fields::sql_type(field.field_type)
        ))?;
        Ok(())
    }
}

impl Store {
    /// Fills an empty workspace with the fixture; refuses a workspace that
    /// holds records already.
    pub fn build_fixture(&mut self, seed: u64, size: FixtureSize) -> Result<FixtureSummary> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let used: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM fields)
                  + (SELECT count(*) FROM backlog_items)",
            [],
            |r| r.get(0),
        )?;
        if used > 0 {
            return Err(StoreError::Refused(format!(
                "{} already holds records; the fixture fills only an empty workspace",
                self.path.display()
            )));
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO batches (actor, at, label) VALUES ('fixture', ?1, ?2)",
            params![stamp(), label(seed, size)],
        )?;
        let batch = tx.last_insert_rowid();
        let mut sink = Inserts {
            tx: &tx,
            stmt: None,
        };
        let summary = generate(&mut sink, seed, size)?;
        drop(sink);
        super::list::index_stale_notes(&tx)?;
        tx.commit()?;
        Ok(FixtureSummary { batch, ..summary })
    }
}
