//! The command line: subcommands, exit codes and messages.

use std::process::{Command, Output};

fn concierge(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_concierge"))
        .arg("--db")
        .arg(db)
        .args(if args.contains(&"--as") {
            &[][..]
        } else {
            &["--as", "dana"][..]
        })
        .args(args)
        .env_remove("CONCIERGE_DB")
        .output()
        .expect("run concierge")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn init_demo_then_log_check_and_undo() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("nested/folder/w.db");
    let init = concierge(&db, &["init", "--demo"]);
    assert!(init.status.success(), "{}", stderr(&init));
    assert!(db.exists(), "the file and its folder are created");

    let again = concierge(&db, &["init", "--demo"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already holds data"),
        "{}",
        stderr(&again)
    );

    let check = concierge(&db, &["check"]);
    assert!(check.status.success());
    assert!(stdout(&check).starts_with("ok: "), "{}", stdout(&check));

    let log = concierge(&db, &["log", "--limit", "3"]);
    assert!(log.status.success());
    assert_eq!(stdout(&log).lines().count(), 3);

    let none = concierge(&db, &["--as", "newcomer", "undo"]);
    assert_eq!(
        none.status.code(),
        Some(1),
        "a newcomer has made no change yet"
    );
    assert!(
        stderr(&none).starts_with("concierge: nothing of newcomer's left to undo"),
        "{}",
        stderr(&none)
    );

    let undo = concierge(&db, &["undo", "1"]);
    assert!(
        !undo.status.success(),
        "the fields batch has later data depending on it"
    );
    let latest: i64 = stdout(&log)
        .split_whitespace()
        .next()
        .and_then(|b| b.trim_start_matches('#').parse().ok())
        .expect("a batch number");
    let undo = concierge(&db, &["undo", &latest.to_string()]);
    assert!(undo.status.success(), "{}", stderr(&undo));
    assert!(stdout(&undo).starts_with(&format!("undid batch {latest} as batch")));
    let log = concierge(&db, &["log", "--limit", "2"]);
    assert!(
        stdout(&log).contains(&format!("(undone by #{})", latest + 1)),
        "{}",
        stdout(&log)
    );
}

#[test]
fn usage_errors_exit_2_and_data_errors_exit_1_with_one_line() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("w.db");
    let usage = concierge(&db, &["frobnicate"]);
    assert_eq!(usage.status.code(), Some(2));

    let conn = rusqlite::Connection::open(&db).expect("raw");
    conn.pragma_update(None, "user_version", 99)
        .expect("future");
    drop(conn);
    let newer = concierge(&db, &["check"]);
    assert_eq!(newer.status.code(), Some(1));
    let message = stderr(&newer);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("schema version 99"), "{message}");
}

#[test]
fn read_only_cli_writes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("w.db");
    assert!(concierge(&db, &["init", "--demo"]).status.success());
    let before = std::fs::read(&db).expect("bytes");
    let undo = concierge(&db, &["--read-only", "undo", "5"]);
    assert_eq!(undo.status.code(), Some(1));
    assert!(
        stderr(&undo).contains("read-only workspace"),
        "{}",
        stderr(&undo)
    );
    assert_eq!(std::fs::read(&db).expect("bytes"), before);
}

#[test]
fn the_review_week_start_is_shown_and_set() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("w.db");
    let shown = concierge(&db, &["week-start"]);
    assert_eq!(stdout(&shown).trim(), "review weeks start on monday");
    let set = concierge(&db, &["week-start", "Sunday"]);
    assert_eq!(
        stdout(&set).trim(),
        "review weeks start on sunday",
        "{}",
        stderr(&set)
    );
    let bad = concierge(&db, &["week-start", "someday"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("not a day of the week"),
        "{}",
        stderr(&bad)
    );
}
