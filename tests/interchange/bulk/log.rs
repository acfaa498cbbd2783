//! What a large import writes besides its records, each checked against
//! what it must be: one range row for a run of new entries (undo, redo,
//! Activity and its filter read it), packed rows that the three-way merge
//! reads later, entries' stamps in Unix seconds, a rollback journal while
//! the import has the workspace alone, and a workspace moved whole into an
//! empty one keeping its ids and revs.

use super::streamed::{
    assert_same, copy_kinds, everything, new_days, new_rows, stream, stream_surveying,
};
use crate::support::interchange::{edit, export, import, newest_batch, without_rev};
use concierge::sheet::Survey;
use concierge::store::interchange::{ImportOptions, Kind, Outcome};
use concierge::store::{ListKind, ListQuery, Store};

#[test]
fn undo_and_redo_of_a_streamed_import_with_a_range_row() {
    let (_dir, mut store) = crate::support::demo();
    let before = everything(&store);
    let entries = store.entry_count().expect("count");
    let rows = new_rows(&store, 300);
    let (report, outcome) = stream(&mut store, Kind::Data, &rows, ImportOptions::default());
    let Outcome::Applied(batch) = outcome else {
        panic!("{outcome:?}: {:?}", report.errors);
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
    let (_dir, mut store) = crate::support::demo();
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
    let (_dir, mut store) = crate::support::demo();
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
        report.errors
    );
    assert_eq!((report.totals.changed, report.totals.conflicts), (1, 0));
    let now = export(&store, Kind::Customers, false);
    let row = now
        .lines()
        .find(|l| l.starts_with(&format!("{id},")))
        .expect("row");
    assert!(row.contains(",ws,") && row.contains(",file,"), "{row}");
    assert!(newest_batch(&store) > 0);
}

#[test]
fn a_whole_workspace_streams_into_an_empty_one_keeping_ids_and_revs() {
    let (_dir, demo) = crate::support::demo();
    let (_empty_dir, mut empty) = crate::support::empty();
    copy_kinds(&demo, &mut empty, &Kind::ALL);
    assert_same(&everything(&empty), &everything(&demo), "moved workspace");
}

