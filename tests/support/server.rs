//! A PostgreSQL server for the team-workspace tests: `CONCIERGE_TEST_PG`
//! names one (`.ci/run` starts a throw-away cluster and also sets
//! `CONCIERGE_PG_REQUIRED`, so there a missing server fails instead of
//! skipping). Each test gets a database of its own, and logins prefixed
//! with its name, as roles are shared by the whole cluster.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Numbers the test databases of this process.
static N: AtomicUsize = AtomicUsize::new(0);

/// A fresh database for `test`, or `None` (after saying so) when no
/// server was given.
pub fn fresh(test: &str) -> Option<Fresh> {
    let Some(url) = std::env::var("CONCIERGE_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var_os("CONCIERGE_PG_REQUIRED").is_none(),
            "{test}: CONCIERGE_PG_REQUIRED is set but CONCIERGE_TEST_PG is not"
        );
        eprintln!("skipped {test} on PostgreSQL: CONCIERGE_TEST_PG is not set");
        return None;
    };
    let name = format!(
        "t{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        test.chars()
            .filter(char::is_ascii_alphanumeric)
            .take(20)
            .collect::<String>()
    )
    .to_ascii_lowercase();
    let mut admin =
        postgres::Client::connect(&url, postgres::NoTls).expect("connect to the test server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    let (base, query) = url.split_once('?').unwrap_or((&url, ""));
    let (server, _) = base.rsplit_once('/').expect("a URL with a database");
    Some(Fresh {
        name: name.clone(),
        server: server.to_owned(),
        query: query.to_owned(),
    })
}

/// One test database on the test server.
pub struct Fresh {
    pub name: String,
    /// `postgres://user@host` without the database.
    server: String,
    query: String,
}

impl Fresh {
    /// The database's URL as its owner (the test server's user).
    pub fn url(&self) -> String {
        self.with_query(format!("{}/{}", self.server, self.name))
    }

    /// The database's URL as `login` (trust authentication on the test
    /// cluster's socket).
    pub fn url_as(&self, login: &str) -> String {
        let host = self
            .server
            .split_once("://")
            .map(|(_, rest)| rest.split_once('@').map_or(rest, |(_, host)| host))
            .unwrap_or_default();
        self.with_query(format!("postgres://{login}@{host}/{}", self.name))
    }

    /// A login name for this test: `name` made unique in the cluster.
    pub fn login(&self, name: &str) -> String {
        format!("{}_{name}", self.name)
    }

    fn with_query(&self, url: String) -> String {
        if self.query.is_empty() {
            url
        } else {
            format!("{url}?{}", self.query)
        }
    }

    /// A plain client as `login`, for SQL that skips concierge.
    pub fn client_as(&self, login: &str) -> postgres::Client {
        postgres::Client::connect(&self.url_as(login), postgres::NoTls).expect("connect as member")
    }
}
