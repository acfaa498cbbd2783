//! Helpers for the import-engine tests (`bulk.rs`, `bulk/log.rs`):
//! importing a text as a file, dumping a workspace, and making data rows.

use crate::support as common;
use crate::support::interchange::{KINDS, export};
use concierge::sheet::{Survey, decode};
use concierge::store::Store;
use concierge::store::interchange::{ImportOptions, Kind, Outcome, Preview, RowError, Source};

/// Imports `text` as a file, surveying it whole first.
pub fn stream(
    store: &mut Store,
    kind: Kind,
    text: &str,
    options: ImportOptions,
) -> (Preview, Outcome) {
    stream_surveying(store, kind, text, options, Survey::Whole)
}

/// [`stream`], surveying as `survey` says before the first row.
pub fn stream_surveying(
    store: &mut Store,
    kind: Kind,
    text: &str,
    options: ImportOptions,
    survey: Survey,
) -> (Preview, Outcome) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(format!("{kind}.csv"));
    std::fs::write(&path, text).expect("write");
    store
        .import_file_surveying(kind, &path, options, &mut |_, _, _| {}, survey)
        .expect("import runs")
}

/// Every kind exported, for comparing a workspace before and after.
pub fn everything(store: &Store) -> Vec<String> {
    KINDS.iter().map(|k| export(store, *k, false)).collect()
}

/// Asserts two workspace dumps are equal, showing only the lines that differ.
pub fn assert_same(a: &[String], b: &[String], what: &str) {
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

pub fn append(text: &str, rows: &[&str]) -> String {
    let mut out = text.to_owned();
    for row in rows {
        out.push_str(row);
        out.push('\n');
    }
    out
}

/// The file's first data row again as a new row (no id) on `day`.
pub fn copy_of_first(text: &str, day: &str) -> String {
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
pub fn only_header(text: &str) -> String {
    format!("{}\n", text.lines().next().expect("header"))
}

/// A data file of `n` new rows: the demo's first row on other days.
pub fn new_rows(store: &Store, n: usize) -> String {
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

/// `n` new rows for the file's first customer on consecutive days of 2032,
/// with `extra` rows spliced in after row `at`.
pub fn new_days(text: &str, n: usize, at: usize, extra: &[String]) -> String {
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
pub fn with_first_field(row: &str, value: &str) -> String {
    let mut cells: Vec<&str> = row.split(',').collect();
    cells[3] = value;
    cells.join(",")
}

/// Imports `kinds` of `from` into `to`, each applied. The backlog and its
/// evidence go in together as `import all` takes them: a decided item's
/// evidence comes in the same batch, and a decided item alone would be
/// refused for having none.
pub fn copy_kinds(from: &Store, to: &mut Store, kinds: &[Kind]) {
    let together = [Kind::Backlog, Kind::Evidence];
    for &kind in kinds {
        if kind == Kind::Evidence && kinds.contains(&Kind::Backlog) {
            let sources: Vec<Source> = together
                .iter()
                .map(|&kind| {
                    let decoded = decode(export(from, kind, false).as_bytes()).expect("decodes");
                    Source::decoded(kind, &kind.file_name(), &decoded)
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
        let (preview, outcome) = stream(to, kind, &text, ImportOptions::default());
        assert!(
            matches!(outcome, Outcome::Applied(_)),
            "{kind}: {:?}",
            preview.errors
        );
    }
}

/// What an import must do: its outcome and its rows by outcome (they add
/// up to the rows read), and how many errors it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    pub outcome: &'static str,
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub with_errors: usize,
    pub errors: usize,
}

pub const APPLIED: Expect = Expect {
    outcome: "applied",
    new: 0,
    changed: 0,
    unchanged: 0,
    with_errors: 0,
    errors: 0,
};

pub fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Applied(_) => "applied",
        Outcome::NoChanges => "no changes",
        Outcome::Blocked => "blocked",
        Outcome::Checked => "checked",
    }
}

/// Imports `edit_text` of the demo's export of `kind` into a copy of the
/// demo, surveying whole and then only the start; checks `expect` both
/// times and returns the last workspace with its preview. A blocked or
/// checked import must leave the workspace as it was.
pub fn expect_import(
    kind: Kind,
    edit_text: impl Fn(&str) -> String,
    options: ImportOptions,
    expect: Expect,
) -> (crate::support::Workspace, Store, Preview) {
    let mut last = None;
    for survey in [Survey::Whole, Survey::Start(400)] {
        let (dir, mut store) = common::demo();
        let before = everything(&store);
        let text = edit_text(&export(&store, kind, false));
        let (preview, outcome) = stream_surveying(&mut store, kind, &text, options, survey);
        let rows = preview.row_counts();
        let got = Expect {
            outcome: outcome_name(outcome),
            new: rows.new,
            changed: rows.changed,
            unchanged: rows.unchanged,
            with_errors: rows.with_errors,
            errors: preview.error_count(),
        };
        assert_eq!(got, expect, "{kind} {survey:?}: {:#?}", preview.errors);
        assert_eq!(
            rows.new + rows.changed + rows.unchanged + rows.with_errors,
            preview.rows,
            "{kind}: the counts add up to the rows read"
        );
        if !matches!(outcome, Outcome::Applied(_)) {
            assert_eq!(everything(&store), before, "{kind}: nothing written");
        }
        last = Some((dir, store, preview));
    }
    last.expect("ran")
}

/// The cell of `id` under `column` in the workspace's export of `kind`.
pub fn cell(store: &Store, kind: Kind, id: &str, column: &str) -> String {
    let text = export(store, kind, false);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let at = reader
        .headers()
        .expect("header")
        .iter()
        .position(|h| h == column)
        .expect("column");
    reader
        .records()
        .map(|r| r.expect("record"))
        .find(|r| &r[0] == id)
        .map_or_else(|| panic!("no {id}"), |r| r[at].to_owned())
}

/// The exported rows of `kind` whose cells contain every one of `cells`.
pub fn rows_with(store: &Store, kind: Kind, cells: &[&str]) -> usize {
    export(store, kind, false)
        .lines()
        .filter(|l| cells.iter().all(|c| l.split(',').any(|x| x == *c)))
        .count()
}

/// The day of the first row of a data file (E-1's).
pub fn first_day(text: &str) -> String {
    let first = text.lines().nth(1).expect("a row");
    first.split(',').nth(2).expect("day").to_owned()
}

/// The error on data row `row`, which must be there.
pub fn error_on(p: &Preview, row: usize) -> &RowError {
    p.errors
        .iter()
        .find(|e| e.data_row == row)
        .unwrap_or_else(|| panic!("no error on row {row}: {:#?}", p.errors))
}
