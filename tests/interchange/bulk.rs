//! Large-file imports (`Store::import_file`, streamed): they must write
//! exactly what the whole-file import writes, refuse what it refuses, and
//! their cheap change rows (a packed row per record, a range row for new
//! live-data entries) must serve undo, redo, Activity and the merge.

use crate::support;

use crate::support::interchange::{KINDS, edit, export, import, newest_batch, without_rev};
use concierge::sheet::Survey;
use concierge::sheet::decode;
use concierge::store::interchange::{BulkReport, ImportOptions, Kind, Outcome, Source};
use concierge::store::{ListKind, ListQuery, Store};

/// Imports `text` as a file through the streamed path.
fn stream(
    store: &mut Store,
    kind: Kind,
    text: &str,
    options: ImportOptions,
) -> (BulkReport, Outcome) {
    stream_surveying(store, kind, text, options, Survey::Whole)
}

/// [`stream`], surveying as `survey` says before the first row.
fn stream_surveying(
    store: &mut Store,
    kind: Kind,
    text: &str,
    options: ImportOptions,
    survey: Survey,
) -> (BulkReport, Outcome) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(format!("{kind}.csv"));
    std::fs::write(&path, text).expect("write");
    store
        .import_file_surveying(kind, &path, options, &mut |_, _, _| {}, survey)
        .expect("import runs")
        .expect("UTF-8 streams")
}

fn everything(store: &Store) -> Vec<String> {
    KINDS.iter().map(|k| export(store, *k, false)).collect()
}

/// Asserts two workspace dumps are equal, showing only the lines that differ.
fn assert_same(a: &[String], b: &[String], what: &str) {
    for (x, y) in a.iter().zip(b) {
        let only_a: Vec<&str> = x
            .lines()
            .filter(|l| !y.lines().any(|m| m == *l))
            .take(5)
            .collect();
        let only_b: Vec<&str> = y
            .lines()
            .filter(|l| !x.lines().any(|m| m == *l))
            .take(5)
            .collect();
        assert!(
            only_a.is_empty() && only_b.is_empty(),
            "{what}: {only_a:#?} vs {only_b:#?}"
        );
    }
}

/// Both imports of `text` into copies of the demo: same outcome, same
/// counts, same workspace after. The streamed one runs twice: surveying
/// the whole file first, and surveying only its first few rows (then the
/// first read checks the rest, and a file that reads differently further
/// on is rolled back, surveyed whole and read again).
fn same_both_ways(kind: Kind, edit_text: impl Fn(&str) -> String, options: ImportOptions) {
    for survey in [Survey::Whole, Survey::Start(400)] {
        same_both_ways_surveying(kind, &edit_text, options, survey);
    }
}

fn same_both_ways_surveying(
    kind: Kind,
    edit_text: impl Fn(&str) -> String,
    options: ImportOptions,
    survey: Survey,
) {
    let (_a_dir, mut a) = support::demo();
    let (_b_dir, mut b) = support::demo();
    let text = edit_text(&export(&a, kind, false));
    let (preview, whole) = import(&mut a, kind, &text, options);
    let (report, streamed) = stream_surveying(&mut b, kind, &text, options, survey);
    assert_eq!(report.rows, preview.rows, "{kind}: rows read");
    let kind_of = |o: Outcome| std::mem::discriminant(&o);
    assert_eq!(
        kind_of(whole),
        kind_of(streamed),
        "{kind}: {:?}",
        report.error_sample
    );
    // Both count every row once, and the counts add up to the rows read.
    let rows = preview.row_counts();
    assert_eq!(
        (
            rows.new,
            rows.changed,
            rows.unchanged,
            rows.with_errors,
            preview.errors.len()
        ),
        (
            report.new,
            report.changed,
            report.unchanged,
            report.error_rows,
            report.errors
        ),
        "{kind}: {:?} / {:?}",
        preview.errors,
        report.error_sample
    );
    assert_eq!(
        rows.new + rows.changed + rows.unchanged + rows.with_errors,
        preview.rows,
        "{kind}: the counts add up"
    );
    assert_same(&everything(&a), &everything(&b), kind.name());
}

fn append(text: &str, rows: &[&str]) -> String {
    let mut out = text.to_owned();
    for row in rows {
        out.push_str(row);
        out.push('\n');
    }
    out
}

/// The file's first data row again as a new row (no id) on `day`.
fn copy_of_first(text: &str, day: &str) -> String {
    let row = text.lines().nth(1).expect("a row");
    let cells: Vec<&str> = row.split(',').collect();
    let mut copy = vec![""];
    copy.push(cells[1]);
    copy.push(day);
    copy.extend(&cells[3..cells.len() - 1]);
    copy.push("");
    copy.join(",")
}

