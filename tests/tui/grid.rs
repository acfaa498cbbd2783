//! The Data grid: typed cells, fill-down, new rows and their uniqueness,
//! undo of a cell and of a schema change, type changes that convert or
//! are refused, filters and sorts, and the screen.

use crate::support::{act, demo, screen, start, type_text};
use concierge::app::{Action, Pane, State, state::Mode};
use concierge::domain::entry::CellValue;
use concierge::domain::{Field, FieldType};
use concierge::store::{GridQuery, GridSort, Store};

fn field(store: &Store, key: &str) -> Field {
    store
        .fields()
        .expect("fields")
        .into_iter()
        .find(|f| f.key == key)
        .expect("field")
}

/// The grid's value in the cursor's row for field `key`.
fn value_at(state: &State, key: &str) -> Option<CellValue> {
    let col = state.grid.fields.iter().position(|f| f.key == key)?;
    state.grid.selected_row()?.values[col].clone()
}

fn to_column(state: &mut State, store: &mut Store, key: &str) {
    let col = state
        .grid
        .fields
        .iter()
        .position(|f| f.key == key)
        .expect("column");
    act(state, store, &[Action::FirstColumn]);
    for _ in 0..col {
        act(state, store, &[Action::Right]);
    }
}

fn batches_of(store: &Store) -> usize {
    store
        .list_ids(
            concierge::store::ListKind::Activity,
            &concierge::store::ListQuery::default(),
        )
        .expect("batches")
        .len()
}

fn on_grid() -> (crate::support::Workspace, Store, State) {
    let (dir, mut store) = demo();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Pane(Pane::Data)]);
    (dir, store, state)
}

#[test]
fn typing_stores_the_value_moves_down_and_undo_restores_it() {
    let (_dir, mut store, mut state) = on_grid();
    let first = state.grid.selected_row().expect("row").clone();
    let before = value_at(&state, "submittals_logged");
    act(&mut state, &mut store, &[Action::TypeInCell('4')]);
    type_text(&mut state, &mut store, "2");
    assert!(matches!(state.mode, Mode::Cell(_)));
    act(&mut state, &mut store, &[Action::CommitDown]);
    assert!(matches!(state.mode, Mode::Normal));
    assert_eq!(state.grid.row, 1, "the cursor moved down");
    let stored = store
        .grid_rows(&[first.id], &state.grid.fields)
        .expect("rows");
    assert_eq!(stored[0].values[0], Some(CellValue::Integer(42)));
    assert!(
        state.status.text.contains("= 42 (batch"),
        "{}",
        state.status.text
    );
    act(&mut state, &mut store, &[Action::Up]);
    assert_eq!(
        value_at(&state, "submittals_logged"),
        Some(CellValue::Integer(42))
    );
    act(&mut state, &mut store, &[Action::Undo]);
    assert_eq!(value_at(&state, "submittals_logged"), before);
}

#[test]
fn an_invalid_value_stays_in_the_editor_with_the_reason_and_is_never_stored() {
    let (_dir, mut store, mut state) = on_grid();
    let batches = batches_of(&store);
    act(&mut state, &mut store, &[Action::TypeInCell('9')]);
    type_text(&mut state, &mut store, "99");
    act(&mut state, &mut store, &[Action::CommitDown]);
    let Mode::Cell(edit) = &state.mode else {
        panic!("the editor closed")
    };
    assert_eq!(edit.error.as_deref(), Some("above the maximum 200"));
    assert_eq!(edit.input.lines()[0], "999");
    assert!(screen(&state).contains("✗ Submittals logged: above the maximum 200"));
    act(&mut state, &mut store, &[Action::Cancel]);
    assert!(matches!(state.mode, Mode::Normal));
    assert_eq!(batches_of(&store), batches, "nothing written");
}

