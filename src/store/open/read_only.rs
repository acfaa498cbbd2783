//! Opening a workspace with `--read-only`: reading it wherever the user
//! can read it, and leaving no trace behind.
//!
//! A WAL workspace is read through SQLite's `-shm` index next to the file,
//! which SQLite creates on first read — impossible in a folder the user
//! cannot write (a shared folder, read-only media) and, in a writable one,
//! left behind after a read-only connection closes (only a writer may
//! remove it). So:
//! - When neither `-wal` nor `-shm` exists, the file alone holds the whole
//!   workspace (the last writer checkpointed and removed them). If SQLite
//!   cannot create them, the file is read as *immutable*: no locks, no
//!   side files. Should its owner write it meanwhile, this reader does not
//!   see it (and may see a torn page); nobody else can write where we
//!   cannot, so that is the rare case.
//! - If SQLite could create them, [`Leftovers`] removes them once this
//!   connection has closed, the way SQLite itself does: a plain connection
//!   opened and closed, whose close checkpoints and deletes them only when
//!   no other connection has the workspace open. An empty WAL writes
//!   nothing to the file.
//! - A hot rollback journal (a write cut short) is never read around:
//!   immutable would ignore it and show half a write.

use crate::store::{Result, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// Removes the `-wal` and `-shm` a read-only connection created, when
/// dropped after that connection (declare it after the connection).
#[derive(Debug, Default)]
pub struct Leftovers {
    path: Option<PathBuf>,
}

impl Drop for Leftovers {
    fn drop(&mut self) {
        let Some(path) = self.path.take() else {
            return;
        };
        if !side(&path, "-wal").exists() && !side(&path, "-shm").exists() {
            return;
        }
        // Opening read-write fails quietly into read-only when the file is
        // not writable; then the files stay, as they did before.
        if let Ok(conn) = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE) {
            let _ = conn.query_row("PRAGMA schema_version", [], |_| Ok(()));
            let _ = conn.close();
        }
    }
}

/// `path` with `suffix` appended (`w.db` → `w.db-wal`).
pub(super) fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Opens `path` read-only, falling back to immutable where SQLite cannot
/// keep its side files; reads the schema version so any failure shows here.
pub(super) fn connect(path: &Path) -> Result<(Connection, Leftovers)> {
    if !path.exists() {
        return Err(StoreError::Refused(format!(
            "no workspace at {} to open read-only",
            path.display()
        )));
    }
    let had_side_files = side(path, "-wal").exists() || side(path, "-shm").exists();
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    match first_read(&conn) {
        Ok(()) => {
            let leftovers = Leftovers {
                path: (!had_side_files).then(|| path.to_path_buf()),
            };
            Ok((conn, leftovers))
        }
        // Busy: a writer holds the file (a large import alone): never
        // read around it.
        Err(err) if !had_side_files && !hot_journal(path) && !busy(&err) => {
            drop(conn);
            // Whatever SQLite started (a full disk lets it create but not
            // size the -shm) goes before reading the file as it stands.
            super::disk::SideFiles::NONE.remove_new(path);
            let conn = Connection::open_with_flags(
                immutable_uri(path)?,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
            )?;
            // Should the immutable read fail too, the first error says more.
            first_read(&conn).map_err(|_| StoreError::from(err))?;
            Ok((conn, Leftovers::default()))
        }
        Err(err) => Err(err.into()),
    }
}

fn first_read(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA user_version", [], |_| Ok(()))
}

fn busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn hot_journal(path: &Path) -> bool {
    std::fs::metadata(side(path, "-journal")).is_ok_and(|m| m.len() > 0)
}

/// `file:/abs/path?immutable=1`, with the characters a URI reserves escaped.
fn immutable_uri(path: &Path) -> Result<String> {
    let absolute = std::path::absolute(path)?;
    let Some(text) = absolute.to_str() else {
        return Err(StoreError::Refused(format!(
            "cannot open {} read-only here: its name is not UTF-8",
            path.display()
        )));
    };
    let mut uri = String::from("file:");
    for c in text.chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3F"),
            '#' => uri.push_str("%23"),
            _ => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uri_escapes_what_a_uri_reserves() {
        let uri = immutable_uri(Path::new("/a b/50%?#.db")).expect("uri");
        assert_eq!(uri, "file:/a b/50%25%3F%23.db?immutable=1");
    }
}
