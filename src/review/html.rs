//! The review as one self-contained HTML page for stakeholders: inline CSS
//! and inline SVG charts (no network, no other file), each chart beside a
//! table of its numbers, written from the same computed [`Review`] as the
//! Markdown and the JSON, with the same formatting of every number. User
//! text is escaped by the template (maud) and by the SVG backend. It
//! prints on A4 and letter (no chart is cut across pages) and follows the
//! reader's dark mode (charts sit on white cards).

mod charts;

use super::READY_WEIGHT;
use super::figures::{customer_minutes, effort_total, field_change, field_value, percent, uneven};
use super::markdown::long_day;
use super::model::{FieldTrend, Review};
use charts::{BLUE, Bars, GREEN, Mark, ORANGE, RED};
use maud::{DOCTYPE, Markup, PreEscaped, html};

const STYLE: &str = r"
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fafafa; --muted: #5c5c5c; --card: #ffffff; --rule: #d9d9d9; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8e8; --bg: #161616; --muted: #a8a8a8; --card: #242424; --rule: #3a3a3a; } }
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 760px; padding: 24px; }
h1 { font-size: 1.5em; margin-bottom: 0; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid var(--rule); }
.muted { color: var(--muted); }
figure { margin: 1em 0; padding: 10px; background: var(--card); border: 1px solid var(--rule); border-radius: 6px; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; background: #ffffff; border-radius: 4px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 0.92em; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--rule); vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
ul.glance { padding-left: 1.2em; }
@page { margin: 14mm; }
@media print { body { max-width: none; padding: 0; background: #ffffff; color: #000000; } figure { border-color: #bbbbbb; } h2 { break-after: avoid; } }
";

/// The whole review as an HTML document.
pub fn render(review: &Review) -> String {
    let title = format!(
        "Weekly review · {} · {}",
        review.workspace, review.week.label
    );
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { (title) }
                p.muted {
                    (long_day(review.week.start)) " to " (long_day(review.week.end))
                    " · as of " (long_day(review.as_of))
                    @if review.data.weeks.len() > 1 {
                        " · trends " (review.data.weeks.first().cloned().unwrap_or_default())
                        " to " (review.data.weeks.last().cloned().unwrap_or_default())
                    }
                }
                (glance(review))
                (checkins(review))
                (backlog(review))
                (evidence(review))
                (live_data(review))
                (effort(review))
            }
        }
    };
    page.into_string()
}

fn glance(r: &Review) -> Markup {
    html! {
        h2 { "At a glance" }
        ul.glance {
            li { b { "Check-ins: " } (r.checkins.held) " held; " (r.checkins.due_met) " of "
                 (r.checkins.due) " due customers met (" (percent(r.checkins.adherence)) ")" }
            li { b { "Overdue customers: " } (r.overdue_customers.len()) }
            li { b { "Decided this week: " } (r.backlog.decided.len()) }
            li { b { "Live data: " } (r.data.reporting) " of " (r.data.active_customers)
                 " active customers reported (" (percent(r.data.completeness)) ")" }
            li { b { "Concierge effort: " } (effort_total(&r.effort)) }
        }
    }
}

/// Check-ins held against due, per customer.
fn checkins(r: &Review) -> Markup {
    let mut names: Vec<String> = r
        .effort
        .per_customer
        .iter()
        .map(|c| c.customer.name.clone())
        .collect();
    for d in &r.checkins.due_customers {
        if !names.contains(&d.customer.name) {
            names.push(d.customer.name.clone());
        }
    }
    let held = |name: &str| {
        r.effort
            .per_customer
            .iter()
            .find(|c| c.customer.name == name)
            .map_or(0, |c| c.checkins)
    };
    let due = |name: &str| {
        usize::from(
            r.checkins
                .due_customers
                .iter()
                .any(|d| d.customer.name == name),
        )
    };
    let to_f = |n: usize| n as f64;
    let svg = charts::bars(
        "Check-ins held against due, per customer",
        &names,
        &[
            Bars {
                name: "held",
                color: BLUE,
                values: names.iter().map(|n| to_f(held(n))).collect(),
            },
            Bars {
                name: "due",
                color: ORANGE,
                values: names.iter().map(|n| to_f(due(n))).collect(),
            },
        ],
        &[],
    );
    html! {
        h2 { "Customers and check-ins" }
        figure {
            figcaption { "Check-ins held against due, per customer" }
            (PreEscaped(svg))
            table {
                tr { th { "customer" } th.n { "held" } th.n { "due" } }
                @for n in &names { tr { td { (n) } td.n { (held(n)) } td.n { (due(n)) } } }
            }
        }
        @if !r.overdue_customers.is_empty() {
            table {
                tr { th { "overdue customer" } th { "owner" } th { "due on" } th.n { "days overdue" } }
                @for c in &r.overdue_customers {
                    tr { td { (c.customer.key) " " (c.customer.name) } td { (c.owner) }
                         td { (c.due_on) } td.n { (c.days_overdue) } }
                }
            }
        }
    }
}

