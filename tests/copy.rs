//! `concierge copy`: a workspace moved from a file to a server and back
//! keeps every record, key, rev and the whole change log.

use crate::support::bin::BIN;
use crate::support::{demo_file, server};
use rusqlite::types::Value;
use std::path::Path;
use std::process::{Command, Output};

fn concierge(db: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("CONCIERGE_TODAY", "2026-11-21")
        .output()
        .expect("run concierge")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every row of every table, typed as SQLite holds it.
fn tables(path: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let tables = [
        "meta",
        "fields",
        "customers",
        "backlog_items",
        "checkins",
        "evidence",
        "followups",
        "entries",
        "reviews",
        "batches",
        "changes",
    ];
    tables
        .iter()
        .map(|t| {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {t} ORDER BY 1"))
                .expect("select");
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
                .expect("rows")
                .collect::<Result<Vec<Vec<Value>>, _>>()
                .expect("read");
            ((*t).to_owned(), rows)
        })
        .collect()
}

#[test]
fn a_workspace_copied_to_a_server_and_back_keeps_records_keys_revs_and_history() {
    let Some(db) = server::fresh("copy_round_trip") else {
        return;
    };
    let (dir, store) = demo_file();
    let file = store.path().to_path_buf();
    drop(store);
    let up = ok(&concierge(&file, &["copy", "--to", &db.url()]));
    assert!(
        up.contains("12 customers") && up.contains("changes"),
        "{up}"
    );

    // On the server: a real kept its type in the change log, and a new
    // record gets the next key after the copied ones.
    let mut raw = postgres::Client::connect(&db.url(), postgres::NoTls).expect("connect");
    let reals: i64 = raw
        .query_one("SELECT count(*) FROM changes WHERE new_type = 'r'", &[])
        .expect("count")
        .get(0);
    assert!(reals > 0, "the demo logs decimal values");
    let next: i64 = raw
        .query_one(
            "INSERT INTO batches (actor, at, label) VALUES (current_user, '2026-12-05T10:00:00Z', 'x')
             RETURNING id",
            &[],
        )
        .expect("a new batch")
        .get(0);
    let copied_batches: i64 = raw
        .query_one("SELECT count(*) FROM batches", &[])
        .expect("count")
        .get(0);
    assert_eq!(
        next, copied_batches,
        "the server's keys continue after the file's"
    );
    raw.batch_execute(&format!("DELETE FROM batches WHERE id = {next}"))
        .expect("the owner may tidy up");

    // The workspace keeps its name up there (the header, the review's
    // title), and a file copied down is named by its file.
    let on_server = concierge::store::Store::open_server(&db.url(), true, crate::support::clock())
        .expect("open on the server");
    assert_eq!(on_server.name(), "submittals-mvp");
    assert_eq!(on_server.place(), "submittals-mvp on the server");
    drop(on_server);

    // The last copy's copy is what the server took: down into a new file.
    let back = dir.path().join("back.db");
    let down = ok(&concierge(&back, &["copy", "--from", &db.url()]));
    assert_eq!(
        up.split_once(": ").map(|(_, counts)| counts),
        down.split_once(": ").map(|(_, counts)| counts),
        "the same rows each way"
    );
    assert_eq!(tables(&file), tables(&back));
    ok(&concierge(&back, &["check"]));

    // History and undo survive: the newest batch undoes on the copy.
    let undone = ok(&concierge(&back, &["--as", "priya", "undo"]));
    assert!(undone.starts_with("undid batch "), "{undone}");

    // Copying onto a workspace in use is refused and writes nothing.
    let again = concierge(&file, &["copy", "--to", &db.url()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already holds records"),
        "{again:?}"
    );
}
