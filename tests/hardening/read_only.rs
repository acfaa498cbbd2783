//! `--read-only` reads wherever the user can read, and changes nothing:
//! no byte of the file, no side file left behind.

use crate::support;
use crate::support::bin::{chmod, names, run, run_as_nobody, text};
use concierge::store::{OpenMode, Store};

#[test]
fn read_only_reads_a_workspace_in_a_folder_the_user_cannot_write() {
    let tmp = tempfile::tempdir().expect("tempdir");
    chmod(tmp.path(), 0o755);
    let dir = tmp.path().join("d");
    std::fs::create_dir(&dir).expect("mkdir");
    let init = run(tmp.path(), &["--db", "d/w.db", "init", "--demo"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    chmod(&dir, 0o555);
    let review = run_as_nobody(tmp.path(), &["--db", "d/w.db", "--read-only", "review"]);
    let log = run_as_nobody(tmp.path(), &["--db", "d/w.db", "--read-only", "log"]);
    chmod(&dir, 0o755);
    let (Some(review), Some(log)) = (review, log) else {
        return;
    };
    assert!(review.status.success(), "{}", text(&review.stderr));
    assert!(text(&review.stdout).starts_with("# Weekly review"));
    assert!(log.status.success(), "{}", text(&log.stderr));
    assert!(
        text(&log.stdout).contains("log check-in"),
        "{}",
        text(&log.stdout)
    );
    assert_eq!(names(&dir), ["w.db"]);
    // Without --read-only, the reason and the way out.
    chmod(&dir, 0o555);
    let plain = run_as_nobody(tmp.path(), &["--db", "d/w.db", "log"]);
    chmod(&dir, 0o755);
    let plain = plain.expect("ran as nobody above");
    assert_eq!(plain.status.code(), Some(1));
    assert_eq!(
        text(&plain.stderr),
        "concierge: cannot write the workspace d/w.db (its file or folder is read-only for you); add --read-only to read it\n"
    );
}

#[test]
fn read_only_in_a_writable_folder_leaves_no_side_file_and_no_changed_byte() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let init = run(tmp.path(), &["--db", "w.db", "init", "--demo"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    let before = std::fs::read(tmp.path().join("w.db")).expect("read");
    assert_eq!(names(tmp.path()), ["w.db"]);
    for args in [&["review"][..], &["log"], &["check"]] {
        let out = run(
            tmp.path(),
            &[&["--db", "w.db", "--read-only"][..], args].concat(),
        );
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert_eq!(names(tmp.path()), ["w.db"], "{args:?}");
    }
    assert!(before == std::fs::read(tmp.path().join("w.db")).expect("read"));
}

#[test]
fn read_only_beside_a_writer_leaves_the_writers_files_alone() {
    let (dir, mut writer) = support::demo_file();
    let path = writer.path().to_path_buf();
    let reader = Store::open(&path, OpenMode::ReadOnly, "dana", support::clock()).expect("open");
    let entries = reader.entry_count().expect("count");
    drop(reader);
    assert!(names(dir.path()).iter().any(|n| n.ends_with("-wal")));
    writer
        .set_week_start(chrono::Weekday::Sun)
        .expect("a write after");
    let reader = Store::open(&path, OpenMode::ReadOnly, "dana", support::clock()).expect("open");
    assert_eq!(reader.entry_count().expect("count"), entries);
    assert_eq!(
        reader.week_start().expect("week start"),
        chrono::Weekday::Sun
    );
}

#[test]
fn a_dry_run_import_changes_no_byte_of_the_workspace() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fixture = run(tmp.path(), &["dev", "fixture", "--small", "w.db"]);
    assert!(fixture.status.success(), "{}", text(&fixture.stderr));
    // Over 1 MiB: the streamed import, which takes the file for itself.
    let csv = run(
        tmp.path(),
        &["dev", "wide-csv", "--small", "--rows", "20000", "d.csv"],
    );
    assert!(csv.status.success(), "{}", text(&csv.stderr));
    assert!(
        std::fs::metadata(tmp.path().join("d.csv"))
            .expect("csv")
            .len()
            > 1 << 20
    );
    let before = std::fs::read(tmp.path().join("w.db")).expect("read");
    let out = run(
        tmp.path(),
        &["--db", "w.db", "import", "data", "d.csv", "--dry-run"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("nothing written"),
        "{}",
        text(&out.stdout)
    );
    let after = std::fs::read(tmp.path().join("w.db")).expect("read");
    let changed: Vec<usize> = (0..before.len().min(after.len()))
        .filter(|&i| before[i] != after[i])
        .collect();
    assert_eq!((changed, after.len()), (vec![], before.len()));
}

#[test]
fn read_only_never_reads_around_a_writer_holding_the_file() {
    // A large import alone writes through a rollback journal and may hold
    // the file exclusively before its journal has a page: the reader says
    // it is locked instead of reading the file as immutable.
    let (_dir, store) = support::demo_file();
    let path = store.path().to_path_buf();
    drop(store);
    let writer = rusqlite::Connection::open(&path).expect("writer");
    writer
        .execute_batch("PRAGMA journal_mode = DELETE; BEGIN EXCLUSIVE;")
        .expect("an exclusive write in progress");
    let opened = Store::open(&path, OpenMode::ReadOnly, "dana", support::clock());
    assert!(
        matches!(opened, Err(concierge::store::StoreError::Locked)),
        "{:?}",
        opened.map(|_| "opened")
    );
    writer.execute_batch("ROLLBACK").expect("rollback");
}
