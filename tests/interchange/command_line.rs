//! The command line: `concierge export`/`import` with their exit codes,
//! conflicts settled with `--resolve`, whole-workspace moves and refusals
//! that write nothing (checked with SQLite's `data_version`).

use crate::support;
use crate::support::interchange::{
    KINDS, cli, data_version, edit, err, export, import, newest_batch, out, version_of,
};
use concierge::store::interchange::{ImportOptions, Kind, Outcome};

#[test]
fn a_stale_file_with_a_two_sided_edit_is_a_conflict_until_resolved() {
    let (dir, mut store) = support::demo();
    let db = dir.db().to_owned();
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
    let (dir, store) = support::demo();
    let db = dir.db().to_owned();
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
    let (dir, mut store) = support::demo();
    let db = dir.db().to_owned();
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
fn command_line_exit_codes_and_messages() {
    let (dir, store) = support::demo();
    let db = dir.db().to_owned();
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
    // A server's key comes from its sequence, which the dry run's
    // rolled-back insert moved on (keys are stable, not dense).
    let key = customers
        .lines()
        .find_map(|l| l.strip_suffix(",Café Noël,,,unknown,prospect,,,,,7,,1"))
        .and_then(|l| l.strip_prefix("C-")?.parse::<i64>().ok());
    match dir.server() {
        None => assert_eq!(key, Some(13), "{customers}"),
        Some(_) => assert!(key.is_some_and(|k| k > 12), "{customers}"),
    }
}
