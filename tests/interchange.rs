//! CSV round-trips on a real workspace (SPEC §4): exporting and importing
//! every record kind through the store, the spreadsheet's re-rendering,
//! stale files and their conflicts, whole-workspace moves, atomicity and
//! the `concierge export`/`import` command line.

mod common;
#[path = "support/spreadsheet.rs"]
mod spreadsheet;

use concierge::domain::{RecordKey, RecordKind};
use concierge::sheet::{ExportOptions, decode};
use concierge::store::interchange::{ImportOptions, Kind, Layout, Outcome, Preview};
use concierge::store::{ListKind, ListQuery, Store};
use std::path::Path;
use std::process::{Command, Output};

const KINDS: [Kind; 7] = Kind::ALL;

fn export(store: &Store, kind: Kind, excel: bool) -> String {
    export_as(store, kind, excel, Layout::Wide)
}

fn export_as(store: &Store, kind: Kind, excel: bool, layout: Layout) -> String {
    let mut out = Vec::new();
    store
        .export(
            kind,
            None,
            layout,
            ExportOptions { excel },
            &mut out,
            &mut |_, _, _| {},
        )
        .expect("export");
    String::from_utf8(out).expect("utf-8")
}

fn import(store: &mut Store, kind: Kind, text: &str, options: ImportOptions) -> (Preview, Outcome) {
    let decoded = decode(text.as_bytes()).expect("decodes");
    store
        .import(kind, "test.csv", &decoded, options, &mut |_, _, _| {})
        .expect("import runs")
}

/// The header and the rows whose id passes `keep`.
fn only(text: &str, keep: impl Fn(&str) -> bool) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut out = csv::Writer::from_writer(Vec::new());
    for (i, record) in reader.records().enumerate() {
        let record = record.expect("record");
        if i == 0 || keep(&record[0]) {
            out.write_record(&record).expect("write");
        }
    }
    String::from_utf8(out.into_inner().expect("flush")).expect("utf-8")
}

/// Data records in a CSV text (multi-line cells count once).
fn records(text: &str) -> usize {
    csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .count()
}

fn newest_batch(store: &Store) -> i64 {
    store.recent_batches(1).expect("batches")[0].id
}

/// The file without its `_rev` column (revs move on with every write, undo too).
fn without_rev(text: &str) -> String {
    text.lines()
        .map(|l| l.rsplit_once(',').map_or(l, |(head, _)| head))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Replaces cell (`id`, `column`) of a CSV text; the row must exist.
fn edit(text: &str, id: &str, column: &str, value: &str) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect();
    let at = rows[0].iter().position(|h| h == column).expect("column");
    let mut found = false;
    let mut out = csv::Writer::from_writer(Vec::new());
    for mut row in rows {
        if row[0] == id {
            value.clone_into(&mut row[at]);
            found = true;
        }
        out.write_record(&row).expect("write");
    }
    assert!(found, "no row {id}");
    String::from_utf8(out.into_inner().expect("flush")).expect("utf-8")
}

fn data_version(db: &Path) -> (rusqlite::Connection, i64) {
    let conn = rusqlite::Connection::open(db).expect("second connection");
    let version = conn
        .query_row("PRAGMA data_version", [], |r| r.get(0))
        .expect("data_version");
    (conn, version)
}

fn version_of(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("PRAGMA data_version", [], |r| r.get(0))
        .expect("data_version")
}

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_concierge"))
        .arg("--db")
        .arg(db)
        .args(["--as", "dana"])
        .args(args)
        .env_remove("CONCIERGE_DB")
        .output()
        .expect("run concierge")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn an_unchanged_export_imports_as_no_change_for_every_kind() {
    let (_dir, mut store) = common::demo();
    let before = newest_batch(&store);
    for kind in KINDS {
        for excel in [false, true] {
            let text = export(&store, kind, excel);
            let (preview, outcome) = import(&mut store, kind, &text, ImportOptions::default());
            assert_eq!(outcome, Outcome::NoChanges, "{kind} excel={excel}");
            assert!(preview.errors.is_empty(), "{kind}: {:?}", preview.errors);
            assert!(preview.plan.is_noop(), "{kind}: {:?}", preview.plan.changed);
            assert_eq!(preview.plan.unchanged, records(&text), "{kind}");
            assert!(preview.plan.unchanged > 0, "{kind} has rows");
        }
    }
    assert_eq!(newest_batch(&store), before, "no batch was written");
}

