//! TUI benchmarks on the SPEC §6 *large* fixture (`cargo bench --bench tui`,
//! or `scripts/bench.sh tui`). Each section prints its figures:
//!
//! - open → first frame at 120×40: the library (open, read every pane,
//!   draw) and the real binary in a pseudo-terminal (spawn until the last
//!   row of the first frame has arrived);
//! - keystroke → frame, p50/p99: moves (j/k), page (PgDn/PgUp), jump (G/g)
//!   and pane switches, in every pane but Data, at the top and the bottom;
//! - one filter character over the 20,000 check-ins' notes, p50/p99;
//! - peak RSS of the real binary browsing every pane but Data, from
//!   `/usr/bin/time -v`.
//!
//! Frames are drawn by ratatui's crossterm backend into a sink, so the
//! escape sequences are generated as for a terminal. The fixture is built
//! once into `CONCIERGE_BENCH_DB` (default `$CARGO_TARGET_DIR/bench/large-seed1.db`,
//! else `target/bench/…`).
//! `CONCIERGE_BENCH_ONLY=open,keys,filter,rss` picks sections.
//! `CONCIERGE_BENCH_PG=URL` (a PostgreSQL server) runs them on the
//! fixture copied into a database there (SPEC §7).

// The PTY driver of the integration tests (their support module).
#[path = "../tests/support/pty.rs"]
mod pty;

mod common;

use concierge::app::{self, Action, Pane, State};
use concierge::clock::Clock;
use concierge::store::{OpenMode, Store};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use ratatui_textarea::{Input, Key};
use std::io::Sink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type Term = Terminal<CrosstermBackend<Sink>>;

fn main() {
    let file = common::large_fixture();
    let db = match std::env::var("CONCIERGE_BENCH_PG") {
        Ok(server) if !server.is_empty() => Place::Server(on_server(&file, &server)),
        _ => Place::File(file),
    };
    let only = std::env::var("CONCIERGE_BENCH_ONLY").unwrap_or_default();
    let run = |name: &str| only.is_empty() || only.split(',').any(|s| s == name);
    println!("fixture: {} (SPEC §6 large, seed 1)", db.shown());
    if run("open") {
        open_to_first_frame(&db);
    }
    if run("keys") {
        keystrokes(&db);
    }
    if run("filter") {
        filter(&db);
    }
    if run("rss") {
        peak_rss(&db);
    }
}

/// Where the benchmarked workspace is: the fixture file, or (with
/// `CONCIERGE_BENCH_PG` naming a PostgreSQL server) the fixture copied
/// into a database there (SPEC §7's targets).
enum Place {
    File(PathBuf),
    Server(String),
}

impl Place {
    fn shown(&self) -> String {
        match self {
            Place::File(path) => path.display().to_string(),
            Place::Server(url) => format!("{url} (the fixture copied up)"),
        }
    }

    fn open(&self) -> Store {
        match self {
            Place::File(path) => Store::open(path, OpenMode::ReadWrite, "bench", Clock::System),
            Place::Server(url) => Store::open_server(url, false, Clock::System),
        }
        .expect("open")
    }

    /// The binary's arguments to open it.
    fn args(&self) -> Vec<String> {
        match self {
            Place::File(path) => vec![
                "--db".into(),
                path.to_str().expect("utf-8").into(),
                "--as".into(),
                "bench".into(),
            ],
            Place::Server(url) => vec!["--db".into(), url.clone()],
        }
    }
}

