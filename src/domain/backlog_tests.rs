use super::*;

fn item(status: Status) -> BacklogItem {
    BacklogItem {
        statement: "We believe that supers will log submittals daily".into(),
        status,
        ..BacklogItem::default()
    }
}

fn ready(status: Status) -> BacklogItem {
    BacklogItem {
        test: "Run it for 4 weeks with 3 GCs".into(),
        criterion: "3 of 3 keep logging".into(),
        learning: "We observed … so we learned … therefore we will …".into(),
        decision: Some(Decision::Persevere),
        ..item(status)
    }
}

fn with(reason: &str, evidence: usize) -> TransitionInput {
    TransitionInput {
        reason: reason.into(),
        evidence_count: evidence,
        today: NaiveDate::from_ymd_opt(2026, 11, 21),
    }
}

#[test]
fn every_legal_transition_succeeds_when_its_needs_are_met() {
    let legal = [
        (Status::Backlog, Status::Testing),
        (Status::Backlog, Status::Parked),
        (Status::Testing, Status::Validated),
        (Status::Testing, Status::Invalidated),
        (Status::Testing, Status::Parked),
        (Status::Validated, Status::Testing),
        (Status::Validated, Status::Parked),
        (Status::Invalidated, Status::Testing),
        (Status::Invalidated, Status::Parked),
        (Status::Parked, Status::Backlog),
    ];
    for (from, to) in legal {
        let moved = transition(&ready(from), to, &with("new evidence", 1))
            .unwrap_or_else(|e| panic!("{from} → {to}: {e}"));
        assert_eq!(moved.status, to);
        assert_eq!(moved.status_since, "2026-11-21");
    }
}

#[test]
fn every_illegal_transition_names_the_allowed_steps() {
    for from in Status::ALL {
        for to in Status::ALL {
            if from.next_statuses().contains(to) {
                continue;
            }
            let err = transition(&ready(*from), *to, &with("r", 1)).expect_err("illegal");
            assert!(
                matches!(err, TransitionError::NotAllowed { .. }),
                "{from} → {to}"
            );
            assert!(err.to_string().contains("an item can go to"), "{err}");
        }
    }
}

#[test]
fn testing_needs_test_and_criterion() {
    let err =
        transition(&item(Status::Backlog), Status::Testing, &with("", 0)).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "backlog → testing needs a test, a criterion"
    );
    let mut half = item(Status::Backlog);
    half.test = "Interview 5 supers".into();
    let err = transition(&half, Status::Testing, &with("", 0)).expect_err("refused");
    assert_eq!(err.to_string(), "backlog → testing needs a criterion");
}

#[test]
fn deciding_needs_learning_decision_and_evidence() {
    for to in [Status::Validated, Status::Invalidated] {
        let mut bare = item(Status::Testing);
        bare.test = "t".into();
        bare.criterion = "c".into();
        let err = transition(&bare, to, &with("", 0)).expect_err("refused");
        assert_eq!(
            err.to_string(),
            format!("testing → {to} needs a learning, a decision, at least one evidence link")
        );
        let err = transition(&ready(Status::Testing), to, &with("", 0)).expect_err("refused");
        assert_eq!(
            err.to_string(),
            format!("testing → {to} needs at least one evidence link")
        );
        let decided = transition(&ready(Status::Testing), to, &with("", 2)).expect("decided");
        assert_eq!(decided.decided_at, NaiveDate::from_ymd_opt(2026, 11, 21));
    }
}

#[test]
fn parking_and_reopening_need_a_reason() {
    for from in Status::ALL.iter().copied().filter(|s| *s != Status::Parked) {
        let err = transition(&ready(from), Status::Parked, &with("  ", 1)).expect_err("refused");
        assert_eq!(err.to_string(), format!("{from} → parked needs a reason"));
    }
    for from in [Status::Validated, Status::Invalidated] {
        let err = transition(&ready(from), Status::Testing, &with("", 1)).expect_err("refused");
        assert_eq!(err.to_string(), format!("{from} → testing needs a reason"));
        let moved = transition(&ready(from), Status::Testing, &with("new data", 1)).expect("ok");
        assert_eq!(moved.status_reason, "new data");
    }
    let back = transition(&ready(Status::Parked), Status::Backlog, &with("", 0)).expect("ok");
    assert_eq!(back.status, Status::Backlog);
}

#[test]
fn validation_names_each_bad_field() {
    let bad = BacklogItem {
        statement: "  ".into(),
        impact: 6,
        uncertainty: 0,
        tags: vec!["ok".into(), "not ok!".into()],
        ..BacklogItem::default()
    };
    let errors = bad.validate().expect_err("invalid");
    assert_eq!(errors.message_for("statement"), Some("required"));
    assert_eq!(
        errors.message_for("impact"),
        Some("must be between 1 and 5")
    );
    assert_eq!(
        errors.message_for("uncertainty"),
        Some("must be between 1 and 5")
    );
    assert!(
        errors
            .message_for("tags")
            .is_some_and(|m| m.contains("not ok!"))
    );
    assert!(ready(Status::Validated).validate().is_ok());
}

#[test]
fn priority_is_impact_times_uncertainty() {
    let it = BacklogItem {
        impact: 4,
        uncertainty: 5,
        ..BacklogItem::default()
    };
    assert_eq!(it.priority(), 20);
    assert_eq!(
        BacklogItem::parse_tags("Pricing, field-ops  supers"),
        ["pricing", "field-ops", "supers"]
    );
}
