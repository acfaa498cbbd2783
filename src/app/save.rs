//! Saving a form: build the record from its fields, validate, write it as
//! one batch. A refused save keeps the form open with every message under
//! its field; a conflict (someone else saved since the form opened) shows
//! both versions and asks what to do.

use super::form::{Form, FormTarget};
use super::forms::{self, Suggestions};
use super::state::{Choose, Mode, Pending, State};
use crate::domain::{BacklogItem, Invalid, RecordKey, RecordKind};
use crate::store::{Store, StoreError};

/// The result of a successful save: the record and its batch.
struct Saved {
    key: RecordKey,
    batch: Option<i64>,
}

/// Saves `form`; on success reports and refreshes, otherwise keeps it open.
/// A workspace locked by another program is not waited for here: the
/// status line first says the save is waiting, and the next `Idle` (after
/// that is drawn) saves again, waiting up to the busy timeout.
pub fn save(state: &mut State, form: Box<Form>, store: &mut Store) {
    save_or_wait(state, form, store, false);
}

/// The save a lock held back, now waiting for it; false when none is due.
pub fn retry_waiting(state: &mut State, store: &mut Store) -> bool {
    if !std::mem::take(&mut state.save_waiting) {
        return false;
    }
    match std::mem::take(&mut state.mode) {
        Mode::Form(form) => save_or_wait(state, form, store, true),
        Mode::Cell(edit) => super::grid_edit::retry_cell(state, edit, store),
        other => state.mode = other,
    }
    true
}

fn save_or_wait(state: &mut State, mut form: Box<Form>, store: &mut Store, wait: bool) {
    if form.target == FormTarget::Review {
        return record_review(state, form, store);
    }
    let suggest = Suggestions::read(store);
    let written = store
        .wait_for_locks(wait)
        .and_then(|()| write(&form, store, &suggest, state.today));
    if !wait {
        let _ = store.wait_for_locks(true);
    }
    match written {
        Err(StoreError::Locked) if !wait => {
            state.info("saving: waiting for another program to finish writing (up to 3 seconds)…");
            state.save_waiting = true;
            state.busy = true;
            state.mode = Mode::Form(form);
        }
        Ok(saved) => {
            let text = match (saved.batch, form.target) {
                (Some(batch), FormTarget::BacklogMove { to, .. }) => {
                    format!("{} is now {to} (batch {batch})", saved.key)
                }
                (Some(batch), FormTarget::Evidence { link: None, .. }) => {
                    format!("linked evidence (batch {batch})")
                }
                (
                    Some(batch),
                    FormTarget::Evidence {
                        link: Some((id, _)),
                        ..
                    },
                ) => {
                    format!("updated evidence L-{id} (batch {batch})")
                }
                (Some(batch), _) => format!("saved {} (batch {batch})", saved.key),
                (None, _) => format!("{} unchanged", saved.key),
            };
            if saved.key.kind == RecordKind::Field {
                return super::fields_editor::wrote(state, store, saved.key.id, Ok(text));
            }
            super::update::after_write(state, store, Ok(text));
            super::update::select(state, store, saved.key);
        }
        Err(StoreError::Invalid(errors)) => {
            form.show_errors(&errors);
            let n = errors.0.len();
            state.error(format!(
                "not saved: {n} field{} to fix ({errors})",
                if n == 1 { "" } else { "s" }
            ));
            state.mode = Mode::Form(form);
        }
        Err(StoreError::Conflict { record, actual, .. }) => {
            conflict(state, form, store, &suggest, record, actual);
        }
        Err(err) => {
            // Nothing typed is lost: the form stays open with its text.
            state.error(format!("not saved: {err}"));
            state.mode = Mode::Form(form);
        }
    }
}

