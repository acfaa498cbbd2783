//! `update(state, action, store)`: the only place an action changes the
//! state or writes to the store. Each write is one store call, so one
//! transaction and one batch.

use super::action::{Action, Pane};
use super::backlog_form;
use super::form::{Form, FormTarget};
use super::palette::{self, PaletteState};
use super::refresh;
use super::state::{Choose, Confirm, ListPane, Mode, Pending, Prompt, State};
use crate::domain::backlog::requirements;
use crate::domain::{BacklogItem, RecordKey, RecordKind, Status};
use crate::store::{ListQuery, Store, StoreError};
use ratatui_textarea::{Input, Key};

/// Applies one action.
pub fn update(state: &mut State, action: Action, store: &mut Store) {
    if let Action::Resize(w, h) = action {
        state.size = (w, h);
        refresh::window(state, store);
        return;
    }
    match std::mem::take(&mut state.mode) {
        Mode::Normal => normal(state, action, store),
        Mode::Filter => filter(state, action, store),
        Mode::Help => {
            if !matches!(action, Action::Cancel) {
                state.mode = Mode::Help;
            }
        }
        Mode::Palette(p) => palette_mode(state, p, action, store),
        Mode::Form(f) => form_mode(state, f, action, store),
        Mode::Confirm(c) => confirm_mode(state, c, action, store),
        Mode::Choose(c) => choose_mode(state, c, action, store),
        Mode::Prompt(p) => prompt_mode(state, p, action, store),
    }
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
    let height = state.list_height();
    let pane_index = state.pane.index();
    match action {
        Action::Quit => state.quit = true,
        Action::Pane(pane) => go_pane(state, pane, store),
        Action::NextPane => go_pane(state, Pane::ALL[(pane_index + 1) % 6], store),
        Action::PrevPane => go_pane(state, Pane::ALL[(pane_index + 5) % 6], store),
        Action::Help => state.mode = Mode::Help,
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
            if let Some(list) = list(state) {
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
        Action::StartFilter if list(state).is_some() => state.mode = Mode::Filter,
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
        Action::New
        | Action::Edit
        | Action::ChangeStatus
        | Action::Delete
        | Action::Undo
        | Action::UndoSelected
            if state.read_only =>
        {
            state.error("read-only workspace");
        }
        Action::New => open_form(state, &BacklogItem::default()),
        Action::Edit => {
            if let Some(row) = state.backlog.selected_row() {
                let item = row.item.clone();
                open_form(state, &item);
            }
        }
        Action::ChangeStatus => start_status_change(state),
        Action::Delete => {
            if let Some(row) = state.backlog.selected_row() {
                let key = RecordKey::new(RecordKind::Backlog, row.item.id);
                let links = match row.evidence_count {
                    0 => String::new(),
                    n => format!(" and its {n} evidence links"),
                };
                state.mode = Mode::Confirm(Confirm {
                    question: format!(
                        "Delete {key} “{}”{links}? (undo brings it back)",
                        row.item.statement
                    ),
                    on_yes: Pending::DeleteBacklog {
                        id: row.item.id,
                        rev: row.item.meta.rev,
                    },
                });
            }
        }
        Action::Undo => {
            let result = store.undo_latest();
            after_write(
                state,
                store,
                result.map(|(undone, batch)| {
                    format!("undid batch {undone} (as batch {batch}); u again to go further back")
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
    let Some(list) = list(state) else { return };
    let query = list.query();
    let keep_open = !matches!(action, Action::Cancel);
    match action {
        Action::Accept => return,
        Action::Cancel
        | Action::Input(Input {
            key: Key::Char('u'),
            ctrl: true,
            ..
        }) => {
            query.filter.clear();
        }
        Action::Input(Input {
            key: Key::Backspace,
            ..
        }) => {
            query.filter.pop();
        }
        Action::Input(Input {
            key: Key::Char(c),
            ctrl: false,
            ..
        }) => query.filter.push(c),
        Action::Paste(text) => query.filter.push_str(&text.replace(['\n', '\r'], " ")),
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
    let found = palette::matches(&state.keymap, state.pane, &p.query);
    match action {
        Action::Cancel => return,
        Action::Accept => {
            if let Some(command) = found.get(p.selected) {
                normal(state, command.action.clone(), store);
            }
            return;
        }
        Action::Down => p.selected = (p.selected + 1).min(found.len().saturating_sub(1)),
        Action::Up => p.selected = p.selected.saturating_sub(1),
        Action::Input(Input {
            key: Key::Backspace,
            ..
        }) => {
            p.query.pop();
            p.selected = 0;
        }
        Action::Input(Input {
            key: Key::Char(c),
            ctrl: false,
            ..
        }) => {
            p.query.push(c);
            p.selected = 0;
        }
        _ => {}
    }
    state.mode = Mode::Palette(p);
}

fn open_form(state: &mut State, item: &BacklogItem) {
    let mut item = item.clone();
    if item.id == 0 && item.owner.is_empty() {
        item.owner.clone_from(&state.actor);
    }
    state.mode = Mode::Form(Box::new(backlog_form::form(&item)));
}

fn form_mode(state: &mut State, mut form: Box<Form>, action: Action, store: &mut Store) {
    match action {
        Action::Save => return save_form(state, form, store),
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

fn save_form(state: &mut State, mut form: Box<Form>, store: &mut Store) {
    let base = match form.target {
        FormTarget::NewBacklog => Ok(BacklogItem::default()),
        FormTarget::EditBacklog { id, rev } => store.backlog_item(id).map(|mut item| {
            // Keep the rev the form was opened with, so someone else's save
            // in between is a conflict rather than silently overwritten.
            item.meta.rev = rev;
            item
        }),
    };
    let result = base.and_then(|base| {
        backlog_form::item(&form, &base)
            .map_err(StoreError::Invalid)
            .and_then(|item| store.save_backlog(&item))
    });
    match result {
        Ok((id, batch)) => {
            let key = RecordKey::new(RecordKind::Backlog, id);
            let text = match batch {
                Some(batch) => format!("saved {key} (batch {batch})"),
                None => format!("{key} unchanged"),
            };
            after_write(state, store, Ok(text));
            select_backlog(state, store, id);
        }
        Err(StoreError::Invalid(errors)) => {
            form.show_errors(&errors);
            let n = errors.0.len();
            state.error(format!(
                "not saved: {n} field{} to fix ({})",
                if n == 1 { "" } else { "s" },
                errors
            ));
            state.mode = Mode::Form(form);
        }
        Err(err) => {
            // Nothing typed is lost: the form stays open with its text.
            state.error(format!("not saved: {err}"));
            state.mode = Mode::Form(form);
        }
    }
}

fn select_backlog(state: &mut State, store: &Store, id: i64) {
    if let Some(index) = state.backlog.ids.iter().position(|x| *x == id) {
        let height = state.list_height();
        state.backlog.select(index, height);
        refresh::window(state, store);
    }
}

fn start_status_change(state: &mut State) {
    let Some(row) = state.backlog.selected_row() else {
        return;
    };
    let item = &row.item;
    let options = item
        .status
        .next_statuses()
        .iter()
        .map(|to| {
            let needs = requirements(item.status, *to);
            let note = if needs.is_empty() {
                String::new()
            } else {
                format!("needs {}", needs.join(", "))
            };
            (to.as_str().to_string(), note)
        })
        .collect();
    state.mode = Mode::Choose(Choose {
        title: format!("Move H-{} from {} to…", item.id, item.status),
        options,
        selected: 0,
        then: Pending::BacklogStatus {
            id: item.id,
            rev: item.meta.rev,
        },
    });
}

fn choose_mode(state: &mut State, mut c: Choose, action: Action, store: &mut Store) {
    match action {
        Action::Cancel => return,
        Action::Down => c.selected = (c.selected + 1).min(c.options.len().saturating_sub(1)),
        Action::Up => c.selected = c.selected.saturating_sub(1),
        Action::Accept => {
            let Some((choice, _)) = c.options.get(c.selected) else {
                return;
            };
            if let Pending::BacklogStatus { id, rev } = c.then {
                let to = Status::parse(choice).unwrap_or(Status::Backlog);
                let from = state
                    .backlog
                    .selected_row()
                    .map_or(Status::Backlog, |r| r.item.status);
                if requirements(from, to).contains(&"reason") {
                    state.mode = Mode::Prompt(Box::new(Prompt {
                        title: format!("Why move H-{id} to {to}?"),
                        input: super::form::editor(""),
                        then: Pending::BacklogStatusReason { id, rev, to },
                    }));
                } else {
                    set_status(state, store, id, rev, to, "");
                }
            }
            return;
        }
        _ => {}
    }
    state.mode = Mode::Choose(c);
}

fn set_status(state: &mut State, store: &mut Store, id: i64, rev: i64, to: Status, reason: &str) {
    let result = store.set_backlog_status(id, rev, to, reason);
    after_write(
        state,
        store,
        result.map(|batch| format!("H-{id} is now {to} (batch {})", batch.unwrap_or_default())),
    );
}

fn prompt_mode(state: &mut State, mut p: Box<Prompt>, action: Action, store: &mut Store) {
    match action {
        Action::Cancel => return,
        Action::Accept => {
            let text = p.input.lines().join(" ");
            if let Pending::BacklogStatusReason { id, rev, to } = p.then {
                set_status(state, store, id, rev, to, &text);
                if state.status.error {
                    // Keep what was typed: the prompt stays open.
                    state.mode = Mode::Prompt(p);
                }
            }
            return;
        }
        Action::Input(input) if !matches!(input.key, Key::Enter) => {
            p.input.input(input);
        }
        Action::Paste(text) => {
            p.input.insert_str(text.replace(['\n', '\r'], " "));
        }
        _ => {}
    }
    state.mode = Mode::Prompt(p);
}

fn confirm_mode(state: &mut State, c: Confirm, action: Action, store: &mut Store) {
    match action {
        Action::Yes => match c.on_yes {
            Pending::DeleteBacklog { id, rev } => {
                let result = store.delete_backlog(id, rev);
                after_write(
                    state,
                    store,
                    result.map(|b| {
                        format!("deleted H-{id} (batch {}); u undoes", b.unwrap_or_default())
                    }),
                );
            }
            Pending::DiscardForm => {
                state.suspended_form = None;
                state.info("changes discarded");
            }
            _ => {}
        },
        Action::No => {
            if let Some(form) = state.suspended_form.take() {
                state.mode = Mode::Form(form);
            }
        }
        _ => state.mode = Mode::Confirm(c),
    }
}

/// Reports a write and re-reads every pane it may have touched.
fn after_write(state: &mut State, store: &Store, result: Result<String, StoreError>) {
    match result {
        Ok(text) => {
            state.status = super::state::StatusLine::default();
            refresh::all(state, store);
            if !state.status.error {
                state.info(text);
            }
        }
        Err(err) => state.error(err.to_string()),
    }
}
