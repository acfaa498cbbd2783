//! Killing an import at any moment (SPEC §6 reliability): the binary
//! imports a large data file in a child process, is killed with SIGKILL
//! after a seeded, spread-out delay, and the workspace must then pass
//! `PRAGMA integrity_check` and hold all of the import or none of it.
//!
//! Slow (about a minute on two cores): runs only with
//! `CONCIERGE_SLOW_TESTS=1`, which `.ci/run` sets.

use crate::support;

use concierge::fixture::{FixtureSize, Rng, write_wide_csv};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 24;
const ROWS: usize = 60_000;

/// (entries, batches, integrity) of a workspace, read with plain SQLite.
fn state(db: &Path) -> (i64, i64, String) {
    let conn = rusqlite::Connection::open(db).expect("open after the kill");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).expect(sql);
    (
        count("SELECT count(*) FROM entries"),
        count("SELECT count(*) FROM batches"),
        integrity,
    )
}

fn import(db: &Path, csv: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_concierge"))
        .arg("--db")
        .arg(db)
        .args(["--as", "crash", "import", "data"])
        .arg(csv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start concierge")
}

/// Copies the workspace (and any WAL beside it) to `to`.
fn copy_workspace(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let (a, b) = (
            format!("{}{suffix}", from.display()),
            format!("{}{suffix}", to.display()),
        );
        let _ = std::fs::remove_file(&b);
        if Path::new(&a).exists() {
            std::fs::copy(&a, &b).expect("copy");
        }
    }
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_or_nothing() {
    if !crate::support::slow_tests() {
        eprintln!("skipped: set CONCIERGE_SLOW_TESTS=1 to run");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let pristine = dir.path().join("pristine.db");
    {
        let mut store = concierge::store::Store::open(
            &pristine,
            concierge::store::OpenMode::ReadWrite,
            "crash",
            support::clock(),
        )
        .expect("open");
        store
            .build_fixture(11, FixtureSize::SMALL)
            .expect("fixture");
    }
    let csv = dir.path().join("wide.csv");
    let mut file = std::fs::File::create(&csv).expect("csv");
    write_wide_csv(&mut file, ROWS, 11, FixtureSize::SMALL).expect("write csv");
    let (before, batches, _) = state(&pristine);

    // One import to the end: how long it takes, and what "all" is.
    let db = dir.path().join("work.db");
    copy_workspace(&pristine, &db);
    let started = Instant::now();
    let status = import(&db, &csv).wait().expect("wait");
    let took = started.elapsed();
    assert!(status.success(), "the uninterrupted import failed");
    let all = state(&db);
    assert_eq!(all, (before + ROWS as i64, batches + 1, "ok".to_owned()));

    let mut rng = Rng::new(2026);
    let (mut none_seen, mut all_seen) = (0, 0);
    for i in 0..KILLS {
        copy_workspace(&pristine, &db);
        // Two thirds spread over the whole import (and a little past its
        // end), a third over its last 15 %, where it commits and
        // checkpoints; each delay jittered within its slot.
        let spread = KILLS * 2 / 3;
        let (from, span, slots, slot_index) = if i < spread {
            (0.0, 1.1, spread, i)
        } else {
            (0.85, 0.2, KILLS - spread, i - spread)
        };
        let jitter = rng.below(1000) as f64 / 1000.0;
        let fraction = from + span * (slot_index as f64 + jitter) / slots as f64;
        let delay = took.as_secs_f64() * fraction;
        let mut child = import(&db, &csv);
        std::thread::sleep(Duration::from_secs_f64(delay));
        let _ = child.kill();
        let _ = child.wait();
        let (entries, batch_count, integrity) = state(&db);
        assert_eq!(integrity, "ok", "kill {i} after {delay:.3} s");
        match (entries - before, batch_count - batches) {
            (0, 0) => none_seen += 1,
            (n, 1) if n == ROWS as i64 => all_seen += 1,
            other => panic!("kill {i} after {delay:.3} s left part of the import: {other:?}"),
        }
    }
    eprintln!(
        "{KILLS} kills over {:.2} s: {none_seen} left nothing, {all_seen} the whole import",
        took.as_secs_f64()
    );
    assert!(none_seen > 0, "no kill landed before the commit");
}
