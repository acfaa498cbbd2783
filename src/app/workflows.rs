//! The record workflows behind the normal-mode keys: new, edit, change
//! status or stage, delete, follow-ups and evidence links, per pane.

use super::action::Action;
use super::action::Pane;
use super::forms::{self, Suggestions};
use super::save::new_checkin;
use super::state::{Choose, Confirm, Mode, Pending, Pick, PickFor, State};
use crate::domain::backlog::requirements;
use crate::domain::{BacklogItem, Customer, FollowUp, RecordKey, RecordKind};
use crate::store::Store;

pub fn new_record(state: &mut State, store: &Store) {
    let suggest = Suggestions::read(store);
    let today = state.today;
    let form = match state.pane {
        Pane::Backlog => {
            let item = BacklogItem {
                owner: state.actor.clone(),
                ..BacklogItem::default()
            };
            forms::backlog::form(&item, &suggest)
        }
        Pane::Customers => {
            let customer = Customer {
                owner: state.actor.clone(),
                ..Customer::default()
            };
            forms::customer::form(&customer, &suggest, today)
        }
        Pane::CheckIns => forms::checkin::form(&new_checkin(store, today), "", &suggest, today),
        _ => return,
    };
    state.mode = Mode::Form(Box::new(form));
}

pub fn edit(state: &mut State, store: &Store) {
    let suggest = Suggestions::read(store);
    let today = state.today;
    let form = match state.pane {
        Pane::Backlog => state
            .backlog
            .selected_row()
            .map(|r| forms::backlog::form(&r.item, &suggest)),
        Pane::Customers => state
            .customers
            .selected_row()
            .map(|r| forms::customer::form(&r.customer, &suggest, today)),
        Pane::CheckIns => state
            .checkins
            .selected_row()
            .map(|r| forms::checkin::form(&r.checkin, &r.customer, &suggest, today)),
        _ => None,
    };
    if let Some(form) = form {
        state.mode = Mode::Form(Box::new(form));
    }
}

/// A check-in for the selected customer, with the focus on its summary.
pub fn log_checkin(state: &mut State, store: &Store) {
    let Some(row) = state.customers.selected_row() else {
        return;
    };
    let suggest = Suggestions::read(store);
    let mut checkin = new_checkin(store, state.today);
    checkin.customer_id = row.customer.id;
    let form = forms::checkin::form(&checkin, &row.customer.name, &suggest, state.today);
    state.mode = Mode::Form(Box::new(form));
}

pub fn change_status(state: &mut State) {
    match state.pane {
        Pane::Backlog => backlog_status(state),
        Pane::Customers => customer_stage(state),
        _ => {}
    }
}

fn backlog_status(state: &mut State) {
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
        ids: Vec::new(),
        selected: 0,
        then: Pending::BacklogStatus {
            id: item.id,
            rev: item.meta.rev,
        },
    });
}

fn customer_stage(state: &mut State) {
    let Some(row) = state.customers.selected_row() else {
        return;
    };
    let c = &row.customer;
    if c.stage.next_stages().is_empty() {
        state.error(format!("C-{} is {}: a final stage", c.id, c.stage));
        return;
    }
    let options = c
        .stage
        .next_stages()
        .iter()
        .map(|to| {
            let note = if *to == crate::domain::Stage::Active && c.agreement_signed_on.is_none() {
                "needs the agreement date".to_string()
            } else {
                String::new()
            };
            (to.as_str().to_string(), note)
        })
        .collect();
    state.mode = Mode::Choose(Choose {
        title: format!("Move C-{} {} from {} to…", c.id, c.name, c.stage),
        options,
        ids: Vec::new(),
        selected: 0,
        then: Pending::CustomerStage {
            id: c.id,
            rev: c.meta.rev,
        },
    });
}

