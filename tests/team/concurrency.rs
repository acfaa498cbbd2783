//! SPEC §7's "zero lost updates": several members, each its own process
//! and login, save forms, grid cells and check-ins on a few shared records
//! of one server workspace at once, each through the store methods the UI
//! saves with, passing the `rev` it read. Every attempt is reported (one
//! line: committed at which rev in which batch, or refused as a conflict),
//! and the reports, the records and the change log must all agree.
//!
//! The workers are this test binary run again (`worker` below, ignored
//! unless `CONCIERGE_LOAD_URL` is set), so they use the library exactly as
//! the app does, each with its own connection.

use super::{demo_on, member, replay};
use crate::support::server;
use concierge::domain::entry::CellValue;
use concierge::domain::{CheckIn, CheckInKind, Meta};
use concierge::store::{Store, StoreError};
use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long every worker saves.
const RUN: Duration = Duration::from_millis(3000);

/// The records the workers share, as `c=1,2 h=3 e=4,5 f=6`: customers,
/// backlog items, entries and (integer) fields.
#[derive(Debug, Default)]
struct Shared {
    customers: Vec<i64>,
    items: Vec<i64>,
    entries: Vec<i64>,
    fields: Vec<i64>,
}

impl Shared {
    fn encode(&self) -> String {
        let list = |ids: &[i64]| {
            ids.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        };
        format!(
            "c={} h={} e={} f={}",
            list(&self.customers),
            list(&self.items),
            list(&self.entries),
            list(&self.fields)
        )
    }

    fn decode(text: &str) -> Self {
        let mut shared = Shared::default();
        for part in text.split_whitespace() {
            let (kind, ids) = part.split_once('=').expect("kind=ids");
            let ids = ids.split(',').map(|i| i.parse().expect("an id")).collect();
            match kind {
                "c" => shared.customers = ids,
                "h" => shared.items = ids,
                "e" => shared.entries = ids,
                _ => shared.fields = ids,
            }
        }
        shared
    }
}

/// A small deterministic generator (xorshift64*), one seed per worker.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }

    fn pick(&mut self, ids: &[i64]) -> i64 {
        ids[self.below(ids.len() as u64) as usize]
    }
}

