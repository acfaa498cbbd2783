//! The view export (`x`) at the keyboard: the filtered view, the Excel
//! variant, replacing a file, live data, Activity, long cells, read-only
//! workspaces; and `i`/`x` in the keymap, help and palette.

use crate::support::key;
use crate::support::wizard::{setup, wiz};
use crate::support::{self, act, screen, start, type_text};
use concierge::app::state::Mode;
use concierge::app::wizard::WizardKey;
use concierge::app::{Action, Pane};
use concierge::store::Store;
use ratatui_textarea::Key;

#[test]
fn export_writes_the_filtered_view_for_excel_and_asks_before_replacing() {
    let (_db, mut store, mut state, files) = setup();
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Customers), Action::StartFilter],
    );
    type_text(&mut state, &mut store, "stage=active");
    act(
        &mut state,
        &mut store,
        &[Action::Accept, Action::Export, wiz(WizardKey::ToggleExcel)],
    );
    let active = state.customers.ids.len();
    assert!(active > 0 && active < 12);
    act(&mut state, &mut store, &[Action::Accept]);
    assert_eq!(
        state.status.text,
        format!("exported {active} rows of customers to customers-2026-11-21.csv for Excel")
    );
    let bytes = std::fs::read(files.path().join("customers-2026-11-21.csv")).expect("file");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF\"id\",\"name\""));
    assert!(bytes.windows(2).any(|w| w == b"\r\n"));
    let text = String::from_utf8(bytes).expect("utf-8");
    assert_eq!(
        text.matches("\"\r\n").count(),
        active + 1,
        "CRLF ends every record"
    );

    // The same name again: asked once, replaced on the second Enter.
    act(&mut state, &mut store, &[Action::Export, Action::Accept]);
    let Mode::Export(p) = &state.mode else {
        panic!("the prompt closed: {:?}", state.status)
    };
    assert!(p.note.text.contains("exists: Enter again replaces it"));
    act(&mut state, &mut store, &[Action::Accept]);
    assert!(matches!(state.mode, Mode::Normal));
    let plain = std::fs::read(files.path().join("customers-2026-11-21.csv")).expect("file");
    assert!(plain.starts_with(b"id,name,"), "replaced, without Excel");
}

#[test]
fn data_exports_wide_and_activity_says_it_has_no_csv() {
    let (_db, mut store, mut state, files) = setup();
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Data), Action::Export, Action::Accept],
    );
    let entries = state.counts.entries;
    assert_eq!(
        state.status.text,
        format!("exported {entries} rows of data to data-2026-11-21.csv")
    );
    let text = std::fs::read_to_string(files.path().join("data-2026-11-21.csv")).expect("file");
    assert!(text.starts_with("id,customer,recorded_on,"));
    // The grid's filter is the view: only Alder & Finch's rows.
    act(&mut state, &mut store, &[Action::StartFilter]);
    type_text(&mut state, &mut store, "customer=alder");
    act(&mut state, &mut store, &[Action::Accept, Action::Export]);
    type_text(&mut state, &mut store, "-alder");
    act(&mut state, &mut store, &[Action::Accept]);
    let alder = state.grid.ids.len();
    assert!(alder > 0 && (alder as i64) < entries);
    assert!(
        state
            .status
            .text
            .contains(&format!("exported {alder} rows of data")),
        "{}",
        state.status.text
    );
    let text =
        std::fs::read_to_string(files.path().join("data-2026-11-21.csv-alder")).expect("file");
    assert_eq!(text.lines().count(), alder + 1);
    assert!(
        text.lines().skip(1).all(|l| l.contains("Alder & Finch")),
        "{text}"
    );
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Activity), Action::Export],
    );
    assert!(state.status.error);
    assert!(state.status.text.contains("no CSV export"));
    assert!(matches!(state.mode, Mode::Normal));
}

#[test]
fn export_warns_about_cells_longer_than_excel_keeps() {
    let (_db, mut store, mut state, files) = setup();
    let mut k = store.checkin(1).expect("K-1").checkin;
    k.notes = "n".repeat(40_000);
    store.save_checkin(&k).expect("save");
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::CheckIns), Action::Export],
    );
    act(&mut state, &mut store, &vec![key(Key::Backspace); 4]);
    type_text(&mut state, &mut store, ".txt");
    act(&mut state, &mut store, &[Action::Accept]);
    assert!(
        state.status.text.ends_with(
            "to checkins-2026-11-21.txt; warning: K-1 notes: 40000 characters; Excel keeps only the first 32767"
        ),
        "{:?}",
        state.status
    );
    assert!(files.path().join("checkins-2026-11-21.txt").exists());
}

#[test]
fn the_palette_lists_import_and_export() {
    let (_db, mut store, mut state, _files) = setup();
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Customers), Action::Palette],
    );
    type_text(&mut state, &mut store, "import");
    act(&mut state, &mut store, &[Action::Accept]);
    assert!(matches!(state.mode, Mode::Import(_)));
    act(&mut state, &mut store, &[Action::Cancel, Action::Help]);
    let help = screen(&state);
    assert!(help.contains("import a CSV file"), "{help}");
    assert!(help.contains("export this view to a CSV file"), "{help}");
}

#[test]
fn read_only_workspaces_export_but_never_import() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("w.db");
    {
        let mut store = Store::open(
            &path,
            concierge::store::OpenMode::ReadWrite,
            "dana",
            support::clock(),
        )
        .expect("open");
        concierge::demo::load(&mut store).expect("demo");
    }
    let mut store = Store::open(
        &path,
        concierge::store::OpenMode::ReadOnly,
        "dana",
        support::clock(),
    )
    .expect("open read-only");
    let mut state = start(&mut store);
    state.cwd = dir.path().to_path_buf();
    act(&mut state, &mut store, &[Action::Import]);
    assert_eq!(state.status.text, "read-only workspace");
    assert!(matches!(state.mode, Mode::Normal));
    act(&mut state, &mut store, &[Action::Export, Action::Accept]);
    assert!(
        state.status.text.starts_with("exported 20 rows of backlog"),
        "{:?}",
        state.status
    );
}

#[test]
fn i_and_x_are_keys_of_every_list_pane_and_alt_i_alt_x_of_the_data_pane() {
    use concierge::app::keymap::{bindings, lookup, normal_contexts};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let map = bindings();
    let press = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    let alt = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT);
    for pane in [
        Pane::Backlog,
        Pane::Customers,
        Pane::CheckIns,
        Pane::Activity,
    ] {
        let contexts = normal_contexts(pane);
        assert_eq!(
            lookup(&map, &contexts, &press('i')),
            Some(Action::Import),
            "{pane:?}"
        );
        assert_eq!(
            lookup(&map, &contexts, &press('x')),
            Some(Action::Export),
            "{pane:?}"
        );
    }
    // On the grid i and x are text; Alt-i and Alt-x are the commands.
    let grid = normal_contexts(Pane::Data);
    assert_eq!(lookup(&map, &grid, &press('i')), None);
    assert_eq!(lookup(&map, &grid, &alt('i')), Some(Action::Import));
    assert_eq!(lookup(&map, &grid, &alt('x')), Some(Action::Export));
    assert_eq!(
        lookup(&map, &normal_contexts(Pane::Review), &press('i')),
        None
    );
}
