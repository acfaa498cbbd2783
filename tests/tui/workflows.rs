//! The weekly routine at the keyboard, in actions: customers, check-ins,
//! evidence, deciding hypotheses, follow-ups and conflicts.

use crate::support::{act, demo, empty, key, screen, start, type_text};
use concierge::app::state::Mode;
use concierge::app::{Action, Pane};
use concierge::domain::{Stage, Status};
use ratatui_textarea::Key;

fn form_value(state: &concierge::app::State, name: &str) -> String {
    let Mode::Form(form) = &state.mode else {
        panic!("no form open: {:?}", state.status)
    };
    form.value(name)
}

#[test]
fn a_customer_becomes_active_only_with_an_agreement_date() {
    let (_dir, mut store) = empty();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Customers), Action::New],
    );
    insta::assert_snapshot!("customer_form_new", screen(&state));
    type_text(&mut state, &mut store, "Harbor Builders");
    act(&mut state, &mut store, &[Action::Save]);
    assert_eq!(state.status.text, "saved C-1 (batch 1)");
    // prospect → invited → onboarding → active
    for _ in 0..2 {
        act(
            &mut state,
            &mut store,
            &[Action::ChangeStatus, Action::Accept],
        );
    }
    assert_eq!(store.customer(1).expect("c").stage, Stage::Onboarding);
    act(
        &mut state,
        &mut store,
        &[Action::ChangeStatus, Action::Accept],
    );
    let Mode::Prompt(prompt) = &state.mode else {
        panic!("no date asked: {:?}", state.status)
    };
    assert!(prompt.title.contains("needs the agreement date"));
    // A wrong date is refused and keeps the prompt.
    act(&mut state, &mut store, &vec![key(Key::Backspace); 5]);
    type_text(&mut state, &mut store, "someday");
    act(&mut state, &mut store, &[Action::Accept]);
    assert!(state.status.error && matches!(state.mode, Mode::Prompt(_)));
    act(&mut state, &mut store, &vec![key(Key::Backspace); 7]);
    type_text(&mut state, &mut store, "-3d");
    act(&mut state, &mut store, &[Action::Accept]);
    let c = store.customer(1).expect("c");
    assert_eq!(
        (c.stage, c.agreement_signed_on.map(|d| d.to_string())),
        (Stage::Active, Some("2026-11-18".into()))
    );
}

#[test]
fn logging_a_check_in_completes_the_customer_and_keeps_multi_line_notes() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::CheckIns), Action::New],
    );
    insta::assert_snapshot!("checkin_form_new", screen(&state));
    type_text(&mut state, &mut store, "cordo");
    act(&mut state, &mut store, &[Action::NextField]);
    assert_eq!(
        form_value(&state, "customer"),
        "Cordova & Sons",
        "leaving the field completes it"
    );
    act(
        &mut state,
        &mut store,
        &[Action::NextField, Action::NextField],
    );
    type_text(&mut state, &mut store, "Site walk with Elena");
    act(&mut state, &mut store, &[Action::NextField]);
    type_text(&mut state, &mut store, "line one");
    act(&mut state, &mut store, &[Action::FormEnter]);
    type_text(&mut state, &mut store, "line two (H-4)");
    act(&mut state, &mut store, &[Action::FormEnter]);
    type_text(&mut state, &mut store, "line three");
    act(&mut state, &mut store, &[Action::Save]);
    assert!(
        state.status.text.starts_with("saved K-45"),
        "{}",
        state.status.text
    );
    let k = store.checkin(45).expect("k");
    assert_eq!(k.customer, "Cordova & Sons");
    assert_eq!(k.checkin.notes, "line one\nline two (H-4)\nline three");
    assert_eq!(k.checkin.occurred_on.to_string(), "2026-11-21");
}

