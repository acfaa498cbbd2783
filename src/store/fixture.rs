//! Writing the benchmark fixture ([`crate::fixture`]) into this engine: one
//! transaction, one prepared statement per table, no change rows.

use super::db::{Arg, Db, IntoArg, args};
use super::engine::WriteTx;
use super::{Result, Store, StoreError, StoredValue};
use crate::domain::Field;
use crate::fixture::{FixtureSize, FixtureSummary, Sink, generate, label, stamp};

/// Inserts the fixture's rows through one statement per table (prepared
/// once: the connection keeps it).
struct Inserts<'t> {
    db: &'t Db,
    insert: Option<String>,
}

impl Sink for Inserts<'_> {
    fn table(&mut self, table: &str, columns: &[&str]) -> Result<()> {
        let marks = vec!["?"; columns.len()].join(", ");
        self.insert = Some(format!(
            "INSERT INTO {table} ({}) VALUES ({marks})",
            columns.join(", ")
        ));
        Ok(())
    }

    fn row(&mut self, values: &[StoredValue]) -> Result<()> {
        let insert = self
            .insert
            .as_deref()
            .ok_or_else(|| StoreError::Refused("a fixture row before its table".into()))?;
        let values: Vec<Arg<'_>> = values.iter().map(IntoArg::arg).collect();
        self.db.execute(insert, &values)?;
        Ok(())
    }

    fn field_column(&mut self, field: &Field) -> Result<()> {
        if let Some(pg) = self.db.postgres() {
            self.db
                .execute("SELECT concierge_entries_add_column(?1)", args![field.id])?;
            pg.forget_statements();
            return Ok(());
        }
        self.db.execute_batch(&format!(
            "ALTER TABLE entries ADD COLUMN {} {}",
            field.column(),
            super::fields::sql_type(field.field_type)
        ))
    }
}

impl Store {
    /// Fills an empty workspace with the fixture; refuses a workspace that
    /// holds records already.
    pub fn build_fixture(&mut self, seed: u64, size: FixtureSize) -> Result<FixtureSummary> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let used: i64 = self.db().value(
            "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM fields)
                  + (SELECT count(*) FROM backlog_items)",
            args![],
        )?;
        if used > 0 {
            return Err(StoreError::Refused(format!(
                "{} already holds records; the fixture fills only an empty workspace",
                self.path.display()
            )));
        }
        let tx = WriteTx::begin(&self.conn)?;
        let batch = tx.db().value(
            "INSERT INTO batches (actor, at, label) VALUES (?1, ?2, ?3) RETURNING id",
            args![self.actor, stamp(), label(seed, size)],
        )?;
        let mut sink = Inserts {
            db: tx.db(),
            insert: None,
        };
        let summary = generate(&mut sink, seed, size)?;
        if tx.db().postgres().is_some() {
            // The fixture writes its own ids: move the sequences past them.
            tx.db().execute("SELECT concierge_sync_ids()", args![])?;
        }
        super::list::index_stale_notes(tx.db())?;
        tx.commit()?;
        Ok(FixtureSummary { batch, ..summary })
    }
}
