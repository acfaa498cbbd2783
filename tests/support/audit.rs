//! Is a workspace file whole? SQLite's own integrity and foreign-key
//! checks, then the change log replayed against the records: every
//! record's fields and rev must equal what its change rows say, every
//! batch must hold changes, so a write is either all there or not at all.

use rusqlite::Connection;
use rusqlite::types::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Tables whose rows are written through the change log.
const LOGGED: &[&str] = &[
    "backlog_items",
    "customers",
    "checkins",
    "evidence",
    "followups",
    "fields",
    "entries",
    "reviews",
];

/// What the change log says one record should be.
#[derive(Default)]
struct Replayed {
    alive: bool,
    rev: i64,
    fields: HashMap<String, Value>,
}

/// Every problem found in the workspace at `path`; empty when it is whole.
pub fn audit(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).expect("open for audit");
    let mut problems = pragma_problems(&conn, "PRAGMA integrity_check");
    problems.retain(|p| p != "ok");
    problems.extend(pragma_problems(&conn, "PRAGMA foreign_key_check"));
    let mut stmt = conn
        .prepare("SELECT b.id FROM batches b WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.batch_id = b.id)")
        .expect("empty batches");
    let empty: Vec<i64> = stmt
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    problems.extend(empty.iter().map(|b| format!("batch {b} has no changes")));
    for table in LOGGED {
        if table_exists(&conn, table) {
            problems.extend(table_problems(&conn, table));
        }
    }
    problems
}

fn pragma_problems(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).expect("pragma");
    let count = stmt.column_count();
    stmt.query_map([], |r| {
        let parts: Vec<String> = (0..count)
            .map(|i| format!("{:?}", r.get::<_, Value>(i).unwrap_or(Value::Null)))
            .collect();
        Ok(if count == 1 {
            r.get::<_, String>(0).unwrap_or_else(|_| parts.join(" "))
        } else {
            format!("foreign key: {}", parts.join(" "))
        })
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

fn table_exists(conn: &Connection, table: &str) -> bool {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get::<_, i64>(0),
    )
    .expect("sqlite_master")
        == 1
}

/// Replays `table`'s change rows in order and compares with its rows.
fn table_problems(conn: &Connection, table: &str) -> Vec<String> {
    let mut replayed: BTreeMap<i64, Replayed> = BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT record_id, op, field, new, rev FROM changes WHERE tbl = ?1 ORDER BY id")
        .expect("changes");
    let mut rows = stmt.query([table]).expect("query");
    while let Some(row) = rows.next().expect("row") {
        let id: i64 = row.get(0).expect("id");
        let op: String = row.get(1).expect("op");
        let record = replayed.entry(id).or_default();
        record.rev = row.get(4).expect("rev");
        if op == "delete" {
            record.alive = false;
            record.fields.clear();
        } else {
            record.alive = true;
            record
                .fields
                .insert(row.get(2).expect("field"), row.get(3).expect("new"));
        }
    }
    let mut problems = Vec::new();
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table}"))
        .expect("records");
    let names: Vec<String> = stmt
        .column_names()
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut rows = stmt.query([]).expect("query");
    let mut present = Vec::new();
    while let Some(row) = rows.next().expect("row") {
        let values: HashMap<&str, Value> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), row.get::<_, Value>(i).expect("value")))
            .collect();
        let id = match values.get("id") {
            Some(Value::Integer(id)) => *id,
            other => panic!("{table} row without an integer id: {other:?}"),
        };
        present.push(id);
        let Some(record) = replayed.get(&id).filter(|r| r.alive) else {
            problems.push(format!(
                "{table} {id} exists but its change log says it does not"
            ));
            continue;
        };
        if values.get("rev") != Some(&Value::Integer(record.rev)) {
            problems.push(format!(
                "{table} {id} has rev {:?}, its last change says {}",
                values.get("rev"),
                record.rev
            ));
        }
        for (field, logged) in &record.fields {
            let stored = values.get(field.as_str()).unwrap_or(&Value::Null);
            if !same(stored, logged) {
                problems.push(format!(
                    "{table} {id}.{field} is {stored:?}, its change log says {logged:?}"
                ));
            }
        }
    }
    for (id, record) in &replayed {
        if record.alive && !present.contains(id) {
            problems.push(format!(
                "{table} {id} is missing but its change log says it exists"
            ));
        }
    }
    problems
}

/// Equal as stored values (the store's own rule: 3 and 3.0 are the same).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Integer(x), Value::Real(y)) | (Value::Real(y), Value::Integer(x)) => {
            (*x as f64 - *y).abs() < f64::EPSILON
        }
        _ => a == b,
    }
}
