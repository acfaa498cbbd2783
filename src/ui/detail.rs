//! The detail pane beside (or below) each list: everything about the
//! selected record.

use super::checkins::health;
use super::text::{one_line, visible};
use super::theme::Theme;
use crate::app::State;
use crate::app::state::Detail;
use crate::store::{CustomerRow, EvidenceRow, FollowUpRow};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn render(state: &State, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let (title, lines) = match &state.detail {
        Detail::None => (
            " Detail ".to_string(),
            vec![Line::styled("Nothing selected.", theme.dim())],
        ),
        Detail::Backlog {
            row,
            evidence,
            trend,
        } => backlog(theme, row, evidence, trend.as_ref()),
        Detail::Customer {
            row,
            checkins,
            followups,
        } => customer(state, theme, row, checkins, followups),
        Detail::CheckIn {
            row,
            evidence,
            followups,
        } => {
            let k = &row.checkin;
            let mut lines = vec![
                Line::styled(one_line(&k.summary), theme.title()),
                field(theme, "customer", &row.customer),
                field(
                    theme,
                    "on",
                    &format!("{} · {} · by {}", k.occurred_on, k.kind, k.author),
                ),
                field(theme, "health", &health(k.health)),
                field(
                    theme,
                    "effort",
                    &k.effort_minutes.map_or("–".into(), |m| format!("{m} min")),
                ),
                Line::from(""),
            ];
            lines.extend(visible(&k.notes).lines().map(|l| Line::from(l.to_string())));
            evidence_lines(theme, &mut lines, evidence, false);
            followup_lines(state, theme, &mut lines, followups);
            (format!(" K-{} · {} ", k.id, k.occurred_on), lines)
        }
        Detail::Batch {
            batch,
            changes,
            undone_by,
        } => {
            let mut lines = vec![
                Line::styled(one_line(&batch.label), theme.title()),
                field(theme, "by", &format!("{} at {}", batch.actor, batch.at)),
            ];
            if let Some(undo) = batch.undoes {
                lines.push(field(theme, "undoes", &format!("batch {undo}")));
            }
            if let Some(by) = undone_by {
                lines.push(Line::styled(format!("undone by batch {by}"), theme.warn()));
            }
            lines.push(Line::from(""));
            let shown = changes.iter().filter(|c| {
                c.op != crate::domain::ChangeOp::Create
                    || c.new.as_deref().is_some_and(|v| !v.is_empty())
            });
            for c in shown.take(200) {
                let old = c.old.as_deref().map_or("∅".into(), one_line);
                let new = c.new.as_deref().map_or("∅".into(), one_line);
                let what = match c.op {
                    crate::domain::ChangeOp::Create => format!("+ {} = {new}", c.field),
                    crate::domain::ChangeOp::Delete => format!("− {} was {old}", c.field),
                    crate::domain::ChangeOp::Update => format!("{}: {old} → {new}", c.field),
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{} ", c.record), theme.label()),
                    Span::raw(what),
                ]));
            }
            (format!(" Batch #{} ", batch.id), lines)
        }
    };
    let block = Block::bordered().title(Line::styled(title, theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// The non-empty parts joined, or "–" when there is none (an empty field
/// is never drawn as stray separators like `contact:  <>`).
fn present(parts: &[&str], separator: &str) -> String {
    let parts: Vec<&str> = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        "–".to_owned()
    } else {
        parts.join(separator)
    }
}

/// "Jen Ruiz <jen@x.com>", or whichever of the two is there, or "–".
fn contact(name: &str, email: &str) -> String {
    match (name.trim(), email.trim()) {
        ("", "") => "–".to_owned(),
        (name, "") => name.to_owned(),
        ("", email) => format!("<{email}>"),
        (name, email) => format!("{name} <{email}>"),
    }
}

fn field(theme: Theme, name: &str, value: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{name}: "), theme.label()),
        Span::raw(one_line(value)),
    ])
}

fn backlog(
    theme: Theme,
    row: &crate::store::BacklogRow,
    evidence: &[EvidenceRow],
    trend: Option<&crate::app::grid::Spark>,
) -> (String, Vec<Line<'static>>) {
    let it = &row.item;
    let mut lines = vec![
        Line::styled(one_line(&it.statement), theme.title()),
        Line::from(vec![
            Span::styled(
                format!("{} {}", it.status.symbol(), it.status),
                theme.status(it.status),
            ),
            Span::raw(format!(
                " since {} · priority {} (impact {} × uncertainty {})",
                it.status_since,
                it.priority(),
                it.impact,
                it.uncertainty
            )),
        ]),
        field(theme, "category", it.category.map_or("–", |c| c.as_str())),
        field(
            theme,
            "owner",
            &format!("{}   tags: {}", it.owner, it.tags.join(" ")),
        ),
        field(theme, "test", &it.test),
        field(theme, "metric", &it.metric),
        field(theme, "criterion", &it.criterion),
    ];
    if let Some(trend) = trend {
        lines.push(metric_trend(theme, trend));
    }
    if !it.status_reason.is_empty() {
        lines.push(field(theme, "reason", &it.status_reason));
    }
    if !it.learning.is_empty() {
        lines.push(Line::styled("learning:", theme.label()));
        lines.extend(
            visible(&it.learning)
                .lines()
                .map(|l| Line::from(format!("  {l}"))),
        );
    }
    if let Some(decision) = it.decision {
        let on = it
            .decided_at
            .map(|d| format!(" on {d}"))
            .unwrap_or_default();
        lines.push(field(theme, "decision", &format!("{decision}{on}")));
    }
    let (plus, minus) = row.tally;
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!(
            "Evidence +{plus} −{minus} ({})",
            crate::domain::words::count(evidence.len(), "link", "links")
        ),
        theme.title(),
    ));
    evidence_lines(theme, &mut lines, evidence, true);
    (
        format!(" H-{} · {} · {} ", it.id, it.kind, it.status),
        lines,
    )
}

