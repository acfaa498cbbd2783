//! Store errors, typed so the app can turn each into a plain message or a
//! specific screen (a conflict shows both versions).

use crate::domain::{Invalid, RecordKey};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("read-only workspace")]
    ReadOnly,
    #[error(
        "{record} was changed by someone else (you had rev {expected}, it is now rev {actual})"
    )]
    Conflict {
        record: RecordKey,
        expected: i64,
        actual: i64,
    },
    #[error("{0} does not exist (deleted?)")]
    NotFound(RecordKey),
    #[error("{0}")]
    Invalid(Invalid),
    #[error("{0}")]
    Refused(String),
    #[error(
        "this workspace has schema version {file}, newer than this concierge understands ({app}); update concierge"
    )]
    NewerSchema { file: i64, app: i64 },
    #[error("the workspace is locked by another program; try again in a moment")]
    Locked,
    /// SQLite could not grow a file: the disk (or quota) is full. `place`
    /// is the workspace's folder when known.
    #[error("{}", disk_full(place.as_deref()))]
    DiskFull { place: Option<String> },
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Locked
            }
            // A write cut short (a crash during an import) left a journal
            // that only a writer can roll back.
            Some(rusqlite::ErrorCode::ReadOnly)
                if matches!(&err, rusqlite::Error::SqliteFailure(e, _)
                    if e.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK) =>
            {
                StoreError::Refused(
                    "an earlier write was cut short (was an import killed?); open the workspace once without --read-only to roll it back"
                        .into(),
                )
            }
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull { place: None },
            _ => StoreError::Sqlite(err),
        }
    }
}

impl StoreError {
    /// Names the folder of the workspace at `path` in a full-disk error.
    #[must_use]
    pub fn on_disk(self, path: &std::path::Path) -> Self {
        match self {
            StoreError::DiskFull { place: None } => StoreError::DiskFull {
                place: Some(folder(path)),
            },
            other => other,
        }
    }
}

/// The folder holding `path`, as the user would look for it.
pub(crate) fn folder(path: &std::path::Path) -> String {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let dir = dir.map_or_else(
        || std::path::PathBuf::from("."),
        std::path::Path::to_path_buf,
    );
    std::path::absolute(&dir)
        .unwrap_or(dir)
        .display()
        .to_string()
}

fn disk_full(place: Option<&str>) -> String {
    match place {
        Some(place) => format!(
            "the disk is full (no space left in {place}); free some space and try again — nothing was written"
        ),
        None => "the disk is full; free some space and try again — nothing was written".to_owned(),
    }
}

impl From<Invalid> for StoreError {
    fn from(err: Invalid) -> Self {
        StoreError::Invalid(err)
    }
}