#[test]
fn each_type_parses_what_people_type() {
    let (_dir, mut store, mut state) = on_grid();
    for (key, typed, want) in [
        ("on_time_rate", "81%", CellValue::Decimal(0.81)),
        ("avg_turnaround_days", "9.5", CellValue::Decimal(9.5)),
        ("blocker", "Spec book", CellValue::Text("Spec book".into())),
    ] {
        to_column(&mut state, &mut store, key);
        act(&mut state, &mut store, &[Action::EditCell]);
        act(&mut state, &mut store, &[Action::Input(clear_line())]);
        type_text(&mut state, &mut store, typed);
        act(&mut state, &mut store, &[Action::CommitDown]);
        act(&mut state, &mut store, &[Action::Up]);
        assert_eq!(value_at(&state, key), Some(want), "{key}");
    }
    // Booleans toggle with Space; choices pick from their options.
    to_column(&mut state, &mut store, "portal_used");
    let was = value_at(&state, "portal_used");
    act(&mut state, &mut store, &[Action::ToggleCell]);
    let now = value_at(&state, "portal_used");
    assert_ne!(was, now);
    assert!(matches!(now, Some(CellValue::Boolean(_))));
    to_column(&mut state, &mut store, "satisfaction");
    act(&mut state, &mut store, &[Action::EditCell]);
    let Mode::Choose(choose) = &state.mode else {
        panic!("no option list")
    };
    let options: Vec<&str> = choose.options.iter().map(|o| o.0.as_str()).collect();
    assert!(options.contains(&"neutral"), "{options:?}");
    let at = options.iter().position(|o| *o == "happy").expect("happy");
    let row = state.grid.row;
    for _ in 0..at {
        act(&mut state, &mut store, &[Action::Up]);
    }
    for _ in 0..at {
        act(&mut state, &mut store, &[Action::Down]);
    }
    act(&mut state, &mut store, &[Action::Accept]);
    assert_eq!(state.grid.row, row, "a picked choice stays on the row");
    assert_eq!(
        value_at(&state, "satisfaction"),
        Some(CellValue::Text("happy".into()))
    );
}

fn clear_line() -> ratatui_textarea::Input {
    // The editor starts with the value and the cursor at its end (as F2
    // in a spreadsheet): Ctrl-J deletes back to the line's start.
    ratatui_textarea::Input {
        key: ratatui_textarea::Key::Char('j'),
        ctrl: true,
        ..ratatui_textarea::Input::default()
    }
}

#[test]
fn fill_down_copies_the_value_above_and_del_clears() {
    let (_dir, mut store, mut state) = on_grid();
    to_column(&mut state, &mut store, "hours_saved");
    let top = value_at(&state, "hours_saved");
    act(&mut state, &mut store, &[Action::Down, Action::FillDown]);
    assert_eq!(state.grid.row, 1, "fill-down stays on the row being filled");
    act(&mut state, &mut store, &[Action::Left]);
    assert_eq!(value_at(&state, "hours_saved"), top);
    act(&mut state, &mut store, &[Action::ClearCell]);
    assert_eq!(value_at(&state, "hours_saved"), None);
    // A required field is not cleared.
    to_column(&mut state, &mut store, "submittals_logged");
    act(&mut state, &mut store, &[Action::ClearCell]);
    assert!(state.status.error);
    assert!(
        state.status.text.contains("required"),
        "{}",
        state.status.text
    );
    assert!(value_at(&state, "submittals_logged").is_some());
}

#[test]
fn a_new_row_defaults_to_the_current_period_selected_and_a_duplicate_jumps_to_the_existing_row() {
    let (_dir, mut store, mut state) = on_grid();
    let alder = store
        .customer_names()
        .expect("names")
        .into_iter()
        .find(|(_, n)| n == "Alder & Finch")
        .expect("alder")
        .0;
    let next = store.new_row_day(alder).expect("next");
    // Today is Saturday 2026-11-21; Alder's last entry is Friday 11-06,
    // weekly: this period's Friday, 11-20 (never the missed 11-13, never
    // next Friday).
    assert_eq!(next.to_string(), "2026-11-20");
    act(&mut state, &mut store, &[Action::New]);
    type_text(&mut state, &mut store, "alder");
    act(&mut state, &mut store, &[Action::Accept]);
    let Mode::Prompt(prompt) = &state.mode else {
        panic!("no date prompt")
    };
    assert_eq!(prompt.input.lines()[0], "2026-11-20");
    assert!(
        prompt.input.is_selecting(),
        "the prefilled date is selected"
    );
    // Typing replaces the selected date.
    type_text(&mut state, &mut store, "2026-11-13");
    act(&mut state, &mut store, &[Action::Accept]);
    let row = state.grid.selected_row().expect("row");
    assert_eq!(
        (row.customer.as_str(), row.recorded_on.to_string().as_str()),
        ("Alder & Finch", "2026-11-13")
    );
    assert_eq!(
        state.grid.col, 0,
        "the cursor is in the new row's first cell"
    );
    let added = row.id;
    // The same pair again: refused, with the cursor on the existing row.
    act(&mut state, &mut store, &[Action::Top, Action::New]);
    type_text(&mut state, &mut store, "alder");
    act(&mut state, &mut store, &[Action::Accept]);
    act(&mut state, &mut store, &[Action::Input(clear_line())]);
    type_text(&mut state, &mut store, "2026-11-13");
    act(&mut state, &mut store, &[Action::Accept]);
    assert_eq!(state.grid.selected_row().map(|r| r.id), Some(added));
    assert!(
        state.status.text.contains("already has"),
        "{}",
        state.status.text
    );
    let thirteenth = chrono::NaiveDate::from_ymd_opt(2026, 11, 13).expect("day");
    assert!(
        store.add_grid_row(alder, thirteenth).is_err(),
        "the store refuses too"
    );
}