#[test]
fn a_spreadsheet_resave_changes_only_the_edited_cells_and_undo_reverts_them() {
    let (_dir, mut store) = common::demo();
    // Formula-looking text, which exports escaped with an apostrophe.
    let mut c1 = store.customer(1).expect("C-1");
    c1.notes = "=SUM(A1:A2)\n+1 from @bob".into();
    c1.company = "-Alder & Finch".into();
    store.save_customer(&c1).expect("save");
    // A decimal field with a value a spreadsheet groups: 1,234.50.
    let fields = "id,key,label,type\n,contract_value,Contract value,decimal\n";
    let (_, outcome) = import(&mut store, Kind::Fields, fields, ImportOptions::default());
    assert!(matches!(outcome, Outcome::Applied(_)), "{outcome:?}");
    let partial = "id,contract_value\nE-1,1234.5\n";
    let (preview, _) = import(&mut store, Kind::Data, partial, ImportOptions::default());
    assert_eq!(
        preview.plan.changed.len(),
        1,
        "absent columns stay untouched"
    );

    let customers = export(&store, Kind::Customers, true);
    let data = export(&store, Kind::Data, true);
    assert!(customers.contains("\"'=SUM(A1:A2)"), "escaped on export");
    let batch = newest_batch(&store);
    for (kind, text) in [(Kind::Customers, &customers), (Kind::Data, &data)] {
        let resaved = spreadsheet::resave(text, &["on_time_rate"]);
        assert_ne!(&resaved, text);
        let (preview, outcome) = import(&mut store, kind, &resaved, ImportOptions::default());
        assert_eq!(
            outcome,
            Outcome::NoChanges,
            "{kind}: {:?}",
            preview.plan.changed
        );
    }
    assert!(spreadsheet::resave(&data, &[]).contains("\"1,234.50\""));
    assert_eq!(newest_batch(&store), batch);

    let edited = spreadsheet::resave(&edit(&customers, "C-2", "segment", "enterprise GC"), &[]);
    let (preview, outcome) = import(
        &mut store,
        Kind::Customers,
        &edited,
        ImportOptions::default(),
    );
    let Outcome::Applied(customers_batch) = outcome else {
        panic!("{outcome:?}: {:?}", preview.errors);
    };
    assert_eq!(preview.plan.changed.len(), 1);
    let cells = &preview.plan.changed[0].cells;
    assert_eq!(
        (preview.plan.changed[0].id.as_str(), cells.len()),
        ("C-2", 1)
    );
    assert_eq!(cells[0].name, "segment");
    let logged = store.changes(customers_batch).expect("changes");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0].record, RecordKey::new(RecordKind::Customer, 2));
    assert_eq!(logged[0].field, "segment");
    assert_eq!(logged[0].new.as_deref(), Some("enterprise GC"));

    let edited = spreadsheet::resave(&edit(&data, "E-2", "hours_saved", "2.5"), &["on_time_rate"]);
    let (preview, outcome) = import(&mut store, Kind::Data, &edited, ImportOptions::default());
    let Outcome::Applied(data_batch) = outcome else {
        panic!("{outcome:?}: {:?}", preview.errors);
    };
    let logged = store.changes(data_batch).expect("changes");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0].record, RecordKey::new(RecordKind::Entry, 2));
    assert_eq!(logged[0].new.as_deref(), Some("2.5"));

    store.undo(data_batch).expect("undo data");
    store.undo(customers_batch).expect("undo customers");
    assert_eq!(
        without_rev(&export(&store, Kind::Customers, true)),
        without_rev(&customers)
    );
    assert_eq!(
        without_rev(&export(&store, Kind::Data, true)),
        without_rev(&data)
    );
}

