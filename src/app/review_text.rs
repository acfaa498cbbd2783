//! The Review pane's text, laid out in `update` from the computed review
//! and the walkthrough and kept in `State` (`ReviewPane::text`): the
//! week's numbers for the main column, live data, effort and history (or
//! the walkthrough card) for the side. Moving in the pane then only draws
//! a screenful of lines already built (on *large* building them was most
//! of a frame, 1.5 ms).

mod side;

use crate::app::review_pane::Walkthrough;
use crate::review::{AgendaItem, Review};
use crate::text::one_line;
use crate::theme::Theme;
use ratatui::text::{Line, Span};
use side::side_lines;

/// What the pane's text was laid out from.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub review: u64,
    pub walkthrough: Option<Walkthrough>,
    pub theme: Theme,
    pub two_columns: bool,
}

/// The pane's text: the main column, and the side one when there are two.
#[derive(Debug, Clone)]
pub struct LaidOut {
    pub key: Key,
    pub main: Vec<Line<'static>>,
    pub side: Vec<Line<'static>>,
}

pub fn lay_out(
    review: &Review,
    walkthrough: Option<&Walkthrough>,
    theme: Theme,
    key: Key,
) -> LaidOut {
    let mut lines = week_lines(review, theme);
    let mut side = match walkthrough {
        Some(walk) => walkthrough_lines(review, walk, theme),
        None => side_lines(review, theme),
    };
    if key.two_columns {
        return LaidOut {
            key,
            main: lines,
            side,
        };
    }
    // Narrow: one column, the walkthrough card first.
    if walkthrough.is_some() {
        side.push(Line::from(""));
        side.append(&mut lines);
        lines = side;
    } else {
        lines.append(&mut side);
    }
    LaidOut {
        key,
        main: lines,
        side: Vec::new(),
    }
}

pub(super) fn heading(text: String, theme: Theme) -> Line<'static> {
    Line::styled(text, theme.title())
}

pub(super) fn percent(share: Option<f64>) -> String {
    crate::review::figures::percent(share)
}

fn week_lines(r: &Review, theme: Theme) -> Vec<Line<'static>> {
    let c = &r.checkins;
    let mut lines = vec![heading(
        format!(
            "Check-ins  {} held · {} of {} due met ({}) · {} planned",
            c.held,
            c.due_met,
            c.due,
            percent(c.adherence),
            c.planned
        ),
        theme,
    )];
    for d in &c.due_customers {
        let (mark, style) = if d.met {
            ("✔", theme.good())
        } else {
            ("✘", theme.error())
        };
        lines.push(Line::styled(
            format!(
                "  {mark} {} {} (due {}, {})",
                d.customer.key,
                one_line(&d.customer.name),
                d.due_on.format("%m-%d"),
                d.owner
            ),
            style,
        ));
    }
    lines.push(Line::from(""));
    lines.push(heading(
        format!("Overdue customers ({})", r.overdue_customers.len()),
        theme,
    ));
    for o in &r.overdue_customers {
        lines.push(Line::styled(
            format!(
                "  ⚠ {} {}: {} days overdue (last {}, every {} d) · {}",
                o.customer.key,
                one_line(&o.customer.name),
                o.days_overdue,
                o.last_checkin
                    .map_or("never".into(), |d| d.format("%m-%d").to_string()),
                o.cadence_days,
                o.owner
            ),
            theme.error(),
        ));
    }
    lines.push(Line::from(""));
    lines.push(heading("Backlog by status (age in status)".into(), theme));
    let most = r
        .backlog
        .by_status
        .iter()
        .map(|s| s.count)
        .max()
        .unwrap_or(1)
        .max(1);
    for s in &r.backlog.by_status {
        let bar = "█".repeat(s.count * 24 / most);
        let age = s
            .mean_age_days
            .map(|a| {
                format!(
                    " · avg {a:.0} d, oldest {} d",
                    s.oldest_age_days.unwrap_or(0)
                )
            })
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {} {:<12}", s.status.symbol(), s.status.as_str()),
                theme.status(s.status),
            ),
            Span::styled(bar, theme.status(s.status)),
            Span::raw(format!(" {}{age}", s.count)),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(heading(
        format!("Moved this week ({})", r.backlog.moved.len()),
        theme,
    ));
    for m in &r.backlog.moved {
        let steps: Vec<&str> = m.steps.iter().map(|s| s.as_str()).collect();
        lines.push(Line::from(format!(
            "  {} {} · {}",
            m.item.key,
            steps.join(" → "),
            one_line(&m.item.statement)
        )));
    }
    lines.push(Line::from(""));
    lines.push(heading(
        format!("Decided this week ({})", r.backlog.decided.len()),
        theme,
    ));
    for d in &r.backlog.decided {
        let decision = d.decision.map_or("–", |x| x.as_str());
        lines.push(Line::styled(
            format!(
                "  {} {} · {decision}: {}",
                d.item.key,
                d.status,
                one_line(&d.learning)
            ),
            theme.status(d.status),
        ));
    }
    lines.push(Line::from(""));
    lines.push(heading(
        format!(
            "Stale tests: no new evidence for {} days ({})",
            crate::review::STALE_DAYS,
            r.backlog.stale.len()
        ),
        theme,
    ));
    for s in &r.backlog.stale {
        lines.push(Line::styled(
            format!(
                "  ◐ {} {} d in testing, {} d without evidence · {} · {}",
                s.item.key,
                s.days_in_testing,
                s.days_without_evidence,
                s.owner,
                one_line(&s.item.statement)
            ),
            theme.warn(),
        ));
    }
    lines.push(heading(
        format!("Ready to decide ({})", r.backlog.ready_to_decide.len()),
        theme,
    ));
    for s in &r.backlog.ready_to_decide {
        lines.push(Line::from(format!(
            "  {} +{} −{} · {} · {}",
            s.item.key,
            s.supports,
            s.refutes,
            s.owner,
            one_line(&s.item.statement)
        )));
    }
    lines.push(Line::from(""));
    let f = &r.followups;
    lines.push(heading(
        format!(
            "Follow-ups  {} open · {} overdue · {} done this week",
            f.open, f.overdue, f.done_this_week
        ),
        theme,
    ));
    for item in &f.items {
        let (mark, style) = if item.days_overdue.is_some() {
            ("⚠", theme.error())
        } else {
            ("○", ratatui::style::Style::default())
        };
        let due = item
            .due_on
            .map(|d| format!(" due {}", d.format("%m-%d")))
            .unwrap_or_default();
        lines.push(Line::styled(
            format!(
                "  {mark} {} {}{due} · {} · {}",
                item.key,
                one_line(&item.text),
                one_line(&item.customer.name),
                item.owner
            ),
            style,
        ));
    }
    lines
}

