//! Helpers for the streamed-import tests (`bulk.rs`, `bulk_log.rs`):
//! importing a text as a file, dumping a workspace, and making data rows.

use super::support::{KINDS, export};
use concierge::sheet::{Survey, decode};
use concierge::store::Store;
use concierge::store::interchange::{ImportOptions, Kind, Outcome, Preview, Source};

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
