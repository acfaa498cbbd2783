//! The command line: subcommands, exit codes and messages, on a file or
//! (with `CONCIERGE_TEST_ENGINE=postgres`) on a server.

use crate::support::{self, cli as concierge};
use std::process::Output;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn init_demo_then_log_check_and_undo() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("nested/folder/w.db");
    let (ws, db) = if support::on_server() {
        let (ws, store) = support::empty();
        drop(store);
        let init = concierge(ws.db(), &["init", "--demo"]);
        assert_eq!(init.status.code(), Some(1));
        assert!(stderr(&init).contains("team init"), "{}", stderr(&init));
        let (ws, _) = support::demo();
        let db = ws.db().to_owned();
        (Some(ws), db)
    } else {
        let db = file.to_string_lossy().into_owned();
        let init = concierge(&db, &["init", "--demo"]);
        assert!(init.status.success(), "{}", stderr(&init));
        assert!(file.exists(), "the file and its folder are created");
        let again = concierge(&db, &["init", "--demo"]);
        assert_eq!(again.status.code(), Some(1));
        assert!(
            stderr(&again).contains("already holds data"),
            "{}",
            stderr(&again)
        );
        (None, db)
    };

    let check = concierge(&db, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stdout(&check).starts_with("ok: "), "{}", stdout(&check));

    let log = concierge(&db, &["log", "--limit", "3"]);
    assert!(log.status.success());
    assert_eq!(stdout(&log).lines().count(), 3);

    // Someone who has made no change yet: a name on a file, a new
    // member's login on a server.
    let (as_newcomer, who, named) = match ws.as_ref().and_then(|ws| ws.server()) {
        Some(server) => {
            let login = server.login("newcomer");
            let add = concierge(&server.url(), &["team", "add", &login, "--role", "entry"]);
            assert!(add.status.success(), "{}", stderr(&add));
            (server.url_as(&login), login, false)
        }
        None => (db.clone(), "newcomer".to_owned(), true),
    };
    let args: &[&str] = if named {
        &["--as", "newcomer", "undo"]
    } else {
        &["undo"]
    };
    let none = concierge(&as_newcomer, args);
    assert_eq!(
        none.status.code(),
        Some(1),
        "a newcomer has made no change yet"
    );
    assert!(
        stderr(&none).starts_with(&format!("concierge: nothing of {who}'s left to undo")),
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
    // (A server may skip numbers: a refused write drew one and gave it up.)
    let undoing: i64 = stdout(&undo)
        .strip_prefix(&format!("undid batch {latest} as batch "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| {
            n.trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("{}", stdout(&undo)));
    assert!(undoing > latest);
    let log = concierge(&db, &["log", "--limit", "2"]);
    assert!(
        stdout(&log).contains(&format!("(undone by #{undoing})")),
        "{}",
        stdout(&log)
    );
}

#[test]
fn usage_errors_exit_2_and_data_errors_exit_1_with_one_line() {
    let (ws, store) = support::empty();
    drop(store);
    let usage = concierge(ws.db(), &["frobnicate"]);
    assert_eq!(usage.status.code(), Some(2));

    // A workspace written by a newer concierge.
    match ws.server() {
        Some(db) => db
            .client()
            .batch_execute(
                "CREATE OR REPLACE FUNCTION concierge_schema_version() RETURNS bigint
                 LANGUAGE sql IMMUTABLE RETURN 99",
            )
            .expect("future"),
        None => rusqlite::Connection::open(ws.db())
            .and_then(|conn| conn.pragma_update(None, "user_version", 99))
            .expect("future"),
    }
    let newer = concierge(ws.db(), &["check"]);
    assert_eq!(newer.status.code(), Some(1));
    let message = stderr(&newer);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("schema version 99"), "{message}");
}

#[test]
fn read_only_cli_writes_nothing() {
    let (ws, store) = support::demo();
    drop(store);
    let before = newest(ws.db());
    let undo = concierge(ws.db(), &["--read-only", "undo", "5"]);
    assert_eq!(undo.status.code(), Some(1));
    assert!(
        stderr(&undo).contains("read-only workspace"),
        "{}",
        stderr(&undo)
    );
    assert_eq!(newest(ws.db()), before, "no batch written");
    let store = ws.open(concierge::store::OpenMode::ReadOnly);
    assert_eq!(store.undone_by(5).expect("batch 5"), None, "not undone");
}

/// The newest batch's number, from `log`.
fn newest(db: &str) -> i64 {
    let log = concierge(db, &["log", "--limit", "1"]);
    stdout(&log)
        .split_whitespace()
        .next()
        .and_then(|b| b.trim_start_matches('#').parse().ok())
        .expect("a batch number")
}

#[test]
fn the_review_week_start_is_shown_and_set() {
    let (ws, store) = support::empty();
    drop(store);
    let db = ws.db();
    let shown = concierge(db, &["week-start"]);
    assert_eq!(stdout(&shown).trim(), "review weeks start on monday");
    let set = concierge(db, &["week-start", "Sunday"]);
    assert_eq!(
        stdout(&set).trim(),
        "review weeks start on sunday",
        "{}",
        stderr(&set)
    );
    let bad = concierge(db, &["week-start", "someday"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("not a day of the week"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn check_on_a_server_finds_keys_that_would_collide() {
    let Some(db) = support::server::holding("check_keys", support::server::Template::Demo) else {
        return;
    };
    let ok = concierge(&db.url(), &["check"]);
    assert_eq!(
        stdout(&ok).trim(),
        "ok: submittals-mvp on the server passes its key, live-data column and constraint checks",
        "{}",
        stderr(&ok)
    );
    // As if ids had been written without moving the server's key past
    // them: the next customer would collide with C-12.
    db.client()
        .batch_execute("SELECT setval(pg_get_serial_sequence('customers', 'id'), 3)")
        .expect("wind the key back");
    let behind = concierge(&db.url(), &["check"]);
    assert_eq!(behind.status.code(), Some(1));
    assert!(
        stderr(&behind)
            .contains("customers: the largest id is 12 but the server would hand out 4 next"),
        "{}",
        stderr(&behind)
    );
}
