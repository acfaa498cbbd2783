//! Members saving at once, shared by `team::concurrency` (each member a
//! process) and `benches/pg_save.rs` (each a thread, timed): the save mix
//! a member makes through the store methods the UI saves with, one
//! [`Report`] per attempt, and the check that the reports, the records and
//! the change log agree (zero lost updates). Needs `super::replay`.

#![allow(dead_code, reason = "shared with benches/pg_save.rs; each uses a part")]

use super::replay::Snapshot;
use concierge::domain::entry::CellValue;
use concierge::domain::{CheckIn, CheckInKind, Field, Meta};
use concierge::store::{Store, StoreError};
use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

/// The records members share, as `c=1,2 h=3 e=4,5 f=6`: customers,
/// backlog items, entries and integer fields (bounds 0..=200 or wider).
#[derive(Debug, Default, Clone)]
pub struct Shared {
    pub customers: Vec<i64>,
    pub items: Vec<i64>,
    pub entries: Vec<i64>,
    pub fields: Vec<i64>,
}

impl Shared {
    pub fn encode(&self) -> String {
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

    pub fn decode(text: &str) -> Self {
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

/// A small deterministic generator (xorshift64*), one seed per member.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }

    fn pick(&mut self, ids: &[i64]) -> i64 {
        ids[self.below(ids.len() as u64) as usize]
    }
}

/// One attempt: `LOGIN commit TABLE ID REV BATCH FIELD VALUE` (the rev it
/// made) or `LOGIN conflict|locked TABLE ID REV` (the rev it was made on).
#[derive(Debug, Clone)]
pub struct Report {
    pub login: String,
    pub outcome: String,
    pub table: String,
    pub id: i64,
    pub rev: i64,
    pub batch: i64,
    pub field: String,
    pub value: String,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (login, outcome, table) = (&self.login, &self.outcome, &self.table);
        write!(f, "{login} {outcome} {table} {} {}", self.id, self.rev)?;
        if outcome == "commit" {
            write!(f, " {} {} {}", self.batch, self.field, self.value)?;
        }
        Ok(())
    }
}

impl Report {
    pub fn parse(line: &str) -> Self {
        let parts: Vec<&str> = line.split_whitespace().collect();
        assert!(
            parts.len() >= 5 && matches!(parts[1], "commit" | "conflict" | "locked"),
            "a report: {line}"
        );
        let number = |i: usize| parts.get(i).map_or(0, |p| p.parse().expect("a number"));
        let text = |i: usize| parts.get(i).map_or(String::new(), ToString::to_string);
        Report {
            login: text(0),
            outcome: text(1),
            table: text(2),
            id: number(3),
            rev: number(4),
            batch: number(5),
            field: text(6),
            value: text(7),
        }
    }
}

/// One member: a store opened as its login, and its mix of saves.
pub struct Member {
    pub store: Store,
    fields: Vec<Field>,
    shared: Shared,
    rng: Rng,
    pm: bool,
    n: u64,
}

impl Member {
    pub fn new(store: Store, shared: Shared, seed: u64, pm: bool) -> Self {
        let fields = store
            .fields()
            .expect("fields")
            .into_iter()
            .filter(|f| shared.fields.contains(&f.id))
            .collect();
        Member {
            store,
            fields,
            shared,
            rng: Rng(seed | 1),
            pm,
            n: 0,
        }
    }

