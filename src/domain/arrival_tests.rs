use super::*;
use crate::domain::Decision;
use chrono::NaiveDate;

fn item(status: Status) -> BacklogItem {
    BacklogItem {
        statement: "We believe that supers will log submittals daily".into(),
        status,
        ..BacklogItem::default()
    }
}

fn tested(status: Status) -> BacklogItem {
    BacklogItem {
        test: "Run it for 4 weeks".into(),
        criterion: "3 of 3 keep logging".into(),
        ..item(status)
    }
}

fn decided(status: Status) -> BacklogItem {
    BacklogItem {
        learning: "We observed … so we learned …".into(),
        decision: Some(Decision::Persevere),
        ..tested(status)
    }
}

#[test]
fn a_stored_item_may_take_one_legal_step_only() {
    let before = decided(Status::Backlog);
    let err = backlog_arrival(Some(&before), &decided(Status::Validated)).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "backlog → validated is not a step: from backlog an item can go to testing or parked"
    );
    let ok = backlog_arrival(Some(&tested(Status::Backlog)), &tested(Status::Testing))
        .expect("accepted");
    assert_eq!(ok.needs_evidence, None);
}

#[test]
fn moving_to_testing_needs_a_test_and_a_criterion() {
    let err =
        backlog_arrival(Some(&item(Status::Backlog)), &item(Status::Testing)).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "backlog → testing needs a test, a criterion"
    );
}

#[test]
fn deciding_needs_learning_decision_and_later_evidence() {
    let err = backlog_arrival(Some(&tested(Status::Testing)), &tested(Status::Validated))
        .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "testing → validated needs a learning, a decision"
    );
    let ok = backlog_arrival(
        Some(&decided(Status::Testing)),
        &decided(Status::Invalidated),
    )
    .expect("accepted");
    assert_eq!(ok.needs_evidence, Some(Status::Invalidated));
    assert_eq!(
        missing_evidence(false, Status::Invalidated).to_string(),
        "testing → invalidated needs at least one evidence link"
    );
}

#[test]
fn parking_and_reopening_need_a_new_reason() {
    let before = decided(Status::Validated);
    let err = backlog_arrival(Some(&before), &decided(Status::Testing)).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "validated → testing needs a reason (write it in status_reason)"
    );
    let mut stale = before.clone();
    stale.status_reason = "old".into();
    let mut reopened = stale.clone();
    reopened.status = Status::Testing;
    assert!(backlog_arrival(Some(&stale), &reopened).is_err());
    reopened.status_reason = "the pilot ended early".into();
    assert!(backlog_arrival(Some(&stale), &reopened).is_ok());
}

#[test]
fn a_new_item_walks_from_backlog() {
    assert_eq!(
        backlog_arrival(None, &item(Status::Backlog))
            .expect("accepted")
            .needs_evidence,
        None
    );
    let err = backlog_arrival(None, &item(Status::Validated)).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "a new item starts in backlog, and backlog → testing needs a test, a criterion"
    );
    let err = backlog_arrival(None, &tested(Status::Validated)).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "a new item starts in backlog, and testing → validated needs a learning, a decision"
    );
    let ok = backlog_arrival(None, &decided(Status::Validated)).expect("accepted");
    assert_eq!(ok.needs_evidence, Some(Status::Validated));
    let err = backlog_arrival(None, &item(Status::Parked)).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "a new item starts in backlog, and backlog → parked needs a reason (write it in status_reason)"
    );
    let mut parked = item(Status::Parked);
    parked.status_reason = "no owner".into();
    assert!(backlog_arrival(None, &parked).is_ok());
}

fn customer(stage: Stage, agreement: Option<NaiveDate>) -> Customer {
    Customer {
        name: "Acme".into(),
        stage,
        agreement_signed_on: agreement,
        ..Customer::default()
    }
}

#[test]
fn a_stored_customer_may_take_one_legal_step_only() {
    let err = customer_arrival(
        Some(&customer(Stage::Prospect, None)),
        &customer(Stage::Graduated, None),
    )
    .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "prospect → graduated is not a step: from prospect a customer can go to invited or dropped"
    );
    let err = customer_arrival(
        Some(&customer(Stage::Onboarding, None)),
        &customer(Stage::Active, None),
    )
    .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "onboarding → active needs the agreement date (agreement_signed_on)"
    );
    let day = NaiveDate::from_ymd_opt(2026, 11, 2);
    assert!(
        customer_arrival(
            Some(&customer(Stage::Onboarding, None)),
            &customer(Stage::Active, day)
        )
        .is_ok()
    );
}

#[test]
fn a_new_customer_walks_from_prospect() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 2);
    for stage in [
        Stage::Prospect,
        Stage::Invited,
        Stage::Onboarding,
        Stage::Dropped,
    ] {
        assert!(
            customer_arrival(None, &customer(stage, None)).is_ok(),
            "{stage}"
        );
    }
    for stage in [Stage::Active, Stage::Paused, Stage::Graduated] {
        let err = customer_arrival(None, &customer(stage, None)).expect_err("refused");
        assert_eq!(
            err.to_string(),
            "a new customer starts in prospect, and onboarding → active needs the agreement date (agreement_signed_on)",
            "{stage}"
        );
        assert!(
            customer_arrival(None, &customer(stage, day)).is_ok(),
            "{stage}"
        );
    }
}
