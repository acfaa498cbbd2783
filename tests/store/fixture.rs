//! The benchmark fixture (`concierge dev fixture`, `dev wide-csv`): a valid
//! workspace of the asked size, the same for the same seed, and a wide
//! data file that imports into it cleanly.

use crate::support;

use concierge::fixture::{FixtureSize, write_wide_csv};
use concierge::sheet::decode;
use concierge::store::interchange::{ImportOptions, Kind, Outcome};
use concierge::store::{OpenMode, Store};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fixture of `size` in a temp folder.
fn build(seed: u64, size: FixtureSize) -> (support::Workspace, Store) {
    let (dir, mut store) = support::empty();
    store.build_fixture(seed, size).expect("fixture");
    (dir, store)
}

const TINY: FixtureSize = FixtureSize {
    customers: 12,
    items: 40,
    checkins: 60,
    fields: 40,
    weeks: 5,
    evidence: 30,
    followups: 10,
};

#[test]
fn the_fixture_is_a_valid_workspace_of_the_asked_size() {
    let (_dir, store) = build(5, TINY);
    assert_eq!(store.check().expect("check"), Vec::<String>::new());
    assert_eq!(store.entry_count().expect("entries"), 60);
    assert_eq!(store.fields().expect("fields").len(), 40);
    assert_eq!(store.backlog_count().expect("items"), 40);
    let batches = store.recent_batches(10).expect("batches");
    assert_eq!(batches.len(), 1);
    assert!(
        batches[0].label.starts_with("fixture seed 5"),
        "{}",
        batches[0].label
    );
    // Every item passes the domain rules, and decided ones have evidence.
    for id in 1..=40 {
        let item = store.backlog_item(id).expect("item");
        assert!(item.validate().is_ok(), "{item:?}");
        if item.status.is_decided() {
            assert!(
                !store.evidence_for_item(id).expect("evidence").is_empty(),
                "H-{id}"
            );
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_workspace() {
    let dump = |seed| {
        let (_dir, store) = build(seed, TINY);
        let mut out = Vec::new();
        for kind in Kind::ALL {
            out.push(common_export(&store, kind));
        }
        out
    };
    assert_eq!(dump(9), dump(9));
    assert_ne!(dump(9), dump(10));
}

fn common_export(store: &Store, kind: Kind) -> String {
    let mut out = Vec::new();
    store
        .export(
            kind,
            None,
            concierge::store::interchange::Layout::Wide,
            concierge::sheet::ExportOptions::default(),
            &mut out,
            &mut |_, _, _| {},
        )
        .expect("export");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn the_wide_csv_imports_into_the_fixture_as_new_entries() {
    let (_dir, mut store) = build(2, TINY);
    let mut csv = Vec::new();
    write_wide_csv(&mut csv, 500, 2, TINY).expect("csv");
    let text = String::from_utf8(csv).expect("utf-8");
    assert!(text.starts_with("id,customer,recorded_on,submittals_logged,"));
    let decoded = decode(text.as_bytes()).expect("decodes");
    let (preview, outcome) = store
        .import(
            Kind::Data,
            "wide.csv",
            &decoded,
            ImportOptions::default(),
            &mut |_, _, _| {},
        )
        .expect("import");
    assert_eq!(preview.errors, Vec::new());
    assert!(matches!(outcome, Outcome::Applied(_)), "{outcome:?}");
    assert_eq!(store.entry_count().expect("entries"), 60 + 500);
}

#[test]
fn dev_fixture_writes_a_workspace_that_check_accepts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("fixture.db");
    let bin = env!("CARGO_BIN_EXE_concierge");
    let out = Command::new(bin)
        .args(["dev", "fixture", "--small", "--seed", "4"])
        .arg(&db)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = Command::new(bin)
        .arg("--db")
        .arg(&db)
        .arg("check")
        .output()
        .expect("run");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let store = Store::open(&db, OpenMode::ReadOnly, "t", support::clock()).expect("open");
    assert_eq!(
        store.entry_count().expect("entries") as usize,
        FixtureSize::SMALL.entries()
    );
    // A second run refuses to fill a workspace that holds records.
    let again = Command::new(bin)
        .args(["dev", "fixture", "--small"])
        .arg(&db)
        .output()
        .expect("run");
    assert_eq!(again.status.code(), Some(1));
}

fn run(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_concierge"))
        .arg("--db")
        .arg(db)
        .args(["--as", "dana"])
        .args(args)
        .env_remove("CONCIERGE_DB")
        .output()
        .expect("run concierge")
}

/// A `--small` fixture at `dir/w.db` and a 20,000-row wide CSV over
/// 1 MiB (so it streams) at `dir/wide.csv`.
fn small_fixture_and_large_csv(dir: &Path) -> (PathBuf, PathBuf) {
    let db = dir.join("w.db");
    let csv = dir.join("wide.csv");
    let made = run(
        &db,
        &["dev", "fixture", "--small", db.to_str().expect("path")],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let wrote = run(
        &db,
        &[
            "dev",
            "wide-csv",
            "--small",
            "--rows",
            "20000",
            csv.to_str().expect("path"),
        ],
    );
    assert!(wrote.status.success());
    assert!(
        std::fs::metadata(&csv).expect("csv").len() > 1 << 20,
        "large enough to stream"
    );
    (db, csv)
}

#[test]
fn a_large_file_imports_streamed_from_the_command_line_and_undoes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, csv) = small_fixture_and_large_csv(dir.path());
    let text = |o: &std::process::Output| {
        (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };

    // A bad row anywhere: nothing written, the row named.
    let mut bad = std::fs::read_to_string(&csv).expect("read");
    bad.push_str(",Nobody Known,2001-01-01,,,,,,,,\n");
    let bad_path = dir.path().join("bad.csv");
    std::fs::write(&bad_path, bad).expect("write");
    let refused = run(&db, &["import", "data", bad_path.to_str().expect("path")]);
    let (out, err) = text(&refused);
    assert_eq!(refused.status.code(), Some(1), "{out}{err}");
    assert!(err.contains("nothing written: 1 error"), "{err}");
    assert!(
        out.contains(
            "data row 20001 (line 20002), column customer: no customer named Nobody Known"
        ),
        "{out}"
    );

    let imported = run(&db, &["import", "data", csv.to_str().expect("path")]);
    let (out, err) = text(&imported);
    assert!(imported.status.success(), "{out}{err}");
    assert!(out.contains("  new: 20000\n"), "{out}");
    assert!(out.contains("… and 19980 more"), "{out}");
    assert!(out.contains("imported as batch 2: 20000 new"), "{out}");
    let log = text(&run(&db, &["log", "--limit", "1"])).0;
    assert!(
        log.contains("20000 changes  import data from wide.csv"),
        "{log}"
    );
    let undo = run(&db, &["undo", "2"]);
    assert!(undo.status.success(), "{}", text(&undo).1);
    let store = Store::open(&db, OpenMode::ReadOnly, "t", support::clock()).expect("open");
    assert_eq!(
        store.entry_count().expect("entries") as usize,
        FixtureSize::SMALL.entries()
    );
}

#[test]
fn large_utf16_and_windows_1252_files_stream_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, csv) = small_fixture_and_large_csv(dir.path());
    // Every text cell gets an accent, as an old Excel export would hold.
    let text = std::fs::read_to_string(&csv)
        .expect("read")
        .replace("approval", "appröval");
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let ansi: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
        .collect();
    let (utf16_path, ansi_path) = (dir.path().join("unicode.csv"), dir.path().join("ansi.csv"));
    std::fs::write(&utf16_path, &utf16).expect("write");
    std::fs::write(&ansi_path, &ansi).expect("write");
    let out = |o: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    };

    // UTF-16: streamed (the bulk report's counts), named by its encoding.
    let checked = run(
        &db,
        &[
            "import",
            "data",
            utf16_path.to_str().expect("path"),
            "--dry-run",
        ],
    );
    assert!(checked.status.success(), "{}", out(&checked));
    assert!(out(&checked).contains("UTF-16LE"), "{}", out(&checked));
    assert!(
        out(&checked).contains("… and 19980 more"),
        "{}",
        out(&checked)
    );

    // Windows-1252: asked for first (from the file's head), then streamed.
    let asked = run(&db, &["import", "data", ansi_path.to_str().expect("path")]);
    assert_eq!(asked.status.code(), Some(1));
    assert!(
        out(&asked).contains("reads as Windows-1252") && out(&asked).contains("appröval"),
        "{}",
        out(&asked)
    );
    let imported = run(
        &db,
        &[
            "import",
            "data",
            ansi_path.to_str().expect("path"),
            "--encoding",
            "windows-1252",
        ],
    );
    assert!(imported.status.success(), "{}", out(&imported));
    assert!(
        out(&imported).contains("Windows-1252"),
        "{}",
        out(&imported)
    );
    assert!(
        out(&imported).contains("imported as batch 2: 20000 new"),
        "{}",
        out(&imported)
    );
    let store = Store::open(&db, OpenMode::ReadOnly, "t", support::clock()).expect("open");
    assert_eq!(
        store.entry_count().expect("entries") as usize,
        FixtureSize::SMALL.entries() + 20_000
    );
}
