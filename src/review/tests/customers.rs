//! Check-ins against cadence, overdue customers, follow-ups, effort,
//! volume and "since the last review".

use super::*;

#[test]
fn checkins_held_against_due_and_adherence() {
    let mut onboarding = customer(6, "Fern", Stage::Onboarding, None);
    onboarding.meta = meta(11, 1);
    let data = ReviewData {
        customers: vec![
            active(1, "Ash"),   // due 11-17 from 11-10, met on 11-18
            active(2, "Birch"), // due 11-19 from 11-12, missed
            Customer {
                cadence_days: 14,
                ..active(3, "Cedar") // due 11-26 from 11-12: not due
            },
            customer(4, "Dogwood", Stage::Active, Some(day(11, 1))), // never checked in: due 11-08
            customer(5, "Elm", Stage::Active, None),                 // no date to count from
            onboarding,                                              // held, but not due
        ],
        checkins: vec![
            checkin(1, 1, day(11, 10), Some(60)),
            checkin(2, 2, day(11, 12), Some(30)),
            checkin(3, 3, day(11, 12), None),
            checkin(4, 1, day(11, 18), Some(45)),
            checkin(5, 6, day(11, 17), Some(90)),
            checkin(6, 1, day(11, 22), None), // planned: after today
        ],
        ..ReviewData::default()
    };
    let r = review(&data);
    let c = &r.checkins;
    assert_eq!((c.held, c.planned, c.customers_met), (2, 1, 2));
    assert_eq!((c.due, c.due_met, c.adherence), (3, 1, Some(0.3333)));
    let due: Vec<(&str, NaiveDate, bool)> = c
        .due_customers
        .iter()
        .map(|d| (d.customer.name.as_str(), d.due_on, d.met))
        .collect();
    assert_eq!(
        due,
        vec![
            ("Dogwood", day(11, 8), false),
            ("Ash", day(11, 17), true),
            ("Birch", day(11, 19), false)
        ]
    );
    let overdue: Vec<(&str, i64, Option<NaiveDate>)> = r
        .overdue_customers
        .iter()
        .map(|o| (o.customer.name.as_str(), o.days_overdue, o.last_checkin))
        .collect();
    assert_eq!(
        overdue,
        vec![("Dogwood", 13, None), ("Birch", 2, Some(day(11, 12)))]
    );
}

#[test]
fn a_check_in_before_the_window_still_sets_the_due_date() {
    let data = ReviewData {
        customers: vec![active(1, "Ash")],
        last_checkins: vec![(1, day(9, 1))],
        ..ReviewData::default()
    };
    let r = review(&data);
    assert_eq!(r.checkins.due_customers[0].due_on, day(9, 8));
    assert_eq!(r.overdue_customers[0].days_overdue, 74);
}

#[test]
fn a_past_week_counts_customers_in_the_stage_they_had_then() {
    let c1 = RecordKey::new(RecordKind::Customer, 1);
    let data = ReviewData {
        customers: vec![customer(1, "Ash", Stage::Graduated, Some(day(9, 1)))],
        history: vec![
            logged(c1, "stage", 1, day(9, 1), None, "active"),
            logged(c1, "stage", 9, day(11, 18), Some("active"), "graduated"),
        ],
        checkins: vec![checkin(1, 1, day(11, 10), Some(30))],
        ..ReviewData::default()
    };
    let now = review(&data);
    assert_eq!(now.data.active_customers, 0);
    assert_eq!(now.volume.customers_graduated, 1);
    let before = Review::compute(&data, w47().previous(), clock());
    assert_eq!(before.as_of, day(11, 15));
    assert_eq!(before.data.active_customers, 1);
    assert_eq!((before.checkins.due, before.checkins.due_met), (1, 1));
    assert_eq!(before.volume.customers_graduated, 0);
    assert_eq!(before.effort.total_minutes, 30);
}

fn followup(id: i64, due: Option<NaiveDate>, done: Option<&str>, created: NaiveDate) -> FollowUp {
    FollowUp {
        id,
        customer_id: 1,
        text: format!("follow-up {id}"),
        due_on: due,
        done_at: done.map(str::to_string),
        meta: Meta {
            created_at: format!("{created}T10:00:00Z"),
            ..Meta::default()
        },
        ..FollowUp::default()
    }
}

