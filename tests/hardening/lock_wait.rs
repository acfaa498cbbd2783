//! While a save waits for another program's lock, the status line says it
//! is waiting (not the previous "saved …"), and the form stays open.

use crate::support::{self, act, start, type_text};
use concierge::app::state::Mode;
use concierge::app::{self, Action};
use rusqlite::Connection;

#[test]
fn a_save_waiting_for_a_lock_says_so_before_it_waits() {
    let (_dir, mut store) = support::demo_file();
    let path = store.path().to_path_buf();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::New]);
    type_text(&mut state, &mut store, "First");
    act(&mut state, &mut store, &[Action::Save]);
    assert!(
        state.status.text.starts_with("saved H-"),
        "{:?}",
        state.status
    );
    act(&mut state, &mut store, &[Action::New]);
    type_text(&mut state, &mut store, "Typed while someone else writes");
    let other = Connection::open(&path).expect("other connection");
    other.execute_batch("BEGIN IMMEDIATE").expect("lock");

    // The save's first step: no waiting, the screen says it waits.
    let started = std::time::Instant::now();
    app::update(&mut state, Action::Save, &mut store);
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert!(!state.status.error, "{:?}", state.status);
    assert!(
        state.status.text.contains("waiting for another program"),
        "{:?}",
        state.status
    );
    assert!(support::screen(&state).contains("waiting for another program"));
    assert!(matches!(state.mode, Mode::Form(_)), "the form stays open");
    assert!(state.busy, "the loop comes back at once to wait");

    // The other program finishes; the next idle moment saves.
    other.execute_batch("COMMIT").expect("release");
    app::update(&mut state, Action::Idle, &mut store);
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.status);
    assert!(
        state.status.text.starts_with("saved H-"),
        "{:?}",
        state.status
    );
}

/// The same for a value stored in the Data grid: the editor stays open
/// with the value, the status says it waits, and the next idle moment
/// stores it.
#[test]
fn a_grid_cell_waiting_for_a_lock_says_so_and_keeps_the_value() {
    use concierge::app::Pane;
    let (_dir, mut store) = support::demo_file();
    let path = store.path().to_path_buf();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Data), Action::TypeInCell('4')],
    );
    type_text(&mut state, &mut store, "2");
    let other = Connection::open(&path).expect("other connection");
    other.execute_batch("BEGIN IMMEDIATE").expect("lock");
    let started = std::time::Instant::now();
    app::update(&mut state, Action::CommitDown, &mut store);
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert!(
        state.status.text.contains("waiting for another program"),
        "{:?}",
        state.status
    );
    let Mode::Cell(edit) = &state.mode else {
        panic!("the cell editor stays open: {:?}", state.mode)
    };
    assert_eq!(edit.input.lines()[0], "42");
    other.execute_batch("COMMIT").expect("release");
    app::update(&mut state, Action::Idle, &mut store);
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.status);
    assert!(
        state.status.text.contains("Submittals logged = 42 (batch"),
        "{:?}",
        state.status
    );
    assert_eq!(
        state.grid.row, 1,
        "then the cursor moved down, as Enter does"
    );
}
