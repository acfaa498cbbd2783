//! The import wizard (`i`) and the view export (`x`) at the keyboard: the
//! new user's round trip through a spreadsheet, conflicts settled per cell,
//! files that cannot be applied, the Windows-1252 offer, and every step's
//! screen at 120×40.

mod export;
mod large;
use crate::support::spreadsheet;

use crate::support::interchange::{edit, newest_batch};
use crate::support::key;
use crate::support::wizard::{export_customers, import, setup, shown, wiz, wizard};
use crate::support::{act, screen, type_text};
use concierge::app::state::Mode;
use concierge::app::wizard::{Step, WizardKey};
use concierge::app::{Action, Pane};
use ratatui_textarea::Key;
use std::fmt::Write as _;

#[test]
fn the_new_user_trip_export_edit_in_a_spreadsheet_import_see_it_in_activity_undo() {
    let (_db, mut store, mut state, files) = setup();
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Customers), Action::Export],
    );
    insta::assert_snapshot!("export_prompt", shown(&state, files.path()));
    act(&mut state, &mut store, &[Action::Cancel]);
    let exported = export_customers(&mut state, &mut store, files.path());
    let segment_before = store.customer(2).expect("C-2").segment;

    // A spreadsheet: one cell changed, one row added, saved with a BOM and CRLF.
    let mut edited = spreadsheet::resave(&edit(&exported, "C-2", "segment", "enterprise GC"), &[]);
    edited
        .push_str(",Harbor Builders,Harbor Builders LLC,small GC,partial,prospect,,,,dana,7,,\r\n");
    std::fs::write(
        files.path().join("customers-edited.csv"),
        format!("\u{feff}{edited}"),
    )
    .expect("write");

    act(&mut state, &mut store, &[Action::Import]);
    insta::assert_snapshot!("import_file_step", shown(&state, files.path()));
    type_text(&mut state, &mut store, "edited");
    act(&mut state, &mut store, &[Action::Accept]);
    let w = wizard(&state);
    assert_eq!(w.step, Step::Preview, "{:?}", w.note);
    let p = w.preview.as_deref().expect("preview");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.plan.new.len(), 1);
    assert_eq!(p.plan.changed.len(), 1);
    assert_eq!(p.plan.changed[0].id, "C-2");
    let cells: Vec<(&str, String, String)> = p.plan.changed[0]
        .cells
        .iter()
        .map(|c| (c.name.as_str(), c.old.to_string(), c.new.to_string()))
        .collect();
    assert_eq!(
        cells,
        [(
            "segment",
            segment_before.clone(),
            "enterprise GC".to_owned()
        )]
    );
    assert_eq!(p.plan.unchanged, 11);
    insta::assert_snapshot!("import_preview", shown(&state, files.path()));

    act(&mut state, &mut store, &[wiz(WizardKey::Apply)]);
    assert!(matches!(state.mode, Mode::Normal));
    let batch = newest_batch(&store);
    assert_eq!(
        state.status.text,
        format!(
            "imported customers-edited.csv as batch {batch}: 1 new, 1 changed (1 cell), 0 deleted; u undoes"
        )
    );
    assert_eq!(store.customer(2).expect("C-2").segment, "enterprise GC");
    assert_eq!(newest_customer(&store).name, "Harbor Builders");
    assert_eq!(state.customers.ids.len(), 13);

    act(&mut state, &mut store, &[Action::Pane(Pane::Activity)]);
    let activity = screen(&state);
    assert!(
        activity.contains("import customers from customers-edited.csv"),
        "{activity}"
    );
    assert_eq!(state.activity.selected_row().map(|b| b.id), Some(batch));

    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Customers), Action::Undo],
    );
    assert!(
        state
            .status
            .text
            .starts_with(&format!("undid batch {batch}")),
        "{:?}",
        state.status
    );
    assert_eq!(store.customer(2).expect("C-2").segment, segment_before);
    assert_eq!(state.customers.ids.len(), 12);
}