/// The fixture in database `concierge_bench_large` on the server at
/// `server` (any database's URL there), copied up on first use as a team
/// moves its file (`copy --to`).
fn on_server(file: &Path, server: &str) -> String {
    const NAME: &str = "concierge_bench_large";
    let (base, query) = server.split_once('?').unwrap_or((server, ""));
    let (host, _) = base.rsplit_once('/').expect("a URL with a database");
    let url = if query.is_empty() {
        format!("{host}/{NAME}")
    } else {
        format!("{host}/{NAME}?{query}")
    };
    if Store::open_server(&url, true, Clock::System).is_ok() {
        return url;
    }
    let mut admin = postgres::Client::connect(server, postgres::NoTls).expect("connect");
    for sql in [
        format!("DROP DATABASE IF EXISTS {NAME}"),
        format!("CREATE DATABASE {NAME}"),
    ] {
        admin.batch_execute(&sql).expect("make the bench database");
    }
    let started = Instant::now();
    concierge::store::copy::to_server(file, &url).expect("copy the fixture up");
    postgres::Client::connect(&url, postgres::NoTls)
        .and_then(|mut c| c.batch_execute("VACUUM ANALYZE"))
        .expect("analyze");
    println!(
        "copied the fixture up in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    url
}

fn terminal() -> Term {
    Terminal::with_options(
        CrosstermBackend::new(std::io::sink()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
        },
    )
    .expect("terminal")
}

fn open(db: &Place) -> (Store, State, Term) {
    let mut store = db.open();
    let mut state = app::start(&store);
    app::update(&mut state, Action::Resize(120, 40), &mut store);
    let mut terminal = terminal();
    terminal
        .draw(|f| concierge::ui::render(&state, f))
        .expect("draw");
    (store, state, terminal)
}

/// Sorted durations in ms, and the percentile of them.
fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn summary(samples: &mut [f64]) -> String {
    samples.sort_by(f64::total_cmp);
    format!(
        "p50 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms  (n={})",
        pct(samples, 0.5),
        pct(samples, 0.99),
        samples.last().copied().unwrap_or_default(),
        samples.len()
    )
}

fn open_to_first_frame(db: &Place) {
    println!("\n## open → first frame at 120×40");
    let mut library = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let opened = open(db);
        library.push(started.elapsed().as_secs_f64() * 1e3);
        drop(opened);
    }
    library.sort_by(f64::total_cmp);
    println!(
        "library (open, read every pane, draw): median {:.1} ms  min {:.1} ms  max {:.1} ms  (n=20)",
        pct(&library, 0.5),
        library[0],
        library[library.len() - 1]
    );
    let mut binary = Vec::new();
    for _ in 0..15 {
        let started = Instant::now();
        let args = db.args();
        let mut tui = pty::Tui::start(&args.iter().map(String::as_str).collect::<Vec<_>>());
        // The footer is the last row ratatui writes: the frame is complete.
        tui.wait_until(
            "q quit",
            started + Duration::from_secs(30),
            Duration::from_micros(200),
        );
        binary.push(started.elapsed().as_secs_f64() * 1e3);
        tui.keys("q");
        tui.wait_exit();
    }
    binary.sort_by(f64::total_cmp);
    println!(
        "real binary in a pty (spawn → last row of the first frame): median {:.1} ms  min {:.1} ms  max {:.1} ms  (n=15)",
        pct(&binary, 0.5),
        binary[0],
        binary[binary.len() - 1]
    );
}

/// Handles `action` and draws the frame; the time both took, in ms.
fn step(state: &mut State, store: &mut Store, terminal: &mut Term, action: Action) -> f64 {
    let started = Instant::now();
    app::update(state, action, store);
    terminal
        .draw(|f| concierge::ui::render(state, f))
        .expect("draw");
    started.elapsed().as_secs_f64() * 1e3
}

const PANES: [Pane; 5] = [
    Pane::Backlog,
    Pane::Customers,
    Pane::CheckIns,
    Pane::Review,
    Pane::Activity,
];

fn keystrokes(db: &Place) {
    println!("\n## keystroke → frame (handled and drawn), every pane but Data");
    let (mut store, mut state, mut term) = open(db);
    let mut all = Vec::new();
    for pane in PANES {
        step(&mut state, &mut store, &mut term, Action::Pane(pane));
        for (at, jump) in [("top", Action::Top), ("bottom", Action::Bottom)] {
            step(&mut state, &mut store, &mut term, jump.clone());
            let mut moves = Vec::new();
            for i in 0..200 {
                let (a, b) = if at == "top" {
                    (Action::Down, Action::Up)
                } else {
                    (Action::Up, Action::Down)
                };
                let action = if i % 2 == 0 { a } else { b };
                moves.push(step(&mut state, &mut store, &mut term, action));
            }
            let mut pages = Vec::new();
            for i in 0..100 {
                let (a, b) = if at == "top" {
                    (Action::PageDown, Action::PageUp)
                } else {
                    (Action::PageUp, Action::PageDown)
                };
                let action = if i % 2 == 0 { a } else { b };
                pages.push(step(&mut state, &mut store, &mut term, action));
            }
            let mut jumps = Vec::new();
            for i in 0..100 {
                let action = if i % 2 == 0 {
                    Action::Bottom
                } else {
                    Action::Top
                };
                jumps.push(step(&mut state, &mut store, &mut term, action));
            }
            step(&mut state, &mut store, &mut term, jump.clone());
            println!("{:<10} {at:<6} j/k   {}", pane.title(), summary(&mut moves));
            println!("{:<10} {at:<6} page  {}", pane.title(), summary(&mut pages));
            println!("{:<10} {at:<6} G/g   {}", pane.title(), summary(&mut jumps));
            all.extend(moves.iter().chain(&pages).chain(&jumps));
        }
    }
    for at in ["top", "bottom"] {
        let mut switches = Vec::new();
        for _ in 0..20 {
            for pane in PANES {
                step(&mut state, &mut store, &mut term, Action::Pane(pane));
                if at == "bottom" {
                    step(&mut state, &mut store, &mut term, Action::Bottom);
                }
                for to in PANES.iter().filter(|p| **p != pane) {
                    switches.push(step(&mut state, &mut store, &mut term, Action::Pane(*to)));
                    step(&mut state, &mut store, &mut term, Action::Pane(pane));
                }
            }
        }
        println!(
            "pane switch (1,2,3,5,6) from the {at:<6} {}",
            summary(&mut switches)
        );
        all.extend(&switches);
    }
    println!("all navigation keystrokes          {}", summary(&mut all));
}

