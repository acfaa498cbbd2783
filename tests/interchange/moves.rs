//! Imports keep the state machines (SPEC §4, issue #14): a status or stage a
//! row moves to, or a new row starts in, must be a legal move with what it
//! needs, checked on decoded text (`Store::import`, what the tests and the
//! review's fixtures use) and on a file (`Store::import_file`, what
//! `concierge import KIND FILE` and the wizard read), both the one engine;
//! a decided item's evidence may come later in the same `import all`.

use crate::support;
use crate::support::interchange::{cli, edit, err, export, import, newest_batch, out};
use concierge::domain::{Decision, Stage, Status};
use concierge::store::interchange::{ImportOptions, Kind, Outcome, RowError};
use concierge::store::{OpenMode, Store};

/// Imports `text` as a file (`concierge import KIND FILE`).
fn streamed(store: &mut Store, kind: Kind, text: &str) -> (Vec<RowError>, Outcome) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("file.csv");
    std::fs::write(&path, text).expect("write");
    let (report, outcome) = store
        .import_file(kind, &path, ImportOptions::default(), &mut |_, _, _| {})
        .expect("import runs");
    (report.errors, outcome)
}

/// The 1-based line where the row of `id` starts in `text`.
fn line_of(text: &str, id: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(&format!("{id},")))
        .expect("row")
        + 1
}

/// The one error in `column` (the row's other columns may have their own).
fn on_column<'a>(errors: &'a [RowError], column: &str) -> &'a RowError {
    let found: Vec<&RowError> = errors
        .iter()
        .filter(|e| e.column.as_deref() == Some(column))
        .collect();
    assert_eq!(found.len(), 1, "{errors:#?}");
    found[0]
}

fn only_error(errors: &[RowError]) -> &RowError {
    assert_eq!(errors.len(), 1, "{errors:#?}");
    &errors[0]
}

#[test]
fn backlog_to_validated_in_one_step_is_an_error_on_its_row_and_nothing_is_written() {
    let (_dir, mut store) = support::demo();
    assert_eq!(store.backlog_item(9).expect("H-9").status, Status::Backlog);
    let text = export(&store, Kind::Backlog, false);
    let text = edit(&text, "H-9", "status", "validated");
    let text = edit(&text, "H-9", "learning", "We observed GCs paying");
    let text = edit(&text, "H-9", "decision", "persevere");
    let batch = newest_batch(&store);
    let (preview, outcome) = import(&mut store, Kind::Backlog, &text, ImportOptions::default());
    assert_eq!(outcome, Outcome::Blocked);
    let e = only_error(&preview.errors);
    assert_eq!(e.data_row, 9);
    assert_eq!(e.line, line_of(&text, "H-9"));
    assert_eq!(e.id.as_deref(), Some("H-9"));
    assert_eq!(e.column.as_deref(), Some("status"));
    assert_eq!(
        e.reason,
        "backlog → validated is not a step: from backlog an item can go to testing or parked"
    );
    assert_eq!(newest_batch(&store), batch, "nothing written");
    assert_eq!(store.backlog_item(9).expect("H-9").status, Status::Backlog);
}

#[test]
fn prospect_to_graduated_is_an_error_on_its_row() {
    let (_dir, mut store) = support::demo();
    let text = edit(
        &export(&store, Kind::Customers, false),
        "C-12",
        "stage",
        "graduated",
    );
    let (preview, outcome) = import(&mut store, Kind::Customers, &text, ImportOptions::default());
    assert_eq!(outcome, Outcome::Blocked);
    let e = only_error(&preview.errors);
    assert_eq!((e.data_row, e.line), (12, line_of(&text, "C-12")));
    assert_eq!(e.column.as_deref(), Some("stage"));
    assert_eq!(
        e.reason,
        "prospect → graduated is not a step: from prospect a customer can go to invited or dropped"
    );
    assert_eq!(store.customer(12).expect("C-12").stage, Stage::Prospect);
}

