//! File imports through the one engine (`Store::import_file`, streamed),
//! each checked against what it must do: its outcome, its rows counted by
//! outcome, the errors it names, and the workspace after. Every file is
//! read twice, surveying it whole and only its start (then the first read
//! checks the rest, and a file that reads differently further on is
//! rolled back, surveyed whole and read again): both must give the same
//! expected outcome. The change rows a large import writes are checked in
//! `bulk/log.rs`.

mod log;
mod streamed;

use crate::support::interchange::{edit, export, import};
use concierge::sheet::{Resolution, Survey, Value, Which};
use concierge::store::Store;
use concierge::store::interchange::{ImportOptions, Kind, Outcome, Preview};
use streamed::{
    APPLIED, Expect, append, cell, copy_of_first, error_on, expect_import, first_day, new_days,
    only_header, rows_with, stream, with_first_field,
};

#[test]
fn a_data_file_changes_the_edited_cells_and_adds_the_new_entries() {
    let (_dir, store, _) = expect_import(
        Kind::Data,
        |text| {
            let text = edit(text, "E-2", "hours_saved", "2.5");
            let text = edit(&text, "E-5", "hours_saved", "");
            let new = [
                copy_of_first(&text, "2020-01-06"),
                copy_of_first(&text, "2020-01-13"),
            ];
            append(&text, &[&new[0], &new[1]])
        },
        ImportOptions::default(),
        Expect {
            new: 2,
            changed: 2,
            unchanged: 61,
            ..APPLIED
        },
    );
    assert_eq!(cell(&store, Kind::Data, "E-2", "hours_saved"), "2.5");
    assert_eq!(cell(&store, Kind::Data, "E-5", "hours_saved"), "");
    assert_eq!(cell(&store, Kind::Data, "E-1", "hours_saved"), "3");
    for day in ["2020-01-06", "2020-01-13"] {
        assert_eq!(
            rows_with(&store, Kind::Data, &["Alder & Finch", day, "14"]),
            1
        );
    }
}

#[test]
fn a_row_without_id_for_a_day_already_entered_updates_that_entry() {
    let (_dir, store, _) = expect_import(
        Kind::Data,
        |text| {
            // Same customer and day as E-1, no id: it is that entry, edited.
            let edited = with_first_field(&copy_of_first(text, &first_day(text)), "7");
            append(&only_header(text), &[&edited])
        },
        ImportOptions::default(),
        Expect {
            changed: 1,
            ..APPLIED
        },
    );
    assert_eq!(cell(&store, Kind::Data, "E-1", "submittals_logged"), "7");
    assert_eq!(store.entry_count().expect("count"), 63);
}

#[test]
fn customer_and_checkin_files_change_and_add_what_they_say() {
    let (_dir, store, _) = expect_import(
        Kind::Customers,
        |text| {
            let text = edit(text, "C-2", "name", "Renamed & Co");
            let text = edit(&text, "C-3", "segment", "owner-builder");
            append(&text, &[",Brand New Builders,,,,prospect,,,,,,,"])
        },
        ImportOptions::default(),
        Expect {
            new: 1,
            changed: 2,
            unchanged: 10,
            ..APPLIED
        },
    );
    assert_eq!(cell(&store, Kind::Customers, "C-2", "name"), "Renamed & Co");
    assert_eq!(
        cell(&store, Kind::Customers, "C-3", "segment"),
        "owner-builder"
    );
    assert_eq!(
        cell(&store, Kind::Customers, "C-13", "name"),
        "Brand New Builders"
    );
    assert_eq!(cell(&store, Kind::Customers, "C-13", "stage"), "prospect");
    let (_dir, store, _) = expect_import(
        Kind::CheckIns,
        |text| edit(text, "K-4", "summary", "A new summary"),
        ImportOptions::default(),
        Expect {
            changed: 1,
            unchanged: 43,
            ..APPLIED
        },
    );
    assert_eq!(
        cell(&store, Kind::CheckIns, "K-4", "summary"),
        "A new summary"
    );
}

