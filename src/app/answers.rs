//! Answers to what the app asked: a choice from a list, a typed line
//! (a reason, a date), a yes/no confirmation. Each answer is one write.

use super::action::Action;
use super::forms::{self, Suggestions};
use super::state::{Choose, Confirm, Mode, Pending, Prompt, State};
use super::update::after_write;
use super::{fields_editor, grid_edit, refresh, save};
use crate::domain::backlog::{missing_fields, requirements};
use crate::domain::{Act, RecordKey, RecordKind, Stage, Status};
use crate::store::{Store, StoreError};
use ratatui_textarea::Key;

pub fn choose_mode(state: &mut State, mut c: Choose, action: Action, store: &mut Store) {
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
            if to.is_decided()
                && let Err(refusal) =
                    super::permit::check(state, Act::Decide, || format!("decide H-{id}"))
            {
                return state.error(refusal);
            }
            let needs = requirements(item.status, to);
            let missing = missing_fields(&item, item.status, to);
            if needs.contains(&"reason") {
                state.mode = Mode::Prompt(Box::new(Prompt {
                    title: format!("Why move H-{id} to {to}?"),
                    hint: super::state::PROMPT_KEYS.into(),
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
        Pending::GridChoice { entry, rev, field } => {
            grid_edit::chose(state, store, choice, entry, rev, field);
        }
        Pending::CustomerStage { id, rev } => {
            let to = Stage::parse(choice).unwrap_or(Stage::Prospect);
            let needs_date = to == Stage::Active
                && store
                    .customer(id)
                    .is_ok_and(|c| c.agreement_signed_on.is_none());
            if needs_date {
                state.mode = Mode::Prompt(Box::new(Prompt {
                    title: format!("C-{id} → active needs the agreement date"),
                    hint: "today, -3d, 2026-11-20 · Enter confirm · Esc cancel".into(),
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

pub fn prompt_mode(state: &mut State, mut p: Box<Prompt>, action: Action, store: &mut Store) {
    match action {
        Action::Cancel => return,
        Action::Accept => {
            let text = p.input.lines().join(" ");
            match p.then {
                Pending::BacklogStatusReason { id, rev, to } => {
                    set_status(state, store, id, rev, to, &text);
                }
                Pending::GridRowDate { customer } => {
                    grid_edit::add_row(state, store, customer, &text);
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
    let undo = state.undo_key();
    let text = result.map(|b| {
        format!(
            "deleted {key} (batch {}); {undo} undoes",
            b.unwrap_or_default()
        )
    });
    after_write(state, store, text);
}

pub fn confirm_mode(state: &mut State, c: Confirm, action: Action, store: &mut Store) {
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
            Pending::DeleteEntry { id, rev } => {
                let result = store.delete_grid_row(id, rev);
                deleted(state, store, RecordKey::new(RecordKind::Entry, id), result);
            }
            Pending::DeleteField { id, rev } => fields_editor::delete(state, store, id, rev),
            Pending::WriteReport { week, path } => {
                super::save::write_report(state, store, &week, &path);
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
