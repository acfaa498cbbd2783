//! `update(state, action, store)`: the only place an action changes the
//! state or writes to the store. Each write is one store call, so one
//! transaction and one batch.

use super::action::{Action, Pane};
use super::form::Form;
use super::forms::{self, Suggestions};
use super::palette::{self, PaletteState};
use super::state::{Choose, Confirm, ListPane, Mode, Pending, Prompt, State};
use super::{export, refresh, review_pane, save, wizard, workflows};
use crate::domain::backlog::requirements;
use crate::domain::{RecordKey, RecordKind, Stage, Status};
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
        Mode::Pick(p) => workflows::pick_mode(state, p, action, store),
        Mode::Import(w) => wizard::wizard_mode(state, w, action, store),
        Mode::Export(p) => export::export_mode(state, p, action, store),
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
            if state.pane == Pane::Review {
                let page = u16::try_from(height).unwrap_or(u16::MAX);
                let scroll = &mut state.review.scroll;
                *scroll = match action {
                    Action::Up | Action::ScrollUp => scroll.saturating_sub(1),
                    Action::Down | Action::ScrollDown => scroll.saturating_add(1),
                    Action::PageUp => scroll.saturating_sub(page),
                    Action::PageDown => scroll.saturating_add(page),
                    _ => 0,
                };
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
        | Action::LinkEvidence
        | Action::LogCheckIn
        | Action::NewFollowUp
        | Action::ToggleFollowUp
        | Action::Import
        | Action::WalkDecide
        | Action::WalkPark
        | Action::WalkCheckIn
        | Action::WalkDone
        | Action::WalkFinish
            if state.read_only =>
        {
            state.error("read-only workspace");
        }
        Action::New => workflows::new_record(state, store),
        Action::Edit => workflows::edit(state, store),
        Action::ChangeStatus => workflows::change_status(state),
        Action::Delete => workflows::delete(state),
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
    let found = palette::matches(&state.keymap, &state.normal_contexts(), &p.query);
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

fn choose_mode(state: &mut State, mut c: Choose, action: Action, store: &mut Store) {
    match action {
        Action::Cancel => {
            if c.then == Pending::Conflict
                && let Some(form) = state.suspended_form.take()
            {
                state.mode = Mode::Form(form);
            }
            return;
        }
        Action::Down => c.selected = (c.selected + 1).min(c.options.len().saturating_sub(1)),
        Action::Up => c.selected = c.selected.saturating_sub(1),
        Action::Accept => return chosen(state, &c, store),
        _ => {}
    }
    state.mode = Mode::Choose(c);
}

fn chosen(state: &mut State, c: &Choose, store: &mut Store) {
    let Some((choice, _)) = c.options.get(c.selected) else {
        return;
    };
    match c.then {
        Pending::BacklogStatus { id, rev } => {
            let to = Status::parse(choice).unwrap_or(Status::Backlog);
            let item = match store.backlog_item(id) {
                Ok(item) => item,
                Err(err) => return state.error(err.to_string()),
            };
            let needs = requirements(item.status, to);
            let missing: Vec<&str> = needs
                .iter()
                .copied()
                .filter(|n| match *n {
                    "test" => item.test.trim().is_empty(),
                    "criterion" => item.criterion.trim().is_empty(),
                    "learning" => item.learning.trim().is_empty(),
                    "decision" => item.decision.is_none(),
                    _ => false,
                })
                .collect();
            if needs.contains(&"reason") {
                state.mode = Mode::Prompt(Box::new(Prompt {
                    title: format!("Why move H-{id} to {to}?"),
                    input: super::form::editor(""),
                    then: Pending::BacklogStatusReason { id, rev, to },
                }));
            } else if missing.is_empty() {
                set_status(state, store, id, rev, to, "");
            } else {
                // Ask for exactly the fields the move needs; saving them
                // and the move is one batch.
                let form =
                    forms::backlog::move_form(&item, to, &missing, &Suggestions::read(store));
                state.mode = Mode::Form(Box::new(form));
            }
        }
        Pending::CustomerStage { id, rev } => {
            let to = Stage::parse(choice).unwrap_or(Stage::Prospect);
            let needs_date = to == Stage::Active
                && store
                    .customer(id)
                    .is_ok_and(|c| c.agreement_signed_on.is_none());
            if needs_date {
                state.mode = Mode::Prompt(Box::new(Prompt {
                    title: format!(
                        "C-{id} → active needs the agreement date (today, -3d, 2026-11-20)"
                    ),
                    input: super::form::editor("today"),
                    then: Pending::CustomerAgreement { id, rev },
                }));
            } else {
                let result = store.set_customer_stage(id, rev, to, None);
                after_write(
                    state,
                    store,
                    result.map(|b| format!("C-{id} is now {to} (batch {})", b.unwrap_or_default())),
                );
            }
        }
        Pending::ToggleFollowUp => {
            if let Some((id, rev)) = c.ids.get(c.selected).copied() {
                let result = store.toggle_followup(id, rev);
                after_write(
                    state,
                    store,
                    result.map(|(done, b)| {
                        let what = if done { "done" } else { "open again" };
                        format!("F-{id} {what} (batch {})", b.unwrap_or_default())
                    }),
                );
            }
        }
        Pending::Conflict => {
            let Some(mut form) = state.suspended_form.take() else {
                return;
            };
            match choice.as_str() {
                "overwrite" => {
                    let rev = c.ids.first().map_or(0, |(rev, _)| *rev);
                    save::rebase(&mut form, rev);
                    save::save(state, form, store);
                }
                "reload" => {
                    refresh::all(state, store);
                    state.info("reloaded: your edits were dropped");
                }
                _ => state.mode = Mode::Form(form),
            }
        }
        _ => {}
    }
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
            match p.then {
                Pending::BacklogStatusReason { id, rev, to } => {
                    set_status(state, store, id, rev, to, &text);
                }
                Pending::CustomerAgreement { id, rev } => {
                    match crate::domain::dates::parse_date_input(&text, state.today) {
                        Some(day) => {
                            let result =
                                store.set_customer_stage(id, rev, Stage::Active, Some(day));
                            after_write(
                                state,
                                store,
                                result.map(|b| {
                                    format!(
                                        "C-{id} is now active, agreement signed {day} (batch {})",
                                        b.unwrap_or_default()
                                    )
                                }),
                            );
                        }
                        None => state.error(format!(
                            "“{text}” is not a date: try today, -3d, 2026-11-20"
                        )),
                    }
                }
                _ => {}
            }
            if state.status.error {
                // Keep what was typed: the prompt stays open.
                state.mode = Mode::Prompt(p);
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

/// Reports a delete (with the batch that undo reverts).
fn deleted(
    state: &mut State,
    store: &Store,
    key: RecordKey,
    result: Result<Option<i64>, StoreError>,
) {
    let text = result.map(|b| format!("deleted {key} (batch {}); u undoes", b.unwrap_or_default()));
    after_write(state, store, text);
}

fn confirm_mode(state: &mut State, c: Confirm, action: Action, store: &mut Store) {
    match action {
        Action::Yes => match c.on_yes {
            Pending::DeleteBacklog { id, rev } => {
                let result = store.delete_backlog(id, rev);
                deleted(
                    state,
                    store,
                    RecordKey::new(RecordKind::Backlog, id),
                    result,
                );
            }
            Pending::DeleteCustomer { id, rev } => {
                let result = store.delete_customer(id, rev);
                deleted(
                    state,
                    store,
                    RecordKey::new(RecordKind::Customer, id),
                    result,
                );
            }
            Pending::DeleteCheckIn { id, rev } => {
                let result = store.delete_checkin(id, rev);
                deleted(
                    state,
                    store,
                    RecordKey::new(RecordKind::CheckIn, id),
                    result,
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
pub(super) fn after_write(state: &mut State, store: &Store, result: Result<String, StoreError>) {
    match result {
        Ok(text) => {
            state.status = super::state::StatusLine::default();
            refresh::all(state, store);
            review_pane::wrote(state, &text);
            if !state.status.error {
                state.info(text);
            }
        }
        Err(err) => state.error(err.to_string()),
    }
}
