//! The live-data section: completeness and each field's week-over-week
//! change with a sparkline, numbers written as people read them.

use super::{Out, cell, clean, percent, sparkline};
use crate::domain::FieldType;
use crate::review::model::{Aggregate, FieldTrend, LiveData};

/// A field's weekly number as people read it (`78%`, `12.5 days`); the
/// HTML report shows the same.
pub(crate) fn value(t: &FieldTrend, v: f64) -> String {
    let percentish = t.field_type == FieldType::Percent || t.aggregate == Aggregate::ShareTrue;
    let number = if percentish {
        format!("{}%", number(v * 100.0))
    } else {
        number(v)
    };
    if t.unit.trim().is_empty() || percentish {
        number
    } else {
        format!("{number} {}", clean(&t.unit))
    }
}

fn number(v: f64) -> String {
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// The week-over-week change (`+4 pts`, `-2`, `—`).
pub(crate) fn change(t: &FieldTrend) -> String {
    let Some(c) = t.change else {
        return "—".into();
    };
    let percentish = t.field_type == FieldType::Percent || t.aggregate == Aggregate::ShareTrue;
    let (v, unit) = if percentish {
        (c * 100.0, " pts")
    } else {
        (c, "")
    };
    let sign = if v > 0.0 { "+" } else { "" };
    format!("{sign}{}{unit}", number(v))
}

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
            vec![
                cell(&t.label),
                how.into(),
                t.this_week.map_or_else(|| "—".into(), |v| value(t, v)),
                t.previous_week.map_or_else(|| "—".into(), |v| value(t, v)),
                change(t),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(10.951), "10.95");
        assert_eq!(number(-0.001), "0");
    }
}
