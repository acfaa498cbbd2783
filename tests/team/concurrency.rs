//! SPEC §7's "zero lost updates": several members, each its own process
//! and login, save forms, grid cells and check-ins on a few shared records
//! of one server workspace at once, each through the store methods the UI
//! saves with, passing the `rev` it read. Every attempt is reported (one
//! line: committed at which rev in which batch, or refused as a conflict),
//! and the reports, the records and the change log must all agree.
//!
//! The workers are this test binary run again (`worker` below, ignored
//! unless `CONCIERGE_LOAD_URL` is set), so they use the library exactly as
//! the app does, each with its own connection. The save mix and the checks
//! are `load.rs`, which `benches/pg_save.rs` runs too.

use super::load::{self, Member, Report, Shared};
use super::{demo_on, member, replay};
use crate::support::server;
use concierge::store::Store;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long every worker saves.
const RUN: Duration = Duration::from_secs(3);

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
    let mut ids = |sql: &str| -> Vec<i64> {
        let rows = owner.query(sql, &[]).expect("ids");
        rows.iter().map(|r| r.get(0)).collect()
    };
    let shared = Shared {
        customers: ids("SELECT id FROM customers ORDER BY id LIMIT 3"),
        items: ids("SELECT id FROM backlog_items ORDER BY id LIMIT 3"),
        entries: ids("SELECT id FROM entries ORDER BY id LIMIT 4"),
        fields: ids("SELECT id FROM fields WHERE type = 'integer' ORDER BY id LIMIT 2"),
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
            .map(Report::parse)
            .collect();
        assert!(lines.len() >= 10, "{login} saved too little: {stdout}");
        assert!(lines.iter().all(|r| &r.login == login), "{stdout}");
        reports.extend(lines);
    }
    let tally = load::tally(&reports);
    eprintln!(
        "{} saves: {} committed, {} conflicts, {} locked",
        reports.len(),
        tally.commits,
        tally.conflicts,
        tally.locked
    );
    assert!(
        tally.conflicts > 0,
        "four members on three records for {RUN:?} never collided: the test saw no race"
    );
    let now = replay::snapshot(&mut owner);
    let lost = load::lost_updates(&mut owner, &before, &now, &reports);
    assert!(lost.is_empty(), "{lost:#?}");
    let problems = replay::problems(&mut owner, &before);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// One member saving for [`RUN`] (see [`Member::attempt`]), printing one
/// `LOAD` line per attempt.
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
    let store = Store::open_server(&url, false, crate::support::clock()).expect("open");
    let mut member = Member::new(store, shared, seed, pm);
    let until = Instant::now() + RUN;
    while Instant::now() < until {
        let (report, _) = member.attempt();
        println!("LOAD {report}");
    }
}