#[test]
fn new_rows_born_in_a_later_status_need_what_the_walk_there_needs() {
    let (_dir, mut store) = support::demo();
    let file = "id,kind,statement,status,test,criterion\n\
                ,hypothesis,We believe supers log daily,validated,,\n\
                ,risk,We believe GCs churn,testing,Ask 3 GCs,2 of 3 stay\n\
                ,risk,We believe owners stall,parked,,\n";
    let (preview, outcome) = import(&mut store, Kind::Backlog, file, ImportOptions::default());
    assert_eq!(outcome, Outcome::Blocked);
    let got: Vec<(usize, usize, Option<&str>, &str)> = preview
        .errors
        .iter()
        .map(|e| (e.data_row, e.line, e.column.as_deref(), e.reason.as_str()))
        .collect();
    assert!(
        got.contains(&(
            1,
            2,
            Some("status"),
            "a new item starts in backlog, and backlog → testing needs a test, a criterion"
        )),
        "{got:#?}"
    );
    assert!(
        got.contains(&(
            3,
            4,
            Some("status"),
            "a new item starts in backlog, and backlog → parked needs a reason (write it in status_reason)"
        )),
        "{got:#?}"
    );
    assert!(
        got.iter().all(|e| e.0 != 2),
        "row 2 is a legal start: {got:#?}"
    );
    let (errors, _) = streamed(&mut store, Kind::Backlog, file);
    let streamed_got: Vec<(usize, usize, Option<&str>, &str)> = errors
        .iter()
        .map(|e| (e.data_row, e.line, e.column.as_deref(), e.reason.as_str()))
        .collect();
    assert_eq!(streamed_got, got, "the streamed path refuses alike");

    let customers =
        "id,name,stage,agreement_signed_on\n,Zed Builders,active,\n,Yew GC,active,2026-11-02\n";
    let (preview, _) = import(
        &mut store,
        Kind::Customers,
        customers,
        ImportOptions::default(),
    );
    let e = on_column(&preview.errors, "stage");
    assert_eq!((e.data_row, e.line), (1, 2));
    assert!(
        preview.errors.iter().all(|e| e.data_row == 1),
        "{:#?}",
        preview.errors
    );
    assert_eq!(
        e.reason,
        "a new customer starts in prospect, and onboarding → active needs the agreement date (agreement_signed_on)"
    );
}

#[test]
fn a_decided_item_needs_evidence_by_the_end_of_the_batch() {
    let (dir, mut store) = support::demo();
    // H-12 is in backlog with one link; H-9 too. Take a testing item with
    // no links: make one by moving H-16 (backlog, no links) to testing.
    let h16 = store.backlog_item(16).expect("H-16");
    assert_eq!(h16.status, Status::Backlog);
    store
        .set_backlog_status(16, h16.meta.rev, Status::Testing, "")
        .expect("to testing");
    let backlog = export(&store, Kind::Backlog, false);
    let decided = edit(
        &edit(
            &edit(&backlog, "H-16", "status", "validated"),
            "H-16",
            "learning",
            "We observed three GCs keep it",
        ),
        "H-16",
        "decision",
        "persevere",
    );
    // Alone, the file decides H-16 without evidence: refused on its row.
    let (preview, outcome) = import(
        &mut store,
        Kind::Backlog,
        &decided,
        ImportOptions::default(),
    );
    assert_eq!(outcome, Outcome::Blocked);
    let e = only_error(&preview.errors);
    assert_eq!((e.data_row, e.line), (16, line_of(&decided, "H-16")));
    assert_eq!(e.column.as_deref(), Some("status"));
    assert_eq!(
        e.reason,
        "testing → validated needs at least one evidence link"
    );

    // With the evidence in the same `import all`, it is accepted.
    let folder = dir.path().join("all");
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::write(folder.join("backlog.csv"), &decided).expect("write");
    let evidence = "id,item,checkin,stance,strength,quote\n,H-16,K-1,supports,did,kept it\n";
    std::fs::write(folder.join("evidence.csv"), evidence).expect("write");
    let db = dir.db().to_owned();
    drop(store);
    let only_backlog = dir.path().join("only-backlog");
    std::fs::create_dir_all(&only_backlog).expect("folder");
    std::fs::write(only_backlog.join("backlog.csv"), &decided).expect("write");
    let refused = cli(
        &db,
        &["import", "all", only_backlog.to_str().expect("path")],
    );
    assert!(!refused.status.success());
    let shown = format!("{}{}", out(&refused), err(&refused));
    assert!(
        shown.contains("testing → validated needs at least one evidence link"),
        "{shown}"
    );
    let done = cli(&db, &["import", "all", folder.to_str().expect("path")]);
    assert!(done.status.success(), "{}{}", out(&done), err(&done));
    let store = dir.open(OpenMode::ReadWrite);
    let h16 = store.backlog_item(16).expect("H-16");
    assert_eq!(h16.status, Status::Validated);
    assert_eq!(h16.decision, Some(Decision::Persevere));
}

