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
            _ => StoreError::Sqlite(err),
        }
    }
}

impl From<Invalid> for StoreError {
    fn from(err: Invalid) -> Self {
        StoreError::Invalid(err)
    }
}