#[test]
fn a_file_with_errors_writes_nothing_and_names_each_row_column_and_reason() {
    let blocked = Expect {
        outcome: "blocked",
        ..APPLIED
    };
    let (_dir, _, p) = expect_import(
        Kind::Data,
        |text| {
            let text = edit(text, "E-3", "recorded_on", "not a date");
            edit(&text, "E-4", "customer", "Nobody At All")
        },
        ImportOptions::default(),
        Expect {
            unchanged: 61,
            with_errors: 2,
            errors: 2,
            ..blocked
        },
    );
    let (date, customer) = (error_on(&p, 3), error_on(&p, 4));
    assert_eq!(
        (date.line, date.column.as_deref()),
        (4, Some("recorded_on"))
    );
    assert_eq!(
        (customer.line, customer.column.as_deref()),
        (5, Some("customer"))
    );
    assert!(
        customer.reason.contains("no customer named Nobody At All"),
        "{customer}"
    );
    let (_dir, _, p) = expect_import(
        Kind::Customers,
        |text| {
            append(
                text,
                &["C-2,Again,,,,prospect,,,,,,,", "C-9999,Ghost,,,,,,,,,,,"],
            )
        },
        ImportOptions::default(),
        Expect {
            unchanged: 12,
            with_errors: 2,
            errors: 2,
            ..blocked
        },
    );
    let again = error_on(&p, 13).to_string();
    assert!(
        again.contains("C-2") && again.contains("data row 2"),
        "{again}"
    );
    let ghost = error_on(&p, 14);
    assert_eq!(ghost.column.as_deref(), Some("id"));
    assert!(ghost.reason.contains("C-9999"), "{ghost}");
}

#[test]
fn a_dry_run_checks_everything_and_writes_nothing() {
    let (_dir, store, _) = expect_import(
        Kind::Customers,
        |text| edit(text, "C-2", "segment", "x"),
        ImportOptions {
            dry_run: true,
            ..ImportOptions::default()
        },
        Expect {
            outcome: "checked",
            changed: 1,
            unchanged: 11,
            ..APPLIED
        },
    );
    assert_eq!(
        cell(&store, Kind::Customers, "C-2", "segment"),
        "mid-size GC"
    );
}

/// The demo with C-2's segment and C-3's owner edited in the workspace
/// ("ws") since the customers file was exported, and that file with the
/// same cells edited ("file"): two conflicts.
fn both_edited() -> (crate::support::Workspace, Store, String) {
    let (dir, mut store) = crate::support::demo();
    let old = export(&store, Kind::Customers, false);
    let ws = edit(&edit(&old, "C-2", "segment", "ws"), "C-3", "owner", "ws");
    let (_, outcome) = import(&mut store, Kind::Customers, &ws, ImportOptions::default());
    assert!(matches!(outcome, Outcome::Applied(_)));
    let file = edit(
        &edit(&old, "C-2", "segment", "file"),
        "C-3",
        "owner",
        "file",
    );
    (dir, store, file)
}

/// The preview of a customers file (a dry run).
fn preview(store: &mut Store, text: &str) -> Preview {
    let decoded = concierge::sheet::decode(text.as_bytes()).expect("decodes");
    store
        .preview_import(Kind::Customers, "c.csv", &decoded, false, &mut |_, _, _| {})
        .expect("preview")
}

