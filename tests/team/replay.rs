//! The change log on a server replayed from a snapshot: every logged
//! table read before a run (whole, or the rows of a [`Scope`]), the change
//! rows of every batch written since applied to it in order, and the
//! result compared with the tables after the run, cell for cell. `tests/support/audit.rs` does the same
//! for a file from an empty workspace; here the snapshot stands in for
//! everything written before the run (the demo came up through `copy`).
//!
//! Change rows are applied in the order of their ids. For one record that
//! is the order of the commits: a change row is inserted after the
//! `UPDATE` that took the record's row lock, so a later writer of the
//! same record draws its change id only after the earlier one committed.

#![allow(dead_code, reason = "shared with benches/pg_save.rs; each uses a part")]

use postgres::Client;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Tables whose rows are written through the change log.
pub const LOGGED: &[&str] = &[
    "backlog_items",
    "customers",
    "checkins",
    "evidence",
    "followups",
    "fields",
    "entries",
    "reviews",
];

/// Columns the change log does not carry (the batch holds the time).
const UNLOGGED: &[&str] = &["created_at", "updated_at"];

/// Which rows of a table a snapshot reads: a condition on its rows (`t`),
/// by table; a table not named is read whole. A benchmark on the large
/// fixture reads the entries it writes, not 100,000 of them.
pub type Scope = BTreeMap<&'static str, String>;

/// Every logged table's rows in scope (as JSON objects, by id) and the
/// newest batch, read in one snapshot.
#[derive(Clone)]
pub struct Snapshot {
    pub last_batch: i64,
    pub tables: BTreeMap<&'static str, BTreeMap<i64, Map<String, Value>>>,
    scope: Scope,
}

/// Every logged table whole and the newest batch, as one transaction
/// sees them.
pub fn snapshot(client: &mut Client) -> Snapshot {
    snapshot_of(client, Scope::new())
}

/// [`snapshot`] of the rows in `scope`.
pub fn snapshot_of(client: &mut Client, scope: Scope) -> Snapshot {
    let mut tx = client
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .expect("a snapshot transaction");
    let last_batch: i64 = tx
        .query_one("SELECT coalesce(max(id), 0) FROM batches", &[])
        .expect("newest batch")
        .get(0);
    // Columns the server computes (checkins.notes_folded) are not logged.
    let generated: Vec<(String, String)> = tx
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
              WHERE table_schema = 'public' AND is_generated = 'ALWAYS'",
            &[],
        )
        .expect("generated columns")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let mut tables = BTreeMap::new();
    for table in LOGGED {
        let rows = tx
            .query(
                &format!("SELECT id, row_to_json(t)::text FROM {table} t"),
                &[],
            )
            .expect("read a table");
        let rows = rows
            .iter()
            .map(|r| {
                let json: String = r.get(1);
                let Ok(Value::Object(mut map)) = serde_json::from_str(&json) else {
                    panic!("{table}: a row that is not an object: {json}");
                };
                for (_, column) in generated.iter().filter(|(t, _)| t == table) {
                    map.remove(column);
                }
                (r.get::<_, i64>(0), map)
            })
            .collect();
        tables.insert(*table, rows);
    }
    tx.commit().expect("end the snapshot");
    Snapshot {
        last_batch,
        tables,
        scope,
    }
}

/// The number of rows outside `scope` in each table it names, and a sum
/// of their rows' hashes: equal before and after a run when nothing
/// outside the scope changed.
pub fn outside(client: &mut Client, scope: &Scope) -> BTreeMap<&'static str, (i64, i64)> {
    scope
        .iter()
        .map(|(table, only)| {
            let row = client
                .query_one(
                    &format!(
                        "SELECT count(*), coalesce(sum(hashtext(t::text)), 0)::bigint
                         FROM {table} t WHERE NOT ({only})"
                    ),
                    &[],
                )
                .expect("a digest");
            (*table, (row.get(0), row.get(1)))
        })
        .collect()
}

