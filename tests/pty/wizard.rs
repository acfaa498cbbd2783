//! End to end: the import wizard and the view export in the real binary,
//! in a pseudo-terminal whose working directory holds the CSV files.

use crate::support::pty;

use pty::Tui;
use pty::keys::ENTER;

#[test]
fn import_a_file_through_the_wizard_export_the_view_and_quit() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("new-customers.csv"),
        "id,name,segment,stage\r\n,Harbor Builders,small GC,prospect\r\n",
    )
    .expect("write");
    let mut tui = Tui::start_in(Some(dir.path()), &["--demo", "--as", "dana"], &[]);
    tui.wait_for("Backlog (20)");
    tui.keys("2");
    tui.wait_for("Customers (12)");

    tui.keys("i");
    tui.wait_for("Import customers · 1 of 3 · choose the file");
    tui.wait_for("new-customers.csv");
    tui.keys("new");
    tui.keys(ENTER);
    tui.wait_for("3 of 3 · preview, then apply");
    tui.wait_for("+ data row 1 (line 2): name=Harbor Builders · segment=small GC · stage=prospect");
    tui.wait_for("ready: a applies 1 new, 0 changed (0 cells), 0 deleted as one batch");
    tui.keys("a");
    tui.wait_for("imported new-customers.csv as batch");
    tui.wait_for("Customers (13)");

    tui.keys("x");
    tui.wait_for("Export customers");
    tui.wait_for("13 rows of customers as the pane lists them");
    tui.keys(ENTER);
    tui.wait_for("exported 13 rows of customers to customers-");
    let exported = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("customers-"))
        .expect("the exported file");
    let text = std::fs::read_to_string(exported.path()).expect("read");
    assert!(text.contains("Harbor Builders,,small GC"), "{text}");

    tui.keys("6");
    tui.wait_for("import customers from new-customers.csv");
    tui.keys("q");
    assert!(tui.wait_exit(), "clean exit");
    assert!(!tui.alternate_screen(), "left the alternate screen");
}