#[test]
fn a_conflict_is_settled_per_cell_in_the_wizard() {
    let (_db, mut store, mut state, files) = setup();
    let exported = export_customers(&mut state, &mut store, files.path());
    // Meanwhile the workspace changes two cells the file changes too.
    let mut c3 = store.customer(3).expect("C-3");
    c3.company = "Workspace Co".into();
    store.save_customer(&c3).expect("save");
    let mut c5 = store.customer(5).expect("C-5");
    let owner_before = c5.owner.clone();
    c5.owner = "miguel".into();
    store.save_customer(&c5).expect("save");
    let file = edit(
        &edit(&exported, "C-3", "company", "File Co"),
        "C-5",
        "owner",
        "priya",
    );
    assert_ne!(owner_before, "priya");
    std::fs::write(files.path().join("stale.csv"), file).expect("write");
    let batch = newest_batch(&store);

    import(&mut state, &mut store, "stale");
    let p = wizard(&state).preview.as_deref().expect("preview");
    assert_eq!(p.plan.conflicts.len(), 2);
    insta::assert_snapshot!("import_conflicts", shown(&state, files.path()));
    act(&mut state, &mut store, &[Action::Resize(80, 24)]);
    insta::assert_snapshot!("import_conflicts_80x24", shown(&state, files.path()));
    act(&mut state, &mut store, &[Action::Resize(120, 40)]);

    act(&mut state, &mut store, &[wiz(WizardKey::Apply)]);
    assert!(
        wizard(&state)
            .note
            .text
            .contains("cannot apply: 2 open conflicts"),
        "{:?}",
        wizard(&state).note
    );
    // Resolution keys need the cursor on a conflict.
    act(&mut state, &mut store, &[wiz(WizardKey::TakeFile)]);
    assert!(wizard(&state).note.error);
    act(
        &mut state,
        &mut store,
        &[wiz(WizardKey::NextConflict), wiz(WizardKey::TakeFile)],
    );
    assert_eq!(
        wizard(&state).note.text,
        "C-3 company: the file's value; 1 open"
    );
    act(&mut state, &mut store, &[wiz(WizardKey::KeepWorkspace)]);
    assert_eq!(
        wizard(&state).note.text,
        "C-5 owner: the workspace's value; 0 open"
    );
    insta::assert_snapshot!("import_conflicts_settled", shown(&state, files.path()));
    assert_eq!(newest_batch(&store), batch, "nothing written yet");

    act(&mut state, &mut store, &[wiz(WizardKey::Apply)]);
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.status);
    assert_eq!(store.customer(3).expect("C-3").company, "File Co");
    assert_eq!(store.customer(5).expect("C-5").owner, "miguel");
    assert_eq!(
        store.changes(newest_batch(&store)).expect("changes").len(),
        1
    );
}

#[test]
fn settling_all_conflicts_at_once() {
    let (_db, mut store, mut state, files) = setup();
    let exported = export_customers(&mut state, &mut store, files.path());
    let mut c3 = store.customer(3).expect("C-3");
    c3.company = "Workspace Co".into();
    store.save_customer(&c3).expect("save");
    let file = edit(&exported, "C-3", "company", "File Co");
    std::fs::write(files.path().join("stale.csv"), file).expect("write");
    import(&mut state, &mut store, "stale");
    act(&mut state, &mut store, &[wiz(WizardKey::KeepWorkspaceAll)]);
    assert_eq!(
        wizard(&state).note.text,
        "1 conflict settled: the workspace's value"
    );
    act(&mut state, &mut store, &[wiz(WizardKey::Apply)]);
    assert_eq!(
        state.status.text,
        "nothing to import: stale.csv matches the workspace (no batch written)"
    );
    assert_eq!(store.customer(3).expect("C-3").company, "Workspace Co");
}

#[test]
fn a_file_with_errors_shows_where_and_writes_nothing() {
    let (_db, mut store, mut state, files) = setup();
    let exported = export_customers(&mut state, &mut store, files.path());
    let mut bad = edit(&exported, "C-6", "cadence_days", "weekly");
    bad.push_str("C-99,Nobody,,,,prospect,,,,dana,7,,1\n");
    std::fs::write(files.path().join("bad.csv"), bad).expect("write");
    let batch = newest_batch(&store);
    import(&mut state, &mut store, "bad");
    let w = wizard(&state);
    let p = w.preview.as_deref().expect("preview");
    assert_eq!(p.errors.len(), 2, "{:?}", p.errors);
    assert_eq!(p.errors[0].column.as_deref(), Some("cadence_days"));
    assert_eq!(p.errors[0].reason, "not a number: weekly");
    assert!(p.errors[0].line > p.errors[0].data_row, "notes span lines");
    insta::assert_snapshot!("import_errors", shown(&state, files.path()));
    act(&mut state, &mut store, &[wiz(WizardKey::Apply)]);
    let w = wizard(&state);
    assert!(w.note.error);
    assert!(
        w.note.text.starts_with("cannot apply: 2 errors"),
        "{:?}",
        w.note
    );
    assert_eq!(newest_batch(&store), batch, "nothing written");

    // Fixed in the spreadsheet but with an address the forms refuse: the
    // workspace's rules (run as a dry run with the preview) list it before
    // anything is applied, still writing nothing.
    std::fs::write(
        files.path().join("bad.csv"),
        edit(&exported, "C-4", "contact_email", "not-an-address"),
    )
    .expect("write");
    act(
        &mut state,
        &mut store,
        &[wiz(WizardKey::Reload), wiz(WizardKey::Apply)],
    );
    let w = wizard(&state);
    assert_eq!(
        w.note.text,
        "cannot apply: 1 error: fix the file, then r reads it again"
    );
    let p = w.preview.as_deref().expect("preview");
    assert_eq!(p.errors[0].column.as_deref(), Some("contact_email"));
    assert!(
        screen(&state).contains("✖ data row 4 (line"),
        "{}",
        screen(&state)
    );
    assert_eq!(newest_batch(&store), batch, "nothing written");

    std::fs::write(
        files.path().join("bad.csv"),
        edit(&exported, "C-4", "contact_email", "ops@example.com"),
    )
    .expect("write");
    act(
        &mut state,
        &mut store,
        &[wiz(WizardKey::Reload), wiz(WizardKey::Apply)],
    );
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.status);
    assert_eq!(
        store.customer(4).expect("C-4").contact_email,
        "ops@example.com"
    );
}