#[test]
fn conflicts_block_the_import_until_settled_and_apply_as_settled() {
    let (_dir, mut store, file) = both_edited();
    let (p, outcome) = stream(&mut store, Kind::Customers, &file, ImportOptions::default());
    assert_eq!(
        (outcome, p.open_conflicts(), p.totals.conflicts),
        (Outcome::Blocked, 2, 2)
    );
    let c = &p.plan.conflicts[0];
    assert_eq!((c.id.as_str(), c.name.as_str()), ("C-2", "segment"));
    assert_eq!(
        (&c.workspace, &c.file),
        (&Value::Text("ws".into()), &Value::Text("file".into()))
    );
    assert_eq!(cell(&store, Kind::Customers, "C-2", "segment"), "ws");
    let take = ImportOptions {
        resolution: Some(Resolution::TakeFile),
        ..ImportOptions::default()
    };
    let (p, outcome) = stream(&mut store, Kind::Customers, &file, take);
    assert!(matches!(outcome, Outcome::Applied(_)), "{:?}", p.errors);
    assert_eq!((p.changed_records(), p.changed_cells()), (2, 2));
    assert_eq!(cell(&store, Kind::Customers, "C-2", "segment"), "file");
    assert_eq!(cell(&store, Kind::Customers, "C-3", "owner"), "file");
}

#[test]
fn each_conflict_settled_in_a_preview_is_applied_as_chosen() {
    let (_dir, mut store, file) = both_edited();
    let mut p = preview(&mut store, &file);
    assert_eq!(p.open_conflicts(), 2);
    let at = |p: &Preview, id: &str| p.plan.conflicts.iter().position(|c| c.id == id);
    // Everything the file's way first, then C-3 back to the workspace's.
    p.resolve(Which::All, Resolution::TakeFile);
    let c3 = at(&p, "C-3").expect("C-3");
    p.resolve(Which::One(c3), Resolution::KeepWorkspace);
    assert_eq!((p.open_conflicts(), p.changed_cells()), (0, 1));
    let outcome = store.apply_import(&mut p, false, &mut |_, _, _| {});
    assert!(
        matches!(outcome, Ok(Outcome::Applied(_))),
        "{outcome:?} {:?}",
        p.errors
    );
    assert_eq!(cell(&store, Kind::Customers, "C-2", "segment"), "file");
    assert_eq!(cell(&store, Kind::Customers, "C-3", "owner"), "ws");
}

#[test]
fn a_preview_is_not_applied_once_the_workspace_moved_on() {
    let (_dir, mut store) = crate::support::demo();
    let text = edit(
        &export(&store, Kind::Customers, false),
        "C-2",
        "segment",
        "file",
    );
    let mut p = preview(&mut store, &text);
    let moved = edit(
        &export(&store, Kind::Customers, false),
        "C-4",
        "owner",
        "someone",
    );
    let (_, outcome) = import(
        &mut store,
        Kind::Customers,
        &moved,
        ImportOptions::default(),
    );
    assert!(matches!(outcome, Outcome::Applied(_)));
    let err = store
        .apply_import(&mut p, false, &mut |_, _, _| {})
        .expect_err("refused");
    assert!(
        err.to_string().contains("changed since the preview"),
        "{err}"
    );
    assert_eq!(
        cell(&store, Kind::Customers, "C-2", "segment"),
        "mid-size GC"
    );
}

#[test]
fn delete_missing_deletes_what_the_file_leaves_out_and_refuses_what_it_may_not() {
    let delete = ImportOptions {
        delete_missing: true,
        ..ImportOptions::default()
    };
    let (_dir, store, p) = expect_import(
        Kind::FollowUps,
        |text| crate::support::interchange::only(text, |id| id != "F-3" && id != "F-5"),
        delete,
        Expect {
            unchanged: 10,
            ..APPLIED
        },
    );
    assert_eq!(
        (p.totals.deleted, p.plan.deleted.clone()),
        (2, vec!["F-3".to_owned(), "F-5".to_owned()])
    );
    assert_eq!(
        rows_with(&store, Kind::FollowUps, &["F-3"]) + rows_with(&store, Kind::FollowUps, &["F-5"]),
        0
    );
    let (_dir, _, p) = expect_import(
        Kind::Customers,
        |text| crate::support::interchange::only(text, |id| id != "C-1"),
        delete,
        Expect {
            outcome: "blocked",
            unchanged: 11,
            errors: 1,
            ..APPLIED
        },
    );
    let refused = &p.errors[0];
    assert_eq!(refused.id.as_deref(), Some("C-1"));
    assert!(
        refused
            .reason
            .starts_with("not in the file, so it would be deleted, but"),
        "{refused}"
    );
}

