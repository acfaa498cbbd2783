//! `update(state, action, store)`: the only place an action changes the
//! state or writes to the store. Each write is one store call, so one
//! transaction and one batch.

use super::action::{Action, Pane};
use super::form::Form;
use super::palette::{self, PaletteState};
use super::state::{Confirm, ListPane, Mode, Pending, State};
use super::{
    answers, export, fields_editor, grid_edit, refresh, review_pane, save, wizard, workflows,
};
use crate::domain::{RecordKey, RecordKind};
use crate::store::{ListQuery, Store, StoreError};
use ratatui_textarea::{Input, Key};

/// Applies one action; then, while the Review pane shows, keeps its laid-
/// out text in step with what it shows (a comparison when nothing did).
pub fn update(state: &mut State, action: Action, store: &mut Store) {
    apply(state, action, store);
    review_pane::settle(state);
    if state.pane == Pane::Review {
        review_pane::lay_out(state);
    }
}

fn apply(state: &mut State, action: Action, store: &mut Store) {
    if action == Action::Idle {
        state.busy = false;
        if save::retry_waiting(state, store) {
            return;
        }
        refresh::if_changed_elsewhere(state, store);
        if state.pane == Pane::Data {
            match super::grid::summarize_one(&mut state.grid, store, state.size) {
                Ok(more) => state.busy = more,
                Err(err) => state.error(err.to_string()),
            }
        }
        return;
    }
    // Any action may leave deferred reads (a new filter, new columns).
    state.busy = true;
    if let Action::Resize(w, h) = action {
        state.size = (w, h);
        if let Mode::Form(form) = &mut state.mode {
            form.unscroll();
        }
        refresh::window(state, store);
        return;
    }
    match std::mem::take(&mut state.mode) {
        Mode::Normal => normal(state, action, store),
        Mode::Filter => filter(state, action, store),
        Mode::Help(scroll) => help_mode(state, scroll, &action),
        Mode::Chart(view) => super::chart::mode(state, view, &action, store),
        Mode::Palette(p) => palette_mode(state, p, action, store),
        Mode::Form(f) => form_mode(state, f, action, store),
        Mode::Confirm(c) => answers::confirm_mode(state, c, action, store),
        Mode::Choose(c) => answers::choose_mode(state, c, action, store),
        Mode::Prompt(p) => answers::prompt_mode(state, p, action, store),
        Mode::Pick(p) => workflows::pick_mode(state, p, action, store),
        Mode::Cell(edit) => grid_edit::cell_mode(state, edit, action, store),
        Mode::Fields(view) => fields_editor::mode(state, view, action, store),
        Mode::Import(w) => wizard::wizard_mode(state, w, action, store),
        Mode::Export(p) => export::export_mode(state, p, action, store),
    }
}

/// Keys while help shows: scroll it (a small terminal shows only part),
/// or close it.
fn help_mode(state: &mut State, scroll: u16, action: &Action) {
    // The popup's box may take the whole screen, less its own border.
    let shown = usize::from(state.size.1.saturating_sub(2)).max(1);
    let end = u16::try_from(state.help_lines().saturating_sub(shown)).unwrap_or(u16::MAX);
    let page = u16::try_from(shown).unwrap_or(1);
    let scroll = match action {
        Action::Cancel => return,
        Action::Down | Action::ScrollDown => scroll.saturating_add(1),
        Action::Up | Action::ScrollUp => scroll.saturating_sub(1),
        Action::PageDown => scroll.saturating_add(page),
        Action::PageUp => scroll.saturating_sub(page),
        _ => scroll,
    };
    state.mode = Mode::Help(scroll.min(end));
}

/// Cursor movement shared by every list pane.
trait Cursor {
    fn len(&self) -> usize;
    fn at(&self) -> usize;
    fn offset(&self) -> usize;
    fn go(&mut self, index: usize, height: usize);
    fn query(&mut self) -> &mut ListQuery;
}

impl<R> Cursor for ListPane<R> {
    fn len(&self) -> usize {
        self.ids.len()
    }
    fn at(&self) -> usize {
        self.selected
    }
    fn offset(&self) -> usize {
        self.offset
    }
    fn go(&mut self, index: usize, height: usize) {
        self.select(index, height);
    }
    fn query(&mut self) -> &mut ListQuery {
        &mut self.query
    }
}

fn list(state: &mut State) -> Option<&mut dyn Cursor> {
    match state.pane {
        Pane::Backlog => Some(&mut state.backlog),
        Pane::Customers => Some(&mut state.customers),
        Pane::CheckIns => Some(&mut state.checkins),
        Pane::Activity => Some(&mut state.activity),
        Pane::Data | Pane::Review => None,
    }
}

fn go_pane(state: &mut State, pane: Pane, store: &Store) {
    state.pane = pane;
    refresh::window(state, store);
}

