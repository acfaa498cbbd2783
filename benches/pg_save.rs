//! SPEC §7 "saving under load": 8 simulated users save forms and cells
//! concurrently for 60 s on the *large* fixture on a PostgreSQL server on
//! the same machine. Target: save p99 ≤ 50 ms, zero lost updates (every
//! save either committed at its rev or shown as a conflict), the change
//! log replayed equals the final state.
//!
//! `cargo bench --bench pg_save`. It builds
//! the fixture once (the same file as `benches/tui.rs`), starts a
//! throw-away cluster of its own (`scripts/pg-throwaway.sh`, stopped and
//! removed at the end), copies the fixture up with `concierge copy --to`
//! (COPY), adds the users as members (half pm, half entry), and runs them
//! as threads, each with its own login and connection. Each user repeats
//! the mix of `tests/team/load.rs` (the concurrency test's): read a
//! customer or backlog form (pm), a grid cell, and save it against the
//! rev read after 0–2 ms, or log a new check-in; a save is timed from the
//! store call to its return (a commit or a conflict).
//!
//! Settings: `CONCIERGE_BENCH_SECONDS` (60), `CONCIERGE_BENCH_USERS` (8),
//! `CONCIERGE_BENCH_FAST=1` starts the cluster with `--fast` (fsync off);
//! by default the server commits durably as a real one does.

// The save mix and the checks, shared with the integration tests.
#[path = "../tests/team/load.rs"]
mod load;
#[path = "../tests/team/replay.rs"]
mod replay;

mod common;

