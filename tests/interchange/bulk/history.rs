//! What a streamed import leaves in the change log: undo and redo with a
//! range row, three-way merges and conflicts later, a whole workspace
//! streamed with its ids and revs, and deleting what is missing.

use super::{assert_same, copy_kinds, everything, new_rows, same_both_ways, stream};
use crate::support;
use crate::support::interchange::{edit, export, import, newest_batch, without_rev};
use concierge::store::interchange::{ImportOptions, Kind, Outcome};
use concierge::store::{ListKind, ListQuery};

#[test]
fn undo_and_redo_of_a_streamed_import_with_a_range_row() {
    let (_dir, mut store) = support::demo();
    let before = everything(&store);
    let entries = store.entry_count().expect("count");
    let rows = new_rows(&store, 300);
    let (report, outcome) = stream(&mut store, Kind::Data, &rows, ImportOptions::default());
    let Outcome::Applied(batch) = outcome else {
        panic!("{outcome:?}: {:?}", report.error_sample);
    };
    assert_eq!(store.entry_count().expect("count"), entries + 300);
    let after = everything(&store);
    // Activity: one line for the run of new entries, counted per record.
    let changes = store.changes(batch).expect("changes");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(
        changes[0]
            .new
            .as_deref()
            .is_some_and(|t| t.ends_with("(300 created)"))
    );
    assert_eq!(
        store
            .batch(batch)
            .expect("batch")
            .expect("exists")
            .change_count,
        300
    );
    // The Activity filter finds the batch from any entry of the run.
    let middle = format!("record=E-{}", entries + 150);
    let ids = store
        .list_ids(
            ListKind::Activity,
            &ListQuery {
                filter: middle,
                sort: 0,
            },
        )
        .expect("filter");
    assert_eq!(ids, vec![batch]);
    let undo = store.undo(batch).expect("undo");
    assert_same(&everything(&store), &before, "after undo");
    store.undo(undo).expect("redo");
    // A restored record moves on a rev, as every undo of a delete does.
    let unrev = |dump: Vec<String>| dump.iter().map(|t| without_rev(t)).collect::<Vec<_>>();
    assert_same(&unrev(everything(&store)), &unrev(after), "after redo");
}

#[test]
fn undo_refuses_when_an_imported_entry_changed_since() {
    let (_dir, mut store) = support::demo();
    let entries = store.entry_count().expect("count");
    let rows = new_rows(&store, 20);
    let (_, outcome) = stream(&mut store, Kind::Data, &rows, ImportOptions::default());
    let Outcome::Applied(batch) = outcome else {
        panic!("{outcome:?}");
    };
    let id = format!("E-{}", entries + 7);
    let column = export(&store, Kind::Data, false)
        .lines()
        .next()
        .expect("header")
        .split(',')
        .nth(3)
        .expect("a field")
        .to_owned();
    let text = edit(&export(&store, Kind::Data, false), &id, &column, "1");
    let (preview, outcome) = import(&mut store, Kind::Data, &text, ImportOptions::default());
    assert!(
        matches!(outcome, Outcome::Applied(_)),
        "{:?}",
        preview.errors
    );
    let err = store.undo(batch).expect_err("refused");
    assert!(err.to_string().contains(&id), "{err}");
    assert_eq!(store.entry_count().expect("count"), entries + 20);
}

#[test]
fn records_created_by_an_import_merge_three_ways_later() {
    let (_dir, mut store) = support::demo();
    let text = export(&store, Kind::Customers, false);
    let text = format!("{text},Packed Co,,,,prospect,,,,,,,\n");
    let (_, outcome) = stream(&mut store, Kind::Customers, &text, ImportOptions::default());
    assert!(matches!(outcome, Outcome::Applied(_)));
    let id = store
        .list_ids(ListKind::Customers, &ListQuery::default())
        .expect("ids")
        .into_iter()
        .max()
        .map(|n| format!("C-{n}"))
        .expect("a customer");
    let old = export(&store, Kind::Customers, false);
    // The workspace edits one cell, the stale file another: both stand.
    let (_, outcome) = import(
        &mut store,
        Kind::Customers,
        &edit(&old, &id, "segment", "ws"),
        ImportOptions::default(),
    );
    assert!(matches!(outcome, Outcome::Applied(_)));
    let (report, outcome) = stream(
        &mut store,
        Kind::Customers,
        &edit(&old, &id, "owner", "file"),
        ImportOptions::default(),
    );
    assert!(
        matches!(outcome, Outcome::Applied(_)),
        "{:?}",
        report.error_sample
    );
    assert_eq!((report.changed, report.conflicts), (1, 0));
    let now = export(&store, Kind::Customers, false);
    let row = now
        .lines()
        .find(|l| l.starts_with(&format!("{id},")))
        .expect("row");
    assert!(row.contains(",ws,") && row.contains(",file,"), "{row}");
    assert!(newest_batch(&store) > 0);
}

#[test]
fn conflicts_block_a_streamed_import_until_resolved_as_they_block_a_whole_one() {
    use concierge::sheet::Resolution;
    let (_a_dir, mut a) = support::demo();
    let (_b_dir, mut b) = support::demo();
    let old = export(&a, Kind::Customers, false);
    for store in [&mut a, &mut b] {
        let (_, outcome) = import(
            store,
            Kind::Customers,
            &edit(&old, "C-2", "segment", "ws"),
            ImportOptions::default(),
        );
        assert!(matches!(outcome, Outcome::Applied(_)));
    }
    let file = edit(&old, "C-2", "segment", "file");
    let (preview, whole) = import(&mut a, Kind::Customers, &file, ImportOptions::default());
    let (report, streamed) = stream(&mut b, Kind::Customers, &file, ImportOptions::default());
    assert_eq!((whole, streamed), (Outcome::Blocked, Outcome::Blocked));
    assert_eq!((preview.open_conflicts(), report.open_conflicts), (1, 1));
    assert_eq!(
        report.conflict_sample[0].workspace,
        concierge::sheet::Value::Text("ws".into())
    );
    let take = ImportOptions {
        resolution: Some(Resolution::TakeFile),
        ..ImportOptions::default()
    };
    let (_, whole) = import(&mut a, Kind::Customers, &file, take);
    let (_, streamed) = stream(&mut b, Kind::Customers, &file, take);
    assert!(matches!(
        (whole, streamed),
        (Outcome::Applied(_), Outcome::Applied(_))
    ));
    assert_same(&everything(&a), &everything(&b), "after take-file");
    assert!(export(&b, Kind::Customers, false).contains(",file,"));
}

#[test]
fn a_whole_workspace_streams_into_an_empty_one_keeping_ids_and_revs() {
    let (_dir, demo) = support::demo();
    let (_empty_dir, mut empty) = support::empty();
    copy_kinds(&demo, &mut empty, &Kind::ALL);
    assert_same(&everything(&empty), &everything(&demo), "moved workspace");
}

#[test]
fn delete_missing_streams_as_it_plans() {
    same_both_ways(
        Kind::FollowUps,
        |text| crate::support::interchange::only(text, |id| id != "F-3" && id != "F-5"),
        ImportOptions {
            delete_missing: true,
            ..ImportOptions::default()
        },
    );
    same_both_ways(
        Kind::Customers,
        |text| crate::support::interchange::only(text, |id| id != "C-1"),
        ImportOptions {
            delete_missing: true,
            ..ImportOptions::default()
        },
    );
}