fn wal_bytes(store: &Store) -> u64 {
    let mut wal = store.path().as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

#[test]
fn a_large_import_alone_skips_the_wal_and_one_beside_another_connection_shares_it() {
    if crate::support::on_server() {
        // A file's journal: a server has none of it.
        return;
    }
    let journal = |store: &Store| -> String {
        rusqlite::Connection::open(store.path())
            .expect("open")
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("journal_mode")
    };
    // Alone: the batch goes through a rollback journal, written once.
    let (_dir, mut store) = crate::support::demo();
    let rows = new_rows(&store, 3000);
    let entries = store.entry_count().expect("count");
    let (_, outcome) = stream(&mut store, Kind::Data, &rows, ImportOptions::default());
    assert!(matches!(outcome, Outcome::Applied(_)), "{outcome:?}");
    assert_eq!(store.entry_count().expect("count"), entries + 3000);
    assert!(
        wal_bytes(&store) < 64 * 1024,
        "{} WAL bytes",
        wal_bytes(&store)
    );
    assert_eq!(journal(&store), "wal");
    assert!(store.check().expect("check").is_empty());

    // Beside another open connection: WAL, as any write.
    let (_dir, mut store) = crate::support::demo();
    let other = rusqlite::Connection::open(store.path()).expect("other");
    let before: i64 = other
        .query_row("SELECT count(*) FROM entries", [], |r| r.get(0))
        .expect("read");
    let (_, outcome) = stream(&mut store, Kind::Data, &rows, ImportOptions::default());
    assert!(matches!(outcome, Outcome::Applied(_)), "{outcome:?}");
    assert!(
        wal_bytes(&store) > 64 * 1024,
        "{} WAL bytes",
        wal_bytes(&store)
    );
    let after: i64 = other
        .query_row("SELECT count(*) FROM entries", [], |r| r.get(0))
        .expect("read");
    assert_eq!(after, before + 3000);
    assert_eq!(journal(&store), "wal");
}

#[test]
fn entries_keep_their_stamps_in_unix_seconds_and_other_records_in_text() {
    if crate::support::on_server() {
        // How SQLite keeps values; a server's columns are typed by its
        // schema (`bigint` stamps on entries, text elsewhere).
        return;
    }
    let (dir, mut store) = crate::support::demo();
    let text = export(&store, Kind::Data, false);
    let (report, _) = stream_surveying(
        &mut store,
        Kind::Data,
        &new_days(&text, 100, 0, &[]),
        ImportOptions::default(),
        Survey::Whole,
    );
    assert_eq!(report.totals.new, 100);
    let batch = newest_batch(&store);
    let conn = rusqlite::Connection::open(dir.path().join("submittals-mvp.db")).expect("open");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(
        count(
            "SELECT count(*) FROM entries WHERE typeof(created_at) <> 'integer' OR typeof(updated_at) <> 'integer'"
        ),
        0,
        "entries written by the demo and the import"
    );
    assert_eq!(
        count(&format!(
            "SELECT count(*) FROM entries, batches b WHERE b.id = {batch}
               AND created_at = unixepoch(b.at) AND updated_at = unixepoch(b.at)"
        )),
        100,
        "the import's entries carry its batch's time"
    );
    assert_eq!(
        count("SELECT count(*) FROM customers WHERE typeof(created_at) <> 'text'"),
        0
    );
}

#[test]
/// A kept id of `i64::MAX` leaves SQLite nothing to follow: new entries
/// take ids anywhere, and the range rows must still name exactly them.
fn range_rows_name_the_entries_created_when_ids_cannot_follow_the_largest() {
    let (_dir, demo) = crate::support::demo();
    let (dir, mut empty) = crate::support::empty();
    let all_but_data: Vec<Kind> = Kind::ALL.into_iter().filter(|k| *k != Kind::Data).collect();
    copy_kinds(&demo, &mut empty, &all_but_data);
    let text = export(&demo, Kind::Data, false);
    let first = text.lines().nth(1).expect("row");
    let mut cells: Vec<String> = first.split(',').map(str::to_owned).collect();
    cells[0] = "E-9223372036854775807".to_owned();
    let kept = cells.join(",");
    let file = new_days(&text, 40, 0, &[kept]);
    let (report, outcome) = stream(&mut empty, Kind::Data, &file, ImportOptions::default());
    let Outcome::Applied(batch) = outcome else {
        panic!("{outcome:?}: {:?}", report.errors);
    };
    assert_eq!(report.totals.new, 41);
    let (ids, ranges) = ids_and_ranges(&dir, batch);
    let mut logged: Vec<i64> = ranges.iter().flat_map(|&(a, b)| a..=b).collect();
    logged.sort_unstable();
    let generated: Vec<i64> = ids.iter().copied().filter(|&i| i != i64::MAX).collect();
    assert_eq!(logged, generated, "range rows name the entries created");
    empty.undo(batch).expect("undo of the import");
}

/// Every entry's id, and the (first, last) of the batch's range rows.
fn ids_and_ranges(place: &crate::support::Workspace, batch: i64) -> (Vec<i64>, Vec<(i64, i64)>) {
    let ranges = format!(
        "SELECT record_id, CAST(new AS BIGINT) FROM changes WHERE batch_id = {batch} AND field = '*range'"
    );
    if place.server().is_some() {
        let mut client = postgres::Client::connect(place.db(), postgres::NoTls).expect("client");
        let mut pairs = |sql: &str| -> Vec<(i64, i64)> {
            let rows = client.query(sql, &[]).expect(sql);
            rows.iter().map(|r| (r.get(0), r.get(1))).collect()
        };
        let ids = pairs("SELECT id, id FROM entries ORDER BY id");
        return (ids.into_iter().map(|p| p.0).collect(), pairs(&ranges));
    }
    let conn = rusqlite::Connection::open(place.db()).expect("open");
    let pairs = |sql: &str| -> Vec<(i64, i64)> {
        conn.prepare(sql)
            .expect("query")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("query")
    };
    let ids = pairs("SELECT id, id FROM entries ORDER BY id");
    (ids.into_iter().map(|p| p.0).collect(), pairs(&ranges))
}

#[test]
/// 32 rows of over 1,023 columns would pass SQLite's 32,766 parameters:
/// such a workspace writes one row at a time.
fn a_workspace_with_over_a_thousand_fields_still_imports_a_streamed_file() {
    use concierge::domain::{Field, FieldType};
    let (_dir, mut store) = crate::support::demo();
    store
        .write("many fields", |w| {
            for i in 0..1030 {
                let mut field = Field::new(
                    &format!("extra_{i}"),
                    &format!("Extra {i}"),
                    FieldType::Integer,
                );
                field.position = 100 + i64::from(i);
                w.add_field(&field)?;
            }
            Ok(())
        })
        .expect("fields");
    let text = export(&store, Kind::Data, false);
    let file = new_days(&text, 3, 0, &[]);
    let (report, outcome) = stream(&mut store, Kind::Data, &file, ImportOptions::default());
    assert!(
        matches!(outcome, Outcome::Applied(_)),
        "{outcome:?} {:?}",
        report.errors
    );
}
