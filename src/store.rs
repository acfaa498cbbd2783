//! The workspace: a SQLite file or a PostgreSQL database (`db.rs`)
//! behind typed methods.
//!
//! Nothing above this module writes SQL. Every write goes through
//! [`Store::write`], which opens one transaction, records one change-log
//! batch with a row per changed field, and commits both together, so the
//! log is always exactly as true as the data.

mod activity;
mod backlog;
pub(crate) mod changelog;
mod check;
mod checkins;
pub mod copy;
mod customers;
#[allow(unused)] // parts are wired in by the PostgreSQL engine (issue #17)
pub(crate) mod db;
mod engine;
mod entries;
mod error;
mod evidence;
mod field_edits;
mod fields;
mod fixture;
mod followups;
mod grid;
pub mod interchange;
mod list;
mod open;
pub mod review;
mod schema;
pub mod team;
mod undo;
mod values;

pub use backlog::BacklogRow;
pub use changelog::Writer;
pub use checkins::CheckInRow;
pub use customers::CustomerRow;
pub use error::StoreError;
pub use evidence::EvidenceRow;
pub use followups::FollowUpRow;
pub use grid::{ColumnSummary, GRID_FILTER_KEYS, GRID_READS, GridQuery, GridRow, GridSort};
pub use list::{ListKind, ListQuery, filter_keys, sorts_for};
pub use open::{OpenMode, default_path};
pub use schema::SCHEMA_VERSION;

/// A value as the store keeps it: what a record's column holds, whichever
/// engine is underneath.
pub use rusqlite::types::Value as StoredValue;

use crate::clock::Clock;
use crate::domain::Kinds;
use db::{Db, args};
use engine::{Engine, WriteTx};
use std::path::{Path, PathBuf};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// See [`Store::data_stamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataStamp(i64, u64);

/// An open workspace.
pub struct Store {
    /// The connection: use [`Store::db`] (and `WriteTx` for writes).
    conn: Engine,
    path: PathBuf,
    actor: String,
    clock: Clock,
    read_only: bool,
    /// Every entry's place in the grid, kept while the data is unchanged.
    grid_base: std::cell::RefCell<Option<grid::GridBase>>,
    /// What a Check-ins filter keeps between keystrokes.
    filter_cache: std::cell::RefCell<list::FilterCache>,
    /// The kinds of record committed writes changed since the caller last
    /// asked ([`Store::take_touched`]).
    touched: std::cell::Cell<Kinds>,
    /// Commits through this store, for [`Store::data_stamp`] on PostgreSQL
    /// (SQLite counts them itself: `total_changes`).
    commits: std::cell::Cell<u64>,
    /// Removes the side files a read-only open created; dropped after
    /// `conn`, which must be closed first.
    _leftovers: open::Leftovers,
}

impl Store {
    /// Opens (creating if needed) the workspace at `path`, migrating an
    /// older schema after backing the file up.
    pub fn open(path: &Path, mode: OpenMode, actor: &str, clock: Clock) -> Result<Self> {
        let (conn, leftovers) = open::connect(path, mode)?;
        if mode == OpenMode::ReadWrite {
            list::index_notes_written_elsewhere(&conn);
        }
        conn.create_scalar_function(
            "concierge_today",
            0,
            rusqlite::functions::FunctionFlags::SQLITE_UTF8,
            move |_| Ok(clock.today().to_string()),
        )?;
        Ok(Self {
            conn: Engine::new(Db::Sqlite(conn)),
            path: path.to_path_buf(),
            actor: actor.to_string(),
            clock,
            read_only: mode == OpenMode::ReadOnly,
            grid_base: std::cell::RefCell::new(None),
            filter_cache: std::cell::RefCell::default(),
            touched: std::cell::Cell::new(Kinds::NONE),
            commits: std::cell::Cell::new(0),
            _leftovers: leftovers,
        })
    }

