//! A member's role on a team workspace, as the keys see it (SPEC §7): a
//! key the role may not use says why and changes nothing. The app asks
//! `State::role`, so a demo file stands in for the server here; the
//! server's own refusals are tested in `team.rs` and by
//! `scripts/pg-roles-check.sh`.

use crate::support::{act, demo, start, type_text};
use concierge::app::state::Mode;
use concierge::app::{Action, Pane};
use concierge::domain::Role;

fn refused(state: &concierge::app::State, sentence: &str) {
    assert!(state.status.error, "not an error: {}", state.status.text);
    assert_eq!(state.status.text, sentence);
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.mode);
}

#[test]
fn an_entry_login_enters_data_and_check_ins_but_cannot_manage_or_decide() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    state.role = Some(Role::Entry);
    let items = state.backlog.ids.len();

    act(&mut state, &mut store, &[Action::New]);
    refused(
        &state,
        "your role entry cannot create backlog items; a pm can",
    );
    let key = format!("H-{}", state.backlog.selected_id().expect("an item"));
    act(&mut state, &mut store, &[Action::ChangeStatus]);
    refused(
        &state,
        &format!("your role entry cannot move {key}'s status; a pm can"),
    );
    act(&mut state, &mut store, &[Action::Delete]);
    refused(
        &state,
        &format!("your role entry cannot delete {key}; an admin can"),
    );
    assert_eq!(state.backlog.ids.len(), items, "nothing changed");

    // The walkthrough's decision is the approval step.
    act(
        &mut state,
        &mut store,
        &[
            Action::Pane(Pane::Review),
            Action::PrevWeek,
            Action::StartWalkthrough,
        ],
    );
    act(&mut state, &mut store, &[Action::WalkDecide]);
    refused(&state, "your role entry cannot decide H-8; a pm can");

    // What an entry login is for still works.
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Customers), Action::LogCheckIn],
    );
    assert!(matches!(state.mode, Mode::Form(_)), "{}", state.status.text);
    act(&mut state, &mut store, &[Action::Cancel]);
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Data), Action::TypeInCell('4')],
    );
    assert!(matches!(state.mode, Mode::Cell(_)), "{}", state.status.text);
}

#[test]
fn a_pm_decides_but_cannot_delete_or_change_fields_and_a_viewer_only_reads() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    state.role = Some(Role::Pm);
    act(
        &mut state,
        &mut store,
        &[
            Action::Pane(Pane::Review),
            Action::PrevWeek,
            Action::StartWalkthrough,
        ],
    );
    act(&mut state, &mut store, &[Action::WalkDecide]);
    assert!(
        matches!(state.mode, Mode::Choose(_)),
        "{}",
        state.status.text
    );
    act(
        &mut state,
        &mut store,
        &[Action::Cancel, Action::Pane(Pane::Data)],
    );
    act(&mut state, &mut store, &[Action::OpenFields, Action::New]);
    assert_eq!(
        state.status.text,
        "your role pm cannot change the sheet's fields; an admin can"
    );

    state.role = Some(Role::Viewer);
    act(
        &mut state,
        &mut store,
        &[Action::Cancel, Action::TypeInCell('4')],
    );
    refused(
        &state,
        "your role viewer cannot enter live data; an entry can",
    );
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::CheckIns), Action::New],
    );
    refused(
        &state,
        "your role viewer cannot log check-ins; an entry can",
    );
    // Reading is never refused.
    type_text(&mut state, &mut store, "");
    act(&mut state, &mut store, &[Action::Down, Action::StartFilter]);
    assert!(matches!(state.mode, Mode::Filter), "{}", state.status.text);
}
