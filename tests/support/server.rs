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
    let url = given(test)?;
    let name = database_name(test);
    let mut admin =
        postgres::Client::connect(&url, postgres::NoTls).expect("connect to the test server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    Some(at(&url, name))
}

/// A database for `test` holding `template` (see [`workspace`]), or
/// `None` (after saying so) when no server was given.
pub fn holding(test: &str, template: Template) -> Option<Fresh> {
    given(test)?;
    Some(workspace(test, template))
}

/// The test server's URL, or `None` after saying it was skipped.
fn given(test: &str) -> Option<String> {
    let Some(url) = std::env::var("CONCIERGE_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        assert!(
            std::env::var_os("CONCIERGE_PG_REQUIRED").is_none(),
            "{test}: CONCIERGE_PG_REQUIRED is set but CONCIERGE_TEST_PG is not"
        );
        eprintln!("skipped {test} on PostgreSQL: CONCIERGE_TEST_PG is not set");
        say_once_the_server_half_was_skipped();
        return None;
    };
    Some(url)
}

/// Tells whoever runs `cargo test`, once, that the PostgreSQL half was
/// skipped. Written to stderr itself, past libtest's capture of the
/// tests' own output, so a passing run shows it too.
fn say_once_the_server_half_was_skipped() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "note: the PostgreSQL half of the tests was skipped (CONCIERGE_TEST_PG is not set). \
             scripts/pg-throwaway.sh start prints a server's URL to set it to; \
             CONCIERGE_TEST_ENGINE=postgres also runs the workspace suites there. .ci/run does both."
        );
    });
}

/// A database name unique in the cluster, made from `test`.
fn database_name(test: &str) -> String {
    format!(
        "t{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        test.chars()
            .filter(char::is_ascii_alphanumeric)
            .take(20)
            .collect::<String>()
    )
    .to_ascii_lowercase()
}

/// Database `name` on the server at `url`.
fn at(url: &str, name: String) -> Fresh {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let (server, _) = base.rsplit_once('/').expect("a URL with a database");
    Fresh {
        name,
        server: server.to_owned(),
        query: query.to_owned(),
    }
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

    /// A plain client as the database's owner.
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url(), postgres::NoTls).expect("connect as owner")
    }

    /// A plain client as `login`, for SQL that skips concierge.
    pub fn client_as(&self, login: &str) -> postgres::Client {
        postgres::Client::connect(&self.url_as(login), postgres::NoTls).expect("connect as member")
    }
}

/// Which workspace a template database holds.
#[derive(Clone, Copy)]
pub enum Template {
    Empty,
    Demo,
}

/// The login the suites act as on a server, as they act as `dana` on a
/// file (an admin, so every action the suites try is allowed).
pub const ACTOR: &str = "dana";

/// The templates of this process: a team workspace built once (the
/// suites' file copied up, the member `dana` added) and copied for each
/// test with `CREATE DATABASE … TEMPLATE`, which is far quicker than
/// building it again.
static TEMPLATES: std::sync::Mutex<Option<(String, String)>> = std::sync::Mutex::new(None);

/// A database of its own for `test`, holding `template`, with `dana` an
/// admin in it; panics when no server was given (the suites on a server
/// were asked for).
pub fn workspace(test: &str, template: Template) -> Fresh {
    let (empty, demo) = templates();
    fresh_from(
        test,
        match template {
            Template::Empty => &empty,
            Template::Demo => &demo,
        },
    )
}

/// The test server's URL, required.
fn required_url() -> String {
    std::env::var("CONCIERGE_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty())
        .expect(
            "CONCIERGE_TEST_ENGINE=postgres runs the suites on a server: \
             set CONCIERGE_TEST_PG to one (scripts/pg-throwaway.sh start prints a URL)",
        )
}

/// The two template databases' names, built on first use.
fn templates() -> (String, String) {
    let mut built = TEMPLATES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(names) = built.as_ref() {
        return names.clone();
    }
    let names = (
        build_template(Template::Empty),
        build_template(Template::Demo),
    );
    *built = Some(names.clone());
    names
}

fn build_template(template: Template) -> String {
    let db = fresh_from("template", "template1");
    // As a team moves its file up: the demo's batches keep their actors
    // (priya, miguel, …), which only a copy may write, and the workspace
    // keeps its file's name.
    let (_dir, store) = match template {
        Template::Demo => super::demo_file(),
        Template::Empty => super::empty_file(),
    };
    let file = store.path().to_path_buf();
    drop(store);
    concierge::store::copy::to_server(&file, &db.url()).expect("copy the workspace up");
    let mut owner = postgres::Client::connect(&db.url(), postgres::NoTls).expect("connect");
    // Roles belong to the cluster: the first process to get here makes
    // dana; a concurrent one may find it made.
    let _ = owner.batch_execute(&format!(
        "DO $$ BEGIN CREATE ROLE {ACTOR} LOGIN; \
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    ));
    owner
        .batch_execute(&format!("GRANT concierge_admin TO {ACTOR}"))
        .expect("make dana an admin");
    db.name
}

/// A new database for `test` copied from `template`.
fn fresh_from(test: &str, template: &str) -> Fresh {
    let url = required_url();
    let name = database_name(test);
    let mut admin =
        postgres::Client::connect(&url, postgres::NoTls).expect("connect to the test server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .expect("create a test database");
    at(&url, name)
}
