//! The one support module of the integration tests. Here: a demo
//! workspace on a fixed clock, driving the app with actions, and reading
//! the screen as text; the submodules hold the rest.

#![allow(dead_code, reason = "each area uses a part of the support")]

pub mod audit;
pub mod bin;
pub mod corpus;
pub mod hostile;
pub mod interchange;
pub mod memory;
pub mod pty;
pub mod server;
pub mod sha256;
pub mod spreadsheet;
pub mod wizard;

use chrono::NaiveDate;
use concierge::app::{self, Action, State};
use concierge::clock::Clock;
use concierge::store::{OpenMode, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui_textarea::{Input, Key};

pub const TODAY: (i32, u32, u32) = (2026, 11, 21);

pub fn clock() -> Clock {
    Clock::fixed_day(NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).expect("date"))
}

/// Whether the workspace suites run on a server:
/// `CONCIERGE_TEST_ENGINE=postgres` (with `CONCIERGE_TEST_PG` naming one).
/// `.ci/run` runs the store, workflow, interchange, review and CLI suites
/// once on files and once so.
pub fn on_server() -> bool {
    std::env::var("CONCIERGE_TEST_ENGINE").is_ok_and(|e| e == "postgres")
}

/// A test's workspace: a temp folder for the files the test writes, and
/// the workspace itself, a file in that folder or a database of its own
/// on the test server.
pub struct Workspace {
    dir: tempfile::TempDir,
    db: String,
    server: Option<server::Fresh>,
    /// On a server, the snapshots read the header's place as the file's
    /// (see [`same_place`]).
    _snapshots: Option<insta::internals::SettingsBindDropGuard>,
}

impl Workspace {
    /// The temp folder.
    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// What `--db` takes to open the workspace: the file's path, or the
    /// server's URL as dana.
    pub fn db(&self) -> &str {
        &self.db
    }

    /// The workspace opened again as dana, as another session would.
    pub fn open(&self, mode: OpenMode) -> Store {
        if self.server.is_some() {
            Store::open_server(&self.db, mode == OpenMode::ReadOnly, clock())
        } else {
            Store::open(std::path::Path::new(&self.db), mode, "dana", clock())
        }
        .expect("open the workspace again")
    }

    /// The server database, on a server run.
    pub fn server(&self) -> Option<&server::Fresh> {
        self.server.as_ref()
    }
}

/// A workspace holding the demo, opened as `dana`: a file, or a database
/// on the test server when [`on_server`].
pub fn demo() -> (Workspace, Store) {
    workspace("submittals-mvp.db", server::Template::Demo)
}

/// An empty workspace, opened as `dana` (a file, or on the server as
/// [`demo`]).
pub fn empty() -> (Workspace, Store) {
    workspace("work.db", server::Template::Empty)
}

fn workspace(file: &str, template: server::Template) -> (Workspace, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    if on_server() {
        let test = std::thread::current().name().unwrap_or("test").to_owned();
        let fresh = server::workspace(&test, template);
        let url = fresh.url_as(server::ACTOR);
        let store = Store::open_server(&url, false, clock()).expect("open the server workspace");
        let place = Workspace {
            dir,
            db: url,
            server: Some(fresh),
            _snapshots: Some(same_place()),
        };
        return (place, store);
    }
    let path = dir.path().join(file);
    let mut store = Store::open(&path, OpenMode::ReadWrite, "dana", clock()).expect("open");
    if let server::Template::Demo = template {
        concierge::demo::load(&mut store).expect("demo");
    }
    let place = Workspace {
        dir,
        db: path.to_string_lossy().into_owned(),
        server: None,
        _snapshots: None,
    };
    (place, store)
}

/// The snapshots of a server run, which are the file run's: the header
/// says where the workspace is ("submittals-mvp on the server" where a
/// file says "submittals-mvp.db"), and nothing else may differ. The
/// replacement keeps the line's length, so the tabs after it stay put.
fn same_place() -> insta::internals::SettingsBindDropGuard {
    let mut settings = insta::Settings::clone_current();
    let (server, file) = (" on the server", ".db");
    let pad = " ".repeat(server.len() - file.len());
    for name in ["submittals-mvp", "work"] {
        settings.add_filter(
            &format!("{name}{server} · dana"),
            format!("{name}{file} · dana{pad}"),
        );
    }
    settings.bind_to_scope()
}

/// A temp workspace file holding the demo, opened as `dana`, whichever
/// engine the suites run on (for what only a file has).
pub fn demo_file() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("submittals-mvp.db");
    let mut store = Store::open(&path, OpenMode::ReadWrite, "dana", clock()).expect("open");
    concierge::demo::load(&mut store).expect("demo");
    (dir, store)
}

/// An empty temp workspace file, opened as `dana`, whichever engine the
/// suites run on.
pub fn empty_file() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("work.db");
    let store = Store::open(&path, OpenMode::ReadWrite, "dana", clock()).expect("open");
    (dir, store)
}

/// `concierge --db DB ARGS`, acting as dana on a file (`--as`, unless the
/// arguments name someone); on a server the login acts.
pub fn cli(db: &str, args: &[&str]) -> std::process::Output {
    let name_dana = !concierge::store::team::is_server(db) && !args.contains(&"--as");
    std::process::Command::new(bin::BIN)
        .args(["--db", db])
        .args(if name_dana {
            &["--as", "dana"][..]
        } else {
            &[]
        })
        .args(args)
        .env_remove("CONCIERGE_DB")
        .output()
        .expect("run concierge")
}

/// What a run of the binary said: its stdout, then its stderr.
pub fn said(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The app started on `store` at 120×40 with colour off (stable snapshots).
pub fn start(store: &mut Store) -> State {
    let mut state = app::start(store);
    state.color = false;
    app::update(&mut state, Action::Resize(120, 40), store);
    settle(&mut state, store);
    state
}

pub fn act(state: &mut State, store: &mut Store, actions: &[Action]) {
    for action in actions {
        app::update(state, action.clone(), store);
        settle(state, store);
    }
}

/// Lets deferred reads finish, as idle moments in the terminal do.
pub fn settle(state: &mut State, store: &mut Store) {
    for _ in 0..200 {
        if !state.busy {
            return;
        }
        app::update(state, Action::Idle, store);
    }
}

/// Key `k` as the text areas of forms and prompts receive it.
pub fn key(k: Key) -> Action {
    Action::Input(Input {
        key: k,
        ..Input::default()
    })
}

/// Whether the slow tests run (`CONCIERGE_SLOW_TESTS=1`, as `.ci/run` sets).
pub fn slow_tests() -> bool {
    std::env::var_os("CONCIERGE_SLOW_TESTS").is_some_and(|v| v == "1")
}

/// Typing `text` as key presses.
pub fn type_text(state: &mut State, store: &mut Store, text: &str) {
    for c in text.chars() {
        app::update(
            state,
            Action::Input(Input {
                key: Key::Char(c),
                ..Input::default()
            }),
            store,
        );
    }
}

/// The screen at the state's size, as lines of text.
pub fn screen(state: &State) -> String {
    let (w, h) = state.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|frame| concierge::ui::render(state, frame))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