#[test]
fn streamed_data_imports_write_what_whole_file_imports_write() {
    same_both_ways(
        Kind::Data,
        |text| {
            let text = edit(text, "E-2", "hours_saved", "2.5");
            let text = edit(&text, "E-5", "hours_saved", "");
            let new = [
                copy_of_first(&text, "2020-01-06"),
                copy_of_first(&text, "2020-01-13"),
            ];
            append(&text, &[&new[0], &new[1]])
        },
        ImportOptions::default(),
    );
}

#[test]
fn a_row_without_id_for_a_day_already_entered_updates_that_entry() {
    same_both_ways(
        Kind::Data,
        |text| {
            let first = text.lines().nth(1).expect("a row").to_owned();
            let day = first.split(',').nth(2).expect("day").to_owned();
            // Same customer and day, no id: it is that entry, edited.
            let mut cells: Vec<String> = copy_of_first(text, &day)
                .split(',')
                .map(str::to_owned)
                .collect();
            cells[3] = "7".to_owned();
            let edited = cells.join(",");
            append(&only_header(text), &[&edited])
        },
        ImportOptions::default(),
    );
}

/// The header line of a CSV text.
fn only_header(text: &str) -> String {
    format!("{}\n", text.lines().next().expect("header"))
}

#[test]
fn streamed_customer_and_checkin_imports_write_what_whole_file_imports_write() {
    same_both_ways(
        Kind::Customers,
        |text| {
            let text = edit(text, "C-2", "name", "Renamed & Co");
            let text = edit(&text, "C-3", "segment", "owner-builder");
            append(&text, &[",Brand New Builders,,,,prospect,,,,,,,"])
        },
        ImportOptions::default(),
    );
    same_both_ways(
        Kind::CheckIns,
        |text| edit(text, "K-4", "summary", "A new summary"),
        ImportOptions::default(),
    );
}

#[test]
fn a_streamed_file_with_errors_writes_nothing_and_names_them() {
    same_both_ways(
        Kind::Data,
        |text| {
            let text = edit(text, "E-3", "recorded_on", "not a date");
            edit(&text, "E-4", "customer", "Nobody At All")
        },
        ImportOptions::default(),
    );
    same_both_ways(
        Kind::Customers,
        |text| {
            append(
                text,
                &["C-2,Again,,,,prospect,,,,,,,", "C-9999,Ghost,,,,,,,,,,,"],
            )
        },
        ImportOptions::default(),
    );
}

#[test]
fn a_dry_run_checks_everything_and_writes_nothing() {
    let (_dir, mut store) = support::demo();
    let before = everything(&store);
    let text = edit(
        &export(&store, Kind::Customers, false),
        "C-2",
        "segment",
        "x",
    );
    let options = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let (report, outcome) = stream(&mut store, Kind::Customers, &text, options);
    assert_eq!((outcome, report.changed), (Outcome::Checked, 1));
    assert_eq!(everything(&store), before);
}

/// A data file of `n` new rows: the demo's first row on other days.
fn new_rows(store: &Store, n: usize) -> String {
    let text = export(store, Kind::Data, false);
    let mut out = only_header(&text);
    let start = chrono::NaiveDate::from_ymd_opt(2001, 1, 1).expect("date");
    for i in 0..n {
        let day = start + chrono::Duration::days(i as i64);
        out.push_str(&copy_of_first(&text, &day.to_string()));
        out.push('\n');
    }
    out
}

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

/// Streams `kinds` of `from` into `to`, each applied. The backlog and its
/// evidence go in together as `import all` takes them (the whole-file
/// path): a decided item's evidence comes in the same batch, and a decided
/// item alone would be refused for having none.
fn copy_kinds(from: &Store, to: &mut Store, kinds: &[Kind]) {
    let together = [Kind::Backlog, Kind::Evidence];
    for &kind in kinds {
        if kind == Kind::Evidence && kinds.contains(&Kind::Backlog) {
            let sources: Vec<Source> = together
                .iter()
                .map(|&kind| Source {
                    kind,
                    name: kind.file_name(),
                    decoded: decode(export(from, kind, false).as_bytes()).expect("decodes"),
                })
                .collect();
            let (previews, outcome) = to
                .import_all(
                    "copy",
                    &sources,
                    ImportOptions::default(),
                    &mut |_, _, _| {},
                )
                .expect("import all");
            let errors: Vec<_> = previews.iter().flat_map(|p| &p.errors).collect();
            assert!(matches!(outcome, Outcome::Applied(_)), "{errors:?}");
            continue;
        }
        if kind == Kind::Backlog && kinds.contains(&Kind::Evidence) {
            continue;
        }
        let text = export(from, kind, false);
        let (report, outcome) = stream(to, kind, &text, ImportOptions::default());
        assert!(
            matches!(outcome, Outcome::Applied(_)),
            "{kind}: {:?}",
            report.error_sample
        );
    }
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
