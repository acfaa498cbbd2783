//! Backlog counts and age, moves within a week, stale and ready tests.

use super::*;

#[test]
fn backlog_counts_by_status_with_days_in_status() {
    let data = ReviewData {
        items: vec![
            item(1, Status::Backlog, day(11, 1)),    // 20 days
            item(2, Status::Backlog, day(11, 11)),   // 10 days
            item(3, Status::Backlog, day(11, 20)),   // 1 day
            item(4, Status::Parked, day(10, 22)),    // 30 days
            item(5, Status::Validated, day(11, 25)), // a future date counts as 0
        ],
        ..ReviewData::default()
    };
    let r = review(&data);
    let rows: Vec<(Status, usize, Option<f64>, Option<i64>)> = r
        .backlog
        .by_status
        .iter()
        .map(|s| (s.status, s.count, s.mean_age_days, s.oldest_age_days))
        .collect();
    assert_eq!(
        rows,
        vec![
            (Status::Backlog, 3, Some(10.3), Some(20)),
            (Status::Testing, 0, None, None),
            (Status::Validated, 1, Some(0.0), Some(0)),
            (Status::Invalidated, 0, None, None),
            (Status::Parked, 1, Some(30.0), Some(30)),
        ]
    );
}

#[test]
fn items_that_moved_twice_in_a_week_count_once() {
    let mut reopened = item(1, Status::Testing, day(11, 19));
    reopened.learning = "first read was wrong".into();
    let mut killed = item(2, Status::Invalidated, day(11, 18));
    killed.learning = "We observed no use\nso we stop".into();
    killed.decision = Some(Decision::Kill);
    let mut fast = item(3, Status::Validated, day(11, 20));
    fast.decision = Some(Decision::Persevere);
    let mut created = item(4, Status::Backlog, day(11, 17));
    created.meta = meta(11, 17);
    let data = ReviewData {
        items: vec![reopened, killed, fast, created],
        history: vec![
            logged(h(1), "status", 1, day(9, 1), None, "testing"),
            logged(h(2), "status", 2, day(9, 1), None, "testing"),
            logged(h(3), "status", 3, day(9, 1), None, "backlog"),
            logged(
                h(1),
                "status",
                10,
                day(11, 17),
                Some("testing"),
                "validated",
            ),
            logged(h(4), "status", 11, day(11, 17), None, "backlog"),
            logged(
                h(2),
                "status",
                12,
                day(11, 18),
                Some("testing"),
                "invalidated",
            ),
            logged(
                h(1),
                "status",
                13,
                day(11, 19),
                Some("validated"),
                "testing",
            ),
            logged(h(3), "status", 14, day(11, 19), Some("backlog"), "testing"),
            logged(
                h(3),
                "status",
                15,
                day(11, 20),
                Some("testing"),
                "validated",
            ),
        ],
        ..ReviewData::default()
    };
    let r = review(&data);
    let moved: Vec<(i64, Option<Status>, Status, usize)> = r
        .backlog
        .moved
        .iter()
        .map(|m| (m.item.key.id, m.from, m.to, m.steps.len()))
        .collect();
    assert_eq!(
        moved,
        vec![
            (1, Some(Status::Testing), Status::Testing, 2),
            (4, None, Status::Backlog, 1),
            (2, Some(Status::Testing), Status::Invalidated, 1),
            (3, Some(Status::Backlog), Status::Validated, 2),
        ]
    );
    let decided: Vec<(i64, Status, Option<Decision>)> = r
        .backlog
        .decided
        .iter()
        .map(|d| (d.item.key.id, d.status, d.decision))
        .collect();
    assert_eq!(
        decided,
        vec![
            (2, Status::Invalidated, Some(Decision::Kill)),
            (3, Status::Validated, Some(Decision::Persevere))
        ]
    );
    assert_eq!(
        r.backlog.decided[0].learning,
        "We observed no use\nso we stop"
    );
    assert_eq!((r.volume.items_created, r.volume.items_decided), (1, 2));
    // The week before, item 1 was still testing and nothing had moved.
    let before = Review::compute(&data, w47().previous(), clock());
    assert!(before.backlog.moved.is_empty());
    let counts: Vec<usize> = before.backlog.by_status.iter().map(|s| s.count).collect();
    assert_eq!(
        counts,
        [1, 2, 0, 0, 0],
        "item 4 did not exist yet; 1 and 2 were testing"
    );
}

fn evidence(item_id: i64, strength: Strength, on: NaiveDate) -> EvidenceFact {
    EvidenceFact {
        item_id,
        stance: Stance::Supports,
        strength,
        created_on: on,
    }
}

#[test]
fn stale_tests_and_tests_ready_to_decide() {
    let data = ReviewData {
        items: vec![
            item(1, Status::Testing, day(10, 1)), // evidence 10-20: quiet 32 days
            item(2, Status::Testing, day(11, 15)), // no evidence, 6 days in: not yet
            item(3, Status::Testing, day(10, 1)), // evidence 11-10: fresh
            item(4, Status::Testing, day(10, 1)), // never any evidence: 51 days
            item(5, Status::Backlog, day(9, 1)),  // not testing
        ],
        evidence: vec![
            evidence(1, Strength::Said, day(10, 20)),
            evidence(3, Strength::Paid, day(11, 10)),
            evidence(3, Strength::Said, day(11, 12)),
        ],
        ..ReviewData::default()
    };
    let r = review(&data);
    let stale: Vec<(i64, i64, i64, Option<NaiveDate>)> = r
        .backlog
        .stale
        .iter()
        .map(|s| {
            (
                s.item.key.id,
                s.days_without_evidence,
                s.days_in_testing,
                s.last_evidence,
            )
        })
        .collect();
    assert_eq!(
        stale,
        vec![(4, 51, 51, None), (1, 32, 51, Some(day(10, 20)))]
    );
    let ready: Vec<(i64, usize, i64)> = r
        .backlog
        .ready_to_decide
        .iter()
        .map(|x| (x.item.key.id, x.evidence, x.supports))
        .collect();
    assert_eq!(
        ready,
        vec![(3, 2, 4)],
        "one said link (weight 1) is not enough"
    );
    assert_eq!(
        r.agenda(),
        vec![
            AgendaItem::StaleTest(h(4)),
            AgendaItem::StaleTest(h(1)),
            AgendaItem::ReadyToDecide(h(3))
        ]
    );
}
