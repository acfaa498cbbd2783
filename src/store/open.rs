//! Opening a workspace: pragmas, schema migrations with a backup first,
//! and refusing a schema newer than this build.

use super::schema::{MIGRATIONS, Migration, SCHEMA_VERSION};
use super::{Result, StoreError};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod disk;
mod read_only;
pub(crate) mod server;

pub(super) use read_only::Leftovers;

/// How to open the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    ReadWrite,
    /// Read-only at the SQLite level: nothing can be written.
    ReadOnly,
}

/// `$XDG_DATA_HOME/concierge/concierge.db` (or the platform's data dir).
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "concierge").map_or_else(
        || PathBuf::from("concierge.db"),
        |dirs| dirs.data_dir().join("concierge.db"),
    )
}

/// How long a write waits for another process's lock before giving up.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

pub(super) fn connect(path: &Path, mode: OpenMode) -> Result<(Connection, Leftovers)> {
    let before = disk::SideFiles::before(path);
    connect_as(path, mode).map_err(|err| {
        // The connection is closed by now: clear what it left.
        before.remove_new(path);
        match err {
            // SQLite opened a file the user cannot write read-only.
            StoreError::ReadOnly if mode == OpenMode::ReadWrite => StoreError::Refused(format!(
                "cannot write the workspace {} (its file or folder is read-only for you); add --read-only to read it",
                path.display()
            )),
            err => disk::name_fault(err, path),
        }
    })
}

fn connect_as(path: &Path, mode: OpenMode) -> Result<(Connection, Leftovers)> {
    let (conn, leftovers) = match mode {
        OpenMode::ReadOnly => read_only::connect(path)?,
        OpenMode::ReadWrite => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            (Connection::open(path)?, Leftovers::default())
        }
    };
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    prepare(&conn, path, mode, MIGRATIONS)?;
    crate::store::list::register_functions(&conn)?;
    Ok((conn, leftovers))
}

/// Checks the version and migrates with `migrations` (a parameter so tests
/// can stand in an older and a newer list).
fn prepare(conn: &Connection, path: &Path, mode: OpenMode, migrations: &[Migration]) -> Result<()> {
    const _: () = assert!(SCHEMA_VERSION as usize == MIGRATIONS.len());
    let target = migrations.len() as i64;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > target {
        return Err(StoreError::NewerSchema {
            file: version,
            app: target,
        });
    }
    if mode == OpenMode::ReadWrite {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        if version < target {
            if version > 0 {
                backup(conn, path, version)?;
            }
            migrate(conn, migrations, version)?;
            compact_after_rebuild(conn)?;
        }
    } else if version < target {
        return Err(StoreError::Refused(format!(
            "this workspace has schema version {version} and needs migrating to {target}; open it once without --read-only"
        )));
    }
    Ok(())
}

/// After a migration that rebuilt a table (6 and 7 copy `entries`), the
/// old table's pages are free but still in the file: a workspace of a
/// million entries would keep ~200 MB it no longer needs. When more than
/// a quarter of the file is free, it is rewritten without them, once.
/// The migration has committed by then, so a compaction that cannot run
/// (another program writing, a full disk: VACUUM needs a copy's worth of
/// space) is skipped and the workspace opens as it is. In WAL mode VACUUM
/// writes the whole file to the WAL, which is truncated after.
fn compact_after_rebuild(conn: &Connection) -> Result<()> {
    let pages: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
    let free: i64 = conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
    if free * 4 > pages && conn.execute_batch("VACUUM").is_ok() {
        // Only the WAL's size is at stake: a checkpoint that cannot
        // truncate it now leaves that to the next one.
        let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }
    Ok(())
}

/// Copies the file before a migration: `NAME.db.v3-backup`.
fn backup(conn: &Connection, path: &Path, version: i64) -> Result<PathBuf> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".v{version}-backup"));
    let target = path.with_file_name(name);
    if target.exists() {
        std::fs::remove_file(&target)?;
    }
    // VACUUM INTO would create the copy readable by everyone (0644): create
    // it empty with the workspace's permissions first (it takes an empty
    // file), so a private workspace has a private backup.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&target)?;
    if let Some(permissions) = crate::sheet::permissions_for(path, None) {
        file.set_permissions(permissions)?;
    }
    drop(file);
    conn.execute("VACUUM INTO ?1", [target.to_string_lossy()])?;
    Ok(target)
}

