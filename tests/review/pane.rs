//! The Review pane and its walkthrough, driven by actions.

use crate::support::{act, demo, key, screen, start, type_text};
use concierge::app::state::Mode;
use concierge::app::{Action, Pane};
use ratatui_textarea::Key;

#[test]
fn the_review_pane_shows_this_week_and_steps_weeks() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Pane(Pane::Review)]);
    let text = screen(&state);
    insta::assert_snapshot!("review_pane_w47", text);
    assert!(text.contains("Review · 2026-W47"));
    assert!(
        text.contains("⚠ C-6 Cordova & Sons: 8 days overdue"),
        "{text}"
    );
    act(&mut state, &mut store, &[Action::PrevWeek]);
    assert!(screen(&state).contains("Review · 2026-W46"));
    act(
        &mut state,
        &mut store,
        &[Action::NextWeek, Action::NextWeek],
    );
    assert!(screen(&state).contains("Review · 2026-W48"));
    act(
        &mut state,
        &mut store,
        &[Action::ThisWeek, Action::Down, Action::Down],
    );
    assert_eq!(state.review.scroll, 2);
    assert!(screen(&state).contains("Review · 2026-W47"));
}

#[test]
fn the_walkthrough_decides_skips_and_records_the_review() {
    let (dir, mut store) = demo();
    let mut state = start(&mut store);
    state.cwd = dir.path().to_path_buf();
    act(
        &mut state,
        &mut store,
        &[
            Action::Pane(Pane::Review),
            Action::PrevWeek,
            Action::StartWalkthrough,
        ],
    );
    insta::assert_snapshot!("review_walkthrough_first", screen(&state));
    let walk = state.review.walkthrough.clone().expect("walking");
    let first = walk.current().expect("an item").key();
    assert_eq!(first.to_string(), "H-8", "the stale test comes first");

    // d: choose invalidated; the move asks for learning and decision.
    act(
        &mut state,
        &mut store,
        &[Action::WalkDecide, Action::Down, Action::Accept],
    );
    assert!(matches!(state.mode, Mode::Form(_)), "{:?}", state.status);
    type_text(&mut state, &mut store, "We observed 6.5 h per spec book");
    act(
        &mut state,
        &mut store,
        &[
            Action::NextField,
            key(Key::Right),
            key(Key::Right),
            Action::Save,
        ],
    );
    assert_eq!(
        store.backlog_item(8).expect("H-8").status.as_str(),
        "invalidated"
    );
    let walk = state.review.walkthrough.clone().expect("still walking");
    assert_eq!(walk.index, 1, "a successful decision moves on");
    assert!(
        walk.done[0].starts_with("H-8 is now invalidated"),
        "{:?}",
        walk.done
    );

    // Cancelling an action notes nothing and stays put.
    act(
        &mut state,
        &mut store,
        &[Action::WalkBack, Action::WalkDecide, Action::Cancel],
    );
    assert_eq!(
        state
            .review
            .walkthrough
            .as_ref()
            .map(|w| (w.index, w.done.len())),
        Some((0, 1))
    );

    act(&mut state, &mut store, &[Action::WalkFinish]);
    type_text(&mut state, &mut store, "dana, miguel");
    act(&mut state, &mut store, &[Action::Save]);
    assert!(
        state
            .status
            .text
            .starts_with("recorded the 2026-W46 review R-1"),
        "{}",
        state.status.text
    );
    assert!(state.review.walkthrough.is_none());
    // It offers the stakeholder report next to the workspace.
    let Mode::Confirm(offer) = &state.mode else {
        panic!("no offer of the report: {:?}", state.mode)
    };
    assert!(
        offer.question.contains("-review-2026-W46.html"),
        "{}",
        offer.question
    );
    act(&mut state, &mut store, &[Action::Yes]);
    // Next to the workspace file; a server's goes to the working folder.
    let name = "submittals-mvp-review-2026-W46.html";
    let report = store
        .file()
        .map_or_else(|| dir.path().join(name), |file| file.with_file_name(name));
    let page = std::fs::read_to_string(&report).expect("the report was written");
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("2026-W46"));
    assert!(
        state.status.text.starts_with("wrote the 2026-W46 report"),
        "{}",
        state.status.text
    );
    let reviews = store.reviews().expect("reviews");
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].week, "2026-W46");
    assert!(
        reviews[0].notes.contains("H-8 is now invalidated"),
        "{}",
        reviews[0].notes
    );
    act(&mut state, &mut store, &[Action::NextWeek]);
    assert!(
        screen(&state).contains("Since the last review (R-1 2026-W46)"),
        "{}",
        screen(&state)
    );
}

#[test]
fn the_review_scrolls_to_its_end_and_stops_there() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Resize(80, 16)]);
    act(&mut state, &mut store, &[Action::Pane(Pane::Review)]);
    let _ = screen(&state);
    let end = state.review.max_scroll;
    assert!(end > 0, "the demo's week is longer than 16 rows");
    act(&mut state, &mut store, &[Action::Bottom]);
    assert_eq!(state.review.scroll, end, "G goes to the end");
    let last = screen(&state);
    act(&mut state, &mut store, &[Action::Down, Action::PageDown]);
    assert_eq!(state.review.scroll, end, "and stops there");
    assert_eq!(screen(&state), last);
    act(&mut state, &mut store, &[Action::Up]);
    assert_eq!(
        state.review.scroll,
        end - 1,
        "one key back up moves at once"
    );
    act(&mut state, &mut store, &[Action::Top]);
    assert_eq!(state.review.scroll, 0);
}

#[test]
fn only_the_steps_own_write_moves_the_walkthrough_on() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[
            Action::Pane(Pane::Review),
            Action::PrevWeek,
            Action::StartWalkthrough,
        ],
    );
    let at = |state: &concierge::app::state::State| {
        state
            .review
            .walkthrough
            .as_ref()
            .map(|w| (w.index, w.done.len()))
    };
    assert_eq!(at(&state), Some((0, 0)));
    // d, then Esc: the action is over without a write.
    act(
        &mut state,
        &mut store,
        &[Action::WalkDecide, Action::Cancel],
    );
    assert!(matches!(state.mode, Mode::Normal));
    // A write that is not the step's own (undo the newest batch) is made
    // from the Review pane: the walkthrough stays on its item.
    act(&mut state, &mut store, &[Action::Undo]);
    assert!(
        state.status.text.starts_with("undid batch"),
        "{}",
        state.status.text
    );
    assert_eq!(at(&state), Some((0, 0)), "an unrelated write is not a step");
    // The step's own decision still completes it.
    act(&mut state, &mut store, &[Action::WalkPark]);
    type_text(&mut state, &mut store, "waiting for the pilot");
    act(&mut state, &mut store, &[Action::Accept]);
    assert_eq!(at(&state), Some((1, 1)), "{}", state.status.text);
}