/// Whether an import of `text` whose survey covers only its first 400
/// bytes had to survey the whole file and import again.
fn surveyed_again(kind: Kind, text: &str) -> bool {
    let (_dir, mut store) = crate::support::demo();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("file.csv");
    std::fs::write(&path, text).expect("write");
    let mut labels = Vec::new();
    store
        .import_file_surveying(
            kind,
            &path,
            ImportOptions::default(),
            &mut |what, _, _| labels.push(what.to_owned()),
            Survey::Start(400),
        )
        .expect("import runs");
    labels.iter().any(|l| l == "read again")
}

#[test]
fn a_file_whose_rest_reads_unlike_its_start_is_surveyed_whole_and_read_again() {
    // New rows first, rows with ids after them: the start has no ids,
    // and the file must be read in two passes, changes first.
    let ids_later = |text: &str| {
        let new: Vec<String> = (1..=20)
            .map(|d| copy_of_first(text, &format!("2031-01-{d:02}")))
            .collect();
        let new: Vec<&str> = new.iter().map(String::as_str).collect();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        let out = append(&append(&only_header(text), &new), &rows);
        edit(&out, "E-2", "hours_saved", "2.5")
    };
    // Day/month order undecided in the start, settled by the last row.
    let settled_late = |text: &str| {
        let mut rows: Vec<String> = (1..=12)
            .map(|m| copy_of_first(text, &format!("{m:02}/{m:02}/2031")))
            .collect();
        rows.push(copy_of_first(text, "25/12/2031"));
        rows.push(copy_of_first(text, "03/04/2031"));
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        append(&only_header(text), &rows)
    };
    let (_dir, demo) = crate::support::demo();
    let text = export(&demo, Kind::Data, false);
    assert!(surveyed_again(Kind::Data, &ids_later(&text)));
    let (_dir, store, _) = expect_import(
        Kind::Data,
        ids_later,
        ImportOptions::default(),
        Expect {
            new: 20,
            changed: 1,
            unchanged: 62,
            ..APPLIED
        },
    );
    assert_eq!(cell(&store, Kind::Data, "E-2", "hours_saved"), "2.5");
    assert_eq!(rows_with(&store, Kind::Data, &["2031-01-20"]), 1);
    assert!(surveyed_again(Kind::Data, &settled_late(&text)));
    let (_dir, store, _) = expect_import(
        Kind::Data,
        settled_late,
        ImportOptions::default(),
        Expect { new: 14, ..APPLIED },
    );
    // 03/04 read day first, as 25/12 decides for the column.
    assert_eq!(rows_with(&store, Kind::Data, &["2031-04-03"]), 1);
    assert_eq!(rows_with(&store, Kind::Data, &["2031-03-04"]), 0);
    // A file that reads as its start does is not surveyed again.
    assert!(!surveyed_again(Kind::Data, &text));
}

#[test]
fn runs_of_new_entries_written_together_fall_back_to_one_by_one_when_one_is_refused() {
    // Runs of plain new entries go in with one statement per 32 rows.
    let (_dir, store, _) = expect_import(
        Kind::Data,
        |text| new_days(text, 200, 0, &[]),
        ImportOptions::default(),
        Expect {
            new: 200,
            ..APPLIED
        },
    );
    assert_eq!(store.entry_count().expect("count"), 263);
    // A row for a day the customer already has (a change) inside a run.
    let (_dir, store, _) = expect_import(
        Kind::Data,
        |text| {
            let e1 = with_first_field(&copy_of_first(text, &first_day(text)), "7");
            new_days(text, 200, 45, &[e1])
        },
        ImportOptions::default(),
        Expect {
            new: 200,
            changed: 1,
            ..APPLIED
        },
    );
    assert_eq!(cell(&store, Kind::Data, "E-1", "submittals_logged"), "7");
    // A day this file already added, or a cell the field refuses, inside
    // a run: an error on that row, nothing written.
    let blocked = Expect {
        outcome: "blocked",
        new: 200,
        with_errors: 1,
        errors: 1,
        ..APPLIED
    };
    let (_dir, _, p) = expect_import(
        Kind::Data,
        |text| new_days(text, 200, 70, &[copy_of_first(text, "2032-01-03")]),
        ImportOptions::default(),
        blocked,
    );
    let again = error_on(&p, 71);
    assert_eq!(again.column.as_deref(), Some("recorded_on"));
    assert!(
        again
            .reason
            .contains("already holds this customer's data for this day"),
        "{again}"
    );
    let (_dir, _, p) = expect_import(
        Kind::Data,
        |text| {
            new_days(
                text,
                200,
                70,
                &[with_first_field(&copy_of_first(text, "2033-05-05"), "lots")],
            )
        },
        ImportOptions::default(),
        blocked,
    );
    assert_eq!(
        error_on(&p, 71).column.as_deref(),
        Some("submittals_logged")
    );
}