#[test]
fn a_type_change_converts_every_value_or_is_refused_listing_them() {
    let (_dir, mut store) = demo();
    // Text that is not a number: refused, naming the values, nothing changed.
    let blocker = field(&store, "blocker");
    let mut to_int = blocker.clone();
    to_int.field_type = FieldType::Integer;
    let err = store.save_field(&to_int).expect_err("refused").to_string();
    assert!(err.contains("don't fit"), "{err}");
    assert!(err.contains("E-"), "{err}");
    assert_eq!(field(&store, "blocker").field_type, FieldType::Text);
    // Integers become decimals, each value converted and logged.
    let logged = field(&store, "submittals_logged");
    let mut to_dec = logged.clone();
    to_dec.field_type = FieldType::Decimal;
    store.save_field(&to_dec).expect("converted");
    let ids = store.grid_ids(&GridQuery::default()).expect("ids");
    let fields = vec![field(&store, "submittals_logged")];
    let rows = store.grid_rows(&ids[..3], &fields).expect("rows");
    assert!(matches!(rows[0].values[0], Some(CellValue::Decimal(_))));
    // Undo puts the type and every value back.
    store.undo_latest().expect("undo");
    let back = field(&store, "submittals_logged");
    assert_eq!(back.field_type, FieldType::Integer);
    let rows = store.grid_rows(&ids[..3], &[back]).expect("rows");
    assert!(matches!(rows[0].values[0], Some(CellValue::Integer(_))));
    assert_eq!(store.check().expect("check"), Vec::<String>::new());
}

#[test]
fn schema_changes_are_one_batch_each_and_undoable() {
    let (_dir, mut store) = demo();
    let mut new = Field::new("rfis_open", "RFIs open", FieldType::Integer);
    new.min = Some(0.0);
    let (id, _) = store.save_field(&new).expect("add");
    assert_eq!(
        store.fields().expect("fields").last().map(|f| f.id),
        Some(id)
    );
    store.undo_latest().expect("undo add");
    assert!(store.fields().expect("fields").iter().all(|f| f.id != id));
    // Reorder, archive, delete (values come back with undo).
    let blocker = field(&store, "blocker");
    store.move_field(blocker.id, -1).expect("move");
    let order: Vec<String> = store
        .fields()
        .expect("f")
        .into_iter()
        .map(|f| f.key)
        .collect();
    assert_eq!(order[order.len() - 2], "blocker");
    store.undo_latest().expect("undo move");
    let blocker = field(&store, "blocker");
    store
        .set_field_archived(blocker.id, blocker.meta.rev, true)
        .expect("archive");
    assert!(field(&store, "blocker").archived);
    store.undo_latest().expect("undo archive");
    let values = store.field_value_count(&blocker).expect("count");
    assert!(values > 0);
    let blocker = field(&store, "blocker");
    store
        .delete_field(blocker.id, blocker.meta.rev)
        .expect("delete");
    assert!(
        store
            .fields()
            .expect("f")
            .iter()
            .all(|f| f.key != "blocker")
    );
    store.undo_latest().expect("undo delete");
    let back = field(&store, "blocker");
    assert_eq!(store.field_value_count(&back).expect("count"), values);
}

#[test]
fn the_grid_filters_by_customer_segment_and_dates_and_sorts_by_any_column() {
    let (_dir, store) = demo();
    let all = store.grid_ids(&GridQuery::default()).expect("all");
    let q = |filter: &str| GridQuery {
        filter: filter.into(),
        sort: GridSort::Newest,
    };
    let alder = store.grid_ids(&q("alder")).expect("alder");
    assert!(!alder.is_empty() && alder.len() < all.len());
    let recent = store
        .grid_ids(&q("from=2026-11-01 to=2026-11-30"))
        .expect("recent");
    let rows = store.grid_rows(&recent, &[]).expect("rows");
    assert!(
        rows.iter()
            .all(|r| r.recorded_on.to_string().as_str() >= "2026-11-01")
    );
    assert!(store.grid_ids(&q("colour=red")).is_err());
    let logged = field(&store, "submittals_logged");
    let sorted = store
        .grid_ids(&GridQuery {
            filter: String::new(),
            sort: GridSort::Field {
                id: logged.id,
                descending: true,
            },
        })
        .expect("sorted");
    let rows = store.grid_rows(&sorted[..5], &[logged]).expect("rows");
    let numbers: Vec<i64> = rows
        .iter()
        .map(|r| match r.values[0] {
            Some(CellValue::Integer(i)) => i,
            _ => -1,
        })
        .collect();
    let mut want = numbers.clone();
    want.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(numbers, want);
}

