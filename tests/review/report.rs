//! The weekly review through the store and the command line: the demo's
//! report as Markdown and JSON snapshots, recording a review, "since the
//! last review", the week start setting, and `concierge review`.

use crate::support;

use chrono::{NaiveDate, Weekday};
use concierge::domain::{
    BacklogItem, CheckIn, CheckInKind, Customer, Decision, EvidenceLink, Meta, RecordKind, Stance,
    Status, Strength,
};
use concierge::review::{self, Week};
use concierge::store::Store;
use std::process::Command;

fn w47() -> Week {
    Week::parse("2026-W47", Weekday::Mon).expect("week")
}

/// Snapshots live apart from the app's screen snapshots.
fn snapshots(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("review_snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(f);
}

#[test]
fn the_demo_review_as_markdown() {
    let (_dir, store) = support::demo();
    let review = review::load(&store, w47()).expect("review");
    let text = review::markdown::render(&review);
    assert!(
        !text.contains('\u{1b}'),
        "no terminal escape codes in the report"
    );
    snapshots(|| insta::assert_snapshot!("demo_review_md", text));
}

#[test]
fn the_demo_review_as_json() {
    let (_dir, store) = support::demo();
    let review = review::load(&store, w47()).expect("review");
    let text = review::json::render(&review).expect("json");
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(value["schema"], "concierge.review/1");
    snapshots(|| insta::assert_snapshot!("demo_review_json", text));
}

#[test]
fn the_demo_after_a_review_and_two_decisions_as_markdown() {
    let (_dir, mut store) = support::demo();
    store
        .record_review("2026-W46", "dana, miguel", "Chase Cordova by phone")
        .expect("record");
    let mut h4 = store.backlog_item(4).expect("H-4");
    h4.learning = "We observed 9 of 11 supers | text the desk\u{1b}[31m\n\
                   so we learned texting works\ntherefore we will add it to onboarding"
        .into();
    h4.decision = Some(Decision::Persevere);
    store.save_backlog(&h4).expect("learning");
    set_status(&mut store, 4, Status::Validated, "");
    set_status(
        &mut store,
        8,
        Status::Parked,
        "no time to build the register tool",
    );

    let review = review::load(&store, w47()).expect("review");
    assert_eq!(review.backlog.moved.len(), 2);
    assert_eq!(review.backlog.decided.len(), 1);
    assert_eq!(
        review.since_last_review.as_ref().map(|s| s.batches),
        Some(3)
    );
    let text = review::markdown::render(&review);
    assert!(!text.contains('\u{1b}'), "escape codes are stripped");
    snapshots(|| insta::assert_snapshot!("demo_after_decisions_md", text));
}

#[test]
fn the_demo_this_week_is_2026_w47() {
    let (_dir, store) = support::demo();
    assert_eq!(review::current_week(&store).expect("week"), w47());
}

fn testing_item(store: &mut Store) -> (i64, i64) {
    let (customer, _) = store
        .save_customer(&Customer {
            name: "Ash".into(),
            ..Customer::default()
        })
        .expect("customer");
    let (checkin, _) = store
        .save_checkin(&CheckIn {
            id: 0,
            customer_id: customer,
            occurred_on: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
            kind: CheckInKind::Call,
            author: "dana".into(),
            summary: "weekly call".into(),
            notes: String::new(),
            health: None,
            effort_minutes: Some(30),
            meta: Meta::default(),
        })
        .expect("check-in");
    let (item, _) = store
        .save_backlog(&BacklogItem {
            statement: "We believe PMs will log submittals".into(),
            test: "watch them".into(),
            criterion: "half of them do".into(),
            ..BacklogItem::default()
        })
        .expect("item");
    store
        .write("link evidence", |w| {
            w.save_evidence(&EvidenceLink {
                id: 0,
                item_id: item,
                checkin_id: Some(checkin),
                field_id: None,
                stance: Stance::Supports,
                strength: Strength::Paid,
                quote: String::new(),
                meta: Meta::default(),
            })
        })
        .expect("evidence");
    (item, checkin)
}

fn set_status(store: &mut Store, id: i64, to: Status, reason: &str) {
    let rev = store.backlog_item(id).expect("item").meta.rev;
    store
        .set_backlog_status(id, rev, to, reason)
        .unwrap_or_else(|e| panic!("{to}: {e}"));
}

#[test]
fn an_item_that_moved_twice_in_a_week_is_one_move_read_from_the_log() {
    let (_dir, mut store) = support::empty();
    let (item, _) = testing_item(&mut store);
    set_status(&mut store, item, Status::Testing, "");
    let mut decided = store.backlog_item(item).expect("item");
    decided.learning = "We observed them log every package".into();
    decided.decision = Some(Decision::Persevere);
    store.save_backlog(&decided).expect("learning");
    set_status(&mut store, item, Status::Validated, "");
    set_status(&mut store, item, Status::Testing, "one more customer");
    set_status(&mut store, item, Status::Invalidated, "");

    let r = review::load(&store, w47()).expect("review");
    assert_eq!(r.backlog.moved.len(), 1, "{:?}", r.backlog.moved);
    let m = &r.backlog.moved[0];
    assert_eq!(
        (m.from, m.to),
        (None, Status::Invalidated),
        "created this week"
    );
    assert_eq!(
        m.steps,
        [
            Status::Backlog,
            Status::Testing,
            Status::Validated,
            Status::Testing,
            Status::Invalidated
        ]
    );
    assert_eq!(r.backlog.decided.len(), 1);
    assert_eq!(
        r.backlog.decided[0].learning,
        "We observed them log every package"
    );
    assert_eq!((r.volume.items_created, r.volume.items_decided), (1, 1));
    assert_eq!((r.effort.total_minutes, r.checkins.held), (30, 1));
}

#[test]
fn recording_a_review_is_one_batch_and_starts_the_next_since() {
    let (_dir, mut store) = support::empty();
    let (id, batch) = store
        .record_review("2026-w46", "dana, ana,\nmiguel", "kept H-4 running")
        .expect("record");
    let batch = batch.expect("a batch");
    let changes = store.changes(batch).expect("changes");
    assert!(changes.iter().all(|c| c.record.kind == RecordKind::Review));
    let recorded = store.reviews().expect("reviews");
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        (
            recorded[0].id,
            recorded[0].week.as_str(),
            recorded[0].attendees.as_str(),
            recorded[0].batch
        ),
        (id, "2026-W46", "dana, ana, miguel", Some(batch))
    );
    assert!(store.record_review("week 46", "", "").is_err());

    testing_item(&mut store);
    let r = review::load(&store, w47()).expect("review");
    let since = r.since_last_review.expect("since the W46 review");
    assert_eq!(since.review.key.to_string(), format!("R-{id}"));
    assert_eq!(since.review.attendees, ["dana", "ana", "miguel"]);
    assert_eq!(since.batches, 4, "customer, check-in, item, evidence");
    let kinds: Vec<(RecordKind, i64)> = since.kinds.iter().map(|k| (k.kind, k.created)).collect();
    assert_eq!(
        kinds,
        [
            (RecordKind::Backlog, 1),
            (RecordKind::Customer, 1),
            (RecordKind::CheckIn, 1),
            (RecordKind::Evidence, 1)
        ]
    );
    assert_eq!(
        since.recent.first().map(|b| b.label.as_str()),
        Some("link evidence")
    );

    let (_, _) = store.record_review("2026-W47", "dana", "").expect("record");
    let r = review::load(&store, w47()).expect("review");
    assert_eq!(r.recorded.len(), 1, "this week's own review is listed");
    assert_eq!(
        r.since_last_review.map(|s| s.review.week),
        Some("2026-W46".into()),
        "since is measured from an earlier week's review"
    );
    store
        .undo_latest()
        .expect("a recorded review can be undone");
    assert_eq!(store.reviews().expect("reviews").len(), 1);
}

