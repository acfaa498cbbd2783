//! The weekly review (SPEC §3, Review): every number the Review pane shows
//! and the `concierge review` report writes, computed in one place.
//!
//! The computation is pure: [`Review::compute`] takes plain data (read by
//! `Store::review_data`), a [`Week`] and a [`Clock`](crate::clock::Clock),
//! and returns a [`Review`]. [`load`] does the reading and computing in one
//! call, which is what the pane and the CLI use:
//!
//! ```no_run
//! # fn demo(store: &concierge::store::Store) -> Result<(), concierge::store::StoreError> {
//! let week = concierge::review::current_week(store)?;
//! let review = concierge::review::load(store, week.previous())?;
//! println!("{}", concierge::review::markdown::render(&review));
//! # Ok(()) }
//! ```
//!
//! Days are calendar days: a check-in counts in the week its date falls in,
//! an entry in the week of its `recorded_on`, and change-log batches (status
//! moves, "since the last review") by their UTC date. A past week is shown
//! as it stood at its end: stages and statuses are rebuilt from the change
//! log, and "open", "overdue" and "age" are measured on its last day.

mod backlog;
mod compute;
mod data;
pub mod figures;
mod history;
pub mod html;
pub mod json;
pub mod markdown;
mod model;
pub mod week;

#[cfg(test)]
mod tests;

pub use data::{aggregate_for, runs, weekly_series, weekly_series_as};
pub use model::*;
pub use week::{Week, WeekError};

use crate::store::review::ReviewRecord;
use crate::store::{Store, StoreError};
use chrono::{Duration, NaiveDate};

/// How many weeks each field's series covers, this week included.
pub const SERIES_WEEKS: usize = 8;
/// A test with no new evidence for this many days is stale.
pub const STALE_DAYS: i64 = 14;
/// A test is ready to decide once its weighted evidence (said 1, did 2,
/// paid 3) reaches this on one side: a payment, or a behaviour and a quote.
pub const READY_WEIGHT: i64 = 3;
/// How many of the batches since the last review are listed one by one.
pub const RECENT_BATCHES: usize = 15;

/// Why a review could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error(transparent)]
    Week(#[from] WeekError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the JSON report: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Span(String),
}

/// The days whose check-ins and entries a review of `week` reads: the
/// field series' weeks, which include the previous week.
pub fn window(week: &Week) -> (NaiveDate, NaiveDate) {
    let back = Duration::weeks(SERIES_WEEKS as i64 - 1);
    (week.start() - back, week.end())
}

/// The week holding the store's today, starting on the workspace's day.
pub fn current_week(store: &Store) -> Result<Week, StoreError> {
    Ok(Week::containing(store.clock().today(), store.week_start()?))
}

/// A typed week (`2026-W47`) with the workspace's start day.
pub fn parse_week(store: &Store, text: &str) -> Result<Week, ReviewError> {
    Ok(Week::parse(text, store.week_start()?)?)
}

/// Reads what the review of `week` needs from `store` and computes it.
pub fn load(store: &Store, week: Week) -> Result<Review, StoreError> {
    let (from, to) = window(&week);
    let mut data = store.review_data(from, to)?;
    if let Some(batch) = last_review_before(&data.reviews, &week).and_then(|r| r.batch) {
        data.since = Some(store.changes_since(batch, week.end(), RECENT_BATCHES)?);
    }
    Ok(Review::compute(&data, week, store.clock()))
}

/// The review of `last` whose field trends span `first..=last` instead of
/// the usual eight weeks: a monthly (or any period's) update in one page.
pub fn load_span(store: &Store, first: Week, last: Week) -> Result<Review, StoreError> {
    let mut review = load(store, last)?;
    let count = (last.start() - first.start()).num_weeks();
    let weeks: Vec<Week> = (0..=count).rev().map(|back| last.shifted(-back)).collect();
    let fields = store.fields()?;
    for trend in &mut review.data.fields {
        if let Some(field) = fields.iter().find(|f| f.key == trend.key) {
            let facts = store.field_facts(field, None, first.start(), last.end())?;
            trend.series = weekly_series(field, &facts, &weeks);
        }
    }
    review.data.weeks = weeks.iter().map(Week::label).collect();
    Ok(review)
}

/// The longest period one report spans.
pub const LONGEST_SPAN_WEEKS: i64 = 104;

/// A week (`2026-W47`) or a period (`2026-W40..2026-W49`): the period's
/// first week, if any, and its last.
pub fn parse_span(store: &Store, text: &str) -> Result<(Option<Week>, Week), ReviewError> {
    let Some((from, to)) = text.split_once("..") else {
        return Ok((None, parse_week(store, text)?));
    };
    let (first, last) = (
        parse_week(store, from.trim())?,
        parse_week(store, to.trim())?,
    );
    let span = (last.start() - first.start()).num_weeks();
    if span < 0 {
        return Err(ReviewError::Span(format!(
            "{text}: the period ends before it starts; write the earlier week first"
        )));
    }
    if span >= LONGEST_SPAN_WEEKS {
        return Err(ReviewError::Span(format!(
            "{text}: {} weeks; a report spans at most {LONGEST_SPAN_WEEKS}",
            span + 1
        )));
    }
    Ok((Some(first), last))
}

/// The newest review recorded for a week before `week`.
pub fn last_review_before<'a>(
    reviews: &'a [ReviewRecord],
    week: &Week,
) -> Option<&'a ReviewRecord> {
    let label = week.label();
    reviews
        .iter()
        .filter(|r| r.week < label)
        .max_by_key(|r| (r.week.clone(), r.id))
}

/// `part / whole`, rounded to four decimals; `None` when `whole` is 0.
fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| round4(part as f64 / whole as f64))
}

/// Rounded to four decimals, so reports do not show float noise.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
