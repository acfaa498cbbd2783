//! Helpers for the interchange tests: exporting and importing through the
//! store, editing CSV text as a person would, the change counter of
//! SQLite, and running the binary.

use concierge::sheet::{ExportOptions, decode};
use concierge::store::Store;
use concierge::store::interchange::{ImportOptions, Kind, Layout, Outcome, Preview};
use std::path::Path;
use std::process::{Command, Output};

pub const KINDS: [Kind; 7] = Kind::ALL;

pub fn export(store: &Store, kind: Kind, excel: bool) -> String {
    export_as(store, kind, excel, Layout::Wide)
}

pub fn export_as(store: &Store, kind: Kind, excel: bool, layout: Layout) -> String {
    let mut out = Vec::new();
    store
        .export(
            kind,
            None,
            layout,
            ExportOptions { excel },
            &mut out,
            &mut |_, _, _| {},
        )
        .expect("export");
    String::from_utf8(out).expect("utf-8")
}

pub fn import(
    store: &mut Store,
    kind: Kind,
    text: &str,
    options: ImportOptions,
) -> (Preview, Outcome) {
    let decoded = decode(text.as_bytes()).expect("decodes");
    store
        .import(kind, "test.csv", &decoded, options, &mut |_, _, _| {})
        .expect("import runs")
}

/// The header and the rows whose id passes `keep`.
pub fn only(text: &str, keep: impl Fn(&str) -> bool) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut out = csv::Writer::from_writer(Vec::new());
    for (i, record) in reader.records().enumerate() {
        let record = record.expect("record");
        if i == 0 || keep(&record[0]) {
            out.write_record(&record).expect("write");
        }
    }
    String::from_utf8(out.into_inner().expect("flush")).expect("utf-8")
}

/// Data records in a CSV text (multi-line cells count once).
pub fn records(text: &str) -> usize {
    csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .count()
}

pub fn newest_batch(store: &Store) -> i64 {
    store.recent_batches(1).expect("batches")[0].id
}

/// The file without its `_rev` column (revs move on with every write, undo too).
pub fn without_rev(text: &str) -> String {
    text.lines()
        .map(|l| l.rsplit_once(',').map_or(l, |(head, _)| head))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Replaces cell (`id`, `column`) of a CSV text; the row must exist.
pub fn edit(text: &str, id: &str, column: &str, value: &str) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect();
    let at = rows[0].iter().position(|h| h == column).expect("column");
    let mut found = false;
    let mut out = csv::Writer::from_writer(Vec::new());
    for mut row in rows {
        if row[0] == id {
            value.clone_into(&mut row[at]);
            found = true;
        }
        out.write_record(&row).expect("write");
    }
    assert!(found, "no row {id}");
    String::from_utf8(out.into_inner().expect("flush")).expect("utf-8")
}

/// Whether another session wrote to a workspace: SQLite's `data_version`
/// on a file; on a server, the change log's rows and the newest batch
/// (every write of a record is logged, and a rolled-back write leaves
/// neither).
pub enum Watch {
    File(rusqlite::Connection),
    Server(std::cell::RefCell<postgres::Client>),
}

/// A watch on the workspace `db` (a file's path or a server's URL) and
/// its version now.
pub fn data_version(db: impl AsRef<std::ffi::OsStr>) -> (Watch, i64) {
    let db = db.as_ref().to_string_lossy();
    let watch = if is_url(&db) {
        let client = postgres::Client::connect(&db, postgres::NoTls).expect("second session");
        Watch::Server(std::cell::RefCell::new(client))
    } else {
        Watch::File(rusqlite::Connection::open(Path::new(&*db)).expect("second connection"))
    };
    let version = version_of(&watch);
    (watch, version)
}

pub fn version_of(watch: &Watch) -> i64 {
    match watch {
        Watch::File(conn) => conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .expect("data_version"),
        Watch::Server(client) => client
            .borrow_mut()
            .query_one(
                "SELECT (SELECT count(*) FROM changes) * 1000000
                      + (SELECT coalesce(max(id), 0) FROM batches)",
                &[],
            )
            .expect("version")
            .get(0),
    }
}

fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// `concierge --db DB ARGS` as dana (on a server the login is dana and
/// `--as` is refused, so it is left out).
pub fn cli(db: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
    let db = db.as_ref();
    let mut command = Command::new(env!("CARGO_BIN_EXE_concierge"));
    command.arg("--db").arg(db);
    if !is_url(&db.to_string_lossy()) {
        command.args(["--as", "dana"]);
    }
    command
        .args(args)
        .env_remove("CONCIERGE_DB")
        .output()
        .expect("run concierge")
}

pub fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
