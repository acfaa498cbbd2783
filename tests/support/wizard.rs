//! Helpers for the wizard tests: the demo with a working directory of its
//! own, reading the open wizard, and exporting and importing through the keys.

use crate::support::{act, demo, screen, start, type_text};
use concierge::app::state::Mode;
use concierge::app::wizard::{Wizard, WizardKey};
use concierge::app::{Action, Pane, State};
use concierge::store::Store;
use std::path::Path;

pub fn wiz(k: WizardKey) -> Action {
    Action::Wizard(k)
}

/// The demo at 120×40 with the working directory in a fresh folder.
pub fn setup() -> (crate::support::Workspace, Store, State, tempfile::TempDir) {
    let (db, mut store) = demo();
    let mut state = start(&mut store);
    let files = tempfile::tempdir().expect("files dir");
    state.cwd = files.path().to_path_buf();
    (db, store, state, files)
}

pub fn wizard(state: &State) -> &Wizard {
    match &state.mode {
        Mode::Import(w) => w,
        other => panic!("no wizard open: {other:?} {:?}", state.status),
    }
}

/// The screen with the temp folder's random name replaced (padded to
/// its width, so borders stay put).
pub fn shown(state: &State, folder: &Path) -> String {
    let path = folder.display().to_string();
    let width = path.chars().count();
    screen(state).replace(&path, &format!("{:<width$}", "/work/files"))
}

/// Exports the Customers view through `x` and returns the file's text.
pub fn export_customers(state: &mut State, store: &mut Store, folder: &Path) -> String {
    act(
        state,
        store,
        &[
            Action::Pane(Pane::Customers),
            Action::Export,
            Action::Accept,
        ],
    );
    assert_eq!(
        state.status.text,
        "exported 12 rows of customers to customers-2026-11-21.csv"
    );
    std::fs::read_to_string(folder.join("customers-2026-11-21.csv")).expect("exported file")
}

/// Opens the wizard, types `name` and picks it.
pub fn import(state: &mut State, store: &mut Store, name: &str) {
    act(state, store, &[Action::Import]);
    type_text(state, store, name);
    act(state, store, &[Action::Accept]);
}
