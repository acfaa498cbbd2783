//! Live data in the review: how many active customers reported this week,
//! and each field's week-over-week change with a weekly series for
//! sparklines (a week without values is a gap, never a zero).

use super::compute::Ctx;
use super::model::{Aggregate, FieldTrend, LiveData, OptionCount};
use super::week::Week;
use super::{SERIES_WEEKS, rate, round4};
use crate::domain::entry::CellValue;
use crate::domain::{Field, FieldType};
use crate::store::review::EntryFact;

pub(super) fn live_data(ctx: &Ctx<'_>) -> LiveData {
    let weeks: Vec<Week> = (0..SERIES_WEEKS as i64)
        .rev()
        .map(|back| ctx.week.shifted(-back))
        .collect();
    let reported = |customer: i64| {
        ctx.data
            .entries
            .iter()
            .any(|e| e.customer_id == customer && ctx.week.contains(e.recorded_on))
    };
    let active = ctx.active();
    let missing: Vec<_> = active
        .iter()
        .filter(|c| !reported(c.id))
        .map(|c| ctx.customer_ref(c.id))
        .collect();
    let reporting = active.len() - missing.len();
    LiveData {
        active_customers: active.len(),
        reporting,
        completeness: rate(reporting, active.len()),
        missing,
        weeks: weeks.iter().map(Week::label).collect(),
        fields: ctx
            .data
            .fields
            .iter()
            .filter(|f| !f.archived)
            .map(|f| trend(f, &ctx.data.entries, &weeks))
            .collect(),
    }
}

/// A weekly series as its runs of consecutive weeks with a value, each as
/// `(week index, value)` points: how every chart keeps a gap a gap.
pub fn runs(series: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut run = Vec::new();
    for (i, v) in series.iter().enumerate() {
        match v {
            Some(v) => run.push((i as f64, *v)),
            None if !run.is_empty() => out.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// How a field's type is summed up over a week.
pub fn aggregate_for(field_type: FieldType) -> Aggregate {
    match field_type {
        FieldType::Integer => Aggregate::Sum,
        FieldType::Decimal | FieldType::Percent => Aggregate::Mean,
        FieldType::Boolean => Aggregate::ShareTrue,
        FieldType::Text | FieldType::Date | FieldType::Choice => Aggregate::Count,
    }
}

/// A field's weekly numbers over `weeks` (its type's aggregate), `None`
/// for a week without values: the grid's per-customer sparkline and a
/// hypothesis's metric trend.
pub fn weekly_series(field: &Field, entries: &[EntryFact], weeks: &[Week]) -> Vec<Option<f64>> {
    weekly_series_as(field, aggregate_for(field.field_type), entries, weeks)
}

/// [`weekly_series`] with another aggregate than the type's (the chart
/// view's sum, mean, share or count).
pub fn weekly_series_as(
    field: &Field,
    aggregate: Aggregate,
    entries: &[EntryFact],
    weeks: &[Week],
) -> Vec<Option<f64>> {
    weeks
        .iter()
        .map(|w| week_value(field.id, aggregate, entries, w))
        .collect()
}

fn trend(field: &Field, entries: &[EntryFact], weeks: &[Week]) -> FieldTrend {
    let aggregate = aggregate_for(field.field_type);
    let series = weekly_series(field, entries, weeks);
    let this_week = series.last().copied().flatten();
    let previous_week = series.iter().rev().nth(1).copied().flatten();
    let current: Vec<&CellValue> = weeks
        .last()
        .map(|w| values_in(field.id, entries, w))
        .unwrap_or_default();
    let reporting = |back: usize| {
        weeks
            .iter()
            .rev()
            .nth(back)
            .map_or(0, |w| reporting_customers(field.id, entries, w))
    };
    let mut trend = FieldTrend {
        key: field.key.clone(),
        label: field.label.clone(),
        unit: field.unit.clone(),
        field_type: field.field_type,
        aggregate,
        this_week,
        previous_week,
        change: this_week
            .zip(previous_week)
            .map(|(now, before)| round4(now - before)),
        values: current.len(),
        reporting: reporting(0),
        previous_reporting: reporting(1),
        shown: super::figures::Shown::default(),
        series,
        breakdown: if field.field_type == FieldType::Choice {
            breakdown(field, &current)
        } else {
            Vec::new()
        },
    };
    trend.shown = super::figures::shown(&trend);
    trend
}

/// How many customers entered a value of `field` in `week`.
fn reporting_customers(field: i64, entries: &[EntryFact], week: &Week) -> usize {
    let mut customers: Vec<i64> = entries
        .iter()
        .filter(|e| week.contains(e.recorded_on) && e.values.iter().any(|(id, _)| *id == field))
        .map(|e| e.customer_id)
        .collect();
    customers.sort_unstable();
    customers.dedup();
    customers.len()
}

fn values_in<'a>(field: i64, entries: &'a [EntryFact], week: &Week) -> Vec<&'a CellValue> {
    entries
        .iter()
        .filter(|e| week.contains(e.recorded_on))
        .filter_map(|e| e.values.iter().find(|(id, _)| *id == field).map(|(_, v)| v))
        .collect()
}

/// One week's number for a field; `None` when nothing was entered (for a
/// count: when the week has no entry at all).
fn week_value(field: i64, aggregate: Aggregate, entries: &[EntryFact], week: &Week) -> Option<f64> {
    let values = values_in(field, entries, week);
    if aggregate == Aggregate::Count {
        let any_entry = entries.iter().any(|e| week.contains(e.recorded_on));
        return any_entry.then_some(values.len() as f64);
    }
    let numbers: Vec<f64> = values
        .iter()
        .filter_map(|v| crate::domain::value::as_number(v))
        .collect();
    if numbers.is_empty() {
        return None;
    }
    let sum: f64 = numbers.iter().sum();
    Some(match aggregate {
        Aggregate::Sum => round4(sum),
        Aggregate::Mean | Aggregate::ShareTrue | Aggregate::Count => {
            round4(sum / numbers.len() as f64)
        }
    })
}

/// Each option's count this week, in the field's option order; values no
/// longer among the options follow.
fn breakdown(field: &Field, values: &[&CellValue]) -> Vec<OptionCount> {
    let texts: Vec<&str> = values
        .iter()
        .filter_map(|v| match v {
            CellValue::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    let mut options: Vec<String> = field.options.clone();
    for t in &texts {
        if !options.iter().any(|o| o == t) {
            options.push((*t).to_string());
        }
    }
    options
        .into_iter()
        .map(|value| OptionCount {
            count: texts.iter().filter(|t| **t == value).count(),
            value,
        })
        .collect()
}
