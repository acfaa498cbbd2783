//! The customer-facing sections: check-ins against cadence, overdue
//! customers, follow-ups, concierge effort, volume in and out, and what
//! changed since the last recorded review.

use super::{Out, cell, clean, opt_day, percent, plural};
use crate::review::model::{Review, SinceLastReview};

pub(super) fn customers(out: &mut Out, r: &Review) {
    out.heading("## Check-ins");
    let c = &r.checkins;
    out.line(format!(
        "{} held with {} this week; {} planned for later in the week. Cadence adherence: {} of {} due customers met ({}).",
        plural(c.held, "check-in", "check-ins"),
        plural(c.customers_met, "customer", "customers"),
        c.planned,
        c.due_met,
        c.due,
        percent(c.adherence)
    ));
    if !c.due_customers.is_empty() {
        out.blank();
        let rows: Vec<Vec<String>> = c
            .due_customers
            .iter()
            .map(|d| {
                vec![
                    format!("{} {}", d.customer.key, cell(&d.customer.name)),
                    cell(&d.owner),
                    d.due_on.to_string(),
                    if d.met { "yes" } else { "**no**" }.into(),
                ]
            })
            .collect();
        out.table(&["Customer", "Owner", "Due", "Checked in"], "llll", &rows);
    }
    out.heading("## Overdue customers");
    if r.overdue_customers.is_empty() {
        out.line("No active customer is overdue.");
        return;
    }
    let rows: Vec<Vec<String>> = r
        .overdue_customers
        .iter()
        .map(|o| {
            vec![
                format!("{} {}", o.customer.key, cell(&o.customer.name)),
                cell(&o.owner),
                opt_day(o.last_checkin),
                o.due_on.to_string(),
                o.days_overdue.to_string(),
            ]
        })
        .collect();
    out.table(
        &["Customer", "Owner", "Last check-in", "Due", "Days overdue"],
        "llllr",
        &rows,
    );
}

pub(super) fn followups(out: &mut Out, r: &Review) {
    out.heading("## Follow-ups");
    let f = &r.followups;
    out.line(format!(
        "{} open, {} overdue, {} done this week.",
        f.open, f.overdue, f.done_this_week
    ));
    if f.items.is_empty() {
        return;
    }
    out.blank();
    let rows: Vec<Vec<String>> = f
        .items
        .iter()
        .map(|i| {
            vec![
                format!("{} {}", i.key, cell(&i.text)),
                format!("{} {}", i.customer.key, cell(&i.customer.name)),
                cell(&i.owner),
                opt_day(i.due_on),
                i.days_overdue
                    .map_or_else(String::new, |d| format!("**{d}**")),
            ]
        })
        .collect();
    out.table(
        &["Follow-up", "Customer", "Owner", "Due", "Days overdue"],
        "llllr",
        &rows,
    );
}

/// A field's number as people read it: percents as percents, units after.
pub(super) fn effort(out: &mut Out, r: &Review) {
    out.heading("## Concierge effort");
    let e = &r.effort;
    let unrecorded = if e.unrecorded > 0 {
        format!(" ({} without minutes entered)", e.unrecorded)
    } else {
        String::new()
    };
    out.line(format!(
        "{} of hand-work over {}{unrecorded}; previous week {}.",
        super::super::figures::effort_total(e),
        plural(e.checkins, "check-in", "check-ins"),
        super::super::figures::effort_previous(e)
    ));
    if e.per_customer.is_empty() {
        return;
    }
    out.blank();
    let mut rows: Vec<Vec<String>> = e
        .per_customer
        .iter()
        .map(|c| {
            vec![
                format!("{} {}", c.customer.key, cell(&c.customer.name)),
                c.checkins.to_string(),
                super::super::figures::customer_minutes(c),
            ]
        })
        .collect();
    rows.push(vec![
        "**Total**".into(),
        e.checkins.to_string(),
        format!("**{}**", super::super::figures::effort_total(e)),
    ]);
    out.table(&["Customer", "Check-ins", "Effort"], "lrr", &rows);
}

pub(super) fn volume(out: &mut Out, r: &Review) {
    out.heading("## Volume in and out");
    let v = &r.volume;
    out.table(
        &["", "Backlog items", "Customers"],
        "lrr",
        &[
            vec![
                "In (created)".into(),
                v.items_created.to_string(),
                v.customers_created.to_string(),
            ],
            vec![
                "Out (decided / graduated)".into(),
                v.items_decided.to_string(),
                v.customers_graduated.to_string(),
            ],
            vec![
                "Dropped".into(),
                "—".into(),
                v.customers_dropped.to_string(),
            ],
        ],
    );
}

fn held(at: &str) -> String {
    at.get(..16)
        .map_or_else(|| clean(at), |t| format!("{} UTC", t.replace('T', " ")))
}

pub(super) fn since(out: &mut Out, r: &Review) {
    if !r.recorded.is_empty() {
        out.heading("## Recorded for this week");
        for rec in &r.recorded {
            out.line(format!(
                "- **{}** held {} with {}{}",
                rec.key,
                held(&rec.held_at),
                if rec.attendees.is_empty() {
                    "no attendees listed".into()
                } else {
                    clean(&rec.attendees.join(", "))
                },
                if rec.notes.trim().is_empty() {
                    String::new()
                } else {
                    format!(": {}", clean(&rec.notes))
                }
            ));
        }
    }
    out.heading("## Since the last review");
    let Some(s) = &r.since_last_review else {
        out.line("No review of an earlier week has been recorded yet.");
        return;
    };
    since_body(out, s);
}

fn since_body(out: &mut Out, s: &SinceLastReview) {
    out.line(format!(
        "Since {} ({}, held {}): {}.",
        s.review.key,
        s.review.week,
        held(&s.review.held_at),
        plural(s.batches as usize, "change batch", "change batches")
    ));
    if !s.kinds.is_empty() {
        out.blank();
        let rows: Vec<Vec<String>> = s
            .kinds
            .iter()
            .map(|k| {
                vec![
                    k.kind.to_string(),
                    k.created.to_string(),
                    k.updated.to_string(),
                    k.deleted.to_string(),
                ]
            })
            .collect();
        out.table(&["Records", "Created", "Changed", "Deleted"], "lrrr", &rows);
    }
    if !s.recent.is_empty() {
        out.blank();
        out.line(format!(
            "Newest {}:",
            plural(s.recent.len(), "batch", "batches")
        ));
        out.blank();
        for b in &s.recent {
            out.line(format!(
                "- #{} {} {}: {}",
                b.id,
                held(&b.at),
                clean(&b.actor),
                clean(&b.label)
            ));
        }
    }
}