#[test]
fn an_illegal_stage_move_is_refused_on_its_row_in_the_wizard() {
    let (_db, mut store, mut state, files) = setup();
    let exported = export_customers(&mut state, &mut store, files.path());
    let file = edit(&exported, "C-12", "stage", "graduated");
    std::fs::write(files.path().join("moves.csv"), file).expect("write");
    let batch = newest_batch(&store);
    import(&mut state, &mut store, "moves");
    // The preview already lists it (the rules run as a dry run)...
    let p = wizard(&state).preview.as_deref().expect("preview");
    assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
    assert!(
        screen(&state).contains("prospect → graduated is not a step"),
        "{}",
        screen(&state)
    );
    // ...and applying is refused.
    act(&mut state, &mut store, &[wiz(WizardKey::Apply)]);
    let w = wizard(&state);
    assert_eq!(
        w.note.text,
        "cannot apply: 1 error: fix the file, then r reads it again"
    );
    let p = w.preview.as_deref().expect("preview");
    let row = exported
        .lines()
        .filter(|l| l.starts_with("C-"))
        .position(|l| l.starts_with("C-12,"))
        .expect("row");
    assert_eq!(p.errors[0].data_row, row + 1, "{:?}", p.errors);
    assert_eq!(p.errors[0].id.as_deref(), Some("C-12"));
    assert_eq!(p.errors[0].column.as_deref(), Some("stage"));
    assert_eq!(
        p.errors[0].reason,
        "prospect → graduated is not a step: from prospect a customer can go to invited or dropped"
    );
    assert!(
        screen(&state).contains("prospect → graduated is not a step"),
        "{}",
        screen(&state)
    );
    assert_eq!(newest_batch(&store), batch, "nothing written");
}

#[test]
fn a_change_deep_in_a_long_note_is_shown_where_it_is() {
    let (_db, mut store, mut state, files) = setup();
    let exported = export_customers(&mut state, &mut store, files.path());
    let notes = store.customer(1).expect("C-1").notes;
    let changed = notes.replacen("24-1187", "24-1188", 1);
    let file = edit(&exported, "C-1", "notes", &changed);
    std::fs::write(files.path().join("long.csv"), file).expect("write");
    import(&mut state, &mut store, "long");
    let len = notes.chars().count();
    let text = screen(&state);
    assert!(
        text.contains(&format!("notes: {len} → {len} chars, first change at char")),
        "{text}"
    );
    assert!(text.contains("1187") && text.contains("1188"), "{text}");
}

#[test]
fn a_windows_1252_file_is_offered_with_its_text_and_read_once_accepted() {
    let (_db, mut store, mut state, files) = setup();
    let mut bytes = b"id,name,segment\r\n,Caf".to_vec();
    bytes.push(0xE9); // é in Windows-1252, invalid as UTF-8
    bytes.extend_from_slice(b" Constructora,small GC\r\n");
    std::fs::write(files.path().join("ansi.csv"), bytes).expect("write");
    act(&mut state, &mut store, &[Action::Pane(Pane::Customers)]);
    import(&mut state, &mut store, "ansi");
    assert_eq!(wizard(&state).step, Step::Encoding);
    insta::assert_snapshot!("import_encoding", shown(&state, files.path()));
    // n goes back to the file; Enter again asks again.
    act(&mut state, &mut store, &[Action::No]);
    assert_eq!(wizard(&state).step, Step::File);
    act(&mut state, &mut store, &[Action::Accept, Action::Yes]);
    let p = wizard(&state).preview.as_deref().expect("preview");
    assert_eq!(p.plan.new.len(), 1);
    assert!(screen(&state).contains("Windows-1252 (accepted)"));
    act(&mut state, &mut store, &[wiz(WizardKey::Apply)]);
    assert_eq!(newest_customer(&store).name, "Café Constructora");
}

