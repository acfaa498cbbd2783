//! Messages people read (issue #14): a refused save lists every bad field
//! at once, counts agree with their number, an empty workspace's panes say
//! how to start, `:` then Enter runs nothing, and empty detail fields are
//! not drawn as stray punctuation.

use crate::support::{act, demo, empty, screen, start, type_text};
use concierge::app::state::Mode;
use concierge::app::{Action, Pane};
use concierge::domain::Customer;

#[test]
fn the_first_refused_save_lists_every_bad_field() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Customers), Action::New],
    );
    // Name left empty; contact_email (the seventh field) not an address.
    for _ in 0..6 {
        act(&mut state, &mut store, &[Action::NextField]);
    }
    type_text(&mut state, &mut store, "not-an-address");
    act(&mut state, &mut store, &[Action::Save]);
    assert!(state.status.error);
    assert!(
        state.status.text.starts_with("not saved: 2 fields to fix"),
        "{}",
        state.status.text
    );
    let Mode::Form(form) = &state.mode else {
        panic!("the form stays open: {:?}", state.mode)
    };
    assert_eq!(
        form.field("name").and_then(|f| f.error.as_deref()),
        Some("required")
    );
    assert!(
        form.field("contact_email")
            .and_then(|f| f.error.as_deref())
            .is_some(),
        "the email's message is shown at once too"
    );
    assert_eq!(form.focus, 0, "focus on the first bad field");
}

#[test]
fn an_empty_workspace_says_how_to_start() {
    let (_dir, mut store) = empty();
    let mut state = start(&mut store);
    for (pane, hint) in [
        (Pane::Backlog, "No backlog items yet: n adds the first"),
        (Pane::Customers, "No customers yet: n adds the first one"),
        (Pane::CheckIns, "No check-ins yet: n logs the first one"),
        (Pane::Activity, "No changes yet"),
    ] {
        act(&mut state, &mut store, &[Action::Pane(pane)]);
        let text = screen(&state);
        assert!(text.contains(hint), "{pane:?}:\n{text}");
        assert!(!text.contains("match"), "{pane:?}:\n{text}");
    }
}

#[test]
fn colon_then_enter_does_not_quit() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Palette, Action::Accept]);
    assert!(!state.quit, "nothing typed, nothing run");
    assert!(matches!(state.mode, Mode::Palette(_)), "{:?}", state.mode);
    type_text(&mut state, &mut store, "new");
    act(&mut state, &mut store, &[Action::Accept]);
    assert!(!state.quit);
    assert!(matches!(state.mode, Mode::Form(_)), "{:?}", state.mode);
}

#[test]
fn empty_detail_fields_and_counts_read_as_words() {
    let (_dir, mut store) = empty();
    let c = Customer {
        name: "Yew GC".into(),
        cadence_days: 1,
        ..Customer::default()
    };
    store.save_customer(&c).expect("save");
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Pane(Pane::Customers)]);
    let text = screen(&state);
    assert!(text.contains("contact: –"), "{text}");
    assert!(!text.contains("<>"), "{text}");
    assert!(text.contains("company: –"), "{text}");
    assert!(text.contains("(every 1 day)"), "{text}");
    assert!(text.contains("effort: no check-ins yet"), "{text}");
    assert!(text.contains("no owner"), "{text}");
}
