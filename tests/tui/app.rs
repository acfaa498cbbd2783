//! The app driven by actions, as a person would drive it, with the screen
//! read back as text.

use crate::support;

use crate::support::{act, demo, empty, screen, start, type_text};
use concierge::app::state::Mode;
use concierge::app::{Action, Pane};
use concierge::domain::Status;

#[test]
fn every_pane_of_the_demo_at_120x40() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    for pane in Pane::ALL {
        act(&mut state, &mut store, &[Action::Pane(pane)]);
        insta::assert_snapshot!(
            format!("pane_{}", pane.title().to_lowercase().replace('-', "")),
            screen(&state)
        );
    }
}

#[test]
fn help_lists_the_current_panes_keys_from_the_keymap() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Help]);
    let text = screen(&state);
    for binding in concierge::app::keymap::active(
        &state.keymap,
        &concierge::app::keymap::normal_contexts(Pane::Backlog),
    ) {
        assert!(
            text.contains(binding.description),
            "help lacks “{}”",
            binding.description
        );
    }
    insta::assert_snapshot!("help_backlog", text);
    act(
        &mut state,
        &mut store,
        &[Action::Cancel, Action::Pane(Pane::Activity), Action::Help],
    );
    assert!(screen(&state).contains("undo the selected batch"));
}

#[test]
fn help_on_the_grid_scrolls_to_every_key_on_a_small_terminal() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[
            Action::Resize(80, 24),
            Action::Pane(Pane::Data),
            Action::Help,
        ],
    );
    let keys: Vec<&'static str> =
        concierge::app::keymap::active(&state.keymap, &state.normal_contexts())
            .iter()
            .map(|b| b.description)
            .collect();
    let mut seen = screen(&state);
    assert!(
        seen.contains("scroll for more"),
        "the title says there is more:\n{seen}"
    );
    for _ in 0..keys.len() {
        act(&mut state, &mut store, &[Action::Down]);
        seen.push_str(&screen(&state));
    }
    for description in keys {
        let words: String = description.chars().take(30).collect();
        assert!(seen.contains(&words), "never shown: “{words}”");
    }
    // On the grid no key listed is one that typing produces.
    assert!(!seen.contains("q/Ctrl-q"), "{seen}");
    assert!(seen.contains("Ctrl-q/Ctrl-c"));
    insta::assert_snapshot!("help_data_80x24_scrolled_to_the_end", screen(&state));
}

#[test]
fn creating_a_hypothesis_shows_in_the_list_and_activity_and_undo_removes_it() {
    let (_dir, mut store) = empty();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::New]);
    insta::assert_snapshot!("backlog_form_new", screen(&state));
    type_text(
        &mut state,
        &mut store,
        "Supers will text photos of deliveries",
    );
    act(&mut state, &mut store, &[Action::Save]);
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.status);
    assert_eq!(state.status.text, "saved H-1 (batch 1)");
    assert!(screen(&state).contains("Supers will text photos of deliveries"));

    act(&mut state, &mut store, &[Action::Pane(Pane::Activity)]);
    let text = screen(&state);
    assert!(
        text.contains("#1") && text.contains("dana") && text.contains("create backlog item"),
        "{text}"
    );
    assert!(
        text.contains("H-1 + statement = Supers will text photos of"),
        "{text}"
    );
    assert!(
        !text.contains("H-1 + tags"),
        "empty fields of a create are not listed"
    );

    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Backlog), Action::Undo],
    );
    assert_eq!(
        state.status.text,
        "undid batch 1 (as batch 2); u again to go further back"
    );
    assert!(state.backlog.ids.is_empty());
    act(&mut state, &mut store, &[Action::Pane(Pane::Activity)]);
    assert!(screen(&state).contains("undo batch 1 (create backlog item)"));
}

#[test]
fn a_refused_save_keeps_everything_typed_and_focuses_the_bad_field() {
    let (_dir, mut store) = empty();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[Action::New, Action::NextField, Action::NextField],
    );
    act(
        &mut state,
        &mut store,
        &[Action::NextField, Action::NextField],
    );
    type_text(&mut state, &mut store, "!!");
    act(&mut state, &mut store, &[Action::Save]);
    let Mode::Form(form) = &state.mode else {
        panic!("form closed: {:?}", state.status)
    };
    assert_eq!(form.fields[form.focus].name, "statement");
    assert_eq!(
        form.value("owner"),
        "!!",
        "entering the field selected it; typing replaced it"
    );
    assert!(state.status.error);
    assert!(screen(&state).contains("↳ required"));
}