#[test]
fn a_check_in_links_as_evidence_with_the_mentioned_item_suggested_first() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Pane(Pane::CheckIns)]);
    // Find a check-in whose notes mention a backlog key.
    let (index, mentioned) = state
        .checkins
        .ids
        .iter()
        .enumerate()
        .find_map(|(i, id)| {
            let k = store.checkin(*id).ok()?;
            let text = format!("{} {}", k.checkin.summary, k.checkin.notes);
            let h = text
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .find(|w| w.starts_with("H-"))?;
            Some((i, h.to_string()))
        })
        .expect("the demo mentions an H- key in some notes");
    let height = state.list_height();
    state.checkins.select(index, height);
    act(
        &mut state,
        &mut store,
        &[Action::Resize(120, 40), Action::LinkEvidence],
    );
    let Mode::Pick(pick) = &state.mode else {
        panic!("no picker")
    };
    let first = pick.matches()[0].clone();
    assert!(
        first.2 && first.1.starts_with(&format!("{mentioned} ")),
        "{first:?}"
    );
    assert!(screen(&state).contains("★ mentioned in the notes"));
    let before = store.evidence_for_item(first.0).expect("ev").len();
    act(&mut state, &mut store, &[Action::Accept]);
    assert!(
        matches!(state.mode, Mode::Form(_)),
        "nothing linked before the form is saved"
    );
    assert_eq!(store.evidence_for_item(first.0).expect("ev").len(), before);
    act(
        &mut state,
        &mut store,
        &[
            key(Key::Right),
            Action::NextField,
            key(Key::Right),
            key(Key::Right),
            Action::Save,
        ],
    );
    let after = store.evidence_for_item(first.0).expect("ev");
    assert_eq!(after.len(), before + 1);
    assert!(
        after
            .iter()
            .any(|e| e.link.stance.as_str() == "refutes" && e.link.strength.as_str() == "paid")
    );
}

#[test]
fn deciding_a_hypothesis_asks_for_learning_and_decision_in_one_batch() {
    let (_dir, mut store) = empty();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Customers), Action::New],
    );
    type_text(&mut state, &mut store, "Harbor");
    act(&mut state, &mut store, &[Action::Save, Action::LogCheckIn]);
    type_text(&mut state, &mut store, "Paid for the pilot");
    act(
        &mut state,
        &mut store,
        &[Action::Save, Action::Pane(Pane::Backlog), Action::New],
    );
    type_text(&mut state, &mut store, "GCs pay for the desk");
    act(
        &mut state,
        &mut store,
        &[Action::Save, Action::ChangeStatus, Action::Accept],
    );
    // backlog → testing asks for test and criterion only.
    let Mode::Form(form) = &state.mode else {
        panic!("no move form: {:?}", state.status)
    };
    assert_eq!(
        form.fields.iter().map(|f| f.name).collect::<Vec<_>>(),
        ["test", "criterion"]
    );
    type_text(&mut state, &mut store, "Offer a paid pilot");
    act(&mut state, &mut store, &[Action::NextField]);
    type_text(&mut state, &mut store, "One GC pays");
    act(&mut state, &mut store, &[Action::Save]);
    assert_eq!(store.backlog_item(1).expect("i").status, Status::Testing);
    // testing → validated without evidence is refused after the fields.
    act(
        &mut state,
        &mut store,
        &[Action::ChangeStatus, Action::Accept],
    );
    let Mode::Form(form) = &state.mode else {
        panic!("no move form")
    };
    assert_eq!(
        form.fields.iter().map(|f| f.name).collect::<Vec<_>>(),
        ["learning", "decision"]
    );
    type_text(
        &mut state,
        &mut store,
        "We observed a PO so we learned they pay",
    );
    act(
        &mut state,
        &mut store,
        &[Action::NextField, key(Key::Right), Action::Save],
    );
    assert!(
        state.status.text.contains("at least one evidence link"),
        "{}",
        state.status.text
    );
    assert!(matches!(state.mode, Mode::Form(_)), "nothing typed is lost");
    act(
        &mut state,
        &mut store,
        &[
            Action::Cancel,
            Action::Yes,
            Action::LinkEvidence,
            Action::Accept,
        ],
    );
    act(
        &mut state,
        &mut store,
        &[
            Action::NextField,
            key(Key::Right),
            key(Key::Right),
            Action::Save,
        ],
    );
    act(
        &mut state,
        &mut store,
        &[Action::ChangeStatus, Action::Accept],
    );
    type_text(
        &mut state,
        &mut store,
        "We observed a PO so we learned they pay",
    );
    act(
        &mut state,
        &mut store,
        &[Action::NextField, key(Key::Right), Action::Save],
    );
    let item = store.backlog_item(1).expect("i");
    assert_eq!(item.status, Status::Validated, "{}", state.status.text);
    assert_eq!(
        item.decision.map(concierge::domain::Decision::as_str),
        Some("persevere")
    );
    let batch = store.recent_batches(1).expect("b").remove(0);
    assert_eq!(batch.label, "H-1 testing → validated");
    let fields: Vec<String> = store
        .changes(batch.id)
        .expect("c")
        .into_iter()
        .map(|c| c.field)
        .collect();
    assert!(
        fields.contains(&"learning".into()) && fields.contains(&"status".into()),
        "{fields:?}"
    );
}

