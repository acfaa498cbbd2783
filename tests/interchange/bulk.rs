//! Large-file imports (`Store::import_file`, streamed): they must write
//! exactly what the whole-file import writes, refuse what it refuses, and
//! their cheap change rows (a packed row per record, a range row for new
//! live-data entries) must serve undo, redo, Activity and the merge.
//! Here the helpers the three topics share.

mod both_ways;
mod history;
mod writing;

use crate::support;
use crate::support::interchange::{KINDS, export, import};
use concierge::sheet::Survey;
use concierge::sheet::decode;
use concierge::store::Store;
use concierge::store::interchange::{BulkReport, ImportOptions, Kind, Outcome, Source};

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

/// The header line of a CSV text.
fn only_header(text: &str) -> String {
    format!("{}\n", text.lines().next().expect("header"))
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
