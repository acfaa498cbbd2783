//! The Review pane shows the report's numbers (issue #14): one formatter
//! (`review::figures`) serves the pane, the Markdown and the JSON's
//! `shown`, so on the demo every field's figures on screen are the JSON
//! report's; effort without minutes reads "not entered"; sums over weeks
//! with different reporting customers are marked; and the pane has the
//! report's "Decided this week".

use crate::support::{act, demo, screen, start};
use concierge::app::{Action, Pane};
use concierge::domain::{CheckIn, CheckInKind, Meta};
use concierge::review::{json, markdown};
use serde_json::Value as Json;

fn review_json(state: &concierge::app::State) -> Json {
    let review = state.review.review.as_deref().expect("computed review");
    serde_json::from_str(&json::render(review).expect("json")).expect("parses")
}

#[test]
fn the_panes_field_figures_are_the_json_reports() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Pane(Pane::Review)]);
    let text = screen(&state);
    let report = review_json(&state);
    let md = markdown::render(state.review.review.as_deref().expect("review"));
    let fields = report["data"]["fields"].as_array().expect("fields");
    assert_eq!(fields.len(), 8);
    for f in fields {
        let key = f["key"].as_str().expect("key");
        let shown = &f["shown"];
        let (this, prev, change) = (
            shown["this_week"].as_str().expect("this"),
            shown["previous_week"].as_str().expect("previous"),
            shown["change"].as_str().expect("change"),
        );
        let line = text
            .lines()
            .find(|l| l.contains(&format!("  {key} ")))
            .unwrap_or_else(|| panic!("{key} not on screen:\n{text}"));
        assert!(line.contains(this), "{key}: {this} not in {line}");
        assert!(
            line.contains(&format!(" {change} ")),
            "{key}: {change} not in {line}"
        );
        let row = format!("| {this} | {prev} | {change}");
        assert!(md.contains(&row), "{key}: Markdown lacks {row}");
    }
    // The figures are the numbers, as people read them: a percent field's
    // 0.7667 is 76.67%, its change 0.0067 is +0.67 pts.
    let on_time = fields
        .iter()
        .find(|f| f["key"] == "on_time_rate")
        .expect("on_time_rate");
    let (now, before) = (
        on_time["this_week"].as_f64().expect("number"),
        on_time["previous_week"].as_f64().expect("number"),
    );
    assert_eq!(
        on_time["shown"]["this_week"],
        format!("{}%", (now * 10_000.0).round() / 100.0)
    );
    assert_eq!(
        on_time["shown"]["change"],
        format!("+{} pts", ((now - before) * 10_000.0).round() / 100.0)
    );
    assert!(!text.contains("on_time_rate             0.8"), "{text}");
}

#[test]
fn sums_over_unlike_weeks_are_marked() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Pane(Pane::Review)]);
    let report = review_json(&state);
    let fields = report["data"]["fields"].as_array().expect("fields");
    let text = screen(&state);
    for f in fields {
        let (now, before) = (f["reporting"].as_u64(), f["previous_reporting"].as_u64());
        let summed = f["aggregate"] == "sum" && !f["change"].is_null();
        let unlike = summed && now != before;
        assert_eq!(f["shown"]["uneven"].is_string(), unlike, "{}", f["key"]);
        if unlike {
            let note = format!(
                "≠ sums over unlike weeks: {} customers vs {}",
                now.expect("count"),
                before.expect("count")
            );
            assert_eq!(
                f["shown"]["uneven"],
                note.trim_start_matches("≠ sums over unlike weeks: ")
            );
            assert!(text.contains(&note), "{note}\n{text}");
        }
    }
    assert!(
        fields.iter().any(|f| f["shown"]["uneven"].is_string()),
        "the demo has a summed field whose reporting customers changed"
    );
}

#[test]
fn effort_without_minutes_is_not_entered_and_decisions_have_their_section() {
    let (_dir, mut store) = demo();
    let call = CheckIn {
        id: 0,
        customer_id: 1,
        occurred_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("day"),
        kind: CheckInKind::Call,
        author: "dana".into(),
        summary: "Quick call about the renewal".into(),
        notes: String::new(),
        health: None,
        effort_minutes: None,
        meta: Meta::default(),
    };
    store
        .save_checkin(&call)
        .expect("a check-in without minutes");
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Pane(Pane::Review)]);
    let text = screen(&state);
    assert!(
        text.contains("not entered  C-1 Alder & Finch (1 check-in)"),
        "{text}"
    );
    assert!(!text.contains(" 0 min  C-1 Alder"), "{text}");
    let report = review_json(&state);
    let c1 = report["effort"]["per_customer"]
        .as_array()
        .expect("per customer")
        .iter()
        .find(|c| c["customer"]["key"] == "C-1")
        .expect("C-1");
    assert_eq!(c1["entered"], 0);
    assert_eq!(c1["minutes"], 0);

    // A week with decisions: the pane lists them under the report's heading.
    act(&mut state, &mut store, &[Action::PrevWeek]);
    let report = review_json(&state);
    let decided = report["backlog"]["decided"].as_array().expect("decided");
    let text = screen(&state);
    assert!(
        text.contains(&format!("Decided this week ({})", decided.len())),
        "{text}"
    );
}