fn evidence_lines(
    theme: Theme,
    lines: &mut Vec<Line<'static>>,
    evidence: &[EvidenceRow],
    from_item: bool,
) {
    if !from_item && !evidence.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled("Evidence", theme.title()));
    }
    for e in evidence {
        let l = &e.link;
        let source = if from_item {
            format!(
                "K-{} {} {}",
                l.checkin_id.unwrap_or_default(),
                e.customer.as_deref().unwrap_or("–"),
                e.checkin_on.as_deref().unwrap_or("")
            )
        } else {
            format!("H-{} {}", l.item_id, e.item_statement)
        };
        let style = match l.stance {
            crate::domain::Stance::Supports => theme.good(),
            crate::domain::Stance::Refutes => theme.error(),
            crate::domain::Stance::Informs => theme.dim(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} {} ", l.stance, l.strength), style),
            Span::raw(one_line(&source)),
        ]));
        if !l.quote.is_empty() {
            lines.push(Line::styled(
                format!("    “{}”", one_line(&l.quote)),
                theme.dim(),
            ));
        }
    }
}

fn followup_lines(
    state: &State,
    theme: Theme,
    lines: &mut Vec<Line<'static>>,
    followups: &[FollowUpRow],
) {
    if followups.is_empty() {
        return;
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Follow-ups", theme.title()));
    for f in followups {
        let f = &f.followup;
        let (mark, style) = if f.done_at.is_some() {
            ("✔", theme.dim())
        } else if f.is_overdue(state.today) {
            ("⚠", theme.error())
        } else {
            ("○", ratatui::style::Style::default())
        };
        let due = f.due_on.map(|d| format!(" (due {d})")).unwrap_or_default();
        lines.push(Line::styled(
            format!("{mark} F-{} {}{due} · {}", f.id, one_line(&f.text), f.owner),
            style,
        ));
    }
}

fn customer(
    state: &State,
    theme: Theme,
    row: &CustomerRow,
    checkins: &[crate::store::CheckInRow],
    followups: &[FollowUpRow],
) -> (String, Vec<Line<'static>>) {
    let c = &row.customer;
    let due = match (row.next_due, row.overdue) {
        (Some(d), true) => Span::styled(format!("⚠ overdue since {d}"), theme.error()),
        (Some(d), false) => Span::raw(d.to_string()),
        (None, _) => Span::raw("–"),
    };
    let agreement = c
        .agreement_signed_on
        .map_or_else(|| "not signed".to_string(), |d| format!("signed {d}"));
    let mut lines = vec![
        Line::styled(one_line(&c.name), theme.title()),
        Line::from(vec![
            Span::styled(
                format!("{} {}", c.stage.symbol(), c.stage),
                theme.stage(c.stage),
            ),
            Span::raw(format!(
                " · ICP fit {} · {}",
                c.icp_fit,
                if c.owner.trim().is_empty() {
                    "no owner".to_owned()
                } else {
                    format!("owner {}", c.owner)
                }
            )),
        ]),
        field(theme, "company", &present(&[&c.company, &c.segment], " · ")),
        field(
            theme,
            "contact",
            &contact(&c.contact_name, &c.contact_email),
        ),
        field(theme, "agreement", &agreement),
        Line::from(vec![
            Span::styled("next due: ", theme.label()),
            due,
            Span::raw(format!(
                " (every {})",
                crate::domain::words::count(c.cadence_days, "day", "days")
            )),
        ]),
        field(
            theme,
            "effort",
            &if row.checkins == 0 {
                "no check-ins yet".to_owned()
            } else {
                format!(
                    "{} min of concierge work over {}",
                    row.effort_minutes,
                    crate::domain::words::count(row.checkins, "check-in", "check-ins")
                )
            },
        ),
    ];
    if !c.notes.is_empty() {
        lines.push(Line::from(""));
        lines.extend(visible(&c.notes).lines().map(|l| Line::from(l.to_string())));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Timeline", theme.title()));
    for k in checkins {
        let ck = &k.checkin;
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{} K-{} {:<8} ",
                ck.occurred_on,
                ck.id,
                ck.kind.as_str()
            )),
            Span::styled(
                format!("{:<4} ", health(ck.health)),
                theme.health(ck.health),
            ),
            Span::raw(one_line(&ck.summary)),
        ]));
    }
    followup_lines(state, theme, &mut lines, followups);
    (format!(" C-{} · {} ", c.id, c.stage), lines)
}

/// "trend: Submittals logged by week W40…W47 ▃▅·▇ last 82 (prev 97)":
/// the linked field's weekly figure (sum, mean or share by its type)
/// over everyone, next to the criterion it is judged by.
fn metric_trend(theme: Theme, trend: &crate::app::grid::Spark) -> Line<'static> {
    let known: Vec<f64> = trend
        .series
        .iter()
        .rev()
        .filter_map(|v| *v)
        .take(2)
        .collect();
    let figures = match known.as_slice() {
        [last, prev, ..] => format!(" last {} (before {})", short(*last), short(*prev)),
        [last] => format!(" last {}", short(*last)),
        [] => " no values yet".to_string(),
    };
    Line::from(vec![
        Span::styled("trend: ", theme.label()),
        Span::raw(format!(
            "{} by week {}…{} ",
            one_line(&trend.field),
            trend.first_week,
            trend.last_week
        )),
        Span::styled(
            crate::review::markdown::sparkline(&trend.series),
            theme.good(),
        ),
        Span::raw(figures),
    ])
}

fn short(v: f64) -> String {
    crate::domain::value::display_number(crate::domain::FieldType::Decimal, v)
}