fn normal(state: &mut State, action: Action, store: &mut Store) {
    if state.pane == Pane::Data && grid_edit::normal(state, &action, store) {
        return;
    }
    if let Err(refusal) = super::permit::normal(state, &action) {
        return state.error(refusal);
    }
    let height = state.list_height();
    let pane_index = state.pane.index();
    match action {
        Action::Quit => state.quit = true,
        Action::Pane(pane) => go_pane(state, pane, store),
        Action::NextPane => go_pane(state, Pane::ALL[(pane_index + 1) % 6], store),
        Action::PrevPane => go_pane(state, Pane::ALL[(pane_index + 5) % 6], store),
        Action::Help => state.mode = Mode::Help(0),
        Action::OpenChart => super::chart::open(state, store),
        Action::Palette => state.mode = Mode::Palette(PaletteState::default()),
        Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown
        | Action::ScrollUp
        | Action::ScrollDown
        | Action::ClickRow(_) => {
            if state.pane == Pane::Review {
                let page = u16::try_from(height).unwrap_or(u16::MAX);
                let end = state.review.max_scroll;
                let scroll = &mut state.review.scroll;
                *scroll = match action {
                    Action::Up | Action::ScrollUp => scroll.saturating_sub(1),
                    Action::Down | Action::ScrollDown => scroll.saturating_add(1),
                    Action::PageUp => scroll.saturating_sub(page),
                    Action::PageDown => scroll.saturating_add(page),
                    Action::Bottom => end,
                    _ => 0,
                }
                .min(end);
            } else if let Some(list) = list(state) {
                let (at, len) = (list.at(), list.len());
                let to = match action {
                    Action::Up => at.saturating_sub(1),
                    Action::Down => at + 1,
                    Action::Top => 0,
                    Action::Bottom => len.saturating_sub(1),
                    Action::PageUp => at.saturating_sub(height.saturating_sub(1).max(1)),
                    Action::PageDown => at + height.saturating_sub(1).max(1),
                    Action::ScrollUp => at.saturating_sub(3),
                    Action::ScrollDown => at + 3,
                    Action::ClickRow(row) => list.offset() + row,
                    _ => at,
                };
                list.go(to, height);
                refresh::window(state, store);
            }
        }
        Action::StartFilter if list(state).is_some() || state.pane == Pane::Data => {
            state.mode = Mode::Filter;
        }
        Action::OpenFields => fields_editor::open(state, store, None),
        Action::ClearFilter if state.pane == Pane::Data => {
            state.grid.query.filter.clear();
            apply_query(state, store);
        }
        Action::ClearFilter => {
            if let Some(list) = list(state) {
                list.query().filter.clear();
                apply_query(state, store);
            }
        }
        Action::CycleSort => {
            let sorts = state
                .current_query()
                .map(|_| crate::store::sorts_for(current_kind(state)));
            if let (Some(sorts), Some(list)) = (sorts, list(state)) {
                let q = list.query();
                q.sort = (q.sort + 1) % sorts.len().max(1);
                let name = sorts.get(q.sort).copied().unwrap_or_default();
                apply_query(state, store);
                state.info(format!("sorted by {name}"));
            }
        }
        Action::New => workflows::new_record(state, store),
        Action::Edit => workflows::edit(state, store),
        Action::ChangeStatus => workflows::change_status(state),
        Action::Delete => workflows::delete(state, store),
        Action::LinkEvidence => workflows::link_evidence(state, store),
        Action::LogCheckIn => workflows::log_checkin(state, store),
        Action::NewFollowUp => workflows::new_followup(state, store),
        Action::ToggleFollowUp => workflows::toggle_followup(state, store),
        Action::Import => wizard::open(state, store),
        Action::Export => export::open(state),
        Action::PrevWeek => review_pane::step_week(state, store, -1),
        Action::NextWeek => review_pane::step_week(state, store, 1),
        Action::ThisWeek => review_pane::step_week(state, store, 0),
        Action::StartWalkthrough => review_pane::start_walkthrough(state),
        Action::WalkNext => review_pane::walk(state, 1),
        Action::WalkBack => review_pane::walk(state, -1),
        Action::WalkDecide => review_pane::decide(state, store, false),
        Action::WalkPark => review_pane::decide(state, store, true),
        Action::WalkCheckIn => review_pane::schedule_checkin(state, store),
        Action::WalkDone => review_pane::followup_done(state, store),
        Action::WalkFinish => review_pane::finish(state),
        Action::WalkEnd => {
            state.review.walkthrough = None;
            state.info("left the walkthrough; w starts it again");
        }
        Action::Undo => {
            let result = store.undo_latest();
            let undo = state.undo_key();
            after_write(
                state,
                store,
                result.map(|(undone, batch)| {
                    format!(
                        "undid batch {undone} (as batch {batch}); {undo} again to go further back"
                    )
                }),
            );
        }
        Action::UndoSelected => {
            if let Some(batch) = state.activity.selected_row().map(|b| b.id) {
                let result = store.undo(batch);
                after_write(
                    state,
                    store,
                    result.map(|undo| format!("undid batch {batch} as batch {undo}")),
                );
            }
        }
        _ => {}
    }
}

