//! How a streamed import writes: beside the WAL or not, surveying again a
//! file whose rest reads unlike its start, runs of new entries, stamps,
//! range rows when ids cannot follow, and very wide workspaces.

use super::{
    append, copy_kinds, copy_of_first, new_rows, only_header, same_both_ways, stream,
    stream_surveying,
};
use crate::support;
use crate::support::interchange::{edit, export, newest_batch};
use concierge::sheet::Survey;
use concierge::store::Store;
use concierge::store::interchange::{ImportOptions, Kind, Outcome};

fn wal_bytes(store: &Store) -> u64 {
    let mut wal = store.path().as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

#[test]
fn a_large_import_alone_skips_the_wal_and_one_beside_another_connection_shares_it() {
    let journal = |store: &Store| -> String {
        rusqlite::Connection::open(store.path())
            .expect("open")
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("journal_mode")
    };
    // Alone: the batch goes through a rollback journal, written once.
    let (_dir, mut store) = support::demo();
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
    let (_dir, mut store) = support::demo();
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

/// Whether a streamed import of `text` whose survey covers only its first
/// 400 bytes had to survey the whole file and import again.
fn surveyed_again(kind: Kind, text: &str) -> bool {
    let (_dir, mut store) = support::demo();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("file.csv");
    std::fs::write(&path, text).expect("write");
    let mut labels = Vec::new();
    let options = ImportOptions::default();
    store
        .import_file_surveying(
            kind,
            &path,
            options,
            &mut |what, _, _| labels.push(what.to_owned()),
            Survey::Start(400),
        )
        .expect("import runs")
        .expect("UTF-8 streams");
    labels.iter().any(|l| l == "read again")
}

#[test]
fn a_file_whose_rest_reads_unlike_its_start_is_surveyed_whole_and_read_again() {
    // New rows first, rows with ids after them: the start has no ids,
    // and the file must be read in two passes, changes first.
    let ids_later = |text: &str| {
        let new: Vec<String> = (1..=20)
            .map(|d| copy_of_first(text, &format!("2031-01-{d:02}")))
            .collect();
        let mut out = only_header(text);
        for row in &new {
            out.push_str(row);
            out.push('\n');
        }
        for row in text.lines().skip(1) {
            out.push_str(row);
            out.push('\n');
        }
        edit(&out, "E-2", "hours_saved", "2.5")
    };
    // Day/month order undecided in the start, settled by the last row.
    let settled_late = |text: &str| {
        let mut rows: Vec<String> = (1..=20)
            .map(|d| copy_of_first(text, &format!("{:02}/{:02}/2031", d % 12 + 1, d % 12 + 1)))
            .collect();
        rows.push(copy_of_first(text, "25/12/2031"));
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        append(&only_header(text), &rows)
    };
    let (_dir, demo) = support::demo();
    let text = export(&demo, Kind::Data, false);
    for (what, edit_text) in [
        ("ids later", &ids_later as &dyn Fn(&str) -> String),
        ("dates settled late", &settled_late),
    ] {
        assert!(surveyed_again(Kind::Data, &edit_text(&text)), "{what}");
        same_both_ways(Kind::Data, edit_text, ImportOptions::default());
    }
    // A file that reads as its start does is not surveyed again.
    assert!(!surveyed_again(Kind::Data, &text));
}

/// `n` new rows for the file's first customer on consecutive days of 2032,
/// with `extra` rows spliced in after row `at`.
fn new_days(text: &str, n: usize, at: usize, extra: &[String]) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2032, 1, 1).expect("day");
    let mut rows: Vec<String> = (0..n)
        .map(|i| copy_of_first(text, &(start + chrono::Days::new(i as u64)).to_string()))
        .collect();
    for (k, row) in extra.iter().enumerate() {
        rows.insert(at + k, row.clone());
    }
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    append(&only_header(text), &rows)
}

/// `row` with its first field's cell (after id, customer, day) set to `value`.
fn with_first_field(row: &str, value: &str) -> String {
    let mut cells: Vec<&str> = row.split(',').collect();
    cells[3] = value;
    cells.join(",")
}

#[test]
fn runs_of_new_entries_written_together_fall_back_to_one_by_one_when_one_is_refused() {
    // Runs of plain new entries go in with one statement per 32 rows.
    same_both_ways(
        Kind::Data,
        |text| new_days(text, 200, 0, &[]),
        ImportOptions::default(),
    );
    // A row for a day the customer already has (a change) inside a run.
    same_both_ways(
        Kind::Data,
        |text| {
            let first = text.lines().nth(1).expect("a row");
            let day = first.split(',').nth(2).expect("day").to_owned();
            new_days(
                text,
                200,
                45,
                &[with_first_field(&copy_of_first(text, &day), "7")],
            )
        },
        ImportOptions::default(),
    );
    // A day this file already added, or a cell the field refuses, inside
    // a run: errors, nothing written, the same errors named.
    same_both_ways(
        Kind::Data,
        |text| new_days(text, 200, 70, &[copy_of_first(text, "2032-01-03")]),
        ImportOptions::default(),
    );
    same_both_ways(
        Kind::Data,
        |text| {
            let bad = with_first_field(&copy_of_first(text, "2033-05-05"), "lots");
            new_days(text, 200, 70, &[bad])
        },
        ImportOptions::default(),
    );
}

#[test]
fn entries_keep_their_stamps_in_unix_seconds_and_other_records_in_text() {
    let (dir, mut store) = support::demo();
    let text = export(&store, Kind::Data, false);
    let (report, _) = stream_surveying(
        &mut store,
        Kind::Data,
        &new_days(&text, 100, 0, &[]),
        ImportOptions::default(),
        Survey::Whole,
    );
    assert_eq!(report.new, 100);
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
    let (_dir, demo) = support::demo();
    let (dir, mut empty) = support::empty();
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
        panic!("{outcome:?}: {:?}", report.error_sample);
    };
    assert_eq!(report.new, 41);
    let conn = rusqlite::Connection::open(dir.path().join("work.db")).expect("open");
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM entries ORDER BY id")
        .expect("query")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("query");
    let ranges: Vec<(i64, i64)> = conn
        .prepare(&format!(
            "SELECT record_id, new FROM changes WHERE batch_id = {batch} AND field = '*range'"
        ))
        .expect("query")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("query");
    let mut logged: Vec<i64> = ranges.iter().flat_map(|&(a, b)| a..=b).collect();
    logged.sort_unstable();
    let generated: Vec<i64> = ids.iter().copied().filter(|&i| i != i64::MAX).collect();
    assert_eq!(logged, generated, "range rows name the entries created");
    empty.undo(batch).expect("undo of the import");
}

#[test]
/// 32 rows of over 1,023 columns would pass SQLite's 32,766 parameters:
/// such a workspace writes one row at a time.
fn a_workspace_with_over_a_thousand_fields_still_imports_a_streamed_file() {
    use concierge::domain::{Field, FieldType};
    let (_dir, mut store) = support::demo();
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
        report.error_sample
    );
}
