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

/// A temp workspace holding the demo, opened as `dana`.
pub fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("submittals-mvp.db");
    let mut store = Store::open(&path, OpenMode::ReadWrite, "dana", clock()).expect("open");
    concierge::demo::load(&mut store).expect("demo");
    (dir, store)
}

/// An empty temp workspace, opened as `dana`.
pub fn empty() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("work.db");
    let store = Store::open(&path, OpenMode::ReadWrite, "dana", clock()).expect("open");
    (dir, store)
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