#[test]
fn files_in_other_encodings_stream_as_they_decode() {
    let (_dir, mut store) = crate::support::demo();
    let text = edit(
        &export(&store, Kind::Customers, false),
        "C-2",
        "segment",
        "Café Noël",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("utf16.csv");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&path, utf16).expect("write");
    let (p, outcome) = store
        .import_file(
            Kind::Customers,
            &path,
            ImportOptions::default(),
            &mut |_, _, _| {},
        )
        .expect("imports");
    assert!(matches!(outcome, Outcome::Applied(_)), "{:?}", p.errors);
    assert_eq!(p.encoding, Some(concierge::sheet::Encoding::Utf16Le));
    assert_eq!(cell(&store, Kind::Customers, "C-2", "segment"), "Café Noël");
    // Windows-1252 is asked about first, then read as confirmed.
    let ansi = edit(&text, "C-3", "segment", "Müller");
    let ansi: Vec<u8> = ansi
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    std::fs::write(&path, ansi).expect("write");
    let asked = store.import_file(
        Kind::Customers,
        &path,
        ImportOptions::default(),
        &mut |_, _, _| {},
    );
    assert!(
        matches!(
            asked,
            Err(concierge::store::interchange::InterchangeError::NeedsConfirmation { .. })
        ),
        "{asked:?}"
    );
    let confirmed = ImportOptions {
        windows_1252: true,
        ..ImportOptions::default()
    };
    let (p, outcome) = store
        .import_file(Kind::Customers, &path, confirmed, &mut |_, _, _| {})
        .expect("imports");
    assert!(matches!(outcome, Outcome::Applied(_)), "{:?}", p.errors);
    assert_eq!(cell(&store, Kind::Customers, "C-3", "segment"), "Müller");
}

#[test]
fn a_file_without_a_readable_header_lists_no_deletion() {
    let delete = ImportOptions {
        delete_missing: true,
        ..ImportOptions::default()
    };
    let (_dir, _, p) = expect_import(
        Kind::FollowUps,
        |_| "text,owner\nno id column,dana\n".to_owned(),
        delete,
        Expect {
            outcome: "blocked",
            errors: 1,
            ..APPLIED
        },
    );
    assert_eq!((p.totals.deleted, p.rows), (0, 0), "{:?}", p.errors);
    let missing = &p.errors[0];
    assert_eq!(missing.column.as_deref(), Some("id"), "{missing}");
    assert_eq!(missing.reason, "required column missing");
}

#[test]
fn a_file_that_cannot_be_opened_is_named_by_its_path() {
    let (dir, mut store) = crate::support::demo();
    let path = dir.path().join("nowhere").join("missing.csv");
    let err = store
        .import_file(
            Kind::Data,
            &path,
            ImportOptions::default(),
            &mut |_, _, _| {},
        )
        .expect_err("refused");
    let said = err.to_string();
    assert!(
        said.starts_with(&format!("cannot read {}: ", path.display())),
        "{said}"
    );
}