#[test]
fn the_grid_pane_and_the_field_editor_on_screen() {
    let (_dir, mut store, mut state) = on_grid();
    insta::assert_snapshot!("grid_pane", screen(&state));
    act(&mut state, &mut store, &[Action::LastColumn]);
    insta::assert_snapshot!("grid_scrolled_right", screen(&state));
    act(&mut state, &mut store, &[Action::OpenFields]);
    insta::assert_snapshot!("grid_fields_editor", screen(&state));
}

#[test]
fn a_hypothesis_linked_to_a_field_shows_its_weekly_trend_beside_the_criterion() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::StartFilter]);
    type_text(&mut state, &mut store, "H-2 ");
    act(&mut state, &mut store, &[Action::Accept]);
    let shown = screen(&state);
    assert!(shown.contains("criterion: We are right if"), "{shown}");
    assert!(shown.contains("trend: Avg turnaround by week"), "{shown}");
    assert!(shown.contains("last 10.8"), "{shown}");
    // The link is made in the item's form: pick the field by its key.
    let item = store.backlog_item(2).expect("H-2");
    assert_eq!(
        item.metric_field,
        Some(field(&store, "avg_turnaround_days").id)
    );
}

#[test]
fn o_sorts_by_the_cursor_column_and_shift_o_by_date_or_customer() {
    let (_dir, mut store, mut state) = on_grid();
    act(&mut state, &mut store, &[Action::SortRows]);
    assert_eq!(state.status.text, "sorted by oldest first");
    let first = state.grid.selected_row().expect("row").recorded_on;
    act(&mut state, &mut store, &[Action::Bottom]);
    assert!(state.grid.selected_row().expect("row").recorded_on >= first);
    act(&mut state, &mut store, &[Action::SortRows]);
    assert_eq!(state.status.text, "sorted by customer A–Z");
    assert_eq!(
        state.grid.selected_row().map(|r| r.customer.as_str()),
        Some("Alder & Finch")
    );
    assert!(screen(&state).contains("sort: customer ↑"));
    act(&mut state, &mut store, &[Action::CycleSort]);
    assert_eq!(state.status.text, "sorted by Submittals logged ↑");
    act(
        &mut state,
        &mut store,
        &[Action::CycleSort, Action::CycleSort],
    );
    assert_eq!(state.status.text, "sorted by newest first");
}

/// The grid's ids as SQLite orders them, for the filters a reference query
/// can state without concierge's match function.
fn ids_by_sql(store: &Store, condition: &str, order: &str) -> Vec<i64> {
    let conn = rusqlite::Connection::open(store.path()).expect("open");
    let sql = format!(
        "SELECT e.id FROM entries e JOIN customers c ON c.id = e.customer_id
         WHERE {condition} ORDER BY {order}"
    );
    let mut stmt = conn.prepare(&sql).expect("prepare");
    stmt.query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("ids")
}