fn write(
    form: &Form,
    store: &mut Store,
    suggest: &Suggestions,
    today: chrono::NaiveDate,
) -> Result<Saved, StoreError> {
    let saved = |kind, (id, batch): (i64, Option<i64>)| Saved {
        key: RecordKey::new(kind, id),
        batch,
    };
    match form.target {
        FormTarget::Backlog { id, rev } => {
            let base = if id == 0 {
                BacklogItem::default()
            } else {
                with_rev(store.backlog_item(id)?, rev)
            };
            let item = checked(form, forms::backlog::item(form, &base, suggest))?;
            Ok(saved(RecordKind::Backlog, store.save_backlog(&item)?))
        }
        FormTarget::BacklogMove { id, rev, to } => {
            let base = with_rev(store.backlog_item(id)?, rev);
            let item = checked(form, forms::backlog::item(form, &base, suggest))?;
            let batch = store.move_backlog(&item, to, "")?;
            Ok(Saved {
                key: RecordKey::new(RecordKind::Backlog, id),
                batch,
            })
        }
        FormTarget::Customer { id, rev } => {
            let mut base = if id == 0 {
                crate::domain::Customer::default()
            } else {
                store.customer(id)?
            };
            base.meta.rev = rev;
            let customer = checked(form, forms::customer::build(form, &base, today))?;
            Ok(saved(RecordKind::Customer, store.save_customer(&customer)?))
        }
        FormTarget::CheckIn { id, rev } => {
            let mut base = if id == 0 {
                new_checkin(store, today)
            } else {
                store.checkin(id)?.checkin
            };
            base.meta.rev = rev;
            let checkin = checked(form, forms::checkin::build(form, &base, suggest, today))?;
            Ok(saved(RecordKind::CheckIn, store.save_checkin(&checkin)?))
        }
        FormTarget::FollowUp {
            id,
            rev,
            customer_id,
            checkin_id,
        } => {
            let mut base = if id == 0 {
                crate::domain::FollowUp {
                    customer_id,
                    checkin_id,
                    ..Default::default()
                }
            } else {
                store.followup_row(id)?.followup
            };
            base.meta.rev = rev;
            let followup = checked(form, forms::followup::build(form, &base, today))?;
            Ok(saved(RecordKind::FollowUp, store.save_followup(&followup)?))
        }
        FormTarget::Field { id, rev } => {
            let mut base = if id == 0 {
                crate::domain::Field::new("", "", crate::domain::FieldType::Integer)
            } else {
                store.field(id)?
            };
            base.meta.rev = rev;
            let field = checked(form, forms::field::build(form, &base))?;
            Ok(saved(RecordKind::Field, store.save_field(&field)?))
        }
        FormTarget::Review => Err(StoreError::Refused(
            "a review is recorded from its walkthrough".into(),
        )),
        FormTarget::Evidence {
            item_id,
            checkin_id,
            link,
        } => {
            let link = checked(
                form,
                forms::evidence::build(form, item_id, checkin_id, link),
            )?;
            let (_, batch) = store.save_evidence(&link)?;
            Ok(Saved {
                key: RecordKey::new(RecordKind::Backlog, item_id),
                batch,
            })
        }
    }
}

/// The record a form built, refused with every problem at once: the
/// required fields left empty and whatever else the record's own rules
/// found, one message per field, in the form's order.
fn checked<T>(form: &Form, built: Result<T, Invalid>) -> Result<T, StoreError> {
    let mut errors = form.missing_required();
    match built {
        Ok(record) if errors.0.is_empty() => return Ok(record),
        Ok(_) => {}
        Err(more) => {
            for e in more.0 {
                if errors.message_for(e.field).is_none() {
                    errors.0.push(e);
                }
            }
        }
    }
    let at = |name: &str| form.fields.iter().position(|f| f.name == name);
    errors.0.sort_by_key(|e| at(e.field).unwrap_or(usize::MAX));
    Err(StoreError::Invalid(errors))
}

fn with_rev(mut item: BacklogItem, rev: i64) -> BacklogItem {
    // Keep the rev the form was opened with, so someone else's save in
    // between is a conflict rather than silently overwritten.
    item.meta.rev = rev;
    item
}

/// A blank check-in dated today by the actor.
pub fn new_checkin(store: &Store, today: chrono::NaiveDate) -> crate::domain::CheckIn {
    crate::domain::CheckIn {
        id: 0,
        customer_id: 0,
        occurred_on: today,
        kind: crate::domain::CheckInKind::Call,
        author: store.actor().to_string(),
        summary: String::new(),
        notes: String::new(),
        health: None,
        effort_minutes: None,
        meta: crate::domain::Meta::default(),
    }
}

/// Someone else saved the record since the form opened: merge per field
/// three ways ([`Form::merge`]). Without a field both changed, the merged
/// form is saved at once; otherwise only those fields are listed (theirs vs
/// yours) and the user overwrites them, reloads or keeps editing.
fn conflict(
    state: &mut State,
    mut form: Box<Form>,
    store: &mut Store,
    suggest: &Suggestions,
    record: RecordKey,
    actual: i64,
) {
    let theirs = current_form(&form, store, suggest, state.today);
    let Some(theirs) = theirs else {
        state.error(format!("not saved: {record} was changed by someone else"));
        state.suspended_form = Some(form);
        state.mode = Mode::Choose(Choose {
            title: format!("{record} was changed by someone else (now rev {actual})"),
            options: vec![(
                "keep editing".to_string(),
                "nothing is saved yet".to_string(),
            )],
            ids: vec![(actual, 0)],
            selected: 0,
            then: Pending::Conflict,
        });
        return;
    };
    let merged = form.merge(&theirs);
    let kept = if merged.taken.is_empty() {
        String::new()
    } else {
        format!("kept their {}", merged.taken.join(", "))
    };
    if merged.conflicts.is_empty() {
        rebase(&mut form, actual);
        save(state, form, store);
        if !state.status.error && !kept.is_empty() {
            let text = format!("{}; merged with rev {actual}: {kept}", state.status.text);
            state.info(text);
        }
        return;
    }
    let differences: Vec<String> = merged
        .conflicts
        .iter()
        .map(|(name, other, mine)| {
            format!(
                "{name}: theirs “{}” · yours “{}”",
                crate::text::one_line(other),
                crate::text::one_line(mine)
            )
        })
        .collect();
    let options = vec![
        (
            "keep editing".to_string(),
            "nothing is saved yet".to_string(),
        ),
        (
            "overwrite".to_string(),
            "save my version of the fields we both changed".to_string(),
        ),
        (
            "reload".to_string(),
            "drop my edits, show theirs".to_string(),
        ),
    ];
    let also = if kept.is_empty() {
        String::new()
    } else {
        format!(" ({kept})")
    };
    let title = format!(
        "{record} was changed by someone else (now rev {actual}){also}; both changed {}",
        differences.join("; ")
    );
    state.error(format!("not saved: {record} was changed by someone else"));
    state.suspended_form = Some(form);
    state.mode = Mode::Choose(Choose {
        title,
        options,
        ids: vec![(actual, 0)],
        selected: 0,
        then: Pending::Conflict,
    });
}

