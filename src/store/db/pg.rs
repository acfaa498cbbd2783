//! The PostgreSQL connection: a synchronous client, statements prepared
//! once per connection, and the store's `?N` placeholders as `$N`.

use super::cell::Arg;
use crate::store::{Result, StoreError};
use postgres::types::ToSql;
use postgres::{Client, NoTls, Statement};
use std::cell::RefCell;
use std::collections::HashMap;

/// An open connection to a PostgreSQL workspace.
pub(crate) struct Pg {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    /// This session's server process, to tell its own notifications apart.
    pid: std::cell::Cell<Option<i32>>,
    /// Changes others committed, as heard (see [`Pg::others_version`]).
    heard: std::cell::Cell<i64>,
    /// Where to reconnect after the server went away.
    url: String,
    /// Inside `BEGIN` … `COMMIT`: a lost connection is then an error for
    /// the whole write (the server rolled it back), never a silent
    /// reconnect that would run the rest of it on its own.
    in_tx: std::cell::Cell<bool>,
}

impl Pg {
    /// Connects to `url` (see [`client`]).
    pub fn connect(url: &str) -> Result<Self> {
        Ok(Pg {
            client: RefCell::new(client(url)?),
            statements: RefCell::new(HashMap::new()),
            pid: std::cell::Cell::new(None),
            heard: std::cell::Cell::new(0),
            url: url.to_owned(),
            in_tx: std::cell::Cell::new(false),
        })
    }

    /// After the server went away (a restart, a dropped network), the
    /// next statement outside a write connects again, listening again if
    /// this session listened; prepared statements are made anew.
    fn reconnect_if_lost(&self) -> Result<()> {
        if self.in_tx.get() || !self.client.borrow().is_closed() {
            return Ok(());
        }
        let fresh = client(&self.url).map_err(|_| unreachable())?;
        *self.client.borrow_mut() = fresh;
        self.statements.borrow_mut().clear();
        if self.pid.get().is_some() {
            self.listen()?;
        }
        // Whatever others committed while this session was away was
        // announced to nobody listening here: count it as heard, so the
        // next idle poll reads everything again.
        self.heard.set(self.heard.get() + 1);
        Ok(())
    }

    /// The prepared statement for `sql` (written with `?N` placeholders).
    fn statement(&self, sql: &str) -> Result<Statement> {
        self.reconnect_if_lost()?;
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self
            .client
            .borrow_mut()
            .prepare(&placeholders(sql))
            .map_err(store_error)?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        let head = sql.trim_start();
        let starts = |w: &str| {
            head.get(..w.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(w))
        };
        let begins = starts("BEGIN");
        let ends = starts("COMMIT") || starts("ROLLBACK");
        if !ends {
            self.reconnect_if_lost()?;
        }
        let mut result = self
            .client
            .borrow_mut()
            .batch_execute(sql)
            .map_err(store_error);
        // A write begins on a connection the server dropped since the last
        // statement: nothing was sent yet, so connect again and begin anew.
        if result.is_err() && begins && self.client.borrow().is_closed() {
            self.reconnect_if_lost()?;
            result = self
                .client
                .borrow_mut()
                .batch_execute(sql)
                .map_err(store_error);
        }
        if begins && result.is_ok() {
            self.in_tx.set(true);
        } else if ends {
            self.in_tx.set(false);
        }
        result
    }

    pub fn execute(&self, sql: &str, args: &[Arg<'_>]) -> Result<usize> {
        let stmt = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a as _).collect();
        let n = self
            .client
            .borrow_mut()
            .execute(&stmt, &params)
            .map_err(store_error)?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub fn for_each(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        mut f: impl FnMut(&postgres::Row) -> Result<()>,
    ) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let stmt = self.statement(sql)?;
        let mut client = self.client.borrow_mut();
        let mut rows = client.query_raw(&stmt, args.iter()).map_err(store_error)?;
        while let Some(row) = rows.next().map_err(store_error)? {
            f(&row)?;
        }
        Ok(())
    }

    /// Sends `data`, rows in COPY's text format, with `sql` (a `COPY …
    /// FROM STDIN`), inside a savepoint of the open transaction. `false`
    /// when a unique index refused a row: the savepoint was rolled back,
    /// nothing of `data` is kept and the transaction goes on (a failed
    /// statement would otherwise doom it). Any other failure is an error.
    pub fn copy_in(&self, sql: &str, data: &[u8]) -> Result<bool> {
        use std::io::Write as _;
        let mut client = self.client.borrow_mut();
        client
            .batch_execute("SAVEPOINT concierge_copy")
            .map_err(store_error)?;
        let copied = match client.copy_in(sql) {
            Ok(mut writer) => match writer.write_all(data) {
                Ok(()) => writer.finish(),
                Err(e) => {
                    return Err(StoreError::Refused(format!("cannot reach the server: {e}")));
                }
            },
            Err(e) => Err(e),
        };
        match copied {
            Ok(_) => {
                client
                    .batch_execute("RELEASE SAVEPOINT concierge_copy")
                    .map_err(store_error)?;
                Ok(true)
            }
            Err(e) if e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION) => {
                client
                    .batch_execute(
                        "ROLLBACK TO SAVEPOINT concierge_copy; RELEASE SAVEPOINT concierge_copy",
                    )
                    .map_err(store_error)?;
                Ok(false)
            }
            Err(e) => Err(store_error(e)),
        }
    }

    /// Listens for the server's change notices: every commit that writes a
    /// batch notifies the `concierge` channel (`postgres/schema.sql`).
    pub fn listen(&self) -> Result<()> {
        let mut client = self.client.borrow_mut();
        client
            .batch_execute("LISTEN concierge")
            .map_err(store_error)?;
        let pid: i32 = client
            .query_one("SELECT pg_backend_pid()", &[])
            .and_then(|r| r.try_get(0))
            .map_err(store_error)?;
        self.pid.set(Some(pid));
        Ok(())
    }

    /// A number that grows whenever another session committed a change,
    /// as SQLite's `PRAGMA data_version` does for other connections: the
    /// notifications heard so far. `wait` lets the client read the socket
    /// for a moment (idle polling); without it only what a query already
    /// read is counted (cheap enough for every keystroke).
    pub fn others_version(&self, wait: bool) -> Result<i64> {
        use postgres::fallible_iterator::FallibleIterator;
        self.reconnect_if_lost()?;
        let mut client = self.client.borrow_mut();
        let mut notifications = client.notifications();
        let mut count = |n: postgres::Notification| {
            if Some(n.process_id()) != self.pid.get() {
                self.heard.set(self.heard.get() + 1);
            }
        };
        if wait {
            let mut heard = notifications.timeout_iter(std::time::Duration::from_millis(1));
            while let Some(n) = heard.next().map_err(store_error)? {
                count(n);
            }
        } else {
            let mut heard = notifications.iter();
            while let Some(n) = heard.next().map_err(store_error)? {
                count(n);
            }
        }
        Ok(self.heard.get())
    }

    /// Forgets prepared statements (after the schema changed under them).
    pub fn forget_statements(&self) {
        self.statements.borrow_mut().clear();
    }
}

