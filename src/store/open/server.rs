//! Opening a workspace on a PostgreSQL server: the first half of SPEC §7's
//! `--db postgres://…`. The schema must be there already (`schema.sql`
//! and `roles.sql`, which `concierge team init` will run); the actor is the
//! login, never a name the client claims. Every open session LISTENs for
//! the server's change notices (live refresh).

use crate::clock::Clock;
use crate::domain::Kinds;
use crate::store::db::{Db, Pg, args};
use crate::store::engine::Engine;
use crate::store::{Result, Store, StoreError};
use std::path::PathBuf;

/// The version of `schema.sql` this build understands.
const SERVER_SCHEMA_VERSION: i64 = 1;

impl Store {
    /// Connects to the workspace at `url` (see [`Pg::connect`]).
    pub fn open_server(url: &str, read_only: bool, clock: Clock) -> Result<Self> {
        let pg = Pg::connect(url)?;
        pg.listen()?;
        if read_only {
            pg.execute_batch("SET default_transaction_read_only = on")?;
        }
        let db = Db::Postgres(Box::new(pg));
        let version: i64 = db
            .value("SELECT concierge_schema_version()", args![])
            .map_err(|_| {
                StoreError::Refused(format!(
                    "{} holds no concierge workspace; run `concierge team init` there first",
                    redacted(url)
                ))
            })?;
        if version > SERVER_SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                file: version,
                app: SERVER_SCHEMA_VERSION,
            });
        }
        let actor: String = db.value("SELECT current_user::text", args![])?;
        // A workspace copied up keeps its file's name (`copy::to_server`).
        let name: String = db.value(
            "SELECT COALESCE((SELECT value FROM meta WHERE key = 'workspace_name'), \
             current_database()::text)",
            args![],
        )?;
        Ok(Self {
            conn: Engine::new(db),
            path: PathBuf::from(name),
            actor,
            clock,
            read_only,
            grid_base: std::cell::RefCell::new(None),
            filter_cache: std::cell::RefCell::default(),
            touched: std::cell::Cell::new(Kinds::NONE),
            commits: std::cell::Cell::new(0),
            _leftovers: super::Leftovers::default(),
        })
    }
}

/// `url` without a password, for messages.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or_default();
            format!("{}{user}{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
pub(crate) mod tests;
