//! Every review figure as people read it, written once: the Review pane,
//! the Markdown report and the JSON's `shown` texts all call these, so the
//! pane can never show `0.8` where the report says `80.67%`.

use super::model::{Aggregate, CustomerEffort, Effort, FieldTrend};
use crate::domain::FieldType;
use serde::Serialize;

/// What a week without a value shows.
pub const NONE: &str = "—";

/// A field's figures as shown (the JSON's `shown` of each field).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub this_week: String,
    pub previous_week: String,
    pub change: String,
    /// Set when the change compares sums over different numbers of
    /// reporting customers ("9 customers vs 7"): the sums are not alike.
    pub uneven: Option<String>,
}

/// A number with at most two decimals, trailing zeros dropped.
pub fn number(v: f64) -> String {
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// A rate 0–1 as a whole percent; `n/a` without one.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".into(), |r| format!("{:.0}%", r * 100.0))
}

fn percentish(t: &FieldTrend) -> bool {
    t.field_type == FieldType::Percent || t.aggregate == Aggregate::ShareTrue
}

/// A field's weekly number: percents as percents, the unit after others.
pub fn field_value(t: &FieldTrend, v: Option<f64>) -> String {
    let Some(v) = v else {
        return NONE.into();
    };
    if percentish(t) {
        return format!("{}%", number(v * 100.0));
    }
    let number = number(v);
    if t.unit.trim().is_empty() {
        number
    } else {
        format!("{number} {}", super::markdown::clean(&t.unit))
    }
}

/// A field's week-over-week change: signed, in points for percents.
pub fn field_change(t: &FieldTrend) -> String {
    let Some(c) = t.change else {
        return NONE.into();
    };
    let (v, unit) = if percentish(t) {
        (c * 100.0, " pts")
    } else {
        (c, "")
    };
    let sign = if v > 0.0 { "+" } else { "" };
    format!("{sign}{}{unit}", number(v))
}

/// "9 customers vs 7" when a summed field's change compares weeks with
/// different numbers of reporting customers.
pub fn uneven(t: &FieldTrend) -> Option<String> {
    let compared = t.change.is_some() && t.aggregate == Aggregate::Sum;
    (compared && t.reporting != t.previous_reporting)
        .then(|| format!("{} vs {}", customers(t.reporting), t.previous_reporting))
}

fn customers(n: usize) -> String {
    format!("{n} customer{}", if n == 1 { "" } else { "s" })
}

/// All of a field's figures.
pub fn shown(t: &FieldTrend) -> Shown {
    Shown {
        this_week: field_value(t, t.this_week),
        previous_week: field_value(t, t.previous_week),
        change: field_change(t),
        uneven: uneven(t),
    }
}

/// Minutes of hand-work, or "not entered" when none of the check-ins
/// behind them had minutes entered (never a made-up `0 min`).
pub fn minutes(minutes: i64, entered: usize) -> String {
    if entered == 0 {
        "not entered".into()
    } else {
        format!("{minutes} min")
    }
}

/// The week's total effort ("95 min (1.6 h)", or "not entered").
pub fn effort_total(e: &Effort) -> String {
    let entered = e.checkins - e.unrecorded;
    if entered == 0 {
        return "not entered".into();
    }
    format!(
        "{} min ({:.1} h)",
        e.total_minutes,
        e.total_minutes as f64 / 60.0
    )
}

/// The previous week's effort ("670 min", or "not entered").
pub fn effort_previous(e: &Effort) -> String {
    minutes(e.previous_week_minutes, e.previous_week_entered)
}

/// One customer's effort this week.
pub fn customer_minutes(c: &CustomerEffort) -> String {
    minutes(c.minutes, c.entered)
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

    #[test]
    fn minutes_never_invent_a_zero() {
        assert_eq!(minutes(0, 0), "not entered");
        assert_eq!(minutes(0, 2), "0 min");
        assert_eq!(minutes(95, 1), "95 min");
    }
}
