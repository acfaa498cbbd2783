//! The backlog sections: counts and age by status with a bar, what moved,
//! what was decided with its learning, stale tests and tests ready to decide.

use super::{Out, cell, clean, literal_start, opt_day};
use crate::review::model::{Backlog, StatusCount};

fn status_row(s: &StatusCount) -> Vec<String> {
    vec![
        format!("{} {}", s.status.symbol(), s.status),
        s.count.to_string(),
        s.mean_age_days
            .map_or_else(|| "—".into(), |a| format!("{a:.1}")),
        s.oldest_age_days
            .map_or_else(|| "—".into(), |a| a.to_string()),
        "█".repeat(s.count.min(40)),
    ]
}

pub(super) fn backlog(out: &mut Out, b: &Backlog) {
    out.heading("## Backlog");
    let rows: Vec<Vec<String>> = b.by_status.iter().map(status_row).collect();
    out.table(
        &["Status", "Items", "Mean age (days)", "Oldest (days)", ""],
        "lrrrl",
        &rows,
    );
    out.heading("### What moved this week");
    if b.moved.is_empty() {
        out.line("Nothing moved this week.");
    }
    for m in &b.moved {
        let from = m.from.map_or("new", |s| s.as_str());
        let steps: Vec<&str> = m.steps.iter().map(|s| s.as_str()).collect();
        let path = if steps.len() > 1 {
            format!(" (via {})", steps.join(" → "))
        } else {
            String::new()
        };
        out.line(format!(
            "- **{}** {from} → {}{path}: {}",
            m.item.key,
            m.to,
            clean(&m.item.statement)
        ));
    }
    out.heading("### Decided this week");
    if b.decided.is_empty() {
        out.line("Nothing was validated or invalidated this week.");
    }
    for (n, d) in b.decided.iter().enumerate() {
        if n > 0 {
            out.blank();
        }
        let decision = d.decision.map_or("no decision recorded", |x| x.as_str());
        out.line(format!(
            "**{} · {} · {decision}** ({}): {}",
            d.item.key,
            d.status,
            if d.owner.trim().is_empty() {
                "no owner"
            } else {
                d.owner.trim()
            },
            clean(&d.item.statement)
        ));
        out.blank();
        let learning: Vec<String> = d
            .learning
            .lines()
            .map(clean)
            .filter(|l| !l.is_empty())
            .collect();
        if learning.is_empty() {
            out.line("> (no learning written)");
        }
        for line in learning {
            out.line(format!("> {}", literal_start(&line)));
        }
    }
    out.heading(&format!(
        "### Stale tests (no new evidence for {} days)",
        crate::review::STALE_DAYS
    ));
    if b.stale.is_empty() {
        out.line("No test has gone quiet.");
    } else {
        let rows: Vec<Vec<String>> = b
            .stale
            .iter()
            .map(|s| {
                vec![
                    format!("{} {}", s.item.key, cell(&s.item.statement)),
                    cell(&s.owner),
                    s.days_in_testing.to_string(),
                    opt_day(s.last_evidence),
                    s.days_without_evidence.to_string(),
                ]
            })
            .collect();
        out.table(
            &[
                "Item",
                "Owner",
                "Days testing",
                "Last evidence",
                "Days quiet",
            ],
            "llrlr",
            &rows,
        );
    }
    out.heading("### Ready to decide");
    if b.ready_to_decide.is_empty() {
        out.line("No test's evidence leans clearly one way yet.");
    } else {
        let rows: Vec<Vec<String>> = b
            .ready_to_decide
            .iter()
            .map(|r| {
                vec![
                    format!("{} {}", r.item.key, cell(&r.item.statement)),
                    cell(&r.owner),
                    r.evidence.to_string(),
                    format!("+{}", r.supports),
                    format!("−{}", r.refutes),
                ]
            })
            .collect();
        out.table(
            &["Item", "Owner", "Links", "Supports", "Refutes"],
            "llrrr",
            &rows,
        );
    }
}