#[test]
fn a_stale_file_with_a_two_sided_edit_is_a_conflict_until_resolved() {
    let (dir, mut store) = common::demo();
    let db = dir.path().join("submittals-mvp.db");
    let file = dir.path().join("customers.csv");
    let exported = export(&store, Kind::Customers, false);
    let stale = edit(
        &edit(&exported, "C-3", "segment", "national GC"),
        "C-3",
        "company",
        "Keystone Ridge LLC",
    );
    std::fs::write(&file, &stale).expect("write");
    // Two edits in the workspace since the export: the base of the merge
    // is rebuilt from the change log as the record was at the file's rev.
    let mut c3 = store.customer(3).expect("C-3");
    let base = c3.segment.clone();
    for segment in ["interim GC", "regional GC"] {
        c3.segment = segment.into();
        store.save_customer(&c3).expect("edit in the workspace");
        c3 = store.customer(3).expect("C-3");
    }
    assert_eq!(c3.meta.rev, 3);
    let path = file.to_str().expect("path");

    let (conn, version) = data_version(&db);
    let blocked = cli(&db, &["import", "customers", path]);
    assert_eq!(blocked.status.code(), Some(1), "{}", out(&blocked));
    assert!(
        out(&blocked).contains(&format!(
            "C-3 (data row 3, line 10), column segment: was {base} · workspace regional GC · file national GC [open]"
        )),
        "{}",
        out(&blocked)
    );
    assert!(
        err(&blocked).contains("nothing written: 1 conflict"),
        "{}",
        err(&blocked)
    );
    assert_eq!(version_of(&conn), version, "nothing written");

    let kept = cli(
        &db,
        &["import", "customers", path, "--resolve", "keep-workspace"],
    );
    assert!(kept.status.success(), "{}{}", out(&kept), err(&kept));
    let c3 = store.customer(3).expect("C-3");
    assert_eq!(
        (c3.segment.as_str(), c3.company.as_str()),
        ("regional GC", "Keystone Ridge LLC")
    );

    let taken = cli(
        &db,
        &["import", "customers", path, "--resolve", "take-file"],
    );
    assert!(taken.status.success(), "{}{}", out(&taken), err(&taken));
    assert_eq!(store.customer(3).expect("C-3").segment, "national GC");
    let batch = newest_batch(&store);
    assert!(
        out(&taken).contains(&format!("imported as batch {batch}")),
        "{}",
        out(&taken)
    );
    let undo = cli(&db, &["undo"]);
    assert!(undo.status.success(), "{}", err(&undo));
    assert_eq!(store.customer(3).expect("C-3").segment, "regional GC");
}

#[test]
fn export_all_then_import_all_into_an_empty_workspace_reproduces_it() {
    let (dir, store) = common::demo();
    let db = dir.path().join("submittals-mvp.db");
    drop(store);
    for excel in [false, true] {
        let first = dir.path().join(format!("first-{excel}"));
        let second = dir.path().join(format!("second-{excel}"));
        let copy = dir.path().join(format!("copy-{excel}.db"));
        let mut args = vec!["export", "all", "-o", first.to_str().expect("path")];
        if excel {
            args.push("--excel");
        }
        assert!(cli(&db, &args).status.success());
        let imported = cli(&copy, &["import", "all", first.to_str().expect("path")]);
        assert!(
            imported.status.success(),
            "{}{}",
            out(&imported),
            err(&imported)
        );
        assert!(
            out(&imported).contains("imported as batch 1:"),
            "{}",
            out(&imported)
        );
        args[3] = second.to_str().expect("path");
        assert!(cli(&copy, &args).status.success());
        for kind in KINDS {
            let a = std::fs::read(first.join(kind.file_name())).expect("first");
            let b = std::fs::read(second.join(kind.file_name())).expect("second");
            assert!(a == b, "{kind} differs after the move (excel={excel})");
        }
        assert!(cli(&copy, &["check"]).status.success());
        // The whole move is one batch: undoing it leaves an empty workspace.
        let undo = cli(&copy, &["undo", "1"]);
        assert!(undo.status.success(), "{}", err(&undo));
        let customers = cli(&copy, &["export", "customers"]);
        assert_eq!(out(&customers).lines().count(), 1, "{}", out(&customers));
    }
}

