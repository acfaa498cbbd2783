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

use crate::store::Result;
use crate::store::open::BUSY_TIMEOUT;
use rusqlite::Connection;
use std::time::Duration;

/// Switches to a rollback journal if no other connection has the file
/// open, without waiting for one; true when it did.
pub(super) fn take_alone(conn: &Connection) -> Result<bool> {
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
pub(super) fn give_back(conn: &Connection) -> Result<()> {
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
