//! A large import writes through a rollback journal when it has the
//! workspace to itself. In WAL mode every page of the batch is written
//! twice, once to the WAL and again when the commit's checkpoint copies
//! it into the file; a rollback journal records only the few pages that
//! existed before (new pages at the end of the file need no journal), so
//! the batch is written once. Atomicity is the same: a crash leaves a hot
//! journal that the next open rolls back, and that open sets WAL again;
//! `synchronous = FULL` while it lasts keeps it safe on power loss too.
//!
//! Leaving WAL needs every other connection closed. When another process
//! (a TUI, say) has the workspace open, the import stays in WAL mode and
//! shares it as any write does.
//!
//! [`Bulk`] is every SQLite setting an import changes for its duration
//! (a server needs none of them).

use crate::interchange::ImportOptions;
use crate::store::Result;
use crate::store::open::BUSY_TIMEOUT;
use rusqlite::Connection;
use std::time::Duration;

/// The page cache while an import writes, in KiB.
const BULK_CACHE_KB: i64 = 8 * 1024;

/// SQLite's settings while an import runs, and how to put them back.
pub(in crate::store::interchange) struct Bulk {
    cache: i64,
    alone: bool,
    checked_by_importer: bool,
}

impl Bulk {
    /// `checked_by_importer`: every file is live data, whose one reference
    /// (the customer) the importer resolves against the customers table
    /// in this same transaction (no customer is deleted by a data import):
    /// SQLite's own check of it would repeat the lookup for every row, a
    /// sixth of the insert's time.
    pub fn begin(
        conn: &Connection,
        options: &ImportOptions,
        checked_by_importer: bool,
    ) -> Result<Self> {
        // A bigger page cache while the batch is written keeps the index's
        // pages in memory instead of spilling them again and again (the
        // default is 2 MB); memory stays well under SPEC's 32 MB.
        let cache: i64 = conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        let bulk_cache = std::env::var("CONCIERGE_BULK_CACHE_KB")
            .ok()
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(BULK_CACHE_KB);
        conn.pragma_update(None, "cache_size", -bulk_cache)?;
        // A dry run keeps WAL: switching the journal rewrites the file's
        // header (its change counter), and a dry run changes no byte.
        let alone = !options.dry_run && take_alone(conn)?;
        if checked_by_importer {
            conn.pragma_update(None, "foreign_keys", "OFF")?;
        }
        Ok(Bulk {
            cache,
            alone,
            checked_by_importer,
        })
    }

    /// Puts the settings back.
    pub fn end(self, conn: &Connection) -> Result<()> {
        if self.checked_by_importer {
            conn.pragma_update(None, "foreign_keys", "ON")?;
        }
        if self.alone {
            give_back(conn)?;
        }
        conn.pragma_update(None, "cache_size", self.cache)?;
        Ok(())
    }
}

/// Switches to a rollback journal if no other connection has the file
/// open, without waiting for one; true when it did.
fn take_alone(conn: &Connection) -> Result<bool> {
    conn.busy_timeout(Duration::ZERO)?;
    let mode =
        conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0));
    conn.busy_timeout(BUSY_TIMEOUT)?;
    match mode {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") => {
            // A rollback journal is power-safe only with FULL sync.
            conn.pragma_update(None, "synchronous", "FULL")?;
            Ok(true)
        }
        Ok(_) => Ok(false),
        Err(e) if busy(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Back to WAL after the import. Should another process have opened the
/// file meanwhile and hold it past the busy timeout, the file stays in
/// rollback mode until the next open sets WAL (every open does).
fn give_back(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    match conn.pragma_update(None, "journal_mode", "WAL") {
        Ok(()) => Ok(()),
        Err(e) if busy(&e) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

fn busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