#[test]
fn the_command_line_streams_the_same_refusals() {
    let (dir, store) = support::demo();
    let db = dir.db().to_owned();
    let text = edit(
        &export(&store, Kind::Customers, false),
        "C-12",
        "stage",
        "graduated",
    );
    let line = line_of(&text, "C-12");
    drop(store);
    let file = dir.path().join("customers.csv");
    std::fs::write(&file, &text).expect("write");
    let o = cli(&db, &["import", "customers", file.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    let shown = format!("{}{}", out(&o), err(&o));
    assert!(shown.contains(&format!("line {line}")), "{shown}");
    assert!(
        shown.contains("prospect → graduated is not a step"),
        "{shown}"
    );
    let store = dir.open(OpenMode::ReadWrite);
    assert_eq!(store.customer(12).expect("C-12").stage, Stage::Prospect);
}

/// One case of the rule table: a record prepared by the form path, a move,
/// and the domain's words for why it is refused.
struct Case {
    name: &'static str,
    kind: Kind,
    id: &'static str,
    cells: &'static [(&'static str, &'static str)],
    refused: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "backlog skips testing",
        kind: Kind::Backlog,
        id: "H-9",
        cells: &[("status", "validated")],
        refused: "backlog → validated is not a step",
    },
    Case {
        name: "testing without a test",
        kind: Kind::Backlog,
        id: "H-15",
        cells: &[("status", "testing")],
        refused: "backlog → testing needs a test, a criterion",
    },
    Case {
        name: "decided without a learning",
        kind: Kind::Backlog,
        id: "H-2",
        cells: &[("status", "validated"), ("decision", "kill")],
        refused: "testing → validated needs a learning",
    },
    Case {
        name: "reopened without a reason",
        kind: Kind::Backlog,
        id: "H-1",
        cells: &[("status", "testing")],
        refused: "validated → testing needs a reason",
    },
    Case {
        name: "parked back to testing",
        kind: Kind::Backlog,
        id: "H-14",
        cells: &[("status", "testing")],
        refused: "parked → testing is not a step",
    },
    Case {
        name: "prospect skips to graduated",
        kind: Kind::Customers,
        id: "C-12",
        cells: &[("stage", "graduated")],
        refused: "prospect → graduated is not a step",
    },
    Case {
        name: "active without an agreement",
        kind: Kind::Customers,
        id: "C-10",
        cells: &[("stage", "active"), ("agreement_signed_on", "")],
        refused: "onboarding → active needs the agreement date",
    },
    Case {
        name: "dropped is final",
        kind: Kind::Customers,
        id: "C-4",
        cells: &[("stage", "active")],
        refused: "dropped → active is not a step",
    },
];

/// The form path's words for a case: the store's status or stage move, as
/// the `s` key runs it.
fn form_refusal(store: &mut Store, case: &Case) -> String {
    let id: i64 = case.id[2..].parse().expect("id");
    let to = case.cells[0].1;
    let result = if case.kind == Kind::Backlog {
        let mut item = store.backlog_item(id).expect("item");
        for (column, value) in &case.cells[1..] {
            match *column {
                "decision" => item.decision = Decision::parse(value),
                other => panic!("no form field {other}"),
            }
        }
        let to = Status::parse(to).expect("status");
        store.move_backlog(&item, to, "")
    } else {
        let mut c = store.customer(id).expect("customer");
        for (column, value) in &case.cells[1..] {
            match *column {
                // The form's edit of the date, saved before the move.
                "agreement_signed_on" if value.is_empty() => {
                    c.agreement_signed_on = None;
                    store.save_customer(&c).expect("save");
                    c = store.customer(id).expect("customer");
                }
                other => panic!("no form field {other}"),
            }
        }
        let to = Stage::parse(to).expect("stage");
        store.set_customer_stage(id, c.meta.rev, to, None)
    };
    result.expect_err(case.name).to_string()
}

#[test]
fn every_state_machine_rule_refuses_on_the_form_path_and_the_import_path_alike() {
    for case in CASES {
        let (_dir, mut store) = support::demo();
        let form = form_refusal(&mut store, case);
        let batch = newest_batch(&store);
        assert!(
            form.contains(case.refused),
            "{}: form said {form}",
            case.name
        );
        let mut text = export(&store, case.kind, false);
        for (column, value) in case.cells {
            text = edit(&text, case.id, column, value);
        }
        let (preview, outcome) = import(&mut store, case.kind, &text, ImportOptions::default());
        assert_eq!(outcome, Outcome::Blocked, "{}", case.name);
        let column = if case.kind == Kind::Backlog {
            "status"
        } else {
            "stage"
        };
        let e = on_column(&preview.errors, column);
        assert_eq!(e.id.as_deref(), Some(case.id), "{}", case.name);
        assert!(
            e.reason.starts_with(&form),
            "{}: import said {}, form {form}",
            case.name,
            e.reason
        );
        assert_eq!(
            newest_batch(&store),
            batch,
            "{}: nothing written",
            case.name
        );
        // The streamed path refuses the same row with the same words.
        let (errors, outcome) = streamed(&mut store, case.kind, &text);
        assert_eq!(outcome, Outcome::Blocked, "{} streamed", case.name);
        let s = on_column(&errors, column);
        assert_eq!(
            (s.data_row, s.line, &s.reason),
            (e.data_row, e.line, &e.reason),
            "{} streamed",
            case.name
        );
        assert_eq!(
            newest_batch(&store),
            batch,
            "{}: nothing written",
            case.name
        );
    }
}

/// Rules outside the state machines, each run through the form's path and
/// the import's path: both refuse with the domain's one message.
#[test]
fn other_rules_refuse_alike_on_the_form_path_and_the_import_path() {
    // A contact e-mail that is not one (Customer::validate).
    let (dir, mut store) = support::demo();
    let mut c3 = store.customer(3).expect("C-3");
    c3.contact_email = "not-an-address".into();
    let form = store
        .save_customer(&c3)
        .expect_err("form refuses")
        .to_string();
    let text = edit(
        &export(&store, Kind::Customers, false),
        "C-3",
        "contact_email",
        "not-an-address",
    );
    let (preview, _) = import(&mut store, Kind::Customers, &text, ImportOptions::default());
    let e = on_column(&preview.errors, "contact_email");
    assert!(
        form.contains(&e.reason),
        "form: {form} / import: {}",
        e.reason
    );

    // One piece of evidence counts once (domain::evidence::duplicate_refusal).
    let link = concierge::domain::EvidenceLink::from_checkin(4, 41);
    let form = store
        .save_evidence(&link)
        .expect_err("form refuses")
        .to_string();
    let file = "id,item,checkin,stance,strength\n,H-4,K-41,informs,said\n";
    let (preview, _) = import(&mut store, Kind::Evidence, file, ImportOptions::default());
    assert_eq!(on_column(&preview.errors, "checkin").reason, form);

    // A customer with history is never deleted (domain::customer::delete_refusal).
    let form = store
        .delete_customer(1, store.customer(1).expect("C-1").meta.rev)
        .expect_err("form refuses")
        .to_string();
    let without_c1 =
        crate::support::interchange::only(&export(&store, Kind::Customers, false), |id| {
            id != "C-1"
        });
    let delete = ImportOptions {
        delete_missing: true,
        ..ImportOptions::default()
    };
    let (preview, outcome) = import(&mut store, Kind::Customers, &without_c1, delete);
    assert_eq!(outcome, Outcome::Blocked);
    let e = only_error(&preview.errors);
    let why = form.trim_start_matches("C-1 cannot be deleted: ");
    assert!(
        e.reason.ends_with(why),
        "form: {form} / import: {}",
        e.reason
    );
    assert!(why.starts_with("it has "), "{why}");
    drop(dir);
}
