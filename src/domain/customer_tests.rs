use super::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("valid test date")
}

fn at(stage: Stage) -> Customer {
    Customer {
        name: "Harbor Builders".into(),
        stage,
        agreement_signed_on: Some(day(1)),
        ..Customer::default()
    }
}

#[test]
fn every_legal_stage_step_succeeds() {
    for from in Stage::ALL {
        for to in from.next_stages() {
            let moved = change_stage(&at(*from), *to, None).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(moved.stage, *to);
        }
    }
}

#[test]
fn every_illegal_stage_step_names_the_allowed_ones() {
    for from in Stage::ALL {
        for to in Stage::ALL {
            if from.next_stages().contains(to) {
                continue;
            }
            let err = change_stage(&at(*from), *to, None).expect_err("illegal");
            assert!(err.to_string().contains("a customer can go to"), "{err}");
        }
    }
    let err = change_stage(&at(Stage::Graduated), Stage::Active, None).expect_err("final");
    assert!(err.to_string().ends_with("nothing (final stage)"));
}

#[test]
fn dropped_is_reachable_from_every_live_stage() {
    for from in Stage::ALL
        .iter()
        .filter(|s| !matches!(s, Stage::Graduated | Stage::Dropped))
    {
        assert!(from.next_stages().contains(&Stage::Dropped), "{from}");
    }
}

#[test]
fn active_needs_the_agreement_date() {
    let mut c = at(Stage::Onboarding);
    c.agreement_signed_on = None;
    let err = change_stage(&c, Stage::Active, None).expect_err("refused");
    assert_eq!(
        err.to_string(),
        "onboarding → active needs the agreement date (agreement_signed_on)"
    );
    let moved = change_stage(&c, Stage::Active, Some(day(20))).expect("given the date");
    assert_eq!(moved.agreement_signed_on, Some(day(20)));
}

#[test]
fn next_due_and_overdue_follow_the_cadence() {
    let c = at(Stage::Active);
    assert_eq!(c.next_due(None), Some(day(8)));
    assert_eq!(c.next_due(Some(day(10))), Some(day(17)));
    assert!(c.is_overdue(Some(day(10)), day(18)));
    assert!(!c.is_overdue(Some(day(10)), day(17)));
    assert!(!at(Stage::Paused).is_overdue(Some(day(1)), day(30)));
}

#[test]
fn validation_checks_email_cadence_and_name() {
    let bad = Customer {
        name: String::new(),
        contact_email: "dana at example".into(),
        cadence_days: 0,
        ..Customer::default()
    };
    let errors = bad.validate().expect_err("invalid");
    assert_eq!(errors.message_for("name"), Some("required"));
    assert!(errors.message_for("contact_email").is_some());
    assert!(errors.message_for("cadence_days").is_some());
    assert!(is_email("dana@harbor.build"));
    assert!(!is_email("a@b"));
}

#[test]
fn a_customer_with_history_is_refused_in_counted_words() {
    assert_eq!(delete_refusal(History::default()), None);
    let history = History {
        checkins: 1,
        entries: 0,
        follow_ups: 2,
    };
    assert_eq!(
        delete_refusal(history).as_deref(),
        Some(
            "it has 1 check-in, 0 data entries and 2 follow-ups; set its stage to dropped instead"
        )
    );
}
