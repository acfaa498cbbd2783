//! End to end: the real binary in a pseudo-terminal.

#[path = "common/pty.rs"]
mod pty;

use pty::Tui;

const CTRL_S: &str = "\x13";

#[test]
fn create_a_hypothesis_see_it_in_activity_undo_it_and_quit_cleanly() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("w.db");
    let mut tui = Tui::start(&["--db", db.to_str().expect("path"), "--as", "dana"]);
    tui.wait_for("1 Backlog");
    tui.wait_for("Backlog (0)");
    assert!(tui.alternate_screen());

    tui.keys("n");
    tui.wait_for("New backlog item");
    tui.keys("Supers will text photos of deliveries");
    tui.keys(CTRL_S);
    tui.wait_for("saved H-1 (batch 1)");
    tui.wait_for("Backlog (1)");

    tui.keys("6");
    tui.wait_for("create backlog item");
    tui.wait_for("H-1 + statement = Supers will text");

    tui.keys("1");
    tui.keys("u");
    tui.wait_for("undid batch 1 (as batch 2)");
    tui.wait_for("Backlog (0)");

    tui.keys("q");
    assert!(tui.wait_exit(), "clean exit");
    assert!(!tui.alternate_screen(), "left the alternate screen");
}

/// How many of the demo's check-ins lie after `today`: the demo's dates
/// move with the calendar by whole weeks, so this depends on the weekday.
fn demo_planned_on(today: chrono::NaiveDate) -> i64 {
    use concierge::clock::Clock;
    use concierge::store::{OpenMode, Store};
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("demo.db");
    let mut store =
        Store::open(&path, OpenMode::ReadWrite, "dana", Clock::fixed_day(today)).expect("open");
    concierge::store::demo::load(&mut store).expect("demo");
    drop(store);
    let db = rusqlite::Connection::open(&path).expect("sqlite");
    db.query_row(
        "SELECT count(*) FROM checkins WHERE occurred_on > ?1",
        [today.to_string()],
        |row| row.get(0),
    )
    .expect("count")
}

#[test]
fn the_demo_opens_with_populated_panes_and_help_from_the_keymap() {
    let planned = demo_planned_on(pty::today());
    let checkins = if planned > 0 {
        format!("Check-ins (44 · {planned} planned")
    } else {
        "Check-ins (44)".to_string()
    };
    let mut tui = Tui::start(&["--demo", "--as", "dana"]);
    tui.wait_for("submittals-mvp.db");
    tui.wait_for("Backlog (20)");
    for (key, title) in [
        ("2", "Customers (12)"),
        ("3", checkins.as_str()),
        ("4", "Data (63 rows"),
        // On the grid digits type into the cell; Alt-5 switches panes.
        ("\x1b5", "Review · 2026-W"),
        ("6", "Activity ("),
    ] {
        tui.keys(key);
        tui.wait_for(title);
    }
    tui.keys("1?");
    tui.wait_for("Keys in Backlog");
    tui.wait_for("new backlog item");
    tui.keys("\x1b");
    tui.keys("q");
    assert!(tui.wait_exit());
    assert!(!tui.alternate_screen());
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut tui = Tui::start(&["--demo"]);
    tui.wait_for("Backlog (20)");
    let pid = tui.pid().expect("pid");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    tui.wait_exit();
    assert!(
        !tui.alternate_screen(),
        "SIGTERM left the alternate screen on:\n{}",
        tui.screen()
    );
}

const TAB: &str = "\t";
const ENTER: &str = "\r";
const RIGHT: &str = "\x1b[C";
const BACKSPACE: &str = "\x7f";