fn filter(db: &Place) {
    println!("\n## one filter character over the 20,000 check-ins (notes ~500 characters)");
    let (mut store, mut state, mut term) = open(db);
    step(
        &mut state,
        &mut store,
        &mut term,
        Action::Pane(Pane::CheckIns),
    );
    let mut samples = Vec::new();
    let mut matched = Vec::new();
    for _ in 0..8 {
        for word in ["deliver", "crane", "pump", "zq", "rosa said", "k-1999"] {
            step(&mut state, &mut store, &mut term, Action::StartFilter);
            for c in word.chars() {
                let key = Input {
                    key: Key::Char(c),
                    ..Input::default()
                };
                samples.push(step(&mut state, &mut store, &mut term, Action::Input(key)));
            }
            matched.push(state.checkins.ids.len());
            step(&mut state, &mut store, &mut term, Action::Cancel);
        }
    }
    matched.truncate(6);
    let mut query_only = Vec::new();
    for word in ["d", "de", "del", "deli", "deliv", "zq", "k-1999"] {
        let query = concierge::store::ListQuery {
            filter: word.into(),
            sort: 0,
        };
        for _ in 0..10 {
            let started = Instant::now();
            let ids = store
                .list_ids(concierge::store::ListKind::CheckIns, &query)
                .expect("ids");
            query_only.push(started.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(ids);
        }
    }
    println!("per character: {}", summary(&mut samples));
    println!(
        "of which the store's query alone: {}",
        summary(&mut query_only)
    );
    println!("rows matching each whole word: {matched:?}");
    other_panes(&mut store, &mut state, &mut term);
}

/// One filter character in the other panes with a filter (the Data grid's
/// is in `benches/grid.rs`; Review has none).
fn other_panes(store: &mut Store, state: &mut State, term: &mut Term) {
    println!("\n## one filter character in the other panes");
    let panes = [
        (
            Pane::Backlog,
            "Backlog",
            ["pilot", "dana", "status=test", "zq"],
        ),
        (
            Pane::Customers,
            "Customers",
            ["granite", "harbor", "stage=act", "zq"],
        ),
        (
            Pane::Activity,
            "Activity",
            ["bench", "fixture", "actor=be", "zq"],
        ),
    ];
    for (pane, name, words) in panes {
        step(state, store, term, Action::Pane(pane));
        let mut samples = Vec::new();
        for _ in 0..8 {
            for word in words {
                step(state, store, term, Action::StartFilter);
                for c in word.chars() {
                    let key = Input {
                        key: Key::Char(c),
                        ..Input::default()
                    };
                    samples.push(step(state, store, term, Action::Input(key)));
                }
                step(state, store, term, Action::Cancel);
            }
        }
        println!("{name:<10} per character: {}", summary(&mut samples));
    }
}

fn peak_rss(db: &Place) {
    println!("\n## peak memory browsing every pane but Data (real binary, /usr/bin/time -v)");
    let report = std::env::temp_dir().join(format!("concierge-rss-{}.txt", std::process::id()));
    let bin = env!("CARGO_BIN_EXE_concierge");
    let args = db.args();
    let mut tui = pty::Tui::spawn(
        "/usr/bin/time",
        &["-v", "-o", report.to_str().expect("utf-8"), bin]
            .into_iter()
            .chain(args.iter().map(String::as_str))
            .collect::<Vec<_>>(),
        &[],
    );
    tui.wait_for("q quit");
    for pane in ["1", "2", "3", "5", "6"] {
        tui.keys(pane);
        for keys in ["G", "\x1b[5~", "\x1b[5~", "g", "j", "j", "\x1b[6~"] {
            tui.keys(keys);
        }
    }
    tui.keys("3/deliver");
    tui.keys("\r");
    tui.keys("G");
    tui.keys("q");
    tui.wait_exit();
    let text = std::fs::read_to_string(&report).expect("time report");
    let _ = std::fs::remove_file(&report);
    let kb: u64 = text
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .expect("maximum resident set size");
    println!("peak RSS: {:.1} MB ({kb} kB)", kb as f64 / 1024.0);
}