fn walkthrough_lines(r: &Review, w: &Walkthrough, theme: Theme) -> Vec<Line<'static>> {
    let total = w.agenda.len();
    let mut lines = Vec::new();
    match w.current() {
        None => {
            lines.push(heading(format!("Done: {total} items looked at"), theme));
            lines.push(Line::from(
                "f records the review (attendees, notes); Esc leaves without recording.",
            ));
        }
        Some(item) => {
            lines.push(heading(format!("{} of {total}", w.index + 1), theme));
            lines.extend(card(r, item, theme));
        }
    }
    if !w.done.is_empty() {
        lines.push(Line::from(""));
        lines.push(heading("So far".into(), theme));
        lines.extend(
            w.done
                .iter()
                .map(|d| Line::from(format!("  ✔ {}", one_line(d)))),
        );
    }
    lines
}

fn card(r: &Review, item: AgendaItem, theme: Theme) -> Vec<Line<'static>> {
    let key = item.key();
    let keys = |k: &str| Line::styled(k.to_string(), theme.label());
    match item {
        AgendaItem::StaleTest(_) | AgendaItem::ReadyToDecide(_) => {
            let stale = r.backlog.stale.iter().find(|s| s.item.key == key);
            let ready = r.backlog.ready_to_decide.iter().find(|s| s.item.key == key);
            let statement = stale
                .map(|s| s.item.statement.clone())
                .or_else(|| ready.map(|s| s.item.statement.clone()))
                .unwrap_or_default();
            let mut lines = vec![
                Line::styled(
                    if stale.is_some() {
                        "Stale test".to_string()
                    } else {
                        "Ready to decide".to_string()
                    },
                    theme.warn(),
                ),
                Line::from(format!("{key} {}", one_line(&statement))),
            ];
            if let Some(s) = stale {
                lines.push(Line::from(format!(
                    "{} days in testing, {} without new evidence · {}",
                    s.days_in_testing, s.days_without_evidence, s.owner
                )));
            }
            if let Some(s) = ready {
                lines.push(Line::from(format!(
                    "evidence +{} −{} over {} links · {}",
                    s.supports, s.refutes, s.evidence, s.owner
                )));
            }
            lines.push(Line::from(""));
            lines.push(keys("d decide · p park · n skip · b back · f finish"));
            lines
        }
        AgendaItem::OverdueCustomer(_) => {
            let o = r.overdue_customers.iter().find(|o| o.customer.key == key);
            let mut lines = vec![Line::styled("Overdue customer".to_string(), theme.error())];
            if let Some(o) = o {
                lines.push(Line::from(format!(
                    "{key} {} · {} days overdue · owner {}",
                    one_line(&o.customer.name),
                    o.days_overdue,
                    o.owner
                )));
                lines.push(Line::from(format!(
                    "last check-in {}, every {} days",
                    o.last_checkin.map_or("never".into(), |d| d.to_string()),
                    o.cadence_days
                )));
            }
            lines.push(Line::from(""));
            lines.push(keys("c schedule a check-in · n skip · b back · f finish"));
            lines
        }
        AgendaItem::OverdueFollowUp(_) => {
            let f = r.followups.items.iter().find(|f| f.key == key);
            let mut lines = vec![Line::styled("Overdue follow-up".to_string(), theme.error())];
            if let Some(f) = f {
                lines.push(Line::from(format!(
                    "{key} {} · {}",
                    one_line(&f.text),
                    one_line(&f.customer.name)
                )));
                lines.push(Line::from(format!(
                    "due {} ({} days ago) · {}",
                    f.due_on.map_or("–".into(), |d| d.to_string()),
                    f.days_overdue.unwrap_or(0),
                    f.owner
                )));
            }
            lines.push(Line::from(""));
            lines.push(keys("x mark done · n skip · b back · f finish"));
            lines
        }
    }
}