#[test]
fn a_bad_row_in_the_middle_writes_nothing() {
    let (dir, mut store) = common::demo();
    let db = dir.path().join("submittals-mvp.db");
    let exported = export(&store, Kind::Customers, false);
    let mut bad = edit(&exported, "C-1", "segment", "enterprise GC");
    bad = edit(&bad, "C-3", "cadence_days", "1O0");
    bad.push_str(",Nova Labs,,,,,,,,,,,\n");
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, &bad).expect("write");
    let (conn, version) = data_version(&db);
    let run = cli(&db, &["import", "customers", file.to_str().expect("path")]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        out(&run).contains("data row 3 (line 10), column cadence_days: not a number: 1O0"),
        "{}",
        out(&run)
    );
    assert_eq!(version_of(&conn), version);

    // A domain refusal (the same rule as the form) in the middle: the rows
    // before it were written inside the batch and are rolled back with it.
    let refused = edit(
        &edit(&exported, "C-1", "segment", "enterprise GC"),
        "C-4",
        "contact_email",
        "not-an-email",
    );
    let (preview, outcome) = import(
        &mut store,
        Kind::Customers,
        &refused,
        ImportOptions::default(),
    );
    assert_eq!(outcome, Outcome::Blocked);
    let shown: Vec<String> = preview.errors.iter().map(ToString::to_string).collect();
    assert!(
        shown
            .iter()
            .any(|e| e.starts_with("data row 4 (line 14), column contact_email: not an email")),
        "{shown:?}"
    );
    assert_eq!(version_of(&conn), version);
    assert_eq!(store.customer(1).expect("C-1").segment, "mid-size GC");
}

#[test]
fn data_matches_by_customer_and_day_and_exports_long() {
    let (_dir, mut store) = common::demo();
    let wide = export(&store, Kind::Data, false);
    let e2: Vec<&str> = wide
        .lines()
        .find(|l| l.starts_with("E-2,"))
        .expect("E-2")
        .split(',')
        .collect();
    let (customer, day) = (e2[1], e2[2]);
    let text = format!(
        "id,customer,recorded_on,hours_saved,submittals_logged,satisfaction\n\
         ,{customer},{day},5,,\n\
         ,{customer},2030-01-04,1.5,12,Happy\n"
    );
    let (preview, outcome) = import(&mut store, Kind::Data, &text, ImportOptions::default());
    assert!(
        preview
            .errors
            .iter()
            .any(|e| e.column.as_deref() == Some("submittals_logged")),
        "required cannot be cleared: {:?}",
        preview.errors
    );
    assert_eq!(outcome, Outcome::Blocked);
    let text = text.replace(",5,,\n", ",5,23,neutral\n");
    let (preview, outcome) = import(&mut store, Kind::Data, &text, ImportOptions::default());
    assert!(
        matches!(outcome, Outcome::Applied(_)),
        "{:?}",
        preview.errors
    );
    assert_eq!(
        preview.plan.changed[0].id, "E-2",
        "matched by customer + day"
    );
    assert_eq!(preview.plan.new.len(), 1);

    let long = export_as(&store, Kind::Data, false, Layout::Long);
    assert!(long.starts_with("id,customer,recorded_on,field,value\n"));
    assert!(
        long.contains(&format!("E-2,{customer},{day},hours_saved,5\n")),
        "{long}"
    );
    assert!(
        long.contains(",satisfaction,happy\n"),
        "choices keep their spelling"
    );
}