/// A client connected to `url` (`postgres://` or `postgresql://`, libpq's
/// `?host=/socket/dir` included); a password not in the URL comes from
/// `PGPASSWORD` or `~/.pgpass`, as with libpq.
pub(crate) fn client(url: &str) -> Result<Client> {
    let mut config: postgres::Config = url
        .parse()
        .map_err(|e| StoreError::Refused(format!("cannot read the server address {url}: {e}")))?;
    if config.get_password().is_none()
        && let Some(password) = password_for(&config)
    {
        config.password(password);
    }
    config.connect(NoTls).map_err(connect_error)
}

/// The store's `?N` placeholders (and bare `?`, numbered in order) as
/// PostgreSQL's `$N`, outside quoted text and identifiers.
pub(crate) fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    let mut bare = 0;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '?') => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    bare += 1;
                    out.push_str(&bare.to_string());
                }
            }
            (_, c) => out.push(c),
        }
    }
    out
}

/// A server error as the store names it: a refusal by a role check is the
/// server's own sentence; a lost connection says the server is unreachable.
pub(crate) fn store_error(err: postgres::Error) -> StoreError {
    if let Some(db) = err.as_db_error() {
        let state = db.code().code();
        return match state {
            // insufficient_privilege: the triggers' sentences, or
            // PostgreSQL's own "permission denied for table …".
            "42501" => StoreError::Refused(db.message().to_owned()),
            // lock_not_available, deadlock, serialization failures.
            "55P03" | "40P01" | "40001" => StoreError::Locked,
            "53100" => StoreError::DiskFull { place: None },
            // The server shut the session down (a restart, an
            // administrator) or the connection broke.
            s if s.starts_with("57P") || s.starts_with("08") => unreachable(),
            _ => StoreError::Refused(format!("database error: {}", db.message())),
        };
    }
    // Closed, or the socket failed mid-statement (reset, broken pipe: the
    // server went away between this session's statements).
    let socket = std::error::Error::source(&err)
        .and_then(|e| e.downcast_ref::<std::io::Error>())
        .is_some();
    if err.is_closed() || socket {
        return unreachable();
    }
    // The client's own errors (a value it could not send, a reply it
    // could not read): the session is fine, the statement failed.
    StoreError::Refused(format!("database error: {err}"))
}

/// [`store_error`] for a connection that could not be made: the server's
/// own refusal, or "cannot reach the server" with the reason (nothing was
/// typed into a session that never was).
fn connect_error(err: postgres::Error) -> StoreError {
    if err.as_db_error().is_some() {
        return store_error(err);
    }
    StoreError::Refused(format!("cannot reach the server: {err}"))
}

/// The server went away: nothing of the write was kept, and the next
/// statement connects again.
fn unreachable() -> StoreError {
    StoreError::Refused(
        "the server is unreachable; what you typed is kept, save again once it is back".into(),
    )
}

/// A password for `config` from `PGPASSWORD`, else the first matching line
/// of `~/.pgpass` (or `PGPASSFILE`): `host:port:database:user:password`,
/// `*` matching anything.
fn password_for(config: &postgres::Config) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD") {
        return Some(password);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(".pgpass"))
        })?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = config.get_hosts().first().map(|h| match h {
        postgres::config::Host::Tcp(name) => name.clone(),
        postgres::config::Host::Unix(path) => path.display().to_string(),
    });
    let host = host.unwrap_or_else(|| "localhost".into());
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let database = config.get_dbname().unwrap_or_default().to_owned();
    let user = config.get_user().unwrap_or_default().to_owned();
    pgpass_lookup(&text, [&host, &port, &database, &user])
}

/// The password of the first `.pgpass` line whose four fields match.
pub(crate) fn pgpass_lookup(text: &str, wanted: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        if fields.len() != 5 {
            continue;
        }
        let matches = fields[..4]
            .iter()
            .zip(wanted)
            .all(|(field, want)| field == "*" || field == want);
        if matches {
            return Some(fields[4].clone());
        }
    }
    None
}

/// A `.pgpass` line's fields: `:` separates, `\` escapes `:` and `\`.
fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(f)) = (chars.next(), fields.last_mut()) {
                    f.push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => {
                if let Some(f) = fields.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    fields
}