/// Asks before deleting the selected record; a delete the store would
/// refuse whatever the answer (a customer with history) is refused at once.
pub fn delete(state: &mut State, store: &Store) {
    let (question, on_yes) = match state.pane {
        Pane::Backlog => {
            let Some(row) = state.backlog.selected_row() else {
                return;
            };
            let links = match row.evidence_count {
                0 => String::new(),
                n => format!(" and its {n} evidence links"),
            };
            (
                format!(
                    "Delete H-{} “{}”{links}? (u undoes)",
                    row.item.id, row.item.statement
                ),
                Pending::DeleteBacklog {
                    id: row.item.id,
                    rev: row.item.meta.rev,
                },
            )
        }
        Pane::Customers => {
            let Some(row) = state.customers.selected_row() else {
                return;
            };
            match store.customer_delete_refusal(row.customer.id) {
                Ok(None) => {}
                Ok(Some(why)) => {
                    let key = RecordKey::new(RecordKind::Customer, row.customer.id);
                    return state.error(format!("{key} cannot be deleted: {why}"));
                }
                Err(e) => return state.error(e.to_string()),
            }
            (
                format!(
                    "Delete C-{} “{}”? (u undoes)",
                    row.customer.id, row.customer.name
                ),
                Pending::DeleteCustomer {
                    id: row.customer.id,
                    rev: row.customer.meta.rev,
                },
            )
        }
        Pane::CheckIns => {
            let Some(row) = state.checkins.selected_row() else {
                return;
            };
            let links = match row.evidence_count {
                0 => String::new(),
                n => format!(" and its {n} evidence links"),
            };
            (
                format!(
                    "Delete K-{} “{}”{links}? (u undoes)",
                    row.checkin.id, row.checkin.summary
                ),
                Pending::DeleteCheckIn {
                    id: row.checkin.id,
                    rev: row.checkin.meta.rev,
                },
            )
        }
        _ => return,
    };
    state.mode = Mode::Confirm(Confirm { question, on_yes });
}

/// The customer (and check-in) the selected record belongs to.
fn followup_owner(state: &State) -> Option<(i64, Option<i64>, String)> {
    match state.pane {
        Pane::Customers => state.customers.selected_row().map(|r| {
            (
                r.customer.id,
                None,
                format!("C-{} {}", r.customer.id, r.customer.name),
            )
        }),
        Pane::CheckIns => state.checkins.selected_row().map(|r| {
            (
                r.checkin.customer_id,
                Some(r.checkin.id),
                format!("K-{} ({})", r.checkin.id, r.customer),
            )
        }),
        _ => None,
    }
}

pub fn new_followup(state: &mut State, store: &Store) {
    let Some((customer_id, checkin_id, what)) = followup_owner(state) else {
        return;
    };
    let f = FollowUp {
        customer_id,
        checkin_id,
        owner: state.actor.clone(),
        due_on: state.today.checked_add_signed(chrono::Duration::days(7)),
        ..FollowUp::default()
    };
    let form = forms::followup::form(&f, &what, &Suggestions::read(store), state.today);
    state.mode = Mode::Form(Box::new(form));
}

pub fn toggle_followup(state: &mut State, store: &Store) {
    let Some((customer_id, checkin_id, what)) = followup_owner(state) else {
        return;
    };
    let list = match checkin_id {
        Some(k) => store.followups_of_checkin(k),
        None => store.followups_of(customer_id),
    };
    let list = match list {
        Ok(list) if !list.is_empty() => list,
        Ok(_) => return state.error(format!("{what} has no follow-ups; f adds one")),
        Err(err) => return state.error(err.to_string()),
    };
    let options = list
        .iter()
        .map(|f| {
            let f = &f.followup;
            let mark = if f.done_at.is_some() {
                "✔"
            } else if f.is_overdue(state.today) {
                "⚠"
            } else {
                "○"
            };
            let due = f.due_on.map(|d| format!("due {d}")).unwrap_or_default();
            (
                format!("{mark} F-{} {}", f.id, crate::text::one_line(&f.text)),
                due,
            )
        })
        .collect();
    let ids = list
        .iter()
        .map(|f| (f.followup.id, f.followup.meta.rev))
        .collect();
    state.mode = Mode::Choose(Choose {
        title: format!("Follow-ups of {what}: Enter marks done / open"),
        options,
        ids,
        selected: 0,
        then: Pending::ToggleFollowUp,
    });
}

