//! Terminal events to actions: the keymap for bound keys, text input for
//! the rest when something is being typed, and the layout for the mouse.

use super::action::Action;
use super::action::Pane;
use super::keymap::lookup;
use super::state::{Mode, State};
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

/// What `event` means in `state`, if anything.
pub fn action_for(state: &State, event: &Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if let Some(c) = typed_into_cell(state, key) {
                return Some(Action::TypeInCell(c));
            }
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

/// On the Data grid, a number typed in normal mode starts editing the
/// cell (so `1`–`6` type, and Alt-1…6 switch panes there); any other
/// character not bound to a command does too.
fn typed_into_cell(state: &State, key: &KeyEvent) -> Option<char> {
    if state.pane != Pane::Data || !matches!(state.mode, Mode::Normal) {
        return None;
    }
    let KeyCode::Char(c) = key.code else {
        return None;
    };
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    let numeric = c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | ',');
    let bound = lookup(&state.keymap, &state.normal_contexts(), key).is_some();
    (numeric || !bound).then_some(c)
}
