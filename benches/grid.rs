//! Keystroke → frame on the Data grid of the SPEC §6 *large* workspace
//! (100,000 entries × 40 fields): each key is handled by `app::update`
//! and the frame drawn at 120×40, timed together. Prints p50 and p99 per
//! key, at the top and at the bottom of the data.
//!
//! Run: `cargo bench --bench grid` (builds the fixture once under
//! `target/bench-fixtures/`); `CONCIERGE_BENCH_ONLY=store` times only
//! storing a cell.

use concierge::app::{self, Action, Pane, State};
use concierge::clock::Clock;
use concierge::fixture::FixtureSize;
use concierge::store::{GridQuery, OpenMode, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const ROUNDS: usize = 400;

fn fixture() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-fixtures");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("large-seed1.db");
    if !path.exists() {
        let partial = dir.join("large-seed1.db.partial");
        let _ = std::fs::remove_file(&partial);
        let mut store =
            Store::open(&partial, OpenMode::ReadWrite, "bench", Clock::System).expect("open");
        store.build_fixture(1, FixtureSize::LARGE).expect("fixture");
        drop(store);
        std::fs::rename(&partial, &path).expect("rename");
    }
    path
}

struct Bench {
    state: State,
    store: Store,
    terminal: Terminal<TestBackend>,
}

impl Bench {
    /// One key handled and one frame drawn; the time both took.
    fn press(&mut self, action: &Action) -> Duration {
        let t = Instant::now();
        app::update(&mut self.state, action.clone(), &mut self.store);
        self.terminal
            .draw(|f| concierge::ui::render(&self.state, f))
            .expect("draw");
        let took = t.elapsed();
        self.settle();
        took
    }

    /// Idle time between keys: deferred reads (column summaries) run, as
    /// the terminal loop runs them when no key is waiting. Not timed.
    fn settle(&mut self) -> Duration {
        let t = Instant::now();
        while self.state.busy {
            app::update(&mut self.state, Action::Idle, &mut self.store);
        }
        t.elapsed()
    }

    fn report(&mut self, name: &str, keys: &[Action], setup: &[Action]) {
        for a in setup {
            self.press(a);
        }
        let mut times: Vec<Duration> = (0..ROUNDS)
            .map(|i| self.press(&keys[i % keys.len()]))
            .collect();
        times.sort();
        let p = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
        println!(
            "{name:<44} p50 {:>8.3} ms   p99 {:>8.3} ms",
            ms(p(0.50)),
            ms(p(0.99))
        );
    }
}

impl Bench {
    /// Storing a typed value as the user feels it: `Enter` in the cell
    /// editor until the frame shows the value, its column's summary and
    /// the customer's sparkline again (idle-time reads included, should a
    /// summary need a full read). Typing the digits is not timed.
    fn store_cells(&mut self) {
        for a in [Action::Top, Action::FirstColumn] {
            self.press(&a);
        }
        let mut times = Vec::with_capacity(ROUNDS);
        for i in 0..ROUNDS {
            if i % 50 == 0 {
                self.press(&Action::Top);
            }
            for (n, c) in format!("{}", 10 + (i * 7) % 80).chars().enumerate() {
                self.press(&if n == 0 {
                    Action::TypeInCell(c)
                } else {
                    Action::Input(ratatui_textarea::Input {
                        key: ratatui_textarea::Key::Char(c),
                        ..ratatui_textarea::Input::default()
                    })
                });
            }
            let t = Instant::now();
            self.press(&Action::CommitDown);
            self.settle();
            times.push(t.elapsed());
        }
        times.sort();
        let p = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
        println!(
            "{:<44} p50 {:>8.3} ms   p99 {:>8.3} ms",
            "store a cell (write + summary + sparkline)",
            ms(p(0.50)),
            ms(p(0.99))
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let path = fixture();
    let t = Instant::now();
    let store = Store::open(&path, OpenMode::ReadWrite, "bench", Clock::System).expect("open");
    let mut state = app::start(&store);
    state.size = (120, 40);
    let mut b = Bench {
        state,
        store,
        terminal: Terminal::new(TestBackend::new(120, 40)).expect("terminal"),
    };
    b.press(&Action::Resize(120, 40));
    println!(
        "open + first frame (Backlog)                 {:>8.3} ms",
        ms(t.elapsed())
    );
    let t = Instant::now();
    app::update(&mut b.state, Action::Pane(Pane::Data), &mut b.store);
    b.terminal
        .draw(|f| concierge::ui::render(&b.state, f))
        .expect("draw");
    println!(
        "first show of the grid (ids + window)        {:>8.3} ms   ({} rows)",
        ms(t.elapsed()),
        b.state.grid.ids.len()
    );
    println!(
        "  then, in idle time: all 40 column summaries {:>7.3} ms",
        ms(b.settle())
    );
    let t = Instant::now();
    let ids = b.store.grid_ids(&GridQuery::default()).expect("ids");
    println!(
        "  of which: ordered ids (newest first)       {:>8.3} ms   ({} ids)",
        ms(t.elapsed()),
        ids.len()
    );
    for field in b.store.fields().expect("fields").iter().take(8) {
        let t = Instant::now();
        b.store.grid_summary("", field).expect("summary");
        println!(
            "  of which: one column's summary ({:<8})   {:>8.3} ms",
            field.field_type.as_str(),
            ms(t.elapsed())
        );
    }
    // CONCIERGE_BENCH_ONLY=store measures only storing a cell (the filter
    // round alone re-reads every column summary 400 times).
    if std::env::var("CONCIERGE_BENCH_ONLY").is_ok_and(|v| v == "store") {
        b.store_cells();
        return;
    }
    let (down, up) = (Action::Down, Action::Up);
    let (right, left) = (Action::Right, Action::Left);
    b.report(
        "top: j/k (move down/up)",
        &[down.clone(), up.clone()],
        &[Action::Top],
    );
    b.report(
        "top: l/h (move right/left)",
        &[right.clone(), left.clone()],
        &[],
    );
    b.report(
        "top: PgDn/PgUp",
        &[Action::PageDown, Action::PageUp],
        &[Action::Top],
    );
    b.report(
        "G/g (jump to end and back)",
        &[Action::Bottom, Action::Top],
        &[],
    );
    b.report(
        "Home/End (first/last column)",
        &[Action::LastColumn, Action::FirstColumn],
        &[],
    );
    b.report("bottom: j/k (move down/up)", &[up, down], &[Action::Bottom]);
    b.report(
        "bottom: l/h (move right/left)",
        &[right, left],
        &[Action::Bottom],
    );
    b.report(
        "bottom: PgUp/PgDn",
        &[Action::PageUp, Action::PageDown],
        &[Action::Bottom],
    );
    let typed = |c: char| {
        Action::Input(ratatui_textarea::Input {
            key: ratatui_textarea::Key::Char(c),
            ..ratatui_textarea::Input::default()
        })
    };
    let backspace = Action::Input(ratatui_textarea::Input {
        key: ratatui_textarea::Key::Backspace,
        ..ratatui_textarea::Input::default()
    });
    b.report(
        "filter: one character typed / erased",
        &[typed('s'), backspace],
        &[Action::Top, Action::StartFilter],
    );
    b.press(&Action::Cancel);
    b.store_cells();
    b.report(
        "pane switch Data → Backlog → Data",
        &[Action::Pane(Pane::Backlog), Action::Pane(Pane::Data)],
        &[],
    );
}