    /// One save, chosen at random: a customer form (pm), a backlog form
    /// (pm), a grid cell, or a new check-in; each form read, then saved
    /// with the rev read. Returns its report and how long the save (not
    /// the read) took.
    pub fn attempt(&mut self) -> (Report, Duration) {
        self.n += 1;
        let tag = format!("{}-{}", self.store.actor(), self.n);
        let roll = self.rng.below(100);
        let store = &mut self.store;
        let rng = &mut self.rng;
        if self.pm && roll < 25 {
            let id = rng.pick(&self.shared.customers);
            let mut customer = store.customer(id).expect("read a customer");
            let rev = customer.meta.rev;
            think(rng);
            customer.notes.clone_from(&tag);
            let (saved, took) = timed(|| store.save_customer(&customer).map(|(_, b)| b));
            let at = ("customers", id, rev);
            (report(store.actor(), saved, at, "notes", &tag), took)
        } else if self.pm && roll < 50 {
            let id = rng.pick(&self.shared.items);
            let mut item = store.backlog_item(id).expect("read an item");
            let rev = item.meta.rev;
            think(rng);
            item.metric.clone_from(&tag);
            let (saved, took) = timed(|| store.save_backlog(&item).map(|(_, b)| b));
            let at = ("backlog_items", id, rev);
            (report(store.actor(), saved, at, "metric", &tag), took)
        } else if roll < 85 {
            let entry = rng.pick(&self.shared.entries);
            let field = &self.fields[rng.below(self.fields.len() as u64) as usize];
            let row = store.grid_rows(&[entry], std::slice::from_ref(field));
            let row = row.expect("read a row").pop().expect("the entry");
            let old = match row.values[0] {
                Some(CellValue::Integer(v)) => v,
                _ => 0,
            };
            // A value in 0..=200 that differs from the old one.
            let new = (old + 1 + rng.below(100) as i64) % 201;
            think(rng);
            let value = CellValue::Integer(new);
            let (saved, took) = timed(|| store.set_cell(entry, Some(row.rev), field, Some(&value)));
            let at = ("entries", entry, row.rev);
            let column = field.column();
            (
                report(store.actor(), saved, at, &column, &new.to_string()),
                took,
            )
        } else {
            let checkin = CheckIn {
                id: 0,
                customer_id: rng.pick(&self.shared.customers),
                occurred_on: store.clock().today(),
                kind: CheckInKind::Call,
                author: store.actor().to_owned(),
                summary: tag.clone(),
                notes: String::new(),
                health: None,
                effort_minutes: None,
                meta: Meta::default(),
            };
            let (saved, took) = timed(|| store.save_checkin(&checkin));
            let (id, saved) = match saved {
                Ok((id, batch)) => (id, Ok(batch)),
                Err(e) => (0, Err(e)),
            };
            let at = ("checkins", id, 0);
            (report(store.actor(), saved, at, "summary", &tag), took)
        }
    }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = f();
    (value, started.elapsed())
}

/// A person between reading a record and saving it: 0 to 2 ms.
fn think(rng: &mut Rng) {
    std::thread::sleep(Duration::from_micros(rng.below(2000)));
}

/// The report of `login`'s save of `field` = `value` on `(table, id)`
/// read at `rev`. Any other refusal is a failure of the run.
fn report(
    login: &str,
    saved: Result<Option<i64>, StoreError>,
    (table, id, rev): (&str, i64, i64),
    field: &str,
    value: &str,
) -> Report {
    let (outcome, rev, batch) = match saved {
        Ok(Some(batch)) => ("commit", rev + 1, batch),
        Err(StoreError::Conflict { .. }) => ("conflict", rev, 0),
        Err(StoreError::Locked) => ("locked", rev, 0),
        Ok(None) => panic!("{table} {id}: a save of a new value changed nothing"),
        Err(e) => panic!("{table} {id}: {e}"),
    };
    Report {
        login: login.to_owned(),
        outcome: outcome.to_owned(),
        table: table.to_owned(),
        id,
        rev,
        batch,
        field: field.to_owned(),
        value: value.to_owned(),
    }
}

/// How many saves committed, met a conflict, found a record locked.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub commits: usize,
    pub conflicts: usize,
    pub locked: usize,
}

pub fn tally(reports: &[Report]) -> Tally {
    let count = |o: &str| reports.iter().filter(|r| r.outcome == o).count();
    Tally {
        commits: count("commit"),
        conflicts: count("conflict"),
        locked: count("locked"),
    }
}

