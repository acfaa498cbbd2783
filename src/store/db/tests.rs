use super::pg::{pgpass_lookup, placeholders};
use super::{Db, Dialect, args};
use crate::store::StoredValue;

#[test]
fn placeholders_become_dollars_outside_quotes() {
    assert_eq!(
        placeholders("SELECT a FROM t WHERE id = ?1 AND rev = ?12"),
        "SELECT a FROM t WHERE id = $1 AND rev = $12"
    );
    assert_eq!(placeholders("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
    assert_eq!(
        placeholders("SELECT '?1 stays', \"col?\" FROM t WHERE x = ?1"),
        "SELECT '?1 stays', \"col?\" FROM t WHERE x = $1"
    );
    assert_eq!(
        placeholders("SELECT 'it''s ?' , ?2"),
        "SELECT 'it''s ?' , $2"
    );
}

#[test]
fn pgpass_matches_fields_with_wildcards_and_escapes() {
    let text = "# comment\n\
                db.example:5432:other:dana:nope\n\
                *:*:concierge:dana:s3cr\\:et\n\
                *:*:*:*:fallback\n";
    assert_eq!(
        pgpass_lookup(text, ["db.example", "5432", "concierge", "dana"]).as_deref(),
        Some("s3cr:et")
    );
    assert_eq!(
        pgpass_lookup(text, ["db.example", "5432", "other", "dana"]).as_deref(),
        Some("nope")
    );
    assert_eq!(
        pgpass_lookup(text, ["h", "1", "x", "priya"]).as_deref(),
        Some("fallback")
    );
    assert_eq!(pgpass_lookup("a:b:c:d:e\n", ["z", "b", "c", "d"]), None);
}

/// The same calls and the same answers on either engine, given a table
/// `t` (id, name, score, day) made the engine's way.
fn reads_and_writes(db: &Db) {
    let name = String::from("Alder & Finch");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).expect("day");
    let id: i64 = db
        .value(
            "INSERT INTO t (name, score, day) VALUES (?1, ?2, ?3) RETURNING id",
            args![name, 2.5, day],
        )
        .expect("insert");
    assert_eq!(id, 1);
    // An integer sent where a real is wanted, NULL where text is.
    db.execute(
        "INSERT INTO t (name, score) VALUES (?1, ?2)",
        args![None::<String>, 3i64],
    )
    .expect("insert");
    let rows = db
        .query_map(
            "SELECT id, name, score, day FROM t ORDER BY id",
            args![],
            |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<Option<String>>(1)?,
                    r.get::<f64>(2)?,
                    r.get::<StoredValue>(3)?,
                ))
            },
        )
        .expect("rows");
    assert_eq!(
        rows,
        vec![
            (1, Some(name), 2.5, StoredValue::Text("2026-12-05".into())),
            (2, None, 3.0, StoredValue::Null),
        ]
    );
    // count(*) and a literal, whatever their integer width, read as i64.
    assert_eq!(
        db.value::<i64>("SELECT count(*) FROM t", args![])
            .expect("count"),
        2
    );
    assert_eq!(db.value::<i64>("SELECT 7", args![]).expect("literal"), 7);
    let missing = db
        .query_opt("SELECT name FROM t WHERE id = ?1", args![9i64], |r| {
            r.get::<String>(0)
        })
        .expect("query");
    assert_eq!(missing, None);
    let err = db
        .query_row("SELECT name FROM t WHERE id = ?1", args![2i64], |r| {
            r.get::<String>(0)
        })
        .expect_err("NULL is not text");
    assert!(err.to_string().contains("NULL"), "{err}");
    let sql = format!("SELECT {}", db.dialect().add_days("'2026-12-30'", "7"));
    assert_eq!(
        db.value::<String>(&sql, args![]).expect("date"),
        "2027-01-06"
    );
    let err = db
        .execute("INSERT INTO nowhere VALUES (?1)", args![1i64])
        .expect_err("no such table");
    assert!(err.to_string().contains("nowhere"), "{err}");
}

#[test]
fn sqlite_reads_and_writes_through_the_same_calls() {
    let db = Db::Sqlite(rusqlite::Connection::open_in_memory().expect("memory"));
    assert_eq!(db.dialect(), Dialect::Sqlite);
    db.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, day TEXT)")
        .expect("table");
    reads_and_writes(&db);
}

