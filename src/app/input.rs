//! Terminal events to actions: the keymap for bound keys, text input for
//! the rest when something is being typed, and the layout for the mouse.

use super::action::Action;
use super::keymap::lookup;
use super::state::{Mode, State};
use crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};

/// What `event` means in `state`, if anything.
pub fn action_for(state: &State, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            let contexts = crate::ui::contexts(state);
            lookup(&state.keymap, &contexts, key).or_else(|| {
                let typing = matches!(
                    state.mode,
                    Mode::Filter
                        | Mode::Palette(_)
                        | Mode::Form(_)
                        | Mode::Prompt(_)
                        | Mode::Pick(_)
                        | Mode::Export(_)
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
                let title = crate::ui::title(state, state.size.0).chars().count() as u16;
                crate::ui::layout::click(
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