#[test]
fn editing_saves_one_batch_and_unchanged_saves_none() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    let id = state.backlog.selected_id().expect("an item");
    act(&mut state, &mut store, &[Action::Edit]);
    act(&mut state, &mut store, &[Action::Save]);
    assert_eq!(state.status.text, format!("H-{id} unchanged"));
    act(&mut state, &mut store, &[Action::Edit]);
    type_text(&mut state, &mut store, " on site");
    act(&mut state, &mut store, &[Action::Save]);
    assert!(
        state
            .status
            .text
            .starts_with(&format!("saved H-{id} (batch ")),
        "{}",
        state.status.text
    );
    assert!(
        store
            .backlog_item(id)
            .expect("item")
            .statement
            .ends_with("on site")
    );
}

#[test]
fn cancelling_a_changed_form_asks_first() {
    let (_dir, mut store) = empty();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::New, Action::Cancel]);
    assert!(matches!(state.mode, Mode::Normal));
    act(&mut state, &mut store, &[Action::New]);
    type_text(&mut state, &mut store, "half a thought");
    act(&mut state, &mut store, &[Action::Cancel]);
    assert!(matches!(state.mode, Mode::Confirm(_)));
    act(&mut state, &mut store, &[Action::No]);
    let Mode::Form(form) = &state.mode else {
        panic!("form lost")
    };
    assert_eq!(form.value("statement"), "half a thought");
    act(&mut state, &mut store, &[Action::Cancel, Action::Yes]);
    assert!(matches!(state.mode, Mode::Normal));
    assert!(state.backlog.ids.is_empty());
}

#[test]
fn status_changes_say_what_is_missing_and_ask_for_a_reason() {
    let (_dir, mut store) = empty();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::New]);
    type_text(&mut state, &mut store, "GCs pay for a digest");
    act(
        &mut state,
        &mut store,
        &[Action::Save, Action::ChangeStatus],
    );
    assert!(screen(&state).contains("needs test, criterion"));
    act(&mut state, &mut store, &[Action::Accept]);
    let Mode::Form(form) = &state.mode else {
        panic!("the move asks for what it needs")
    };
    assert_eq!(form.title, "H-1 backlog → testing: what it needs");
    assert_eq!(
        form.fields.iter().map(|f| f.name).collect::<Vec<_>>(),
        ["test", "criterion"]
    );
    act(&mut state, &mut store, &[Action::Save]);
    assert!(state.status.error, "empty test and criterion are refused");
    assert!(screen(&state).contains("↳ required"));
    act(&mut state, &mut store, &[Action::Cancel]);
    assert!(matches!(state.mode, Mode::Normal));

    act(
        &mut state,
        &mut store,
        &[Action::ChangeStatus, Action::Down, Action::Accept],
    );
    assert!(matches!(state.mode, Mode::Prompt(_)), "parking asks why");
    act(&mut state, &mut store, &[Action::Accept]);
    assert_eq!(state.status.text, "backlog → parked needs a reason");
    assert!(
        matches!(state.mode, Mode::Prompt(_)),
        "the prompt stays open"
    );
    type_text(&mut state, &mut store, "no budget this quarter");
    act(&mut state, &mut store, &[Action::Accept]);
    let item = store.backlog_item(1).expect("item");
    assert_eq!(
        (item.status, item.status_reason.as_str()),
        (Status::Parked, "no budget this quarter")
    );
}

#[test]
fn deleting_asks_then_undo_brings_it_back() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    let id = state.backlog.selected_id().expect("item");
    act(&mut state, &mut store, &[Action::Delete]);
    let Mode::Confirm(confirm) = &state.mode else {
        panic!("no confirmation")
    };
    assert!(
        confirm.question.contains("evidence links"),
        "{}",
        confirm.question
    );
    act(&mut state, &mut store, &[Action::No]);
    assert!(state.backlog.ids.contains(&id));
    act(&mut state, &mut store, &[Action::Delete, Action::Yes]);
    assert!(!state.backlog.ids.contains(&id));
    act(&mut state, &mut store, &[Action::Undo]);
    assert!(state.backlog.ids.contains(&id));
    assert!(!store.evidence_for_item(id).expect("evidence").is_empty());
}

