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
    /// nothing: an empty WAL and a `-shm` SQLite never sized (3 bytes).
    /// Any connection using the WAL sizes the `-shm` first, so one sized
    /// by a program that opened the workspace meanwhile leaves both alone.
    pub(super) fn remove_new(self, path: &Path) {
        let shm = side(path, "-shm");
        let wal = side(path, "-wal");
        let len = |file: &Path| std::fs::metadata(file).ok().map(|m| m.len());
        let unused = match len(&shm) {
            None => true,
            Some(n) => !self.shm && n <= 3,
        };
        if !unused {
            return;
        }
        if !self.wal && len(&wal) == Some(0) {
            let _ = std::fs::remove_file(&wal);
        }
        if !self.shm && len(&shm).is_some() {
            let _ = std::fs::remove_file(&shm);
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
