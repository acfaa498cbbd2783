//! The Review pane's right side: live data (each field's figures as the
//! report writes them, from `review::figures`), concierge effort, volume
//! and what changed since the last review.

use super::{heading, percent};
use crate::domain::words::count;
use crate::review::markdown::sparkline;
use crate::review::{FieldTrend, Review, figures};
use crate::text::one_line;
use crate::theme::Theme;
use ratatui::text::{Line, Span};

/// One field: this week, the change (figures as the report writes them),
/// the sparkline, and a mark when the sums compare unlike weeks.
fn trend_lines(t: &FieldTrend, theme: Theme) -> Vec<Line<'static>> {
    let arrow = match t.change {
        Some(c) if c > 0.0 => "▲",
        Some(c) if c < 0.0 => "▼",
        Some(_) => "■",
        None => " ",
    };
    let mut lines = vec![Line::from(vec![
        Span::raw(format!(
            "  {:<20} {:>9} {arrow} {:<10} {}",
            one_line(&t.key),
            t.shown.this_week,
            t.shown.change,
            sparkline(&t.series)
        )),
        Span::styled(
            if t.shown.uneven.is_some() { " ≠" } else { "" },
            theme.warn(),
        ),
    ])];
    if let Some(unlike) = &t.shown.uneven {
        lines.push(Line::styled(
            format!("    ≠ sums over unlike weeks: {unlike}"),
            theme.warn(),
        ));
    }
    lines
}

pub(super) fn side_lines(r: &Review, theme: Theme) -> Vec<Line<'static>> {
    let data = &r.data;
    let mut lines = vec![heading(
        format!(
            "Live data  {} of {} active customers reported ({})",
            data.reporting,
            data.active_customers,
            percent(data.completeness)
        ),
        theme,
    )];
    if !data.missing.is_empty() {
        let names: Vec<String> = data
            .missing
            .iter()
            .map(|c| format!("{} {}", c.key, one_line(&c.name)))
            .collect();
        lines.push(Line::styled(
            format!("  missing: {}", names.join(", ")),
            theme.warn(),
        ));
    }
    lines.push(Line::styled(
        format!(
            "  {:<20} {:>9}   {:<10} {} weeks",
            "field",
            "week",
            "change",
            data.weeks.len()
        ),
        theme.dim(),
    ));
    lines.extend(data.fields.iter().flat_map(|t| trend_lines(t, theme)));
    lines.push(Line::from(""));
    let effort = &r.effort;
    lines.push(heading(
        format!(
            "Concierge effort  {} · last week {}",
            figures::effort_total(effort),
            figures::effort_previous(effort)
        ),
        theme,
    ));
    for c in &effort.per_customer {
        lines.push(Line::from(format!(
            "  {:>11}  {} {} ({})",
            figures::customer_minutes(c),
            c.customer.key,
            one_line(&c.customer.name),
            count(c.checkins, "check-in", "check-ins")
        )));
    }
    lines.push(Line::from(""));
    let volume = &r.volume;
    lines.push(heading("Volume".into(), theme));
    lines.push(Line::from(format!(
        "  in: {}, {}",
        count(volume.items_created, "item", "items"),
        count(volume.customers_created, "customer", "customers")
    )));
    lines.push(Line::from(format!(
        "  out: {} decided, {} graduated, {} dropped",
        volume.items_decided, volume.customers_graduated, volume.customers_dropped
    )));
    lines.push(Line::from(""));
    match &r.since_last_review {
        Some(s) => {
            lines.push(heading(
                format!(
                    "Since the last review ({} {}): {}",
                    s.review.key,
                    s.review.week,
                    count(s.batches, "change", "changes")
                ),
                theme,
            ));
            for b in &s.recent {
                lines.push(Line::from(format!(
                    "  #{} {} {}",
                    b.id,
                    b.actor,
                    one_line(&b.label)
                )));
            }
        }
        None => lines.push(Line::styled(
            "No earlier review recorded: w walks through and records one.",
            theme.dim(),
        )),
    }
    for rec in &r.recorded {
        lines.push(Line::styled(
            format!(
                "✔ {} recorded {} with {}",
                rec.key,
                rec.held_at,
                rec.attendees.join(", ")
            ),
            theme.good(),
        ));
    }
    lines
}
