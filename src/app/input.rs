//! Terminal events to actions: the keymap for bound keys, text input for
//! the rest when something is being typed, and the layout for the mouse.

use super::action::Action;
use super::action::Pane;
use super::keymap::{is_typed, lookup};
use super::state::{Mode, State};
use crate::domain::FieldType;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};

/// What `event` means in `state`, if anything.
pub fn action_for(state: &State, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if let Some(typed) = typed_into_cell(state, key) {
                return Some(typed);
            }
            let contexts = super::state::contexts(state);
            lookup(&state.keymap, &contexts, key).or_else(|| {
                let typing = matches!(
                    state.mode,
                    Mode::Filter
                        | Mode::Palette(_)
                        | Mode::Form(_)
                        | Mode::Prompt(_)
                        | Mode::Pick(_)
                        | Mode::Export(_)
                        | Mode::Cell(_)
                ) || matches!(&state.mode, Mode::Import(w) if w.step == crate::app::wizard::Step::File);
                typing.then(|| Action::Input((*key).into()))
            })
        }
        Event::Paste(text) => Some(Action::Paste(text.clone())),
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Event::Mouse(mouse) if matches!(state.mode, Mode::Normal) => match mouse.kind {
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            MouseEventKind::Down(MouseButton::Left) => {
                let title = super::layout::title(state, state.size.0).chars().count() as u16;
                crate::app::layout::click(
                    state.size.0,
                    state.size.1,
                    title,
                    state.pane,
                    mouse.column,
                    mouse.row,
                )
            }
            _ => None,
        },
        _ => None,
    }
}

/// On the Data grid in normal mode every character typed as text starts
/// editing the cell with it: typing is never a command there (grid
/// commands are chords and function keys). `Space` on a yes/no or choice
/// cell toggles it or opens its list instead, since no such value starts
/// with a space.
fn typed_into_cell(state: &State, key: &KeyEvent) -> Option<Action> {
    if state.pane != Pane::Data || !matches!(state.mode, Mode::Normal) || !is_typed(key) {
        return None;
    }
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    let picks = state
        .grid
        .selected_field()
        .is_some_and(|f| matches!(f.field_type, FieldType::Boolean | FieldType::Choice));
    Some(if c == ' ' && picks {
        Action::ToggleCell
    } else {
        Action::TypeInCell(c)
    })
}