#[test]
fn a_filtered_view_exports_what_the_pane_lists() {
    let (_dir, store) = common::demo();
    let query = ListQuery {
        filter: "status=testing".into(),
        sort: 0,
    };
    let mut out = Vec::new();
    let summary = store
        .export(
            Kind::Backlog,
            Some(&query),
            Layout::Wide,
            ExportOptions::default(),
            &mut out,
            &mut |_, _, _| {},
        )
        .expect("export view");
    let ids = store.list_ids(ListKind::Backlog, &query).expect("list");
    assert_eq!(summary.rows, ids.len());
    let text = String::from_utf8(out).expect("utf-8");
    let listed: Vec<String> = ids.iter().map(|id| format!("H-{id},")).collect();
    let exported: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("H-"))
        .collect();
    assert_eq!(exported.len(), listed.len());
    for (line, key) in exported.iter().zip(&listed) {
        assert!(line.starts_with(key.as_str()), "in the pane's order");
        assert!(line.contains(",testing,"), "{line}");
    }
}

#[test]
fn delete_missing_deletes_only_what_has_no_history() {
    let (_dir, mut store) = common::demo();
    let add = "id,name\n,Short-lived Co\n";
    import(&mut store, Kind::Customers, add, ImportOptions::default());
    let all = export(&store, Kind::Customers, false);
    let options = ImportOptions {
        delete_missing: true,
        ..ImportOptions::default()
    };
    let without_new = only(&all, |id| id != "C-13");
    let (preview, outcome) = import(&mut store, Kind::Customers, &without_new, options);
    assert!(
        matches!(outcome, Outcome::Applied(_)),
        "{:?}",
        preview.errors
    );
    assert_eq!(preview.plan.deleted, vec!["C-13".to_owned()]);
    let only_one = only(&all, |id| id == "C-1");
    let (preview, outcome) = import(&mut store, Kind::Customers, &only_one, options);
    assert_eq!(outcome, Outcome::Blocked);
    let shown = preview.errors[0].to_string();
    assert!(
        shown.starts_with("C-2: not in the file, so it would be deleted, but it has"),
        "{shown}"
    );
    assert!(
        shown.ends_with("set its stage to dropped instead"),
        "{shown}"
    );
}

