//! Helpers for the wizard tests: the demo with a working directory of its
//! own, reading the open wizard, editing CSV text as a spreadsheet user
//! would, and exporting and importing through the keys.

use crate::common::{act, demo, screen, start, type_text};
use concierge::app::state::Mode;
use concierge::app::wizard::{Wizard, WizardKey};
use concierge::app::{Action, Pane, State};
use concierge::store::Store;
use ratatui_textarea::{Input, Key};
use std::path::Path;

pub fn key(k: Key) -> Action {
    Action::Input(Input {
        key: k,
        ..Input::default()
    })
}

pub fn wiz(k: WizardKey) -> Action {
    Action::Wizard(k)
}

/// The demo at 120×40 with the working directory in a fresh folder.
pub fn setup() -> (tempfile::TempDir, Store, State, tempfile::TempDir) {
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

/// Replaces cell (`id`, `column`) of a CSV text.
pub fn edit(text: &str, id: &str, column: &str, value: &str) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect();
    let at = rows[0].iter().position(|h| h == column).expect("column");
    let mut out = csv::Writer::from_writer(Vec::new());
    for mut row in rows {
        if row[0] == id {
            value.clone_into(&mut row[at]);
        }
        out.write_record(&row).expect("write");
    }
    String::from_utf8(out.into_inner().expect("flush")).expect("utf-8")
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

pub fn newest_batch(store: &Store) -> i64 {
    store.recent_batches(1).expect("batches")[0].id
}