/// Applies every migration after `from`, each in its own transaction with
/// its `user_version` bump, so a crash leaves a consistent version.
fn migrate(conn: &Connection, migrations: &[Migration], from: i64) -> Result<()> {
    for (index, step) in migrations.iter().enumerate().skip(from as usize) {
        let version = index as i64 + 1;
        let run = || -> rusqlite::Result<()> {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            match step {
                Migration::Sql(sql) => conn.execute_batch(sql)?,
                Migration::Code(code) => code(conn)?,
            }
            conn.execute_batch(&format!("PRAGMA user_version = {version}; COMMIT;"))
        };
        run().inspect_err(|_| {
            let _ = conn.execute_batch("ROLLBACK");
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('old')";
    const V1: &[Migration] = &[Migration::Sql(OLD)];
    const V2: &[Migration] = &[
        Migration::Sql(OLD),
        Migration::Sql("ALTER TABLE notes ADD COLUMN author TEXT DEFAULT 'dana'"),
    ];

    #[test]
    fn an_older_schema_is_backed_up_before_it_is_migrated() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("w.db");
        let conn = Connection::open(&path).expect("open");
        prepare(&conn, &path, OpenMode::ReadWrite, V1).expect("v1");
        prepare(&conn, &path, OpenMode::ReadWrite, V2).expect("v2");
        let author: String = conn
            .query_row("SELECT author FROM notes", [], |r| r.get(0))
            .expect("migrated");
        assert_eq!(author, "dana");
        let backup = Connection::open(dir.path().join("w.db.v1-backup")).expect("backup");
        let version: i64 = backup
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        let columns: i64 = backup
            .query_row("SELECT count(*) FROM pragma_table_info('notes')", [], |r| {
                r.get(0)
            })
            .expect("columns");
        assert_eq!((version, columns), (1, 1));
    }

    #[cfg(unix)]
    #[test]
    fn a_private_workspace_gets_a_private_backup() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("w.db");
        let conn = Connection::open(&path).expect("open");
        prepare(&conn, &path, OpenMode::ReadWrite, V1).expect("v1");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        prepare(&conn, &path, OpenMode::ReadWrite, V2).expect("v2");
        let backup = std::fs::metadata(dir.path().join("w.db.v1-backup")).expect("backup");
        assert_eq!(backup.permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn a_newer_schema_names_both_versions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("w.db");
        let conn = Connection::open(&path).expect("open");
        prepare(&conn, &path, OpenMode::ReadWrite, V2).expect("v2");
        let err = prepare(&conn, &path, OpenMode::ReadWrite, V1).expect_err("newer");
        assert_eq!(
            err.to_string(),
            "this workspace has schema version 2, newer than this concierge understands (1); update concierge"
        );
    }

    #[test]
    fn entries_keep_every_value_and_get_one_date_first_index() {
        let conn = Connection::open_in_memory().expect("open");
        let rebuild = MIGRATIONS
            .iter()
            .position(|m| matches!(m, Migration::Code(_)))
            .expect("the entries rebuild");
        migrate(&conn, &MIGRATIONS[..rebuild], 0).expect("up to the rebuild");
        conn.execute_batch(
            "INSERT INTO customers (id, name, created_at, updated_at) VALUES (1, 'Harbor', 't', 't'), (2, 'Crane', 't', 't');
             ALTER TABLE entries ADD COLUMN f_3 REAL;
             ALTER TABLE entries ADD COLUMN f_7 TEXT;
             INSERT INTO entries (id, customer_id, recorded_on, created_at, updated_at, rev, f_3, f_7)
               VALUES (5, 1, '2026-11-02', 'a', 'b', 3, 0.5, '007'), (9, 2, '2026-11-02', 'c', 'd', 1, NULL, 'x');",
        )
        .expect("entries");
        let rows = |conn: &Connection| -> Vec<String> {
            let mut stmt = conn
                .prepare("SELECT id, customer_id, recorded_on, created_at, updated_at, rev, quote(f_3), quote(f_7) FROM entries ORDER BY id")
                .expect("select");
            stmt.query_map([], |r| {
                (0..8)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map(|v| v.join(" "))
            })
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
        };
        let before = rows(&conn);
        migrate(&conn, MIGRATIONS, rebuild as i64).expect("the rebuild");
        assert_eq!(rows(&conn), before);
        let texts = |sql: &str| -> Vec<String> {
            conn.prepare(sql)
                .expect(sql)
                .query_map([], |r| r.get(0))
                .expect(sql)
                .collect::<rusqlite::Result<_>>()
                .expect(sql)
        };
        assert_eq!(
            texts("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries'"),
            ["entries_day"]
        );
        assert_eq!(
            texts("SELECT type FROM pragma_table_info('entries') WHERE name GLOB 'f_*'"),
            ["REAL", "TEXT"]
        );
        let again = conn.execute(
            "INSERT INTO entries (customer_id, recorded_on, created_at, updated_at) VALUES (1, '2026-11-02', 'e', 'e')",
            [],
        );
        assert!(again.is_err(), "one entry per customer per day");
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT id FROM entries WHERE customer_id = 1 AND recorded_on = '2026-11-02'",
                [],
                |r| r.get(3),
            )
            .expect("plan");
        assert!(plan.contains("entries_day"), "{plan}");
    }

    #[test]
    fn entry_stamps_become_unix_seconds_and_anything_else_is_kept() {
        let conn = Connection::open_in_memory().expect("open");
        let last = MIGRATIONS.len() - 1;
        assert!(matches!(MIGRATIONS[last], Migration::Code(_)));
        migrate(&conn, &MIGRATIONS[..last], 0).expect("up to migration 7");
        conn.execute_batch(
            "INSERT INTO customers (id, name, created_at, updated_at)
               VALUES (1, 'Harbor', '2026-11-02T09:30:00Z', '2026-11-03T10:00:00Z');
             INSERT INTO entries (id, customer_id, recorded_on, created_at, updated_at, rev)
               VALUES (5, 1, '2026-11-02', '2026-11-02T09:30:00Z', '2026-11-03T10:00:05Z', 2),
                      (6, 1, '2026-11-03', 'not a time', '2026-11-03T10:00:00Z', 1);",
        )
        .expect("rows");
        migrate(&conn, MIGRATIONS, last as i64).expect("migration 7");
        let stamps = |table: &str| -> Vec<String> {
            let sql = format!(
                "SELECT typeof(created_at) || ' ' || created_at || ' ' || typeof(updated_at) || ' ' || updated_at FROM {table} ORDER BY id"
            );
            conn.prepare(&sql)
                .expect("select")
                .query_map([], |r| r.get(0))
                .expect("rows")
                .collect::<rusqlite::Result<_>>()
                .expect("rows")
        };
        assert_eq!(
            stamps("entries"),
            [
                "integer 1793611800 integer 1793700005",
                "text not a time integer 1793700000"
            ]
        );
        // Other records keep their text.
        assert_eq!(
            stamps("customers"),
            ["text 2026-11-02T09:30:00Z text 2026-11-03T10:00:00Z"]
        );
        assert_eq!(
            conn.query_row(
                "SELECT type FROM pragma_table_info('entries') WHERE name = 'updated_at'",
                [],
                |r| r.get::<_, String>(0)
            )
            .expect("type"),
            "INTEGER"
        );
    }

    #[test]
    fn a_migration_that_rebuilt_entries_leaves_no_free_pages_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("w.db");
        let conn = Connection::open(&path).expect("open");
        let last = MIGRATIONS.len() - 1;
        prepare(&conn, &path, OpenMode::ReadWrite, &MIGRATIONS[..last]).expect("up to 6");
        conn.execute_batch(
            "INSERT INTO customers (id, name, created_at, updated_at) VALUES (1, 'Harbor', 't', 't');
             ALTER TABLE entries ADD COLUMN f_1 TEXT;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO entries (customer_id, recorded_on, created_at, updated_at, f_1)
               SELECT 1, date('2020-01-01', '+' || i || ' days'), '2026-11-02T09:30:00Z',
                      '2026-11-02T09:30:00Z', printf('%.200c', 'x') FROM n;",
        )
        .expect("entries");
        let pages = |conn: &Connection, pragma: &str| -> i64 {
            conn.pragma_query_value(None, pragma, |r| r.get(0))
                .expect(pragma)
        };
        let before = pages(&conn, "page_count");
        prepare(&conn, &path, OpenMode::ReadWrite, MIGRATIONS).expect("migration 7");
        assert_eq!(pages(&conn, "freelist_count"), 0);
        assert!(pages(&conn, "page_count") < before);
        let wal = std::fs::metadata(dir.path().join("w.db-wal")).map_or(0, |m| m.len());
        assert_eq!(wal, 0, "the WAL the VACUUM wrote is truncated");
        let count: i64 = conn
            .query_row(
                "SELECT count(*) FROM entries WHERE typeof(created_at) = 'integer'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(count, 3000);
    }
}