#[test]
fn esc_backs_out_a_step_at_a_time_and_writes_nothing() {
    let (_db, mut store, mut state, files) = setup();
    let exported = export_customers(&mut state, &mut store, files.path());
    std::fs::write(
        files.path().join("one.csv"),
        edit(&exported, "C-2", "segment", "x"),
    )
    .expect("write");
    let batch = newest_batch(&store);
    import(&mut state, &mut store, "one");
    assert_eq!(wizard(&state).step, Step::Preview);
    act(&mut state, &mut store, &[Action::Cancel]);
    assert_eq!(wizard(&state).step, Step::File);
    assert_eq!(wizard(&state).files.typed, "one", "the typed name is kept");
    act(&mut state, &mut store, &[Action::Cancel]);
    assert!(matches!(state.mode, Mode::Normal));
    assert_eq!(state.status.text, "import cancelled: nothing written");
    assert_eq!(newest_batch(&store), batch);
}

#[test]
fn the_kind_follows_the_pane_and_can_be_changed() {
    let (_db, mut store, mut state, _files) = setup();
    for (pane, kind) in [
        (Pane::Backlog, "backlog"),
        (Pane::Customers, "customers"),
        (Pane::CheckIns, "checkins"),
        (Pane::Data, "data"),
        (Pane::Activity, "customers"),
    ] {
        act(
            &mut state,
            &mut store,
            &[Action::Pane(pane), Action::Import],
        );
        assert_eq!(wizard(&state).kind.name(), kind, "{pane:?}");
        act(&mut state, &mut store, &[Action::Cancel]);
    }
    act(
        &mut state,
        &mut store,
        &[
            Action::Pane(Pane::Customers),
            Action::Import,
            wiz(WizardKey::NextKind),
        ],
    );
    assert_eq!(wizard(&state).kind.name(), "backlog");
    assert_eq!(
        wizard(&state).expected.first().map(String::as_str),
        Some("id")
    );
    assert!(wizard(&state).expected.iter().any(|c| c == "statement"));
    act(
        &mut state,
        &mut store,
        &[wiz(WizardKey::PrevKind), wiz(WizardKey::PrevKind)],
    );
    assert_eq!(wizard(&state).kind.name(), "data");
}

#[test]
fn delete_missing_is_off_until_switched_on_in_the_preview() {
    let (_db, mut store, mut state, _files) = setup();
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Backlog), Action::StartFilter],
    );
    type_text(&mut state, &mut store, "status=parked");
    act(&mut state, &mut store, &[Action::Accept, Action::Export]);
    act(&mut state, &mut store, &vec![key(Key::Backspace); 4]);
    type_text(&mut state, &mut store, "-parked.csv");
    act(&mut state, &mut store, &[Action::Accept]);
    let parked = state.backlog.ids.len();
    assert_eq!(
        state.status.text,
        format!("exported {parked} rows of backlog to backlog-2026-11-21-parked.csv")
    );
    act(&mut state, &mut store, &[Action::ClearFilter]);
    let all = state.backlog.ids.len();
    import(&mut state, &mut store, "parked");
    let p = wizard(&state).preview.as_deref().expect("preview");
    assert!(p.plan.deleted.is_empty() && p.plan.is_noop());
    act(
        &mut state,
        &mut store,
        &[wiz(WizardKey::ToggleDeleteMissing)],
    );
    let w = wizard(&state);
    assert!(w.delete_missing);
    assert_eq!(
        w.preview.as_deref().expect("preview").plan.deleted.len(),
        all - parked
    );
    assert!(screen(&state).contains("ON: "));
    act(&mut state, &mut store, &[wiz(WizardKey::Apply)]);
    assert_eq!(state.backlog.ids.len(), parked, "{:?}", state.status);
    act(&mut state, &mut store, &[Action::Undo]);
    assert_eq!(state.backlog.ids.len(), all);
}