use concierge::clock::Clock;
use concierge::store::Store;
use load::{Member, Report, Shared};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_concierge");
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pg-throwaway.sh");

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let seconds = setting("CONCIERGE_BENCH_SECONDS", 60);
    let users = setting("CONCIERGE_BENCH_USERS", 8).max(2) as usize;
    let fast = setting("CONCIERGE_BENCH_FAST", 0) == 1;
    let file = common::large_fixture();
    let cluster = Cluster::start(fast);
    println!(
        "server: throw-away PostgreSQL cluster{}, Unix socket",
        if fast { " (--fast: fsync off)" } else { "" }
    );
    let started = Instant::now();
    run(BIN, &["--db", path(&file), "copy", "--to", &cluster.url]);
    println!(
        "copied the large fixture up in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let logins: Vec<(String, bool)> = (0..users)
        .map(|i| {
            let pm = i % 2 == 0;
            let login = format!("bench_{}{i}", if pm { "pm" } else { "entry" });
            let role = if pm { "pm" } else { "entry" };
            run(
                BIN,
                &["--db", &cluster.url, "team", "add", &login, "--role", role],
            );
            (login, pm)
        })
        .collect();

    let mut owner = postgres::Client::connect(&cluster.url, postgres::NoTls).expect("connect");
    let mut ids = |sql: &str| -> Vec<i64> {
        let rows = owner.query(sql, &[]).expect("ids");
        rows.iter().map(|r| r.get(0)).collect()
    };
    let shared = Shared {
        customers: ids("SELECT id FROM customers ORDER BY id LIMIT 10"),
        items: ids("SELECT id FROM backlog_items ORDER BY id LIMIT 10"),
        entries: ids("SELECT id FROM entries ORDER BY id DESC LIMIT 20"),
        fields: ids("SELECT id FROM fields WHERE type = 'integer' ORDER BY id LIMIT 3"),
    };
    let entries: Vec<String> = shared.entries.iter().map(ToString::to_string).collect();
    let scope = replay::Scope::from([("entries", format!("id IN ({})", entries.join(", ")))]);
    let before = replay::snapshot_of(&mut owner, scope.clone());
    let outside = replay::outside(&mut owner, &scope);
    println!(
        "{users} users ({} pm, {} entry) for {seconds} s on {} customers, {} backlog items, {} entries × {} fields",
        users.div_ceil(2),
        users / 2,
        shared.customers.len(),
        shared.items.len(),
        shared.entries.len(),
        shared.fields.len()
    );

    let until = Instant::now() + Duration::from_secs(seconds);
    let threads: Vec<_> = logins
        .iter()
        .enumerate()
        .map(|(i, (login, pm))| {
            let url = as_login(&cluster.url, login);
            let (shared, pm) = (shared.clone(), *pm);
            std::thread::spawn(move || {
                let store = Store::open_server(&url, false, Clock::System).expect("open");
                let mut member = Member::new(store, shared, i as u64 * 7919 + 17, pm);
                let mut done = Vec::new();
                while Instant::now() < until {
                    done.push(member.attempt());
                }
                done
            })
        })
        .collect();
    let mut reports: Vec<Report> = Vec::new();
    let mut took: Vec<Duration> = Vec::new();
    for thread in threads {
        for (report, t) in thread.join().expect("a user") {
            reports.push(report);
            took.push(t);
        }
    }

    let tally = load::tally(&reports);
    println!(
        "saves: {} in {seconds} s ({:.0}/s): {} committed, {} conflicts, {} locked",
        reports.len(),
        reports.len() as f64 / seconds as f64,
        tally.commits,
        tally.conflicts,
        tally.locked
    );
    let (p50, p99, max) = percentiles(took.clone());
    println!(
        "save latency: p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms (target p99 ≤ 50 ms)"
    );
    for (table, what) in [
        ("customers", "customer form"),
        ("backlog_items", "backlog form"),
        ("entries", "grid cell"),
        ("checkins", "new check-in"),
    ] {
        let of_kind: Vec<Duration> = reports
            .iter()
            .zip(&took)
            .filter(|(r, _)| r.table == table)
            .map(|(_, t)| *t)
            .collect();
        let n = of_kind.len();
        let (p50, p99, max) = percentiles(of_kind);
        println!("  {what:<13} {n:>6} saves: p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms");
    }
    let now = replay::snapshot_of(&mut owner, scope.clone());
    let lost = load::lost_updates(&mut owner, &before, &now, &reports);
    let mut problems = replay::problems(&mut owner, &before);
    if replay::outside(&mut owner, &scope) != outside {
        problems.push("entries outside the shared ones changed".into());
    }
    println!(
        "lost updates: {} (every save committed at its rev or refused as a conflict: {})",
        lost.len(),
        if lost.is_empty() { "yes" } else { "NO" }
    );
    println!(
        "change log replayed equals the final state: {}",
        if problems.is_empty() { "yes" } else { "NO" }
    );
    for p in lost.iter().chain(&problems).take(20) {
        println!("  {p}");
    }
    drop(cluster);
    if !lost.is_empty() || !problems.is_empty() {
        std::process::exit(1);
    }
}

/// p50, p99 and the maximum of `took`, in milliseconds.
fn percentiles(mut took: Vec<Duration>) -> (f64, f64, f64) {
    if took.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    took.sort_unstable();
    let at = |q: f64| took[((took.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1000.0;
    (at(0.5), at(0.99), at(1.0))
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Runs a command that must succeed; its stdout.
fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().expect(program);
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `url` with `login` as its user (trust authentication on the socket).
fn as_login(url: &str, login: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{login}@{host}")
}

/// The benchmark's own throw-away cluster, stopped and removed on drop.
struct Cluster {
    dir: PathBuf,
    url: String,
}

impl Cluster {
    fn start(fast: bool) -> Self {
        // Directly under /tmp: run as root, the server runs as another
        // user, who must be able to reach the folder.
        let dir = PathBuf::from(format!("/tmp/cpg-bench-{}", std::process::id()));
        let mut args = vec!["start"];
        if fast {
            args.push("--fast");
        }
        args.push(path(&dir));
        let out = run(SCRIPT, &args);
        let url = out.lines().next().expect("the URL").to_owned();
        Cluster { dir, url }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(SCRIPT).arg("stop").arg(&self.dir).output();
    }
}
