//! The connection under `Store`: SQLite or PostgreSQL behind one small,
//! rusqlite-shaped API, so the store's SQL is written once.
//!
//! The SQL is written for both engines: `?N` placeholders (rewritten to
//! `$N` for PostgreSQL, see `pg::placeholders`), `RETURNING id` rather than
//! `last_insert_rowid()`, `ON CONFLICT` rather than `INSERT OR`, and the few
//! spellings that differ come from [`Dialect`]. Arguments are [`Arg`]s (made
//! by [`args!`]); a row's cells are read with [`Row::get`] into any
//! [`FromCell`] type. Engine-specific fast paths (bulk inserts, the notes
//! index, PRAGMAs) ask [`Db::sqlite`] or [`Db::postgres`] for the engine's
//! own connection.

mod cell;
pub(crate) mod pg;

pub(crate) use cell::{Arg, FromCell, IntoArg};
pub(crate) use pg::Pg;

use super::{Result, StoreError};

/// Builds the argument list of a query: `args![id, name, rev]`.
macro_rules! args {
    ($($arg:expr),* $(,)?) => {
        &[$($crate::store::db::IntoArg::arg(&$arg)),*][..]
    };
}
pub(crate) use args;

/// Which engine a connection talks to, for the few spellings that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// `day` (an ISO date text) plus `days` (an integer expression), as
    /// ISO date text.
    pub fn add_days(self, day: &str, days: &str) -> String {
        match self {
            Dialect::Sqlite => format!("date({day}, '+' || ({days}) || ' days')"),
            Dialect::Postgres => format!("(({day})::date + ({days})::int)::text"),
        }
    }

    /// An ordering key for `text` that ignores ASCII case only (SQLite's
    /// NOCASE; `concierge_nocase` in schema.sql).
    pub fn nocase(self, text: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{text} COLLATE NOCASE"),
            Dialect::Postgres => format!("concierge_nocase({text})"),
        }
    }

    /// `expr` (a sum) as a real: PostgreSQL sums integers as `numeric`,
    /// which the store does not read.
    pub fn real(self, expr: &str) -> String {
        match self {
            Dialect::Sqlite => expr.to_owned(),
            Dialect::Postgres => format!("({expr})::double precision"),
        }
    }

    /// Whether texts `a` and `b` are equal ignoring ASCII case only.
    pub fn same_nocase(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Sqlite => format!("{a} = {b} COLLATE NOCASE"),
            Dialect::Postgres => format!("concierge_nocase({a}) = concierge_nocase({b})"),
        }
    }

    /// `expr` as an integer: a change-log value (`changes.new` of a range
    /// row) is stored as it was written on SQLite, as text on PostgreSQL.
    pub fn integer(self, expr: &str) -> String {
        match self {
            Dialect::Sqlite => expr.to_owned(),
            Dialect::Postgres => format!("({expr})::bigint"),
        }
    }
}

/// One open connection.
pub(crate) enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(Box<Pg>),
}

/// One result row, whichever engine produced it.
pub(crate) enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    /// The cell at `index` as `T`.
    pub fn get<T: FromCell>(&self, index: usize) -> Result<T> {
        match self {
            Row::Sqlite(row) => T::from_sqlite(row.get_ref(index)?),
            Row::Postgres(row) => T::from_postgres(row, index),
        }
    }
}

impl Db {
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has.
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Db::Sqlite(conn) => Some(conn),
            Db::Postgres(_) => None,
        }
    }

    /// The PostgreSQL connection, for what only a server has.
    pub fn postgres(&self) -> Option<&Pg> {
        match self {
            Db::Sqlite(_) => None,
            Db::Postgres(pg) => Some(pg),
        }
    }

    /// Runs statements without arguments or results (schema, `BEGIN`).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Db::Postgres(pg) => pg.execute_batch(sql),
        }
    }

    /// Whether this is a file workspace (the engine of `open.rs`).
    pub fn is_sqlite(&self) -> bool {
        matches!(self, Db::Sqlite(_))
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, args: &[Arg<'_>]) -> Result<usize> {
        match self {
            Db::Sqlite(conn) => Ok(conn
                .prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(args))?),
            Db::Postgres(pg) => pg.execute(sql, args),
        }
    }

    /// Calls `f` on each row of a query, in order, without collecting them.
    pub fn for_each(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        mut f: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        match self {
            Db::Sqlite(conn) => sqlite_for_each(conn, sql, args, f),
            Db::Postgres(pg) => pg.for_each(sql, args, |row| f(&Row::Postgres(row))),
        }
    }

    /// Every row of a query through `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        self.for_each(sql, args, |row| {
            out.push(f(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query through `f`, if there is one.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.for_each(sql, args, |row| {
            if let Some(f) = f.take() {
                out = Some(f(row)?);
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// The first row of a query through `f`; a query that returns no row
    /// is a bug in the caller's SQL (an aggregate always returns one).
    pub fn query_row<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, args, f)?
            .ok_or_else(|| StoreError::Refused(format!("no row from: {sql}")))
    }

    /// The single value of a one-row, one-column query.
    pub fn value<T: FromCell>(&self, sql: &str, args: &[Arg<'_>]) -> Result<T> {
        self.query_row(sql, args, |row| row.get(0))
    }
}

/// [`Db::for_each`] on a bare SQLite connection.
fn sqlite_for_each(
    conn: &rusqlite::Connection,
    sql: &str,
    args: &[Arg<'_>],
    mut f: impl FnMut(&Row<'_>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    while let Some(row) = rows.next()? {
        f(&Row::Sqlite(row))?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests;
