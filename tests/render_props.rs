//! Property: whatever state the app is driven into — any pane, selection,
//! filter, popup or form, reached by random keys from the keymap, random
//! typing and mouse clicks — drawing it at any size from 1×1 to 300×100
//! never panics. Cases: `PROPTEST_CASES`, else 400 with
//! `CONCIERGE_SLOW_TESTS=1`, else 64.

use concierge::app::input::action_for;
use concierge::app::{self, Action};
use concierge::store::{OpenMode, Store};
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A test crate of its own, as its process moves into a temp folder
/// (`template`), so it keeps the few helpers it needs rather than share
/// `tests/support.rs` (which the main crate `tests/tests.rs` holds).
mod common {
    use chrono::NaiveDate;
    use concierge::app::{self, Action, State};
    use concierge::clock::Clock;
    use concierge::store::{OpenMode, Store};

    /// The day `tests/support.rs` fixes too.
    pub fn clock() -> Clock {
        Clock::fixed_day(NaiveDate::from_ymd_opt(2026, 11, 21).expect("date"))
    }

    /// A temp workspace holding the demo, opened as `dana`.
    pub fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("submittals-mvp.db");
        let mut store = Store::open(&path, OpenMode::ReadWrite, "dana", clock()).expect("open");
        concierge::demo::load(&mut store).expect("demo");
        (dir, store)
    }

    /// The app started on `store` at 120×40 with colour off, its deferred
    /// reads finished, as `support::start` starts it.
    pub fn start(store: &mut Store) -> State {
        let mut state = app::start(store);
        state.color = false;
        app::update(&mut state, Action::Resize(120, 40), store);
        for _ in 0..200 {
            if !state.busy {
                break;
            }
            app::update(&mut state, Action::Idle, store);
        }
        state
    }
}

/// One thing a person does.
#[derive(Debug, Clone)]
enum Step {
    /// The nth key of the keymap (every key of every binding, in order).
    Bound(usize),
    /// A typed character (text for filters, forms and prompts).
    Char(char),
    Click(u16, u16),
    Resize(u16, u16),
}

/// The demo written once; every case opens its own copy. Random keys
/// include `x` (export the view), which writes a file into the working
/// directory: this test binary (its only test) runs in a temp folder.
fn template() -> &'static PathBuf {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &TEMPLATE
        .get_or_init(|| {
            let (dir, store) = common::demo();
            std::env::set_current_dir(dir.path()).expect("work in the temp folder");
            let path = store.path().to_path_buf();
            drop(store); // the last connection checkpoints the WAL into the file
            (dir, path)
        })
        .1
}

fn keymap_keys() -> Vec<KeyEvent> {
    let state_keys = concierge::app::keymap::bindings();
    state_keys
        .iter()
        .flat_map(|b| b.keys.iter())
        .map(|k| {
            let modifiers = match (k.ctrl, k.code) {
                (true, _) => KeyModifiers::CONTROL,
                (false, KeyCode::BackTab) => KeyModifiers::SHIFT,
                (false, KeyCode::Char(c)) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
                _ => KeyModifiers::NONE,
            };
            KeyEvent::new(k.code, modifiers)
        })
        .collect()
}

fn step() -> impl Strategy<Value = Step> {
    let bound_count = keymap_keys().len();
    prop_oneof![
        6 => (0..bound_count).prop_map(Step::Bound),
        3 => prop_oneof![
            proptest::char::range('a', 'z'),
            Just('='),
            Just(' '),
            Just('é'),
            Just('\u{202e}'),
            Just('\u{1b}'),
        ]
        .prop_map(Step::Char),
        1 => (0u16..300, 0u16..100).prop_map(|(x, y)| Step::Click(x, y)),
        1 => (1u16..=300, 1u16..=100).prop_map(|(w, h)| Step::Resize(w, h)),
    ]
}

fn cases() -> u32 {
    let slow = std::env::var_os("CONCIERGE_SLOW_TESTS").is_some_and(|v| v == "1");
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(if slow { 400 } else { 64 })
}

fn draw(state: &app::State) {
    let (w, h) = state.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|frame| concierge::ui::render(state, frame))
        .expect("draw");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_state_at_any_size_draws_without_panic(
        pane in 0usize..6,
        filter in "[a-z= ]{0,6}",
        size in (1u16..=300, 1u16..=100),
        steps in proptest::collection::vec(step(), 0..40),
    ) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("case.db");
        std::fs::copy(template(), &path).expect("copy");
        let mut store = Store::open(&path, OpenMode::ReadWrite, "dana", common::clock()).expect("open");
        let mut state = common::start(&mut store);
        let keys = keymap_keys();
        let act = |state: &mut app::State, store: &mut Store, event: Event| {
            if let Some(action) = action_for(state, &event) {
                app::update(state, action, store);
            }
            draw(state);
        };
        act(&mut state, &mut store, Event::Resize(size.0, size.1));
        app::update(&mut state, Action::Pane(app::Pane::ALL[pane]), &mut store);
        if app::Pane::ALL[pane].is_list() && !filter.is_empty() {
            app::update(&mut state, Action::StartFilter, &mut store);
            for c in filter.chars() {
                act(&mut state, &mut store, Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
            }
        }
        draw(&state);
        for step in steps {
            let event = match step {
                Step::Bound(i) => Event::Key(keys[i]),
                Step::Char(c) => Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
                Step::Click(column, row) => Event::Mouse(MouseEvent {
                    kind: MouseEventKind::Down(MouseButton::Left),
                    column,
                    row,
                    modifiers: KeyModifiers::NONE,
                }),
                Step::Resize(w, h) => Event::Resize(w, h),
            };
            act(&mut state, &mut store, event);
        }
    }
}
