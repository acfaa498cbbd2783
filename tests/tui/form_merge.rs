//! A form saved against a newer rev merges per field three ways, as the
//! importer merges cells (issue #14): fields only they changed are kept,
//! fields only you changed are saved, and only fields both changed are
//! shown as conflicts. Two connections to one file play the two people.

use crate::support;

use crate::support::{act, demo_file, start, type_text};
use concierge::app::state::Mode;
use concierge::app::{Action, Pane, State};
use concierge::store::{OpenMode, Store};

/// The demo with C-1's edit form open in the TUI, and a second
/// connection (miguel) on the same file.
fn editing_c1() -> (tempfile::TempDir, Store, State, Store) {
    let (dir, mut store) = demo_file();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Pane(Pane::Customers)]);
    let at = state
        .customers
        .ids
        .iter()
        .position(|id| *id == 1)
        .expect("C-1 listed");
    for _ in 0..at {
        act(&mut state, &mut store, &[Action::Down]);
    }
    act(&mut state, &mut store, &[Action::Edit]);
    assert!(matches!(state.mode, Mode::Form(_)), "{:?}", state.status);
    let path = dir.path().join("submittals-mvp.db");
    let other =
        Store::open(&path, OpenMode::ReadWrite, "miguel", support::clock()).expect("second");
    (dir, store, state, other)
}

/// Types `text` over the form's company field (the second field).
fn type_company(state: &mut State, store: &mut Store, text: &str) {
    act(state, store, &[Action::NextField]);
    type_text(state, store, text);
}

#[test]
fn their_owner_and_my_company_are_both_kept() {
    let (_dir, mut store, mut state, mut other) = editing_c1();
    let before = store.customer(1).expect("C-1");
    assert_ne!(before.owner, "miguel");
    let mut theirs = other.customer(1).expect("C-1");
    theirs.owner = "miguel".into();
    other.save_customer(&theirs).expect("their save");

    type_company(&mut state, &mut store, "Mine Builders");
    act(&mut state, &mut store, &[Action::Save]);
    assert!(
        matches!(state.mode, Mode::Normal),
        "no conflict to settle: {:?} {:?}",
        state.mode,
        state.status
    );
    let now = store.customer(1).expect("C-1");
    assert_eq!(now.company, "Mine Builders", "my field is saved");
    assert_eq!(now.owner, "miguel", "their field is kept");
    assert_eq!(now.name, before.name, "fields neither changed stay");
    assert!(!state.status.error, "{:?}", state.status);
    assert!(
        state.status.text.ends_with("kept their owner"),
        "{}",
        state.status.text
    );
}

#[test]
fn only_fields_both_changed_are_conflicts_and_overwrite_saves_only_those() {
    let (_dir, mut store, mut state, mut other) = editing_c1();
    let mut theirs = other.customer(1).expect("C-1");
    theirs.owner = "miguel".into();
    theirs.company = "Their Builders".into();
    other.save_customer(&theirs).expect("their save");

    type_company(&mut state, &mut store, "Mine Builders");
    act(&mut state, &mut store, &[Action::Save]);
    let Mode::Choose(choose) = &state.mode else {
        panic!("no conflict shown: {:?}", state.status)
    };
    assert!(
        choose
            .title
            .ends_with("both changed company: theirs “Their Builders” · yours “Mine Builders”"),
        "{}",
        choose.title
    );
    assert!(
        choose.title.contains("(kept their owner)"),
        "{}",
        choose.title
    );
    assert!(!choose.title.contains("owner: theirs"), "{}", choose.title);

    // Overwrite: my company, their owner.
    act(&mut state, &mut store, &[Action::Down, Action::Accept]);
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.status);
    let now = store.customer(1).expect("C-1");
    assert_eq!(now.company, "Mine Builders");
    assert_eq!(now.owner, "miguel");
}

#[test]
fn reload_drops_my_edits_and_keep_editing_keeps_them() {
    let (_dir, mut store, mut state, mut other) = editing_c1();
    let mut theirs = other.customer(1).expect("C-1");
    theirs.company = "Their Builders".into();
    other.save_customer(&theirs).expect("their save");

    type_company(&mut state, &mut store, "Mine Builders");
    act(&mut state, &mut store, &[Action::Save, Action::Cancel]);
    let Mode::Form(form) = &state.mode else {
        panic!("keep editing: {:?}", state.mode)
    };
    assert_eq!(form.value("company"), "Mine Builders");
    act(&mut state, &mut store, &[Action::Cancel, Action::Yes]);
    // Another two-sided edit, settled by reload: theirs stays.
    act(&mut state, &mut store, &[Action::Edit]);
    type_company(&mut state, &mut store, "Mine Again");
    let mut theirs = other.customer(1).expect("C-1");
    theirs.company = "Theirs Again".into();
    other.save_customer(&theirs).expect("their save");
    act(
        &mut state,
        &mut store,
        &[Action::Save, Action::Down, Action::Down, Action::Accept],
    );
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.mode);
    assert_eq!(
        store.customer(1).expect("C-1").company,
        "Theirs Again",
        "reload kept theirs"
    );
}
