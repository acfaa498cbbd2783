//! The live-data section: completeness and each field's week-over-week
//! change with a sparkline, numbers written as people read them.

use super::{Out, cell, clean, percent, sparkline};
use crate::review::model::{Aggregate, LiveData};

pub(super) fn live_data(out: &mut Out, d: &LiveData) {
    out.heading("## Live data");
    out.line(format!(
        "{} of {} active customers recorded an entry this week ({}).",
        d.reporting,
        d.active_customers,
        percent(d.completeness)
    ));
    if !d.missing.is_empty() {
        let names: Vec<String> = d
            .missing
            .iter()
            .map(|c| format!("{} {}", c.key, clean(&c.name)))
            .collect();
        out.line(format!("Missing: {}.", names.join(", ")));
    }
    if d.fields.is_empty() {
        return;
    }
    out.blank();
    let first = d.weeks.first().map_or("", String::as_str);
    let trend_header = format!(
        "Trend ({first} to {})",
        d.weeks.last().map_or("", String::as_str)
    );
    let rows: Vec<Vec<String>> = d
        .fields
        .iter()
        .map(|t| {
            let how = match t.aggregate {
                Aggregate::Sum => "sum",
                Aggregate::Mean => "mean",
                Aggregate::ShareTrue => "share yes",
                Aggregate::Count => "entered",
            };
            let change = match &t.shown.uneven {
                Some(unlike) => format!("{} ({unlike})", t.shown.change),
                None => t.shown.change.clone(),
            };
            vec![
                cell(&t.label),
                how.into(),
                t.shown.this_week.clone(),
                t.shown.previous_week.clone(),
                change,
                sparkline(&t.series),
            ]
        })
        .collect();
    out.table(
        &[
            "Field",
            "How",
            "This week",
            "Previous",
            "Change",
            &trend_header,
        ],
        "llrrrl",
        &rows,
    );
    for t in d.fields.iter().filter(|t| !t.breakdown.is_empty()) {
        let parts: Vec<String> = t
            .breakdown
            .iter()
            .map(|o| format!("{} {}", clean(&o.value), o.count))
            .collect();
        out.blank();
        out.line(format!(
            "{} this week: {}.",
            clean(&t.label),
            parts.join(", ")
        ));
    }
}
