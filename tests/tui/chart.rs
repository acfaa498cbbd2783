//! The chart view: a field by week from the Data grid (`Alt-c`) and from a
//! backlog item's metric field (`c`), with gaps for weeks without a value,
//! the criterion as a target, and its keys; screens at 120×40 and 80×24.

use crate::support::{act, demo, screen, start};
use concierge::app::chart::{ChartView, Range, Split};
use concierge::app::state::Mode;
use concierge::app::{Action, Pane, State};
use concierge::review::Aggregate;

fn chart(state: &State) -> &ChartView {
    match &state.mode {
        Mode::Chart(view) => view,
        other => panic!("no chart: {other:?}"),
    }
}

fn on_column(state: &mut State, store: &mut concierge::store::Store, key: &str) {
    act(
        state,
        store,
        &[Action::Pane(Pane::Data), Action::FirstColumn],
    );
    let col = state
        .grid
        .fields
        .iter()
        .position(|f| f.key == key)
        .expect("column");
    for _ in 0..col {
        act(state, store, &[Action::Right]);
    }
}

#[test]
fn the_grid_charts_its_column_by_week_with_gaps_not_zeros() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    on_column(&mut state, &mut store, "on_time_rate");
    act(&mut state, &mut store, &[Action::OpenChart]);
    let view = chart(&state);
    assert_eq!(view.field.key, "on_time_rate");
    assert_eq!(view.aggregate, Aggregate::Mean);
    assert_eq!((view.range, view.split), (Range::Weeks(16), Split::None));
    assert_eq!(view.weeks.len(), 16);
    let all = &view.lines[0];
    // The demo has ten weeks of entries: six of the sixteen are gaps,
    // and no point is a zero standing in for one.
    assert_eq!(all.filled, 10);
    assert!(all.runs.iter().flatten().all(|p| p.1 > 0.0));
    insta::assert_snapshot!("chart_on_time_rate_120x40", screen(&state));
    // Per customer: a customer with missing weeks has a broken line.
    act(&mut state, &mut store, &[Action::ChartSplit]);
    let view = chart(&state);
    assert!(view.lines.len() > 2);
    let broken = view
        .lines
        .iter()
        .skip(1)
        .find(|l| l.runs.len() > 1)
        .expect("a customer with a missing week in the middle");
    assert!(broken.filled < 10, "{}", broken.name);
    act(&mut state, &mut store, &[Action::Resize(80, 24)]);
    insta::assert_snapshot!("chart_per_customer_80x24", screen(&state));
    // Range and aggregate cycle; Esc goes back to the grid.
    act(&mut state, &mut store, &[Action::ChartRange]);
    assert_eq!(chart(&state).range, Range::Weeks(52));
    assert_eq!(chart(&state).weeks.len(), 52);
    act(&mut state, &mut store, &[Action::ChartRange]);
    assert_eq!(chart(&state).range, Range::All);
    assert_eq!(chart(&state).lines[0].filled, 10);
    act(&mut state, &mut store, &[Action::ChartAggregate]);
    assert_eq!(chart(&state).aggregate, Aggregate::Count);
    act(&mut state, &mut store, &[Action::Cancel]);
    assert!(matches!(state.mode, Mode::Normal));
    assert_eq!(state.pane, Pane::Data);
}

#[test]
fn a_backlog_item_charts_its_metric_with_the_criterion_as_target() {
    let (_dir, mut store) = demo();
    let field = store
        .fields()
        .expect("fields")
        .into_iter()
        .find(|f| f.key == "on_time_rate")
        .expect("field");
    let mut item = store.backlog_item(4).expect("H-4");
    item.metric_field = Some(field.id);
    item.criterion = "We are right if the on-time rate reaches 85% by W52".into();
    store.save_backlog(&item).expect("save");
    let mut state = start(&mut store);
    let at = state
        .backlog
        .ids
        .iter()
        .position(|id| *id == 4)
        .expect("H-4 listed");
    for _ in 0..at {
        act(&mut state, &mut store, &[Action::Down]);
    }
    act(&mut state, &mut store, &[Action::OpenChart]);
    let view = chart(&state);
    assert_eq!(view.target, Some(("H-4".to_string(), 0.85)));
    assert!(view.y.1 >= 0.85, "the target is on the chart");
    assert!(screen(&state).contains("H-4 target 85%"));
    // An item without a metric says how to add one.
    act(&mut state, &mut store, &[Action::Cancel, Action::Top]);
    if state.backlog.selected_id() != Some(4) {
        act(&mut state, &mut store, &[Action::OpenChart]);
        assert!(matches!(state.mode, Mode::Normal));
        assert!(
            state.status.text.contains("no metric field"),
            "{}",
            state.status.text
        );
    }
}