#[test]
fn open_overdue_and_done_follow_ups() {
    let data = ReviewData {
        customers: vec![active(1, "Ash")],
        checkins: vec![checkin(1, 1, day(11, 20), None)],
        followups: vec![
            followup(1, Some(day(11, 14)), None, day(11, 1)), // overdue 7
            followup(2, Some(day(11, 30)), None, day(11, 1)), // open
            followup(3, None, None, day(11, 1)),              // open, no date
            followup(
                4,
                Some(day(11, 10)),
                Some("2026-11-18T16:00:00Z"),
                day(11, 1),
            ), // done this week
            followup(5, Some(day(11, 19)), None, day(11, 17)), // overdue 2
            followup(6, Some(day(10, 1)), Some("2026-10-02T16:00:00Z"), day(9, 1)),
        ],
        ..ReviewData::default()
    };
    let r = review(&data);
    let f = &r.followups;
    assert_eq!((f.open, f.overdue, f.done_this_week), (4, 2, 1));
    let order: Vec<(i64, Option<i64>)> =
        f.items.iter().map(|i| (i.key.id, i.days_overdue)).collect();
    assert_eq!(
        order,
        vec![(1, Some(7)), (5, Some(2)), (2, None), (3, None)]
    );
    assert_eq!(f.items[0].customer.name, "Ash");
    assert_eq!(
        r.agenda(),
        vec![
            AgendaItem::OverdueFollowUp(RecordKey::new(RecordKind::FollowUp, 1)),
            AgendaItem::OverdueFollowUp(RecordKey::new(RecordKind::FollowUp, 5)),
        ]
    );
    // At the end of 2026-W46 follow-up 4 was still open and 5 not yet made.
    let before = Review::compute(&data, w47().previous(), clock());
    let ids: Vec<i64> = before.followups.items.iter().map(|i| i.key.id).collect();
    assert_eq!(ids, vec![4, 1, 2, 3]);
    assert_eq!(
        before.followups.overdue, 2,
        "4 due 11-10 and 1 due 11-14, as of 11-15"
    );
}

#[test]
fn effort_per_customer_and_in_total() {
    let data = ReviewData {
        customers: vec![active(1, "Ash"), active(2, "Birch")],
        checkins: vec![
            checkin(1, 1, day(11, 10), Some(100)), // previous week
            checkin(2, 1, day(11, 16), Some(60)),
            checkin(3, 2, day(11, 17), Some(90)),
            checkin(4, 1, day(11, 19), Some(45)),
            checkin(5, 2, day(11, 20), None),
            checkin(6, 2, day(11, 22), Some(500)), // planned: not effort yet
        ],
        ..ReviewData::default()
    };
    let e = review(&data).effort;
    assert_eq!(
        (
            e.total_minutes,
            e.previous_week_minutes,
            e.checkins,
            e.unrecorded
        ),
        (195, 100, 4, 1)
    );
    let per: Vec<(&str, usize, i64)> = e
        .per_customer
        .iter()
        .map(|c| (c.customer.name.as_str(), c.checkins, c.minutes))
        .collect();
    assert_eq!(per, vec![("Ash", 2, 105), ("Birch", 2, 90)]);
}

#[test]
fn volume_in_and_out() {
    let mut new_item = item(1, Status::Backlog, day(11, 16));
    new_item.meta = meta(11, 16);
    let mut new_customer = customer(1, "Ash", Stage::Prospect, None);
    new_customer.meta = meta(11, 22);
    let c2 = RecordKey::new(RecordKind::Customer, 2);
    let data = ReviewData {
        items: vec![new_item, item(2, Status::Backlog, day(9, 1))],
        customers: vec![new_customer, customer(2, "Birch", Stage::Dropped, None)],
        history: vec![
            logged(c2, "stage", 1, day(9, 1), None, "prospect"),
            logged(c2, "stage", 5, day(11, 17), Some("prospect"), "dropped"),
        ],
        ..ReviewData::default()
    };
    let v = review(&data).volume;
    assert_eq!(
        (
            v.items_created,
            v.customers_created,
            v.items_decided,
            v.customers_graduated,
            v.customers_dropped
        ),
        (1, 1, 0, 0, 1)
    );
}

fn record(id: i64, week: &str, batch: i64) -> crate::store::review::ReviewRecord {
    crate::store::review::ReviewRecord {
        id,
        week: week.into(),
        held_at: "2026-11-13T16:00:00Z".into(),
        attendees: "dana, ana".into(),
        notes: "good week".into(),
        batch: Some(batch),
        meta: Meta::default(),
    }
}

#[test]
fn changes_since_the_last_review_of_an_earlier_week() {
    let reviews = vec![
        record(1, "2026-W45", 10),
        record(2, "2026-W46", 20),
        record(3, "2026-W47", 30),
    ];
    assert_eq!(last_review_before(&reviews, &w47()).map(|r| r.id), Some(2));
    assert_eq!(
        last_review_before(&reviews[2..], &w47()).map(|r| r.id),
        None
    );
    let data = ReviewData {
        reviews,
        since: Some(ChangesSince {
            batches: 12,
            recent: vec![Batch {
                id: 31,
                actor: "dana".into(),
                at: "2026-11-20T10:00:00Z".into(),
                label: "log check-in".into(),
                undoes: None,
                change_count: 5,
            }],
            kinds: vec![KindCount {
                kind: RecordKind::CheckIn,
                created: 3,
                updated: 1,
                deleted: 0,
            }],
        }),
        ..ReviewData::default()
    };
    let r = review(&data);
    let since = r.since_last_review.expect("since");
    assert_eq!(
        (since.review.key.to_string(), since.batches),
        ("R-2".to_string(), 12)
    );
    assert_eq!(since.review.attendees, ["dana", "ana"]);
    assert_eq!(
        (since.kinds[0].kind, since.kinds[0].created),
        (RecordKind::CheckIn, 3)
    );
    assert_eq!(since.recent[0].id, 31);
    assert_eq!(r.recorded.iter().map(|x| x.key.id).collect::<Vec<_>>(), [3]);
}