#[test]
fn undo_in_activity_undoes_the_selected_batch_and_again_redoes() {
    let (_dir, mut store) = empty();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::New]);
    type_text(&mut state, &mut store, "one");
    act(
        &mut state,
        &mut store,
        &[
            Action::Save,
            Action::Pane(Pane::Activity),
            Action::UndoSelected,
        ],
    );
    assert!(state.backlog.ids.is_empty());
    act(&mut state, &mut store, &[Action::Top, Action::UndoSelected]);
    assert_eq!(state.backlog.ids.len(), 1, "{}", state.status.text);
}

#[test]
fn filter_and_sort_change_the_list_and_its_title() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::StartFilter]);
    type_text(&mut state, &mut store, "status=testing");
    act(&mut state, &mut store, &[Action::Accept]);
    assert_eq!(state.backlog.ids.len(), 6);
    assert!(screen(&state).contains("Backlog (6 · filter: status=testing)"));
    act(&mut state, &mut store, &[Action::CycleSort]);
    assert!(screen(&state).contains("sort: newest"));
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Customers), Action::Pane(Pane::Backlog)],
    );
    assert_eq!(state.backlog.ids.len(), 6, "filters survive pane switches");
    act(&mut state, &mut store, &[Action::ClearFilter]);
    assert_eq!(state.backlog.ids.len(), 20);
    act(&mut state, &mut store, &[Action::StartFilter]);
    type_text(&mut state, &mut store, "colour=red");
    assert!(state.status.error && state.status.text.contains("no field “colour”"));
}

#[test]
fn scrolling_moves_the_window_not_just_the_cursor() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Activity), Action::Bottom],
    );
    let last = *state.activity.ids.last().expect("batches");
    assert_eq!(state.activity.selected_id(), Some(last));
    assert_eq!(state.activity.selected_row().map(|b| b.id), Some(last));
    assert!(state.activity.offset > 0);
    act(&mut state, &mut store, &[Action::PageUp, Action::Top]);
    assert_eq!((state.activity.selected, state.activity.offset), (0, 0));
    act(&mut state, &mut store, &[Action::ClickRow(3)]);
    assert_eq!(state.activity.selected, 3);
}

#[test]
fn the_palette_runs_what_it_finds() {
    let (_dir, mut store) = empty();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Palette]);
    type_text(&mut state, &mut store, "new back");
    act(&mut state, &mut store, &[Action::Accept]);
    assert!(matches!(state.mode, Mode::Form(_)));
}

#[test]
fn read_only_refuses_every_edit_key() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("w.db");
    {
        let mut rw = concierge::store::Store::open(
            &path,
            concierge::store::OpenMode::ReadWrite,
            "dana",
            support::clock(),
        )
        .expect("rw");
        concierge::demo::load(&mut rw).expect("demo");
    }
    let mut store = concierge::store::Store::open(
        &path,
        concierge::store::OpenMode::ReadOnly,
        "dana",
        support::clock(),
    )
    .expect("ro");
    let mut state = start(&mut store);
    for action in [
        Action::New,
        Action::Edit,
        Action::ChangeStatus,
        Action::Delete,
        Action::Undo,
    ] {
        act(&mut state, &mut store, std::slice::from_ref(&action));
        assert_eq!(state.status.text, "read-only workspace", "{action:?}");
        assert!(matches!(state.mode, Mode::Normal));
    }
    assert!(screen(&state).contains("read-only"));
}

#[test]
fn any_size_renders_without_panic_in_every_pane_and_mode() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    let modes: &[&[Action]] = &[
        &[],
        &[Action::Help],
        &[Action::Palette],
        &[Action::New],
        &[Action::ChangeStatus],
        &[Action::Delete],
        &[Action::StartFilter],
    ];
    for pane in Pane::ALL {
        for setup in modes {
            act(&mut state, &mut store, &[Action::Pane(pane)]);
            act(&mut state, &mut store, setup);
            for (w, h) in [
                (1, 1),
                (2, 2),
                (5, 3),
                (20, 5),
                (40, 10),
                (80, 24),
                (99, 23),
                (100, 24),
                (300, 100),
            ] {
                act(&mut state, &mut store, &[Action::Resize(w, h)]);
                let _ = screen(&state);
            }
            act(
                &mut state,
                &mut store,
                &[
                    Action::Cancel,
                    Action::Cancel,
                    Action::No,
                    Action::Resize(120, 40),
                ],
            );
            state.mode = Mode::Normal;
        }
    }
}

#[test]
fn no_color_draws_no_colour() {
    let (_dir, mut store) = demo();
    let state = start(&mut store);
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
    terminal
        .draw(|f| concierge::ui::render(&state, f))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    assert!(
        buffer
            .content
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
}
