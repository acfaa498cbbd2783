//! The application: state, actions, the keymap and `update`. Input comes
//! in as [`Action`]s; the terminal loop lives in `tui`.

pub mod action;
mod answers;
pub mod chart;
pub mod export;
pub mod fields_editor;
pub mod form;
pub mod forms;
pub mod grid;
pub mod grid_edit;
pub mod grid_entry;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod palette;
mod permit;
pub mod refresh;
pub mod review_pane;
pub mod review_text;
mod save;
pub mod state;
pub mod update;
pub mod wizard;
mod workflows;

pub use action::{Action, Pane};
pub use state::State;
pub use update::update;

use crate::store::Store;

/// A ready state for `store`: every list read, the first pane selected.
pub fn start(store: &Store) -> State {
    let mut state = State::new(
        store.place(),
        store.actor().to_string(),
        store.is_read_only(),
        store.clock().today(),
    );
    state.role = store.role();
    state.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    state.cwd = std::env::current_dir().unwrap_or_default();
    state.seen_version = store.others_version().unwrap_or_default();
    refresh::all(&mut state, store);
    if state.read_only {
        state.info("read-only workspace: browsing only, nothing can be changed");
    }
    state
}
