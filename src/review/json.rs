//! The review as JSON, for scripts and dashboards. The shape is stable:
//! fields are only ever added, never renamed or removed, and `schema`
//! changes if that promise is ever broken.
//!
//! ```text
//! {
//!   "schema": "concierge.review/1",
//!   "workspace": "submittals-mvp",
//!   "week": { "label": "2026-W47", "start": "2026-11-16", "end": "2026-11-22",
//!             "start_day": "monday" },
//!   "today": "2026-11-21",
//!   "as_of": "2026-11-21",            // today, or the week's last day for a past week
//!   "checkins": { "held", "planned", "customers_met", "due", "due_met",
//!                 "adherence": 0.6 | null,          // due_met / due
//!                 "due_customers": [ { "customer": CUSTOMER, "owner", "due_on", "met" } ] },
//!   "overdue_customers": [ { "customer": CUSTOMER, "owner", "cadence_days",
//!                            "last_checkin": DATE | null, "due_on", "days_overdue" } ],
//!   "backlog": {
//!     "by_status": [ { "status", "count", "mean_age_days": 37.4 | null,
//!                      "oldest_age_days": 64 | null } ],   // all five statuses
//!     "moved": [ { "item": ITEM, "from": STATUS | null, "to": STATUS, "steps": [STATUS] } ],
//!     "decided": [ { "item": ITEM, "status", "decision": "persevere" | … | null,
//!                    "learning", "owner", "decided_at": DATE | null } ],
//!     "stale": [ { "item": ITEM, "owner", "days_in_testing",
//!                  "last_evidence": DATE | null, "days_without_evidence" } ],
//!     "ready_to_decide": [ { "item": ITEM, "owner", "evidence", "supports", "refutes" } ] },
//!   "followups": { "open", "overdue", "done_this_week",
//!                  "items": [ { "key": "F-7", "customer": CUSTOMER, "text", "owner",
//!                               "due_on": DATE | null, "days_overdue": 3 | null } ] },
//!   "data": { "active_customers", "reporting", "completeness": 1.0 | null,
//!             "missing": [CUSTOMER], "weeks": ["2026-W40", …, "2026-W47"],
//!             "fields": [ { "key", "label", "unit", "type",
//!                           "aggregate": "sum" | "mean" | "share_true" | "count",
//!                           "this_week": NUMBER | null, "previous_week": NUMBER | null,
//!                           "change": NUMBER | null, "values",
//!                           "reporting", "previous_reporting",   // customers with a value
//!                           "shown": { "this_week": "80.67%", "previous_week": "76.67%",
//!                                      "change": "+4 pts",        // as the pane and Markdown show
//!                                      "uneven": "9 customers vs 7" | null },  // sums over unlike weeks
//!                           "series": [NUMBER | null, …],   // one per week; null = no value
//!                           "breakdown": [ { "value", "count" } ] } ] },   // choice fields
//!   "effort": { "total_minutes", "previous_week_minutes", "previous_week_entered",
//!               "checkins", "unrecorded",
//!               "per_customer": [ { "customer": CUSTOMER, "checkins", "minutes",
//!                                   "entered" } ] },   // check-ins with minutes entered
//!   "volume": { "items_created", "customers_created", "items_decided",
//!               "customers_graduated", "customers_dropped" },
//!   "recorded": [ REVIEW ],                  // reviews recorded for this week
//!   "since_last_review": null | { "review": REVIEW, "batches",
//!       "kinds": [ { "kind": "backlog", "created", "updated", "deleted" } ],
//!       "recent": [ { "id", "at", "actor", "label" } ] }   // newest first
//! }
//! CUSTOMER = { "key": "C-3", "name": "…" }     ITEM = { "key": "H-12", "statement": "…" }
//! REVIEW = { "key": "R-1", "week": "2026-W46", "held_at": RFC 3339 UTC,
//!            "attendees": ["…"], "notes": "…" }
//! DATE = "YYYY-MM-DD"; STATUS = "backlog" | "testing" | "validated" | "invalidated" | "parked"
//! ```
//!
//! Rates (`adherence`, `completeness`, percent and yes/no field values) are
//! fractions 0–1. Numbers are rounded to four decimals. Text is exactly as
//! entered (JSON escapes control characters itself).

use super::{Review, ReviewError};
use serde::Serialize;

/// The `schema` value of this shape.
pub const SCHEMA: &str = "concierge.review/1";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    #[serde(flatten)]
    review: &'a Review,
}

/// The review as pretty-printed JSON, ending in a newline.
pub fn render(review: &Review) -> Result<String, ReviewError> {
    let mut text = serde_json::to_string_pretty(&Document {
        schema: SCHEMA,
        review,
    })?;
    text.push('\n');
    Ok(text)
}
