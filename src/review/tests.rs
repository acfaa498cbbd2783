//! Unit tests of every review metric on small hand-built workspaces with
//! known answers, on a fixed clock (Saturday 21 November 2026, 2026-W47).
//! The fixtures are here; the tests are grouped by section beside it.

mod backlog;
mod customers;
mod data;

use super::*;
use crate::clock::Clock;
use crate::domain::entry::CellValue;
use crate::domain::{
    BacklogItem, Batch, Customer, Decision, Field, FieldType, FollowUp, Meta, RecordKey,
    RecordKind, Stage, Stance, Status, Strength,
};
use crate::store::review::{
    ChangesSince, CheckInFact, EntryFact, EvidenceFact, KindCount, LoggedValue, ReviewData,
};
use chrono::Weekday;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).expect("valid test date")
}

fn meta(m: u32, d: u32) -> Meta {
    Meta {
        created_at: format!("{}T09:00:00Z", day(m, d)),
        updated_at: String::new(),
        rev: 1,
    }
}

fn clock() -> Clock {
    Clock::fixed_day(day(11, 21))
}

fn w47() -> Week {
    Week::parse("2026-W47", Weekday::Mon).expect("week")
}

fn review(data: &ReviewData) -> Review {
    Review::compute(data, w47(), clock())
}

fn customer(id: i64, name: &str, stage: Stage, agreement: Option<NaiveDate>) -> Customer {
    Customer {
        id,
        name: name.into(),
        stage,
        agreement_signed_on: agreement,
        owner: "dana".into(),
        meta: meta(9, 1),
        ..Customer::default()
    }
}

fn active(id: i64, name: &str) -> Customer {
    customer(id, name, Stage::Active, Some(day(9, 1)))
}

fn checkin(id: i64, customer_id: i64, on: NaiveDate, minutes: Option<i64>) -> CheckInFact {
    CheckInFact {
        id,
        customer_id,
        occurred_on: on,
        effort_minutes: minutes,
    }
}

fn item(id: i64, status: Status, since: NaiveDate) -> BacklogItem {
    BacklogItem {
        id,
        statement: format!("We believe {id}"),
        status,
        status_since: since.to_string(),
        owner: "ana".into(),
        meta: meta(9, 1),
        ..BacklogItem::default()
    }
}

fn logged(
    record: RecordKey,
    field: &str,
    batch: i64,
    on: NaiveDate,
    old: Option<&str>,
    new: &str,
) -> LoggedValue {
    LoggedValue {
        record,
        field: field.into(),
        batch,
        day: on,
        old: old.map(str::to_string),
        new: Some(new.to_string()),
    }
}

fn h(id: i64) -> RecordKey {
    RecordKey::new(RecordKind::Backlog, id)
}

#[test]
fn an_empty_workspace_has_an_empty_honest_week() {
    let r = review(&ReviewData::default());
    assert_eq!(r.week.label, "2026-W47");
    assert_eq!(
        (r.week.start, r.week.end, r.as_of),
        (day(11, 16), day(11, 22), day(11, 21))
    );
    let c = &r.checkins;
    assert_eq!(
        (c.held, c.planned, c.due, c.due_met, c.adherence),
        (0, 0, 0, 0, None)
    );
    assert!(r.overdue_customers.is_empty());
    assert_eq!(r.backlog.by_status.len(), 5);
    assert!(
        r.backlog
            .by_status
            .iter()
            .all(|s| s.count == 0 && s.mean_age_days.is_none())
    );
    assert!(r.backlog.moved.is_empty() && r.backlog.stale.is_empty());
    assert_eq!((r.followups.open, r.followups.overdue), (0, 0));
    assert_eq!((r.data.active_customers, r.data.completeness), (0, None));
    assert_eq!(r.data.weeks.len(), SERIES_WEEKS);
    assert_eq!(
        (r.effort.total_minutes, r.effort.previous_week_minutes),
        (0, 0)
    );
    assert_eq!(r.volume.items_created + r.volume.items_decided, 0);
    assert!(r.since_last_review.is_none() && r.recorded.is_empty());
    assert!(r.agenda().is_empty());
}

#[test]
fn a_sunday_week_counts_the_sunday_before_the_iso_monday() {
    let data = ReviewData {
        customers: vec![active(1, "Ash")],
        checkins: vec![
            checkin(1, 1, day(11, 15), Some(30)),
            checkin(2, 1, day(11, 22), Some(40)),
        ],
        ..ReviewData::default()
    };
    let sunday = Week::containing(day(11, 21), Weekday::Sun);
    let r = Review::compute(&data, sunday, clock());
    assert_eq!((r.week.start, r.week.start_day), (day(11, 15), "sunday"));
    assert_eq!((r.checkins.held, r.effort.total_minutes), (1, 30));
}