#[test]
fn dialects_spell_day_arithmetic_and_case_folding() {
    let db = Db::Sqlite(rusqlite::Connection::open_in_memory().expect("memory"));
    let sql = format!("SELECT {}", Dialect::Sqlite.add_days("'2026-12-30'", "7"));
    assert_eq!(
        db.value::<String>(&sql, args![]).expect("date"),
        "2027-01-06"
    );
    assert_eq!(
        Dialect::Postgres.add_days("d", "c.cadence_days"),
        "((d)::date + (c.cadence_days)::int)::text"
    );
}

/// The PostgreSQL server the tests may use (`CONCIERGE_TEST_PG`, a URL;
/// `.ci/run` starts one and sets `CONCIERGE_PG_REQUIRED`, so a missing
/// server fails there), or `None` with a note that the test was skipped.
pub(crate) fn test_server(test: &str) -> Option<String> {
    let url = std::env::var("CONCIERGE_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        assert!(
            std::env::var_os("CONCIERGE_PG_REQUIRED").is_none(),
            "{test}: CONCIERGE_PG_REQUIRED is set but CONCIERGE_TEST_PG is not"
        );
        eprintln!("skipped {test} on PostgreSQL: CONCIERGE_TEST_PG is not set");
    }
    url
}

#[test]
fn postgres_reads_and_writes_through_the_same_calls() {
    let Some(url) = test_server("postgres_reads_and_writes_through_the_same_calls") else {
        return;
    };
    let db = Db::Postgres(Box::new(super::Pg::connect(&url).expect("connect")));
    assert_eq!(db.dialect(), Dialect::Postgres);
    db.execute_batch(
        "CREATE TEMPORARY TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
             name text, score double precision, day text)",
    )
    .expect("table");
    reads_and_writes(&db);
}

#[test]
fn postgres_hears_other_sessions_commits_but_not_its_own() {
    let Some(url) = test_server("postgres_hears_other_sessions_commits_but_not_its_own") else {
        return;
    };
    let me = super::Pg::connect(&url).expect("connect");
    me.listen().expect("listen");
    let other = super::Pg::connect(&url).expect("connect");
    assert_eq!(me.others_version(true).expect("poll"), 0);
    me.execute_batch("NOTIFY concierge, 'mine'")
        .expect("notify");
    assert_eq!(
        me.others_version(true).expect("poll"),
        0,
        "its own commit is not news"
    );
    other
        .execute_batch("NOTIFY concierge, '7'")
        .expect("notify");
    // Delivery is asynchronous: poll for up to a second.
    let mut version = 0;
    for _ in 0..100 {
        version = me.others_version(true).expect("poll");
        if version > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(version, 1);
}

#[test]
fn postgres_connects_again_after_the_server_dropped_the_session() {
    let Some(url) = test_server("postgres_connects_again_after_the_server_dropped_the_session")
    else {
        return;
    };
    let pg = super::Pg::connect(&url).expect("connect");
    pg.listen().expect("listen");
    let db = Db::Postgres(Box::new(pg));
    let me: i64 = db.value("SELECT pg_backend_pid()", args![]).expect("pid");
    // The server drops this session (as a restart or a cut network would).
    let other = super::Pg::connect(&url).expect("connect");
    other
        .execute("SELECT pg_terminate_backend(?1::int)", args![me])
        .expect("terminate");
    std::thread::sleep(std::time::Duration::from_millis(100));
    // A query on the dead session says the server is unreachable ...
    let err = db
        .value::<i64>("SELECT 1", args![])
        .expect_err("the session is gone");
    assert!(err.to_string().contains("server is unreachable"), "{err}");
    // ... and the next one connects again, listening as before.
    let again: i64 = db
        .value("SELECT pg_backend_pid()", args![])
        .expect("reconnected");
    assert_ne!(again, me);
    // A write that begins on a dropped session connects again at once.
    let other = super::Pg::connect(&url).expect("connect");
    other
        .execute("SELECT pg_terminate_backend(?1::int)", args![again])
        .expect("terminate");
    std::thread::sleep(std::time::Duration::from_millis(100));
    db.execute_batch("BEGIN")
        .expect("a write begins on a fresh session");
    db.execute_batch("ROLLBACK").expect("rollback");
}