/// The form as it would open on the record's current stored version.
fn current_form(
    form: &Form,
    store: &Store,
    suggest: &Suggestions,
    today: chrono::NaiveDate,
) -> Option<Form> {
    match form.target {
        FormTarget::Backlog { id, .. } | FormTarget::BacklogMove { id, .. } => store
            .backlog_item(id)
            .ok()
            .map(|i| forms::backlog::form(&i, suggest)),
        FormTarget::Customer { id, .. } => store
            .customer(id)
            .ok()
            .map(|c| forms::customer::form(&c, suggest, today)),
        FormTarget::CheckIn { id, .. } => store
            .checkin(id)
            .ok()
            .map(|k| forms::checkin::form(&k.checkin, &k.customer, suggest, today)),
        FormTarget::FollowUp { id, .. } => store
            .followup_row(id)
            .ok()
            .map(|f| forms::followup::form(&f.followup, &f.customer, suggest, today)),
        FormTarget::Field { id, .. } => store.field(id).ok().map(|f| forms::field::form(&f)),
        FormTarget::Evidence { .. } | FormTarget::Review => None,
    }
}

/// Records the walkthrough's review (one batch) and ends the walkthrough.
fn record_review(state: &mut State, mut form: Box<Form>, store: &mut Store) {
    let Some(week) = state.review.walkthrough.as_ref().map(|w| w.week.clone()) else {
        return state.error("no walkthrough to record");
    };
    if let Err(errors) = form.missing_required().into_result() {
        form.show_errors(&errors);
        state.error("not saved: who attended?");
        state.mode = Mode::Form(form);
        return;
    }
    match store.record_review(
        &week,
        &form.value("attendees"),
        form.value("notes").trim_end(),
    ) {
        Ok((id, batch)) => {
            state.review.walkthrough = None;
            let text = format!(
                "recorded the {week} review R-{id} (batch {})",
                batch.unwrap_or_default()
            );
            super::update::after_write(state, store, Ok(text));
            // The ritual ends with something to send.
            let path = report_path(store, &state.cwd, &week);
            state.mode = Mode::Confirm(super::state::Confirm {
                question: format!(
                    "Recorded. Write the {week} report for stakeholders to {}?",
                    path.display()
                ),
                on_yes: super::state::Pending::WriteReport { week, path },
            });
        }
        Err(err) => {
            state.error(format!("not saved: {err}"));
            state.mode = Mode::Form(form);
        }
    }
}

/// Where the HTML report of `week` goes: next to the workspace file,
/// named after it (`team.db` → `team-review-2026-W49.html`); for a
/// workspace on a server, in the working folder (`cwd`).
pub fn report_path(store: &Store, cwd: &std::path::Path, week: &str) -> std::path::PathBuf {
    let name = format!("{}-review-{week}.html", store.name());
    match store.file() {
        Some(file) => file.with_file_name(name),
        None => cwd.join(name),
    }
}

/// Writes the HTML report of `week` to `path`, private like the workspace.
pub fn write_report(state: &mut State, store: &Store, week: &str, path: &std::path::Path) {
    let review = crate::review::parse_week(store, week)
        .map_err(|e| e.to_string())
        .and_then(|w| crate::review::load(store, w).map_err(|e| e.to_string()));
    let written = review.and_then(|r| {
        let page = crate::review::html::render(&r);
        crate::sheet::write_atomically(path, store.file(), |w| Ok(w.write_all(page.as_bytes())?))
            .map_err(|e| e.to_string())
    });
    match written {
        Ok(()) => state.info(format!("wrote the {week} report to {}", path.display())),
        Err(err) => state.error(format!("report not written: {err}")),
    }
}

/// Moves a form's target to `rev`, so saving again overwrites.
pub fn rebase(form: &mut Form, rev: i64) {
    match &mut form.target {
        FormTarget::Backlog { rev: r, .. }
        | FormTarget::BacklogMove { rev: r, .. }
        | FormTarget::Customer { rev: r, .. }
        | FormTarget::CheckIn { rev: r, .. }
        | FormTarget::FollowUp { rev: r, .. }
        | FormTarget::Field { rev: r, .. } => *r = rev,
        FormTarget::Evidence { .. } | FormTarget::Review => {}
    }
}
