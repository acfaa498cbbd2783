//! What a preview says (issue #14): where a long text really changed, a
//! hint when the header lost a byte-order mark on the way, through the
//! command line (the wizard's side is in tests/tui/wizard.rs).

use crate::support;
use crate::support::interchange::{cli, edit, err, export, out};
use concierge::store::interchange::Kind;

#[test]
fn a_change_deep_in_a_long_note_is_shown_where_it_is() {
    let (dir, store) = support::demo();
    let text = export(&store, Kind::Customers, false);
    let notes = store.customer(1).expect("C-1").notes;
    let at = notes.find("24-1187").expect("the PO number") + "24-118".len();
    let changed = notes.replacen("24-1187", "24-1188", 1);
    let file = edit(&text, "C-1", "notes", &changed);
    let len = notes.chars().count();
    let char_at = notes[..at].chars().count() + 1;
    let want = format!("notes: {len} → {len} chars, first change at char {char_at}: “…");

    // The command line's streamed dry run.
    let db = dir.db().to_owned();
    drop(store);
    let path = dir.path().join("c.csv");
    std::fs::write(&path, &file).expect("write");
    let o = cli(
        &db,
        &[
            "import",
            "customers",
            path.to_str().expect("path"),
            "--dry-run",
        ],
    );
    assert!(o.status.success(), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains(&want), "{want}\n{}", out(&o));
}

#[test]
fn a_header_behind_a_lost_byte_order_mark_says_so() {
    let (dir, store) = support::demo();
    let db = dir.db().to_owned();
    drop(store);
    let path = dir.path().join("c.csv");
    std::fs::write(&path, "\u{FEFF}ï»¿id,name\nC-1,Alder & Finch\n").expect("write");
    let o = cli(&db, &["import", "customers", path.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    let shown = format!("{}{}", out(&o), err(&o));
    assert!(
        shown.contains("header “ï»¿id” looks like “id” behind a byte-order mark"),
        "{shown}"
    );
}
