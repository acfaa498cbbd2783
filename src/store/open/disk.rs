//! A full disk met while opening: SQLite says "disk I/O error" when it
//! cannot size its `-shm` index, and leaves the `-wal`/`-shm` it started.
//! This names the fault ("the disk is full", and where) and removes the
//! side files the failed open created.

use super::read_only::side;
use crate::store::StoreError;
use std::io::Write;
use std::path::Path;

/// Which side files existed before an open.
#[derive(Debug, Clone, Copy)]
pub(super) struct SideFiles {
    wal: bool,
    shm: bool,
}

impl SideFiles {
    /// Neither existed.
    pub(super) const NONE: SideFiles = SideFiles {
        wal: false,
        shm: false,
    };

    pub(super) fn before(path: &Path) -> Self {
        SideFiles {
            wal: side(path, "-wal").exists(),
            shm: side(path, "-shm").exists(),
        }
    }

    /// Removes the side files a failed open created, while they hold
    /// nothing: an empty WAL and a `-shm` SQLite never sized (3 bytes). A
    /// program that opened the workspace meanwhile would have sized it.
    pub(super) fn remove_new(self, path: &Path) {
        let small = |suffix: &str, most: u64| {
            let file = side(path, suffix);
            std::fs::metadata(&file).is_ok_and(|m| m.len() <= most)
                && std::fs::remove_file(&file).is_ok()
        };
        if !self.shm {
            small("-shm", 3);
        }
        if !self.wal {
            small("-wal", 0);
        }
    }
}

/// `err` from opening `path`, named as a full disk when it is one: SQLite's
/// "database or disk is full", or an I/O error where a probe write finds
/// no space left.
pub(super) fn name_fault(err: StoreError, path: &Path) -> StoreError {
    let io_error = matches!(
        &err,
        StoreError::Sqlite(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure)
    ) || matches!(&err, StoreError::Io(_));
    if io_error && no_space_left(path) {
        return StoreError::DiskFull { place: None }.on_disk(path);
    }
    err.on_disk(path)
}

/// Whether a 64 KiB write next to `path` fails for want of space (the
/// probe file is removed at once).
fn no_space_left(path: &Path) -> bool {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(mut probe) = tempfile::NamedTempFile::new_in(dir) else {
        return false;
    };
    let written = probe
        .write_all(&vec![0u8; 64 * 1024])
        .and_then(|()| probe.as_file().sync_all());
    matches!(written, Err(e) if e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28))
}