fn current_kind(state: &State) -> crate::store::ListKind {
    match state.pane {
        Pane::Customers => state.customers.kind,
        Pane::CheckIns => state.checkins.kind,
        Pane::Activity => state.activity.kind,
        _ => state.backlog.kind,
    }
}

/// Re-runs the current list's query; a bad filter keeps the old rows and
/// says what is wrong.
fn apply_query(state: &mut State, store: &Store) {
    match refresh::current(state, store) {
        Ok(()) => state.status = super::state::StatusLine::default(),
        Err(err) => state.error(err.to_string()),
    }
}

fn filter(state: &mut State, action: Action, store: &mut Store) {
    let query = if state.pane == Pane::Data {
        &mut state.grid.query.filter
    } else {
        let Some(list) = list(state) else { return };
        &mut list.query().filter
    };
    let keep_open = !matches!(action, Action::Cancel);
    match action {
        Action::Accept => return,
        Action::Cancel
        | Action::Input(Input {
            key: Key::Char('u'),
            ctrl: true,
            ..
        }) => {
            query.clear();
        }
        Action::Input(Input {
            key: Key::Backspace,
            ..
        }) => {
            query.pop();
        }
        Action::Input(Input {
            key: Key::Char(c),
            ctrl: false,
            ..
        }) => query.push(c),
        Action::Paste(text) => query.push_str(&text.replace(['\n', '\r'], " ")),
        _ => {
            state.mode = Mode::Filter;
            return;
        }
    }
    apply_query(state, store);
    if keep_open {
        state.mode = Mode::Filter;
    }
}

fn palette_mode(state: &mut State, mut p: PaletteState, action: Action, store: &mut Store) {
    let found = palette::matches(&state.keymap, &state.normal_contexts(), &p.query);
    match action {
        Action::Cancel => return,
        // Enter before anything was typed or picked runs nothing (the
        // first line would be whatever sorts first, `quit` included).
        Action::Accept if p.query.trim().is_empty() && p.selected == 0 => {
            state.info("type a few letters of a command (or ↓ to pick one), then Enter");
        }
        Action::Accept => {
            if let Some(command) = found.get(p.selected) {
                normal(state, command.action.clone(), store);
            }
            return;
        }
        Action::Down => p.selected = (p.selected + 1).min(found.len().saturating_sub(1)),
        Action::Up => p.selected = p.selected.saturating_sub(1),
        other => {
            palette::edit_query(&mut p.query, &mut p.selected, &other);
        }
    }
    state.mode = Mode::Palette(p);
}

fn form_mode(state: &mut State, mut form: Box<Form>, action: Action, store: &mut Store) {
    match action {
        Action::Save => return save::save(state, form, store),
        Action::Cancel => {
            if form.is_changed() {
                state.suspended_form = Some(form);
                state.mode = Mode::Confirm(Confirm {
                    question: "Discard your changes to this form?".into(),
                    on_yes: Pending::DiscardForm,
                });
            } else {
                state.info("cancelled");
            }
            return;
        }
        Action::NextField => form.next(),
        Action::PrevField => form.prev(),
        Action::FormEnter => form.enter(),
        Action::Input(input) => form.input(input),
        Action::Paste(text) => form.paste(&text),
        _ => {}
    }
    state.mode = Mode::Form(form);
}

/// Moves the cursor of the pane that lists `key` onto it.
pub fn select(state: &mut State, store: &Store, key: RecordKey) {
    let height = state.list_height();
    let found = match key.kind {
        RecordKind::Backlog => {
            position(&state.backlog.ids, key.id).map(|i| state.backlog.select(i, height))
        }
        RecordKind::Customer => {
            position(&state.customers.ids, key.id).map(|i| state.customers.select(i, height))
        }
        RecordKind::CheckIn => {
            position(&state.checkins.ids, key.id).map(|i| state.checkins.select(i, height))
        }
        _ => None,
    };
    if found.is_some() {
        refresh::window(state, store);
    }
}

fn position(ids: &[i64], id: i64) -> Option<usize> {
    ids.iter().position(|x| *x == id)
}

/// Reports a write and re-reads every pane it may have touched.
pub(super) fn after_write(state: &mut State, store: &Store, result: Result<String, StoreError>) {
    reported(state, store, result, refresh::after_write);
}

/// [`after_write`] for one stored grid cell in column `col`: the grid
/// keeps its rows and order (a spreadsheet does not re-sort as you type).
pub(super) fn after_cell_write(
    state: &mut State,
    store: &Store,
    result: Result<String, StoreError>,
) {
    reported(state, store, result, refresh::after_cell);
}

fn reported(
    state: &mut State,
    store: &Store,
    result: Result<String, StoreError>,
    refresh: impl FnOnce(&mut State, &Store),
) {
    match result {
        Ok(text) => {
            state.status = super::state::StatusLine::default();
            refresh(state, store);
            review_pane::wrote(state, &text);
            if !state.status.error {
                state.info(text);
            }
        }
        Err(err) => state.error(err.to_string()),
    }
}