#[test]
fn members_saving_the_same_records_at_once_lose_nothing() {
    let Some(db) = server::fresh("team_concurrency") else {
        return;
    };
    demo_on(&db);
    let logins = [
        (member(&db, "pat", "pm"), "pm"),
        (member(&db, "quinn", "pm"), "pm"),
        (member(&db, "eddie", "entry"), "entry"),
        (member(&db, "erin", "entry"), "entry"),
    ];
    let mut owner = postgres::Client::connect(&db.url(), postgres::NoTls).expect("connect");
    let ids = |owner: &mut postgres::Client, sql: &str| -> Vec<i64> {
        owner
            .query(sql, &[])
            .expect("ids")
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    let shared = Shared {
        customers: ids(&mut owner, "SELECT id FROM customers ORDER BY id LIMIT 3"),
        items: ids(
            &mut owner,
            "SELECT id FROM backlog_items ORDER BY id LIMIT 3",
        ),
        entries: ids(&mut owner, "SELECT id FROM entries ORDER BY id LIMIT 4"),
        fields: ids(
            &mut owner,
            "SELECT id FROM fields WHERE type = 'integer' ORDER BY id LIMIT 2",
        ),
    };
    assert_eq!(shared.fields.len(), 2, "the demo has two integer fields");
    let before = replay::snapshot(&mut owner);

    let children: Vec<_> = logins
        .iter()
        .enumerate()
        .map(|(i, (login, role))| {
            Command::new(std::env::current_exe().expect("this test binary"))
                .args(["--exact", "team::concurrency::worker", "--ignored"])
                .args(["--nocapture", "--test-threads=1"])
                .env("CONCIERGE_LOAD_URL", db.url_as(login))
                .env("CONCIERGE_LOAD_ROLE", role)
                .env("CONCIERGE_LOAD_SEED", (i as u64 * 7919 + 17).to_string())
                .env("CONCIERGE_LOAD_SET", shared.encode())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start a worker")
        })
        .collect();
    let mut reports = Vec::new();
    for ((login, _), child) in logins.iter().zip(children) {
        let out = child.wait_with_output().expect("a worker's output");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "worker {login} failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lines: Vec<Report> = stdout
            .lines()
            // The first line follows libtest's "test … " on the same line.
            .filter_map(|l| l.split_once("LOAD ").map(|(_, report)| report))
            .map(|l| Report::parse(login, l))
            .collect();
        assert!(
            lines.len() >= 10,
            "worker {login} saved too little: {stdout}"
        );
        reports.extend(lines);
    }
    check_reports(&mut owner, &before, &reports);
    let problems = replay::problems(&mut owner, &before);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// One attempt as a worker reported it.
#[derive(Debug, Clone)]
struct Report {
    login: String,
    outcome: String,
    table: String,
    id: i64,
    /// The rev the save was made against (committed: the rev it made).
    rev: i64,
    batch: i64,
    field: String,
    value: String,
}

impl Report {
    /// `commit TABLE ID REV BATCH FIELD VALUE` or `conflict TABLE ID REV`.
    fn parse(login: &str, line: &str) -> Self {
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert!(
            matches!(parts[0], "commit" | "conflict" | "locked"),
            "{login}: {line}"
        );
        let number = |i: usize| parts.get(i).map_or(0, |p| p.parse().expect("a number"));
        Report {
            login: login.to_owned(),
            outcome: parts[0].to_owned(),
            table: parts[1].to_owned(),
            id: number(2),
            rev: number(3),
            batch: number(4),
            field: parts.get(5).map_or(String::new(), ToString::to_string),
            value: parts.get(6).map_or(String::new(), ToString::to_string),
        }
    }
}

/// (a) zero lost updates: each record's commits claim distinct revs that
/// run on from its rev before the run without a gap; its rev and values
/// now are those of its last commit; every conflict was a save against a
/// rev someone else's commit had moved on from; every batch written
/// during the run is one reported commit, holding exactly its change.
fn check_reports(owner: &mut postgres::Client, before: &replay::Snapshot, reports: &[Report]) {
    let commits: Vec<&Report> = reports.iter().filter(|r| r.outcome == "commit").collect();
    let conflicts = reports.iter().filter(|r| r.outcome == "conflict").count();
    eprintln!(
        "{} saves: {} committed, {conflicts} conflicts, {} locked",
        reports.len(),
        commits.len(),
        reports.len() - commits.len() - conflicts
    );
    assert!(
        conflicts > 0,
        "four members on three records for {RUN:?} never collided: the test saw no race"
    );
    let mut by_record: BTreeMap<(&str, i64), Vec<&Report>> = BTreeMap::new();
    for c in &commits {
        by_record.entry((&c.table, c.id)).or_default().push(c);
    }
    let now = replay::snapshot(owner);
    for ((table, id), list) in &mut by_record {
        list.sort_by_key(|c| c.rev);
        let was = before.tables[table]
            .get(id)
            .map_or(0, |r| r["rev"].as_i64().expect("rev"));
        let revs: Vec<i64> = list.iter().map(|c| c.rev).collect();
        let expected: Vec<i64> = (was + 1..=was + list.len() as i64).collect();
        assert_eq!(revs, expected, "{table} {id}: commits claimed these revs");
        let row = &now.tables[table][id];
        assert_eq!(row["rev"].as_i64(), Some(was + list.len() as i64));
        let mut last_of_field = BTreeMap::new();
        for c in list.iter() {
            last_of_field.insert(c.field.as_str(), c.value.as_str());
        }
        for (field, value) in last_of_field {
            let stored = match &row[field] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            assert_eq!(
                stored, value,
                "{table} {id}.{field}: its last commit's value"
            );
        }
    }
    for conflict in reports.iter().filter(|r| r.outcome == "conflict") {
        let beaten = by_record
            .get(&(conflict.table.as_str(), conflict.id))
            .and_then(|list| list.iter().find(|c| c.rev == conflict.rev + 1));
        assert!(
            beaten.is_some_and(|c| c.login != conflict.login),
            "{conflict:?}: refused, but nobody else committed rev {}",
            conflict.rev + 1
        );
    }
    // Every batch of the run, with its changes: one claimed commit each.
    let rows = owner
        .query(
            "SELECT b.id, b.actor, c.tbl, c.record_id, c.field, c.new, c.rev
             FROM batches b LEFT JOIN changes c ON c.batch_id = b.id
             WHERE b.id > $1 ORDER BY b.id, c.id",
            &[&before.last_batch],
        )
        .expect("the run's batches");
    let mut logged: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for r in &rows {
        let change = format!(
            "{} {} {} {} {} {}",
            r.get::<_, String>(1),
            r.get::<_, Option<String>>(2).unwrap_or_default(),
            r.get::<_, Option<i64>>(3).unwrap_or_default(),
            r.get::<_, Option<i64>>(6).unwrap_or_default(),
            r.get::<_, Option<String>>(4).unwrap_or_default(),
            r.get::<_, Option<String>>(5).unwrap_or_default(),
        );
        logged.entry(r.get(0)).or_default().push(change);
    }
    let claimed: BTreeMap<i64, &Report> = commits.iter().map(|c| (c.batch, *c)).collect();
    assert_eq!(claimed.len(), commits.len(), "two commits claim one batch");
    assert_eq!(
        logged.keys().collect::<Vec<_>>(),
        claimed.keys().collect::<Vec<_>>(),
        "the run's batches are the commits reported"
    );
    for (batch, changes) in &logged {
        let c = claimed[batch];
        let change = format!(
            "{} {} {} {} {} {}",
            c.login, c.table, c.id, c.rev, c.field, c.value
        );
        if c.table == "checkins" {
            // A new record logs each of its fields, all at rev 1.
            let record = format!("{} {} {} 1 ", c.login, c.table, c.id);
            assert!(changes.contains(&change), "batch {batch}: {changes:?}");
            assert!(
                changes.iter().all(|ch| ch.starts_with(&record)),
                "{changes:?}"
            );
        } else {
            assert_eq!(changes, &vec![change], "batch {batch} holds its one change");
        }
    }
}

/// One member saving for [`RUN`]: a random mix of a customer form, a
/// backlog form (pm only), a grid cell and a new check-in, each against the
/// rev just read, printing one `LOAD` line per attempt.
#[test]
#[ignore = "a worker process of members_saving_the_same_records_at_once_lose_nothing"]
fn worker() {
    let Ok(url) = std::env::var("CONCIERGE_LOAD_URL") else {
        return;
    };
    let pm = std::env::var("CONCIERGE_LOAD_ROLE").is_ok_and(|r| r == "pm");
    let seed: u64 = std::env::var("CONCIERGE_LOAD_SEED")
        .expect("seed")
        .parse()
        .expect("a number");
    let shared = Shared::decode(&std::env::var("CONCIERGE_LOAD_SET").expect("set"));
    let mut store = Store::open_server(&url, false, crate::support::clock()).expect("open");
    let fields: Vec<_> = store
        .fields()
        .expect("fields")
        .into_iter()
        .filter(|f| shared.fields.contains(&f.id))
        .collect();
    let mut rng = Rng(seed | 1);
    let until = Instant::now() + RUN;
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let tag = format!("{}-{n}", store.actor());
        let roll = rng.below(100);
        let line = if pm && roll < 25 {
            let id = rng.pick(&shared.customers);
            let mut customer = store.customer(id).expect("read a customer");
            let rev = customer.meta.rev;
            think(&mut rng);
            customer.notes.clone_from(&tag);
            let saved = store.save_customer(&customer).map(|(_, batch)| batch);
            report(saved, ("customers", id, rev), "notes", &tag)
        } else if pm && roll < 50 {
            let id = rng.pick(&shared.items);
            let mut item = store.backlog_item(id).expect("read an item");
            let rev = item.meta.rev;
            think(&mut rng);
            item.metric.clone_from(&tag);
            let saved = store.save_backlog(&item).map(|(_, batch)| batch);
            report(saved, ("backlog_items", id, rev), "metric", &tag)
        } else if roll < 85 {
            let entry = rng.pick(&shared.entries);
            let field = &fields[rng.below(fields.len() as u64) as usize];
            let row = store.grid_rows(&[entry], std::slice::from_ref(field));
            let row = row.expect("read a row").pop().expect("the entry");
            let old = match row.values[0] {
                Some(CellValue::Integer(v)) => v,
                _ => 0,
            };
            // A value in the field's 0..=200 that differs from the old one.
            let new = (old + 1 + rng.below(100) as i64) % 201;
            think(&mut rng);
            let saved = store.set_cell(entry, Some(row.rev), field, Some(&CellValue::Integer(new)));
            report(
                saved,
                ("entries", entry, row.rev),
                &field.column(),
                &new.to_string(),
            )
        } else {
            let checkin = CheckIn {
                id: 0,
                customer_id: rng.pick(&shared.customers),
                occurred_on: store.clock().today(),
                kind: CheckInKind::Call,
                author: store.actor().to_owned(),
                summary: tag.clone(),
                notes: String::new(),
                health: None,
                effort_minutes: None,
                meta: Meta::default(),
            };
            match store.save_checkin(&checkin) {
                Ok((id, batch)) => report(Ok(batch), ("checkins", id, 0), "summary", &tag),
                Err(e) => report(Err(e), ("checkins", 0, 0), "summary", &tag),
            }
        };
        println!("LOAD {line}");
    }
}

/// A person between reading a record and saving it: 0 to 2 ms.
fn think(rng: &mut Rng) {
    std::thread::sleep(Duration::from_micros(rng.below(2000)));
}

/// The report of one save of `field` = `value` on `(table, id)` read at `rev`.
fn report(
    saved: Result<Option<i64>, StoreError>,
    (table, id, rev): (&str, i64, i64),
    field: &str,
    value: &str,
) -> String {
    match saved {
        Ok(Some(batch)) => format!("commit {table} {id} {} {batch} {field} {value}", rev + 1),
        Err(StoreError::Conflict { .. }) => format!("conflict {table} {id} {rev}"),
        Err(StoreError::Locked) => format!("locked {table} {id} {rev}"),
        Ok(None) => panic!("{table} {id}: a save of a new value changed nothing"),
        Err(e) => panic!("{table} {id}: {e}"),
    }
}