/// What `before` becomes when every change row of the batches written
/// after it is applied in order, and the problems met on the way (a
/// record's revs out of order, change rows this replay cannot read).
pub fn replay(client: &mut Client, before: &Snapshot) -> (Snapshot, Vec<String>) {
    let mut tables = before.tables.clone();
    let mut problems = Vec::new();
    let rows = client
        .query(
            "SELECT c.tbl, c.record_id, c.op, c.field, c.new_type, c.new, c.rev, c.batch_id
             FROM changes c WHERE c.batch_id > $1 ORDER BY c.id",
            &[&before.last_batch],
        )
        .expect("read the change log");
    let mut last_batch = before.last_batch;
    // Each record's last (rev, batch): one save changing several fields
    // logs them all at one rev.
    let mut last: BTreeMap<(String, i64), (i64, i64)> = BTreeMap::new();
    for row in &rows {
        let table: String = row.get(0);
        let id: i64 = row.get(1);
        let op: String = row.get(2);
        let field: String = row.get(3);
        let rev: i64 = row.get(6);
        let batch: i64 = row.get(7);
        last_batch = last_batch.max(batch);
        let previous = last.insert((table.clone(), id), (rev, batch));
        let Some(records) = LOGGED
            .iter()
            .find(|t| **t == table)
            .and_then(|t| tables.get_mut(t))
        else {
            problems.push(format!("a change row for unknown table {table}"));
            continue;
        };
        if field.starts_with('*') {
            problems.push(format!(
                "{table} {id}: packed change row {field} not replayed"
            ));
            continue;
        }
        if op == "delete" {
            records.remove(&id);
            continue;
        }
        let record = records.entry(id).or_insert_with(|| {
            let mut fresh = Map::new();
            fresh.insert("id".into(), Value::from(id));
            fresh
        });
        if op == "update" && previous != Some((rev, batch)) {
            let had = record.get("rev").and_then(Value::as_i64).unwrap_or(0);
            if rev != had + 1 {
                problems.push(format!(
                    "{table} {id}.{field}: a change to rev {rev} applied on rev {had}"
                ));
            }
        }
        record.insert("rev".into(), Value::from(rev));
        record.insert(field, logged(row.get(4), row.get(5)));
    }
    let scope = before.scope.clone();
    let replayed = Snapshot {
        last_batch,
        tables,
        scope,
    };
    (replayed, problems)
}

/// Every difference between what the change log says (`before` replayed)
/// and the tables now, plus every batch since `before` that holds no
/// change; empty when the log and the records agree cell for cell.
pub fn problems(client: &mut Client, before: &Snapshot) -> Vec<String> {
    let after = snapshot_of(client, before.scope.clone());
    let (replayed, mut problems) = replay(client, before);
    let empty = client
        .query(
            "SELECT b.id FROM batches b WHERE b.id > $1
             AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.batch_id = b.id)",
            &[&before.last_batch],
        )
        .expect("empty batches");
    problems.extend(
        empty
            .iter()
            .map(|r| format!("batch {} has no changes", r.get::<_, i64>(0))),
    );
    for (table, rows) in &after.tables {
        let logged = &replayed.tables[table];
        for (id, row) in rows {
            let Some(expected) = logged.get(id) else {
                problems.push(format!("{table} {id} exists; its change log says not"));
                continue;
            };
            for (column, value) in row {
                if UNLOGGED.contains(&column.as_str()) {
                    continue;
                }
                match expected.get(column) {
                    Some(want) if same(want, value) => {}
                    want => problems.push(format!(
                        "{table} {id}.{column} is {value}, its change log says {want:?}"
                    )),
                }
            }
        }
        for id in logged.keys().filter(|id| !rows.contains_key(id)) {
            problems.push(format!(
                "{table} {id} is missing; its change log says it exists"
            ));
        }
    }
    problems
}

/// A change row's value (type tag and text, see `changelog/logged.rs`) as
/// `row_to_json` writes the column.
fn logged(tag: Option<String>, text: Option<String>) -> Value {
    match (tag.as_deref(), text) {
        (Some("i"), Some(t)) => Value::from(t.parse::<i64>().expect("an integer change")),
        (Some("r"), Some(t)) => Value::from(t.parse::<f64>().expect("a real change")),
        (Some(_), Some(t)) => Value::String(t),
        _ => Value::Null,
    }
}

/// Equal as stored values: numbers by value (3 and 3.0 alike).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) => (x - y).abs() <= f64::EPSILON * x.abs().max(1.0),
                _ => false,
            },
        },
        _ => a == b,
    }
}