#[test]
fn the_preview_scrolls_and_fits_small_terminals() {
    let (_db, mut store, mut state, files) = setup();
    let exported = export_customers(&mut state, &mut store, files.path());
    let mut many = exported.clone();
    for n in 0..40 {
        writeln!(many, ",New Customer {n},,,,prospect,,,,dana,7,,").expect("write");
    }
    std::fs::write(files.path().join("many.csv"), many).expect("write");
    import(&mut state, &mut store, "many");
    act(&mut state, &mut store, &[Action::Bottom]);
    let w = wizard(&state);
    assert_eq!(w.cursor, w.entries.len() - 1);
    assert!(w.offset > 0);
    assert!(screen(&state).contains("Unchanged: 12 records"));
    act(&mut state, &mut store, &[Action::Top, Action::PageDown]);
    assert!(wizard(&state).cursor > 10);
    act(&mut state, &mut store, &[Action::Resize(80, 24)]);
    insta::assert_snapshot!("import_preview_80x24", shown(&state, files.path()));
    sweep(&mut state, &mut store);
    act(
        &mut state,
        &mut store,
        &[Action::Resize(80, 24), Action::Cancel],
    );
    insta::assert_snapshot!("import_file_step_80x24", shown(&state, files.path()));
    sweep(&mut state, &mut store);
    act(&mut state, &mut store, &[Action::Cancel, Action::Export]);
    sweep(&mut state, &mut store);
    assert!(matches!(state.mode, Mode::Export(_)));
}

/// Draws the current screen at sizes down to 1×1 (never panics).
fn sweep(state: &mut concierge::app::State, store: &mut concierge::store::Store) {
    for (w, h) in [(20, 5), (1, 1), (3, 2), (40, 10), (200, 60)] {
        act(state, store, &[Action::Resize(w, h)]);
        let _ = screen(state);
    }
}

#[test]
fn a_file_of_another_kind_says_so() {
    let (_db, mut store, mut state, files) = setup();
    std::fs::write(
        files.path().join("items.csv"),
        "id,statement,kind\n,Supers text photos,hypothesis\n",
    )
    .expect("write");
    act(&mut state, &mut store, &[Action::Pane(Pane::Customers)]);
    import(&mut state, &mut store, "items");
    let w = wizard(&state);
    assert!(
        w.note
            .text
            .starts_with("no column of items.csv is a customers column"),
        "{:?}",
        w.note
    );
    act(
        &mut state,
        &mut store,
        &[Action::Cancel, wiz(WizardKey::NextKind), Action::Accept],
    );
    let w = wizard(&state);
    assert_eq!(w.kind.name(), "backlog");
    let p = w.preview.as_deref().expect("preview");
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.plan.new.len(), 1);
}

#[test]
fn live_data_imported_on_the_data_pane_shows_in_the_grid() {
    let (_db, mut store, mut state, files) = setup();
    std::fs::write(
        files.path().join("week.csv"),
        "id,customer,recorded_on,submittals_logged,satisfaction\n,Alder & Finch,2026-11-21,5,neutral\n",
    )
    .expect("write");
    act(&mut state, &mut store, &[Action::Pane(Pane::Data)]);
    let rows = state.grid.ids.len();
    import(&mut state, &mut store, "week");
    let w = wizard(&state);
    assert_eq!(w.kind.name(), "data");
    let p = w.preview.as_deref().expect("preview");
    assert_eq!((p.plan.new.len(), p.errors.len()), (1, 0), "{:?}", p.errors);
    act(&mut state, &mut store, &[wiz(WizardKey::Apply)]);
    assert!(
        state.status.text.starts_with("imported week.csv as batch"),
        "{:?}",
        state.status
    );
    assert_eq!(state.grid.ids.len(), rows + 1);
    act(&mut state, &mut store, &[Action::Undo]);
    assert_eq!(state.grid.ids.len(), rows);
}

/// This process's peak memory so far, in KiB (Linux), or `None`.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_sparse_gigabyte_is_refused_without_reading_it_whole() {
    let (_db, mut store, mut state, files) = setup();
    std::fs::File::create(files.path().join("sparse.csv"))
        .and_then(|f| f.set_len(1 << 30))
        .expect("sparse file");
    let Some(before) = peak_kib() else {
        eprintln!("skipped: no /proc/self/status");
        return;
    };
    import(&mut state, &mut store, "sparse");
    let w = wizard(&state);
    assert!(w.note.error, "{:?}", w.note);
    assert!(w.note.text.contains("contains a NUL byte"), "{:?}", w.note);
    let grown = peak_kib().expect("peak") - before;
    assert!(grown < 64 * 1024, "peak memory grew by {grown} KiB");
}

/// The customer the import created after the demo's twelve: C-13 in a
/// file; on a server the preview's rolled-back insert moved the key
/// sequence on, so a later key (keys are stable, not dense).
fn newest_customer(store: &concierge::store::Store) -> concierge::domain::Customer {
    (13..40)
        .find_map(|id| store.customer(id).ok())
        .expect("a new customer")
}