/// Backlog by status, with age.
fn backlog(r: &Review) -> Markup {
    let b = &r.backlog;
    let names: Vec<String> = b.by_status.iter().map(|s| s.status.to_string()).collect();
    let svg = charts::bars(
        "Backlog items by status",
        &names,
        &[Bars {
            name: "items",
            color: BLUE,
            values: b.by_status.iter().map(|s| s.count as f64).collect(),
        }],
        &[],
    );
    let age = |a: Option<f64>| a.map_or_else(|| "—".to_string(), |d| format!("{d:.1}"));
    html! {
        h2 { "Learning backlog" }
        figure {
            figcaption { "Backlog items by status, with age" }
            (PreEscaped(svg))
            table {
                tr { th { "status" } th.n { "items" } th.n { "mean age (days)" } th.n { "oldest (days)" } }
                @for s in &b.by_status {
                    tr { td { (s.status) } td.n { (s.count) } td.n { (age(s.mean_age_days)) }
                         td.n { (s.oldest_age_days.map_or_else(|| "—".to_string(), |d| d.to_string())) } }
                }
            }
        }
        @if !b.decided.is_empty() {
            h2 { "Decided this week" }
            table {
                tr { th { "item" } th { "status" } th { "decision" } th { "learning" } }
                @for d in &b.decided {
                    tr { td { (d.item.key) " " (d.item.statement) } td { (d.status) }
                         td { (d.decision.map(|x| x.to_string()).unwrap_or_default()) } td { (d.learning) } }
                }
            }
        }
    }
}

/// Weighted evidence per open test against the "ready to decide" line.
fn evidence(r: &Review) -> Markup {
    let tests = &r.backlog.open_tests;
    if tests.is_empty() {
        return html! {};
    }
    let names: Vec<String> = tests
        .iter()
        .map(|t| format!("{} {}", t.item.key, t.item.statement))
        .collect();
    let ready = READY_WEIGHT as f64;
    let svg = charts::bars(
        "Weighted evidence per open test",
        &names,
        &[
            Bars {
                name: "supports",
                color: GREEN,
                values: tests.iter().map(|t| t.supports as f64).collect(),
            },
            Bars {
                name: "refutes",
                color: RED,
                values: tests.iter().map(|t| -(t.refutes as f64)).collect(),
            },
        ],
        &[
            Mark {
                at: ready,
                label: "ready to decide",
            },
            Mark {
                at: -ready,
                label: "",
            },
        ],
    );
    html! {
        h2 { "Evidence on open tests" }
        figure {
            figcaption { "Weighted evidence per open test (said 1, did 2, paid 3); ready to decide at "
                         (READY_WEIGHT) " either way" }
            (PreEscaped(svg))
            table {
                tr { th { "test" } th { "criterion" } th.n { "links" } th.n { "supports" } th.n { "refutes" } }
                @for t in tests {
                    tr { td { (t.item.key) " " (t.item.statement) } td { (t.criterion) }
                         td.n { (t.evidence) } td.n { "+" (t.supports) } td.n { "−" (t.refutes) } }
                }
            }
        }
    }
}

/// Each field's weekly trend, gaps kept.
fn live_data(r: &Review) -> Markup {
    let weeks = &r.data.weeks;
    html! {
        h2 { "Live data" }
        p { (r.data.reporting) " of " (r.data.active_customers) " active customers reported this week ("
            (percent(r.data.completeness)) "). A week without any value is a gap in the line, never a zero." }
        @for t in &r.data.fields { (trend(t, weeks)) }
    }
}

fn trend(t: &FieldTrend, weeks: &[String]) -> Markup {
    let show = |v: f64| field_value(t, Some(v));
    let svg = charts::trend(&format!("{} by week", t.label), weeks, &t.series, &show);
    let cell = |v: Option<f64>| field_value(t, v);
    html! {
        figure {
            figcaption { (t.label) " · this week " (cell(t.this_week)) " · previous " (cell(t.previous_week))
                         " · change " (field_change(t))
                         @if let Some(note) = uneven(t) { " (" (note) ")" } }
            (PreEscaped(svg))
            @if weeks.len() <= 10 {
                table {
                    tr { @for w in weeks { th.n { (w.rsplit('-').next().unwrap_or(w)) } } }
                    tr { @for v in &t.series { td.n { (cell(*v)) } } }
                }
            } @else {
                table {
                    tr { th { "week" } th.n { (t.label) } }
                    @for (w, v) in weeks.iter().zip(&t.series) { tr { td { (w) } td.n { (cell(*v)) } } }
                }
            }
        }
    }
}

/// Concierge effort per customer.
fn effort(r: &Review) -> Markup {
    let e = &r.effort;
    if e.per_customer.is_empty() {
        return html! {
            h2 { "Concierge effort" }
            p { "No check-ins held this week, so no effort entered." }
        };
    }
    let names: Vec<String> = e
        .per_customer
        .iter()
        .map(|c| c.customer.name.clone())
        .collect();
    let svg = charts::bars(
        "Concierge effort per customer, in minutes",
        &names,
        &[Bars {
            name: "minutes",
            color: ORANGE,
            values: e.per_customer.iter().map(|c| c.minutes as f64).collect(),
        }],
        &[],
    );
    html! {
        h2 { "Concierge effort" }
        figure {
            figcaption { "Minutes of hand-work per customer · total " (effort_total(e)) }
            (PreEscaped(svg))
            table {
                tr { th { "customer" } th.n { "check-ins" } th.n { "minutes" } }
                @for c in &e.per_customer { tr { td { (c.customer.name) } td.n { (c.checkins) } td.n { (customer_minutes(c)) } } }
            }
        }
    }
}