    /// The connection every store module runs its SQL on.
    pub(crate) fn db(&self) -> &Db {
        self.conn.db()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The member's role on a team workspace. A file has no roles:
    /// whoever can write the file may do everything (`None`).
    /// On a server, the login's role from the server itself; the schema
    /// owner may do everything, as an admin.
    pub fn role(&self) -> Option<crate::domain::Role> {
        match self.db() {
            Db::Sqlite(_) => None,
            db @ Db::Postgres(_) => {
                let role: Option<String> = db
                    .value("SELECT concierge_my_role()", args![])
                    .ok()
                    .flatten();
                Some(match role.as_deref() {
                    Some("owner") => crate::domain::Role::Admin,
                    Some(r) => crate::domain::Role::parse(r).unwrap_or(crate::domain::Role::Viewer),
                    // Not a member: the server lets it read at most.
                    None => crate::domain::Role::Viewer,
                })
            }
        }
    }

    /// Where the workspace is, as the header shows it: the file's name
    /// (`submittals-mvp.db`), or the database on a server (`live on the
    /// server`).
    pub fn place(&self) -> String {
        match self.db() {
            Db::Sqlite(_) => self
                .path
                .file_name()
                .map_or_else(|| "workspace".into(), |s| s.to_string_lossy().into_owned()),
            Db::Postgres(_) => format!("{} on the server", self.name()),
        }
    }

    /// The workspace's file, whose permissions what it writes next to it
    /// takes (exports, the report); `None` on a server.
    pub fn file(&self) -> Option<&Path> {
        self.db().sqlite().map(|_| self.path.as_path())
    }

    /// The workspace's name: the file name without its extension.
    pub fn name(&self) -> String {
        self.path
            .file_stem()
            .map_or_else(|| "workspace".into(), |s| s.to_string_lossy().into_owned())
    }

    /// Runs `f` as one user action: one transaction, one batch labelled
    /// `label`. Returns the batch id, or `None` when nothing changed (then
    /// no batch is recorded at all).
    pub fn write<T>(
        &mut self,
        label: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<(Option<i64>, T)> {
        let actor = self.actor.clone();
        let at = self.clock.stamp();
        self.write_as(&actor, &at, label, f)
    }

    /// [`Store::write`], adding to batch `into` when it can still take
    /// more: it is this actor's newest batch and nothing undid it. So a row
    /// (or a week) entered cell by cell is one batch, undone as a unit;
    /// each write is still its own transaction. Otherwise a new batch
    /// labelled `label` opens. Returns the batch that holds the changes
    /// (`None` when nothing changed).
    pub fn write_into<T>(
        &mut self,
        into: Option<i64>,
        label: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<(Option<i64>, T)> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let Some(batch) = into else {
            return self.write(label, f);
        };
        let (actor, at, today) = (self.actor.clone(), self.clock.stamp(), self.clock.today());
        let tx = self.begin_write()?;
        if !changelog::open_for(tx.db(), batch, &actor)? {
            drop(tx);
            return self.write(label, f);
        }
        let mut writer = Writer::resume(&tx, batch, &at, today);
        let value = f(&mut writer)?;
        let (changed, touched) = writer.finish();
        if changed.is_none() {
            // Nothing changed: rolled back as `tx` drops.
            return Ok((None, value));
        }
        list::index_stale_notes(tx.db())?;
        tx.commit()?;
        self.committed(touched);
        Ok((changed, value))
    }

    /// [`Store::write`] with an explicit actor and time (demo loading).
    pub fn write_as<T>(
        &mut self,
        actor: &str,
        at: &str,
        label: &str,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<(Option<i64>, T)> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let today = self.clock.today();
        let path = self.path.clone();
        let tx = self.begin_write().map_err(|e| e.on_disk(&path))?;
        let mut writer = Writer::begin(&tx, actor, at, label, today, None)?;
        let value = f(&mut writer).map_err(|e| e.on_disk(&path))?;
        let (batch, touched) = writer.finish();
        if batch.is_none() {
            // Nothing changed: no batch, rolled back as `tx` drops.
            return Ok((None, value));
        }
        list::index_stale_notes(tx.db())?;
        tx.commit().map_err(|e| e.on_disk(&path))?;
        self.committed(touched);
        Ok((batch, value))
    }

    /// Notes what a committed write changed.
    pub(crate) fn committed(&self, touched: Kinds) {
        self.touched.set(self.touched.get().union(touched));
        self.commits.set(self.commits.get() + 1);
    }

    /// The kinds of record this connection's writes changed since the last
    /// call: what a view needs to read again after an action.
    pub fn take_touched(&self) -> Kinds {
        self.touched.take()
    }

    /// Changes whenever the workspace's data may have: after a commit by
    /// another connection (`PRAGMA data_version`) or a write through this
    /// one. Lets a view computed from the data be kept until it is stale.
    pub fn data_stamp(&self) -> Result<DataStamp> {
        match self.db() {
            Db::Sqlite(conn) => {
                let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
                Ok(DataStamp(version, conn.total_changes()))
            }
            // Every committed change of a record writes a change row.
            Db::Postgres(pg) => Ok(DataStamp(pg.others_version(false)?, self.commits.get())),
        }
    }

    /// A number that changes whenever another connection (another
    /// concierge, a CLI import) committed to the workspace: what an idle
    /// TUI polls to show others' changes without a key press.
    pub fn others_version(&self) -> Result<i64> {
        match self.db() {
            Db::Sqlite(conn) => Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?),
            // LISTEN/NOTIFY: the commits of other sessions heard so far.
            Db::Postgres(pg) => pg.others_version(true),
        }
    }

    /// Whether a write waits for another program's lock (up to the busy
    /// timeout) or says `Locked` at once; the app tries at once first so it
    /// can say it is waiting before it waits.
    pub fn wait_for_locks(&self, wait: bool) -> Result<()> {
        let timeout = if wait {
            open::BUSY_TIMEOUT
        } else {
            std::time::Duration::ZERO
        };
        match self.db() {
            Db::Sqlite(conn) => Ok(conn.busy_timeout(timeout)?),
            // PostgreSQL's 0 would wait forever: "at once" is 1 ms.
            db @ Db::Postgres(_) => db.execute_batch(&format!(
                "SET lock_timeout = '{}ms'",
                timeout.as_millis().max(1)
            )),
        }
    }

    /// Opens a write transaction (see [`WriteTx`]: on SQLite it takes the
    /// write lock at once, waiting for another process's lock with the
    /// busy timeout before anything is read).
    fn begin_write(&mut self) -> Result<WriteTx<'_>> {
        WriteTx::begin(&self.conn)
    }

    /// Distinct non-empty values of a text column, for completion.
    pub fn distinct_values(
        &self,
        kind: crate::domain::RecordKind,
        column: &str,
    ) -> Result<Vec<String>> {
        if !list::is_completable(kind, column) {
            return Ok(Vec::new());
        }
        // (PostgreSQL orders DISTINCT rows only by what they select.)
        let sql = format!(
            "SELECT {column} FROM {} WHERE {column} <> '' GROUP BY {column} ORDER BY {}",
            kind.table(),
            self.db().dialect().nocase(column)
        );
        self.db().query_map(&sql, args![], |r| r.get(0))
    }
}