#[test]
fn the_week_start_is_a_workspace_setting() {
    let (dir, mut store) = support::empty();
    assert_eq!(store.week_start().expect("default"), Weekday::Mon);
    store.set_week_start(Weekday::Sun).expect("set");
    drop(store);
    let store = dir.open(concierge::store::OpenMode::ReadOnly);
    assert_eq!(store.week_start().expect("stored"), Weekday::Sun);
    let week = review::current_week(&store).expect("week");
    assert_eq!(
        (week.label(), week.start().to_string()),
        ("2026-W47".into(), "2026-11-15".into())
    );
}

fn concierge(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_concierge"))
        .arg("--db")
        .arg(db)
        .args(["--as", "dana"])
        .args(args)
        .env_remove("CONCIERGE_DB")
        .output()
        .expect("run concierge")
}

#[test]
fn the_review_command_writes_json_and_markdown_and_refuses_a_bad_week() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("w.db");
    assert!(concierge(&db, &["init", "--demo"]).status.success());

    let json = concierge(&db, &["review", "--week", "2026-W40", "--format", "json"]);
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(value["week"]["label"], "2026-W40");
    assert_eq!(value["schema"], "concierge.review/1");

    let md = concierge(&db, &["review"]);
    assert!(md.status.success());
    assert!(String::from_utf8_lossy(&md.stdout).starts_with("# Weekly review · w · "));

    let file = dir.path().join("out/../review.md");
    std::fs::create_dir_all(dir.path().join("out")).expect("dir");
    let written = concierge(
        &db,
        &[
            "review",
            "--week",
            "2026-W40",
            "-o",
            file.to_str().expect("path"),
        ],
    );
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let text = std::fs::read_to_string(dir.path().join("review.md")).expect("report");
    assert!(
        text.starts_with("# Weekly review · w · 2026-W40\n"),
        "{text}"
    );
    let temp_files: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".tmp"))
        .collect();
    assert!(temp_files.is_empty(), "{temp_files:?}");

    for bad in ["2026-W54", "47", "2026-W4x"] {
        let out = concierge(&db, &["review", "--week", bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("week"), "{err}");
    }
}