#[test]
fn command_line_exit_codes_and_messages() {
    let (dir, store) = common::demo();
    let db = dir.path().join("submittals-mvp.db");
    drop(store);
    let usage = cli(&db, &["export", "widgets"]);
    assert_eq!(
        usage.status.code(),
        Some(2),
        "an unknown kind is a usage error"
    );
    let no_dir = cli(&db, &["export", "all"]);
    assert_eq!(no_dir.status.code(), Some(1));
    assert!(err(&no_dir).contains("-o DIR"), "{}", err(&no_dir));
    let long = cli(&db, &["export", "customers", "--long"]);
    assert_eq!(long.status.code(), Some(1));
    let missing = cli(&db, &["import", "customers", "/nonexistent/file.csv"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        err(&missing).starts_with("concierge: cannot read"),
        "{}",
        err(&missing)
    );

    // Old Excel "CSV (Comma delimited)": Windows-1252, not UTF-8.
    let ansi = dir.path().join("ansi.csv");
    std::fs::write(&ansi, b"id,name\n,Caf\xE9 No\xEBl\n").expect("write");
    let path = ansi.to_str().expect("path");
    let refused = cli(&db, &["import", "customers", path]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        err(&refused).contains("--encoding windows-1252"),
        "{}",
        err(&refused)
    );
    let dry = cli(
        &db,
        &[
            "import",
            "customers",
            path,
            "--dry-run",
            "--encoding",
            "windows-1252",
        ],
    );
    assert!(dry.status.success(), "{}", err(&dry));
    assert!(out(&dry).contains("name=Café Noël"), "{}", out(&dry));
    assert!(out(&dry).contains("dry run: 1 new"), "{}", out(&dry));
    let done = cli(
        &db,
        &["import", "customers", path, "--encoding", "windows-1252"],
    );
    assert!(done.status.success(), "{}", err(&done));
    let customers = out(&cli(&db, &["export", "customers"]));
    assert!(customers.contains("C-13,Café Noël,"), "{customers}");
}

#[test]
fn references_resolve_by_name_display_key_or_a_former_name() {
    let (_dir, mut store) = common::demo();
    let checkins = export(&store, Kind::CheckIns, false);
    let k1 = only(&checkins, |id| id == "K-1");
    let name = store.checkin(1).expect("K-1").customer;
    let by_key = k1.replace(&format!(",{name},"), ",c-1,");
    let (preview, outcome) = import(
        &mut store,
        Kind::CheckIns,
        &by_key,
        ImportOptions::default(),
    );
    assert_eq!(outcome, Outcome::NoChanges, "{:?}", preview.plan.changed);
    let mut c1 = store.customer(1).expect("C-1");
    c1.name = "Alder and Finch".into();
    store.save_customer(&c1).expect("rename");
    let (preview, outcome) = import(&mut store, Kind::CheckIns, &k1, ImportOptions::default());
    assert_eq!(
        outcome,
        Outcome::NoChanges,
        "a file from before the rename: {:?}",
        preview.errors
    );
    let unknown = k1.replace(&format!(",{name},"), ",Nobody Inc,");
    let (preview, outcome) = import(
        &mut store,
        Kind::CheckIns,
        &unknown,
        ImportOptions::default(),
    );
    assert_eq!(outcome, Outcome::Blocked);
    assert_eq!(
        preview.errors[0].to_string(),
        "data row 1 (line 2), column customer: no customer named Nobody Inc (write the name or C-<n>)"
    );
}

#[test]
fn backlog_rows_follow_the_rules_of_the_form() {
    let (_dir, mut store) = common::demo();
    let backlog = export(&store, Kind::Backlog, false);
    let h2 = only(&backlog, |id| id == "H-2");
    let (preview, outcome) = import(
        &mut store,
        Kind::Backlog,
        &edit(&h2, "H-2", "priority", "25"),
        ImportOptions::default(),
    );
    assert_eq!(outcome, Outcome::Blocked);
    assert!(
        preview.errors[0]
            .reason
            .starts_with("priority is impact × uncertainty")
    );
    // Parking needs nothing more; the status date moves to today, as a move in the app does.
    let parked = edit(
        &edit(&h2, "H-2", "status", "parked"),
        "H-2",
        "status_reason",
        "on hold",
    );
    let (preview, outcome) = import(&mut store, Kind::Backlog, &parked, ImportOptions::default());
    assert!(
        matches!(outcome, Outcome::Applied(_)),
        "{:?}",
        preview.errors
    );
    let item = store.backlog_item(2).expect("H-2");
    assert_eq!(item.status_since, common::clock().today().to_string());
    // Validated without a learning or decision: the form's rule refuses it.
    let validated = edit(&h2, "H-2", "status", "validated");
    let validated = edit(&validated, "H-2", "learning", "");
    let (preview, _) = import(
        &mut store,
        Kind::Backlog,
        &validated,
        ImportOptions {
            resolution: Some(concierge::sheet::Resolution::TakeFile),
            ..ImportOptions::default()
        },
    );
    let columns: Vec<_> = preview
        .errors
        .iter()
        .filter_map(|e| e.column.clone())
        .collect();
    assert!(
        columns.contains(&"learning".to_owned()),
        "{:?}",
        preview.errors
    );
}
