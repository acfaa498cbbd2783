//! The store's connection ([`Engine`]) and its write transaction
//! ([`WriteTx`]), the same for both engines. Every module of `store/`
//! runs its SQL through [`Engine::db`].

use super::Result;
use super::db::{Db, Dialect};

/// An open connection to a workspace, of either engine.
pub(crate) struct Engine {
    db: Db,
}

impl Engine {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}

/// A write transaction: rolled back when dropped before [`WriteTx::commit`]
/// (an error, a panic), so a write is all or nothing on both engines.
///
/// On SQLite it begins `IMMEDIATE`: the write lock is taken before
/// anything is read, and another process's lock is waited for up to the
/// busy timeout (then `StoreError::Locked`); a deferred transaction that
/// read first could only fail at its first write, without waiting. On
/// PostgreSQL it is a plain `BEGIN` on the one client (rows are locked as
/// they are written; the `rev` guard catches a concurrent change).
pub(crate) struct WriteTx<'a> {
    engine: &'a Engine,
    open: bool,
}

impl<'a> WriteTx<'a> {
    pub fn begin(engine: &'a Engine) -> Result<Self> {
        engine.db.execute_batch(match engine.db.dialect() {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        })?;
        Ok(Self { engine, open: true })
    }

    pub fn db(&self) -> &'a Db {
        &self.engine.db
    }

    /// Commits; a commit that fails leaves the transaction to the drop,
    /// which rolls it back.
    pub fn commit(mut self) -> Result<()> {
        self.engine.db.execute_batch("COMMIT")?;
        self.open = false;
        Ok(())
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        if self.open {
            // Nothing better to do with a failed rollback: the connection
            // ends the transaction when it closes.
            let _ = self.engine.db.execute_batch("ROLLBACK");
        }
    }
}