#[test]
fn filters_and_sorts_kept_in_memory_order_as_sqlite_would() {
    let (_dir, mut store) = crate::support::demo_file();
    let name = "lower(c.name) COLLATE NOCASE, c.id";
    let cases = [
        ("", "1"),
        ("customer=ha", "lower(c.name) LIKE 'ha%'"),
        ("segment=gen", "lower(c.segment) LIKE 'gen%'"),
        ("from=2026-10-20", "e.recorded_on >= '2026-10-20'"),
        (
            "to=2026-11-02 from=2026-10-01 from=2026-10-10",
            "e.recorded_on <= '2026-11-02' AND e.recorded_on >= '2026-10-10'",
        ),
        ("customer=zzz", "0"),
    ];
    let sorts = [
        (
            GridSort::Newest,
            format!("e.recorded_on DESC, {name}, e.id"),
        ),
        (
            GridSort::Date { descending: false },
            format!("e.recorded_on, {name}, e.id"),
        ),
        (
            GridSort::Customer { descending: false },
            format!("{name}, e.recorded_on DESC, e.id"),
        ),
        (
            GridSort::Customer { descending: true },
            "lower(c.name) COLLATE NOCASE DESC, c.id DESC, e.recorded_on DESC, e.id".to_owned(),
        ),
    ];
    let check = |store: &Store| {
        for (filter, condition) in cases {
            for (sort, order) in &sorts {
                let query = GridQuery {
                    filter: filter.to_owned(),
                    sort: *sort,
                };
                assert_eq!(
                    store.grid_ids(&query).expect("ids"),
                    ids_by_sql(store, condition, order),
                    "{filter:?} {sort:?}"
                );
            }
        }
    };
    check(&store);
    assert!(
        !store
            .grid_ids(&GridQuery::default())
            .expect("ids")
            .is_empty()
    );
    // A new entry shows at once: the in-memory places follow the data.
    let before = store.grid_ids(&GridQuery::default()).expect("ids").len();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("day");
    store
        .write("new entry", |w| w.add_entry(1, day, &[]))
        .expect("new entry");
    assert_eq!(
        store.grid_ids(&GridQuery::default()).expect("ids").len(),
        before + 1
    );
    check(&store);
}

/// Typing arbitrary text into a text cell from the grid's normal state,
/// key by key as the terminal delivers it, then `Enter`: the cell holds
/// exactly that text, and nothing else in the workspace changed (rows,
/// other cells, batches other than the one store).
#[test]
fn typed_text_is_only_ever_the_cell_value() {
    use concierge::app::input::action_for;
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use proptest::test_runner::{Config, TestCaseError, TestRunner};
    use std::cell::RefCell;

    let (_dir, store, mut state) = on_grid();
    let store = RefCell::new(store);
    to_column(&mut state, &mut store.borrow_mut(), "blocker");
    let state = RefCell::new(state);
    let everything = |store: &Store| {
        let fields = store.fields().expect("fields");
        let ids = store.grid_ids(&GridQuery::default()).expect("ids");
        let rows = store.grid_rows(&ids, &fields).expect("rows");
        (rows, batches_of(store))
    };
    // Every letter (all the grid's old command keys), digits, signs,
    // punctuation and a few non-ASCII characters; spaces inside.
    let text = "[!-~éü€—“”][ -~éü€—“”]{0,30}[!-~éü€—“”]|[!-~]";
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&text, |typed| {
            let (mut state, mut store) = (state.borrow_mut(), store.borrow_mut());
            // Off the row and back: the row entered before is done.
            act(&mut state, &mut store, &[Action::Down, Action::Top]);
            let (rows_before, batches_before) = everything(&store);
            let entry = state.grid.selected_row().expect("row").id;
            let col = state.grid.col;
            let was = state.grid.selected_value().cloned();
            for c in typed.chars().chain(['\r']) {
                let (code, shift) = match c {
                    '\r' => (KeyCode::Enter, false),
                    c => (KeyCode::Char(c), c.is_uppercase()),
                };
                let modifiers = if shift {
                    KeyModifiers::SHIFT
                } else {
                    KeyModifiers::NONE
                };
                let key = Event::Key(KeyEvent::new(code, modifiers));
                if let Some(action) = action_for(&state, &key) {
                    act(&mut state, &mut store, &[action]);
                }
            }
            let (rows_after, batches_after) = everything(&store);
            let want = Some(CellValue::Text(typed.clone()));
            let stored = rows_after
                .iter()
                .find(|r| r.id == entry)
                .map(|r| &r.values[col]);
            if stored != Some(&want) {
                return Err(TestCaseError::fail(format!(
                    "stored {stored:?}, typed {typed:?}"
                )));
            }
            if rows_after.len() != rows_before.len() {
                return Err(TestCaseError::fail("the row count changed"));
            }
            for (before, after) in rows_before.iter().zip(&rows_after) {
                for (i, (b, a)) in before.values.iter().zip(&after.values).enumerate() {
                    if (before.id, i) != (entry, col) && b != a {
                        return Err(TestCaseError::fail(format!(
                            "{typed:?} changed E-{}",
                            before.id
                        )));
                    }
                }
            }
            let new_batches = usize::from(was != want);
            if batches_after != batches_before + new_batches {
                return Err(TestCaseError::fail(format!(
                    "{typed:?}: {} batches added",
                    batches_after - batches_before
                )));
            }
            Ok(())
        })
        .expect("typed text is only the cell's value");
}
