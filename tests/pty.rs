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

#[test]
fn the_demo_opens_with_populated_panes_and_help_from_the_keymap() {
    let mut tui = Tui::start(&["--demo", "--as", "dana"]);
    tui.wait_for("submittals-mvp.db");
    tui.wait_for("Backlog (20)");
    for (key, title) in [
        ("2", "Customers (12)"),
        ("3", "Check-ins (44)"),
        ("4", "live-data grid"),
        ("5", "weekly review"),
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