/// Opens a picker for the other end of an evidence link, listing first
/// what the check-in's notes mention (`H-4`), never linking by itself.
pub fn link_evidence(state: &mut State, store: &Store) {
    let pick = match state.pane {
        Pane::CheckIns => {
            let Some(row) = state.checkins.selected_row() else {
                return;
            };
            let text = format!("{} {}", row.checkin.summary, row.checkin.notes);
            let mentioned = mentioned_items(&text);
            let linked: Vec<(i64, i64)> = store
                .evidence_for_checkin(row.checkin.id)
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.link.item_id, e.link.id))
                .collect();
            let options = store
                .backlog_titles()
                .unwrap_or_default()
                .into_iter()
                .map(|(id, label)| (id, marked(label, &linked, id), mentioned.contains(&id)))
                .collect();
            Pick {
                title: format!("K-{} is evidence for… (type to search)", row.checkin.id),
                query: String::new(),
                options,
                selected: 0,
                then: PickFor::ItemForCheckIn {
                    checkin_id: row.checkin.id,
                },
            }
        }
        Pane::Backlog => {
            let Some(row) = state.backlog.selected_row() else {
                return;
            };
            let key = RecordKey::new(RecordKind::Backlog, row.item.id).to_string();
            let linked: Vec<(i64, i64)> = store
                .evidence_for_item(row.item.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|e| Some((e.link.checkin_id?, e.link.id)))
                .collect();
            let options = store
                .checkin_titles(500)
                .unwrap_or_default()
                .into_iter()
                .map(|(id, label, notes)| {
                    let mentions =
                        mentioned_items(&format!("{label} {notes}")).contains(&row.item.id);
                    (id, marked(label, &linked, id), mentions)
                })
                .collect();
            Pick {
                title: format!("Which check-in is evidence for {key}? (type to search)"),
                query: String::new(),
                options,
                selected: 0,
                then: PickFor::CheckInForItem {
                    item_id: row.item.id,
                },
            }
        }
        _ => return,
    };
    state.mode = Mode::Pick(pick);
}

/// A picker label, marked when the other end is already linked (`linked`:
/// (other end's id, link id)): linking it again would be refused.
fn marked(label: String, linked: &[(i64, i64)], id: i64) -> String {
    match linked.iter().find(|(other, _)| *other == id) {
        Some((_, link)) => format!("[already linked L-{link}] {label}"),
        None => label,
    }
}

/// Backlog keys (`H-4`, `h4`) written in `text`.
pub fn mentioned_items(text: &str) -> Vec<i64> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter_map(RecordKey::parse)
        .filter(|k| k.kind == RecordKind::Backlog)
        .map(|k| k.id)
        .collect()
}

/// The picked entry's evidence form.
pub fn picked(state: &mut State, store: &Store, pick: &Pick, id: i64, label: &str) {
    let (item_id, checkin_id) = match pick.then {
        PickFor::ItemForCheckIn { checkin_id } => (id, checkin_id),
        PickFor::CheckInForItem { item_id } => (item_id, id),
        PickFor::RowCustomer => {
            return super::grid_edit::picked_customer(state, store, id, label);
        }
    };
    // One piece of evidence counts once: a check-in already linked to the
    // item opens that link to edit instead of a second one.
    match store.evidence_between(item_id, checkin_id) {
        Ok(None) => {}
        Ok(Some(existing)) => {
            let found = store
                .evidence_for_item(item_id)
                .unwrap_or_default()
                .into_iter()
                .find(|e| e.link.id == existing);
            let Some(row) = found else {
                return state.error(format!("L-{existing} could not be read"));
            };
            let title = format!("Edit evidence L-{existing}: K-{checkin_id} → H-{item_id}");
            state.mode = Mode::Form(Box::new(forms::evidence::link_form(&row.link, &title)));
            return state.info(format!(
                "K-{checkin_id} is already evidence for H-{item_id} (L-{existing}): editing that link"
            ));
        }
        Err(e) => return state.error(e.to_string()),
    }
    let what = format!(
        "K-{checkin_id} → H-{item_id} ({})",
        crate::text::one_line(label)
    );
    state.mode = Mode::Form(Box::new(forms::evidence::form(item_id, checkin_id, &what)));
}

/// Keys while the evidence picker is open.
pub fn pick_mode(state: &mut State, mut p: Pick, action: Action, store: &mut Store) {
    let count = p.matches().len();
    match action {
        Action::Cancel => return,
        Action::Accept => {
            let chosen = p.matches().get(p.selected).map(|o| (o.0, o.1.clone()));
            if let Some((id, label)) = chosen {
                picked(state, store, &p, id, &label);
            }
            return;
        }
        Action::Down => p.selected = (p.selected + 1).min(count.saturating_sub(1)),
        Action::Up => p.selected = p.selected.saturating_sub(1),
        other => {
            super::palette::edit_query(&mut p.query, &mut p.selected, &other);
        }
    }
    state.mode = Mode::Pick(p);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_of_backlog_keys_are_found() {
        assert_eq!(
            mentioned_items("Dwayne texted (H-4), see H-12; C-3 too"),
            [4, 12]
        );
        assert!(mentioned_items("no keys here").is_empty());
    }
}