/// Zero lost updates, as problems found (none when all is well): each
/// record's commits claim distinct revs running on from its rev in
/// `before` without a gap; its rev and values in `now` are those of its
/// last commit; every conflict was a save on a rev someone else's commit
/// had moved on from; every batch since `before` is one reported commit
/// holding exactly its change (a new check-in: its fields, all at rev 1).
pub fn lost_updates(
    owner: &mut postgres::Client,
    before: &Snapshot,
    now: &Snapshot,
    reports: &[Report],
) -> Vec<String> {
    let mut problems = Vec::new();
    let commits: Vec<&Report> = reports.iter().filter(|r| r.outcome == "commit").collect();
    let mut by_record: BTreeMap<(&str, i64), Vec<&Report>> = BTreeMap::new();
    for c in &commits {
        by_record.entry((&c.table, c.id)).or_default().push(c);
    }
    for ((table, id), list) in &mut by_record {
        list.sort_by_key(|c| c.rev);
        let rev_of = |s: &Snapshot| s.tables[table].get(id).map(|r| r["rev"].as_i64());
        let was = rev_of(before).flatten().unwrap_or(0);
        let revs: Vec<i64> = list.iter().map(|c| c.rev).collect();
        let expected: Vec<i64> = (was + 1..=was + list.len() as i64).collect();
        if revs != expected {
            problems.push(format!("{table} {id}: commits claim revs {revs:?}"));
        }
        let Some(row) = now.tables[table].get(id) else {
            problems.push(format!("{table} {id}: committed, but gone"));
            continue;
        };
        if row["rev"].as_i64() != expected.last().copied() {
            problems.push(format!("{table} {id}: rev {} after {revs:?}", row["rev"]));
        }
        let mut last_of_field = BTreeMap::new();
        for c in list.iter() {
            last_of_field.insert(c.field.as_str(), c.value.as_str());
        }
        for (field, value) in last_of_field {
            let stored = match &row[field] {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if stored != value {
                problems.push(format!(
                    "{table} {id}.{field} is {stored}, its last commit saved {value}"
                ));
            }
        }
    }
    for conflict in reports.iter().filter(|r| r.outcome == "conflict") {
        let beaten = by_record
            .get(&(conflict.table.as_str(), conflict.id))
            .and_then(|list| list.iter().find(|c| c.rev == conflict.rev + 1));
        if beaten.is_none_or(|c| c.login == conflict.login) {
            problems.push(format!("{conflict}: nobody else committed the next rev"));
        }
    }
    problems.extend(batches_are_commits(owner, before, &commits));
    problems
}

/// Every batch since `before`, with its changes, is one claimed commit.
fn batches_are_commits(
    owner: &mut postgres::Client,
    before: &Snapshot,
    commits: &[&Report],
) -> Vec<String> {
    let rows = owner
        .query(
            "SELECT b.id, b.actor, c.tbl, c.record_id, c.rev, c.field, c.new
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
            r.get::<_, Option<i64>>(4).unwrap_or_default(),
            r.get::<_, Option<String>>(5).unwrap_or_default(),
            r.get::<_, Option<String>>(6).unwrap_or_default(),
        );
        logged.entry(r.get(0)).or_default().push(change);
    }
    let claimed: BTreeMap<i64, &Report> = commits.iter().map(|c| (c.batch, *c)).collect();
    let mut problems = Vec::new();
    if claimed.len() != commits.len() {
        problems.push("two commits claim one batch".to_owned());
    }
    for batch in logged.keys().filter(|b| !claimed.contains_key(b)) {
        problems.push(format!(
            "batch {batch} was written, but no save reported it"
        ));
    }
    for (batch, c) in &claimed {
        let Some(changes) = logged.get(batch) else {
            problems.push(format!("{c}: its batch is not in the log"));
            continue;
        };
        let (login, table, id, rev) = (&c.login, &c.table, c.id, c.rev);
        let change = format!("{login} {table} {id} {rev} {} {}", c.field, c.value);
        let whole = if c.table == "checkins" {
            let record = format!("{login} {table} {id} 1 ");
            changes.contains(&change) && changes.iter().all(|ch| ch.starts_with(&record))
        } else {
            changes == &vec![change]
        };
        if !whole {
            problems.push(format!("{c}: batch {batch} holds {changes:?}"));
        }
    }
    problems
}