#[test]
fn the_weekly_routine_end_to_end() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("w.db");
    let mut tui = Tui::start(&["--db", db.to_str().expect("path"), "--as", "dana"]);
    tui.wait_for("Backlog (0)");

    // A hypothesis, moved to testing through the form that asks for its test.
    tui.keys("n");
    tui.keys("GCs will pay for the submittal desk");
    tui.keys(CTRL_S);
    tui.wait_for("saved H-1");
    tui.keys("s");
    tui.keys(ENTER);
    tui.wait_for("what it needs");
    tui.keys("Offer a paid pilot");
    tui.keys(TAB);
    tui.keys("One GC signs a PO");
    tui.keys(CTRL_S);
    tui.wait_for("H-1 is now testing");

    // A customer, moved to active: refused until the agreement date is given.
    tui.keys("2n");
    tui.wait_for("New customer");
    tui.keys("Harbor Builders");
    tui.keys(CTRL_S);
    tui.wait_for("saved C-1");
    tui.keys("s");
    tui.keys(ENTER);
    tui.wait_for("is now invited");
    tui.keys("s");
    tui.keys(ENTER);
    tui.wait_for("is now onboarding");
    tui.keys("s");
    tui.keys(ENTER);
    tui.wait_for("needs the agreement date");
    tui.keys(&BACKSPACE.repeat(5));
    tui.keys("soon");
    tui.keys(ENTER);
    tui.wait_for("“soon” is not a date");
    tui.keys(&BACKSPACE.repeat(4));
    tui.keys("today");
    tui.keys(ENTER);
    tui.wait_for("C-1 is now active");

    // A check-in with a three-line note.
    tui.keys("c");
    tui.wait_for("Log a check-in");
    tui.keys("Signed the pilot PO");
    tui.keys(TAB);
    tui.keys("Met Rosa on site.");
    tui.keys(ENTER);
    tui.keys("She signed a PO for two projects.");
    tui.keys(ENTER);
    tui.keys("Starts December 1.");
    tui.keys(CTRL_S);
    tui.wait_for("saved K-1");

    // Linked as supports / paid evidence.
    tui.keys("3l");
    tui.wait_for("K-1 is evidence for");
    tui.keys(ENTER);
    tui.wait_for("Evidence: K-1 → H-1");
    tui.keys(TAB);
    tui.keys(RIGHT);
    tui.keys(RIGHT);
    tui.keys(CTRL_S);
    tui.wait_for("linked evidence");

    // Validated with a learning and a decision.
    tui.keys("1s");
    tui.keys(ENTER);
    tui.wait_for("testing → validated: what it needs");
    tui.keys("We observed a signed PO so we learned GCs pay");
    tui.keys(TAB);
    tui.keys(RIGHT);
    tui.keys(CTRL_S);
    tui.wait_for("H-1 is now validated");

    // All of it in Activity; undo the last batch.
    tui.keys("6");
    tui.wait_for("H-1 testing → validated");
    tui.wait_for("link K-1 → H-1 (supports paid)");
    tui.wait_for("C-1 onboarding → active");
    tui.keys("u");
    tui.wait_for("undid batch");
    tui.keys("1");
    tui.wait_for("◐ testing");
    tui.keys("q");
    assert!(tui.wait_exit());
    assert!(!tui.alternate_screen());
}

#[test]
fn a_review_walkthrough_end_to_end() {
    let mut tui = Tui::start(&["--demo", "--as", "dana"]);
    tui.wait_for("Backlog (20)");
    tui.keys("5");
    tui.wait_for("Review · 2026-W");
    tui.keys("[");
    tui.keys("w");
    tui.wait_for("Stale test");
    tui.keys("d");
    tui.wait_for("Decide H-8");
    tui.keys("\x1b[B");
    tui.keys(ENTER);
    tui.wait_for("what it needs");
    tui.keys("We observed it takes a day");
    tui.keys(TAB);
    tui.keys(RIGHT);
    tui.keys(CTRL_S);
    tui.wait_for("H-8 is now invalidated");
    tui.keys("f");
    tui.wait_for("review");
    tui.keys("dana, miguel");
    tui.keys(CTRL_S);
    tui.wait_for("recorded the");
    tui.wait_for("R-1");
    tui.keys("6");
    tui.wait_for("record review");
    tui.keys("q");
    assert!(tui.wait_exit());
}

#[test]
fn the_data_grid_end_to_end() {
    let mut tui = Tui::start(&["--demo", "--as", "dana"]);
    tui.wait_for("Backlog (20)");
    tui.keys("4");
    tui.wait_for("Data (63 rows");
    tui.wait_for("row 1 of 63");
    // Type a value, Enter: stored (a batch), the cursor one row down.
    tui.keys("42");
    tui.wait_for("42▏");
    tui.keys("\r");
    tui.wait_for("Submittals logged = 42 (batch");
    tui.wait_for("row 2 of 63");
    // An invalid value stays in the editor with the reason.
    tui.keys("abc");
    tui.keys("\r");
    tui.wait_for("✗ Submittals logged: not a number: abc");
    tui.wait_for("abc▏");
    tui.keys("\x1b");
    tui.wait_for("the cell is unchanged");
    // Undo the stored value; the first row shows its old value again.
    tui.keys("u");
    tui.wait_for("undid batch");
    tui.keys("k");
    tui.wait_for("row 1 of 63");
    assert!(!tui.screen().contains(" 42 "), "{}", tui.screen());
    tui.keys("q");
    assert!(tui.wait_exit());
    assert!(!tui.alternate_screen());
}

/// Closing the terminal under the app ends it. (The orphan seen with
/// `tmux kill-session` — crossterm 0.29 re-reading a vanished tty forever —
/// depends on timing this test cannot force; `tui::watch_signals` leaves
/// a second after the SIGHUP whatever crossterm does. Checked by hand in
/// tmux: before the watcher, killed sessions left orphans at 35% CPU.)
#[test]
fn the_app_exits_when_its_terminal_goes_away() {
    use std::io::Read;
    use std::time::{Duration, Instant};
    let (master, mut child) = pty::spawn(
        env!("CARGO_BIN_EXE_concierge"),
        None,
        &["--demo", "--as", "dana"],
        &[],
    );
    let mut reader = master.try_clone_reader().expect("reader");
    let writer = master.take_writer().expect("writer");
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("Backlog (") {
        let n = reader.read(&mut buf).expect("read");
        assert!(n > 0, "the app ended before drawing");
        seen.extend_from_slice(&buf[..n]);
    }
    // Every handle on the master closes: the terminal is gone.
    drop((reader, writer, master));
    let deadline = Instant::now() + Duration::from_secs(8);
    while Instant::now() < deadline {
        if child.try_wait().expect("try_wait").is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("the app was still running 8 s after its terminal went away");
}