#[test]
fn follow_ups_are_added_and_toggled_with_one_key() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Customers), Action::NewFollowUp],
    );
    type_text(&mut state, &mut store, "Send the pricing sheet");
    act(&mut state, &mut store, &[Action::Save]);
    assert!(
        state.status.text.starts_with("saved F-"),
        "{}",
        state.status.text
    );
    let customer = state.customers.selected_row().expect("c").customer.id;
    let open = store.followups_of(customer).expect("f");
    let added = open
        .iter()
        .find(|f| f.followup.text == "Send the pricing sheet")
        .expect("added");
    assert_eq!(
        added.followup.due_on.map(|d| d.to_string()),
        Some("2026-11-28".into())
    );
    act(&mut state, &mut store, &[Action::ToggleFollowUp]);
    let Mode::Choose(choose) = &state.mode else {
        panic!("no list")
    };
    let index = choose
        .ids
        .iter()
        .position(|(id, _)| *id == added.followup.id)
        .expect("listed");
    for _ in 0..index {
        act(&mut state, &mut store, &[Action::Down]);
    }
    act(&mut state, &mut store, &[Action::Accept]);
    assert!(
        store
            .followup_row(added.followup.id)
            .expect("f")
            .followup
            .done_at
            .is_some()
    );
    assert!(state.status.text.contains("done"), "{}", state.status.text);
}

#[test]
fn a_customer_with_history_is_not_deleted() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    // Refused before "Delete?" is asked: no answer could make it happen.
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Customers), Action::Delete],
    );
    assert!(
        matches!(state.mode, concierge::app::state::Mode::Normal),
        "{:?}",
        state.mode
    );
    assert!(state.status.error);
    assert!(
        state.status.text.contains("cannot be deleted: it has "),
        "{}",
        state.status.text
    );
    assert!(
        state
            .status
            .text
            .contains("set its stage to dropped instead"),
        "{}",
        state.status.text
    );
    assert_eq!(state.customers.ids.len(), 12);
}

#[test]
fn follow_up_and_evidence_forms() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::CheckIns), Action::NewFollowUp],
    );
    insta::assert_snapshot!("followup_form_new", screen(&state));
    act(
        &mut state,
        &mut store,
        &[Action::Cancel, Action::LinkEvidence],
    );
    insta::assert_snapshot!("evidence_picker", screen(&state));
    act(&mut state, &mut store, &[Action::Accept]);
    insta::assert_snapshot!("evidence_form", screen(&state));
}

#[test]
fn activity_filters_by_actor_record_and_batch() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Activity), Action::StartFilter],
    );
    type_text(&mut state, &mut store, "record=H-4");
    let batches = store.batch_rows(&state.activity.ids).expect("rows");
    assert!(!batches.is_empty());
    for b in &batches {
        let changes = store.changes(b.id).expect("changes");
        assert!(
            changes.iter().any(|c| c.record.to_string() == "H-4"),
            "{}",
            b.label
        );
    }
    act(
        &mut state,
        &mut store,
        &[Action::Cancel, Action::StartFilter],
    );
    type_text(&mut state, &mut store, "actor=priya");
    let batches = store.batch_rows(&state.activity.ids).expect("rows");
    assert!(!batches.is_empty() && batches.iter().all(|b| b.actor == "priya"));
    act(
        &mut state,
        &mut store,
        &[Action::Cancel, Action::StartFilter],
    );
    type_text(&mut state, &mut store, "batch=12");
    assert_eq!(state.activity.ids.first(), Some(&12));
}
