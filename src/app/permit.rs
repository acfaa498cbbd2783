//! Whether a key may write: not on a read-only workspace, and on a team
//! workspace only within the member's role (SPEC §7). The server enforces
//! roles itself; asking here first means a key the role cannot use says
//! why in the status line ("your role entry cannot decide H-4; a pm can")
//! and changes nothing. A file workspace has no roles (`State::role` is
//! `None`): whoever can write the file may do everything.

use super::action::{Action, Pane};
use super::state::State;
use crate::domain::{Act, RecordKey, RecordKind};

/// `Ok` when `act` may run; else the sentence to show.
pub fn check(state: &State, act: Act, what: impl FnOnce() -> String) -> Result<(), String> {
    if state.read_only {
        return Err("read-only workspace".into());
    }
    match state.role {
        Some(role) => role.may(act, &what()),
        None => Ok(()),
    }
}

/// A normal-mode key on the list and Review panes.
pub fn normal(state: &State, action: &Action) -> Result<(), String> {
    let Some((act, what)) = normal_needs(state, action) else {
        return Ok(());
    };
    check(state, act, || what)
}

fn selected(state: &State) -> String {
    let key = match state.pane {
        Pane::Backlog => state
            .backlog
            .selected_id()
            .map(|id| (RecordKind::Backlog, id)),
        Pane::Customers => state
            .customers
            .selected_id()
            .map(|id| (RecordKind::Customer, id)),
        Pane::CheckIns => state
            .checkins
            .selected_id()
            .map(|id| (RecordKind::CheckIn, id)),
        _ => None,
    };
    key.map_or_else(
        || "this record".into(),
        |(kind, id)| RecordKey::new(kind, id).to_string(),
    )
}

fn walk_item(state: &State) -> String {
    state
        .review
        .walkthrough
        .as_ref()
        .and_then(super::review_pane::Walkthrough::current)
        .map_or_else(|| "this item".into(), |item| item.key().to_string())
}

/// What a normal-mode key would write and the act it is.
fn normal_needs(state: &State, action: &Action) -> Option<(Act, String)> {
    let pane = state.pane;
    Some(match (action, pane) {
        (Action::New, Pane::Backlog) => (Act::Manage, "create backlog items".into()),
        (Action::New, Pane::Customers) => (Act::Manage, "create customers".into()),
        (Action::New, Pane::CheckIns) | (Action::LogCheckIn, _) => {
            (Act::Enter, "log check-ins".into())
        }
        (Action::Edit, Pane::Backlog | Pane::Customers) => {
            (Act::Manage, format!("edit {}", selected(state)))
        }
        (Action::Edit, Pane::CheckIns) => (Act::Enter, format!("edit {}", selected(state))),
        (Action::ChangeStatus, Pane::Backlog) => {
            (Act::Manage, format!("move {}'s status", selected(state)))
        }
        (Action::ChangeStatus, Pane::Customers) => {
            (Act::Manage, format!("move {}'s stage", selected(state)))
        }
        (Action::Delete, Pane::Backlog | Pane::Customers | Pane::CheckIns) => {
            (Act::Administer, format!("delete {}", selected(state)))
        }
        (Action::Undo, _) => (Act::Enter, "undo".into()),
        (Action::UndoSelected, _) => match state.activity.selected_row() {
            Some(b) if b.actor != state.actor => (
                Act::Administer,
                format!("undo batch {} by {}", b.id, b.actor),
            ),
            _ => (Act::Enter, "undo".into()),
        },
        (Action::LinkEvidence, _) => (Act::Manage, "link evidence".into()),
        (Action::NewFollowUp, _) => (Act::Enter, "add follow-ups".into()),
        (Action::ToggleFollowUp | Action::WalkDone, _) => {
            (Act::Enter, "mark follow-ups done".into())
        }
        (Action::Import, _) => (Act::Enter, "import".into()),
        (Action::WalkDecide, _) => (Act::Decide, format!("decide {}", walk_item(state))),
        (Action::WalkPark, _) => (Act::Manage, format!("park {}", walk_item(state))),
        (Action::WalkCheckIn, _) => (Act::Enter, "log check-ins".into()),
        (Action::WalkFinish, _) => (Act::Manage, "record the review".into()),
        _ => return None,
    })
}

/// A key on the Data grid that would write.
pub fn grid(state: &State, action: &Action) -> Result<(), String> {
    let what = match action {
        Action::EditCell
        | Action::TypeInCell(_)
        | Action::ClearCell
        | Action::FillDown
        | Action::ToggleCell
        | Action::EnterWeek => "enter live data",
        Action::New => "add rows",
        Action::Delete => return check(state, Act::Administer, || "delete rows".into()),
        _ => return Ok(()),
    };
    check(state, Act::Enter, || what.into())
}

/// A key in the field editor that would write.
pub fn fields(state: &State, action: &Action) -> Result<(), String> {
    match action {
        Action::New
        | Action::Edit
        | Action::Delete
        | Action::MoveFieldUp
        | Action::MoveFieldDown
        | Action::ArchiveField => check(state, Act::Administer, || {
            "change the sheet's fields".into()
        }),
        _ => Ok(()),
    }
}
