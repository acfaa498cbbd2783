//! CSV import and export on a PostgreSQL server (SPEC §7: "CSV import and
//! export work on it exactly as on a file"): the demo copied up exports
//! the same bytes as the file it came from, imports change what they say
//! as one batch that undo reverts, a bad row writes nothing, `import all`
//! of an export changes nothing, a large entries import lands and the
//! server's next key follows it, `--delete-missing` is the server's to
//! refuse, and the command line does the same against a URL.

use crate::support;
use crate::support::bin::BIN;
use crate::support::interchange::{KINDS, edit, export, export_as, import, only};
use crate::support::said as text;
use crate::support::server::{self, Fresh};
use concierge::store::interchange::{ImportOptions, Kind, Layout, Outcome, Source};
use concierge::store::{OpenMode, Store};
use std::fmt::Write as _;
use std::process::{Command, Output};

/// The demo in a file, and the same demo copied up into a fresh database:
/// (the file's folder, the file's store, the server's test database).
fn demo_both(test: &str) -> Option<(tempfile::TempDir, Store, Fresh)> {
    let db = server::fresh(test)?;
    // A file whichever engine the suites run on.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("submittals-mvp.db");
    let open = || Store::open(&file, OpenMode::ReadWrite, "dana", support::clock());
    let mut store = open().expect("open the file");
    concierge::demo::load(&mut store).expect("demo");
    drop(store);
    let copied = concierge(&file.display().to_string(), &["copy", "--to", &db.url()]);
    assert!(copied.status.success(), "{}", text(&copied));
    Some((dir, open().expect("open the file again"), db))
}

fn on_server(url: &str) -> Store {
    Store::open_server(url, false, support::clock()).expect("open on the server")
}

fn concierge(db: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("CONCIERGE_TODAY", "2026-11-21")
        .env_remove("CONCIERGE_DB")
        .output()
        .expect("run concierge")
}

/// Adds `name` (made unique in the cluster) with `role`; its login.
fn member(db: &Fresh, name: &str, role: &str) -> String {
    let login = db.login(name);
    let out = concierge(&db.url(), &["team", "add", &login, "--role", role]);
    assert!(out.status.success(), "{}", text(&out));
    login
}

fn batches(store: &Store) -> Vec<i64> {
    let mut ids: Vec<i64> = store
        .recent_batches(100_000)
        .expect("batches")
        .into_iter()
        .map(|b| b.id)
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn every_kind_exports_the_same_bytes_from_the_server_as_from_the_file() {
    let Some((_dir, file, db)) = demo_both("export_same") else {
        return;
    };
    let served = on_server(&db.url());
    for kind in KINDS {
        for excel in [false, true] {
            let (a, b) = (export(&file, kind, excel), export(&served, kind, excel));
            assert!(a.lines().count() > 1, "{kind} has rows");
            assert_eq!(b, a, "{kind} (excel {excel})");
        }
    }
    assert_eq!(
        export_as(&served, Kind::Data, false, Layout::Long),
        export_as(&file, Kind::Data, false, Layout::Long)
    );
}

#[test]
fn a_changed_customers_file_changes_those_cells_as_one_batch_that_undo_restores() {
    let Some((_dir, _file, db)) = demo_both("import_customers") else {
        return;
    };
    let mut served = on_server(&db.url());
    let exported = export(&served, Kind::Customers, false);
    let before = batches(&served);
    let (c3, c5) = (
        served.customer(3).expect("C-3"),
        served.customer(5).expect("C-5"),
    );
    let changed = edit(
        &edit(&exported, "C-3", "segment", "national GC"),
        "C-5",
        "cadence_days",
        "21",
    );
    let (preview, outcome) = import(
        &mut served,
        Kind::Customers,
        &changed,
        ImportOptions::default(),
    );
    let Outcome::Applied(batch) = outcome else {
        panic!("not applied: {outcome:?} {:?}", preview.errors)
    };
    assert_eq!((preview.totals.changed, preview.totals.new), (2, 0));
    assert_eq!(batches(&served), [before.clone(), vec![batch]].concat());
    let mut cells: Vec<(String, String, String)> = served
        .changes(batch)
        .expect("changes")
        .into_iter()
        .map(|c| (c.record.to_string(), c.field, c.new.unwrap_or_default()))
        .collect();
    cells.sort();
    assert_eq!(
        cells,
        [
            ("C-3".into(), "segment".into(), "national GC".into()),
            ("C-5".into(), "cadence_days".into(), "21".into()),
        ]
    );
    let (n3, n5) = (
        served.customer(3).expect("C-3"),
        served.customer(5).expect("C-5"),
    );
    assert_eq!((n3.segment.as_str(), n5.cadence_days), ("national GC", 21));
    assert_eq!((n3.name, n3.company), (c3.name.clone(), c3.company.clone()));

    served.undo(batch).expect("undo");
    assert_eq!(served.customer(3).expect("C-3").segment, c3.segment);
    assert_eq!(
        served.customer(5).expect("C-5").cadence_days,
        c5.cadence_days
    );
    // The same file again changes nothing at all.
    let (_, again) = import(
        &mut served,
        Kind::Customers,
        &exported,
        ImportOptions::default(),
    );
    assert_eq!(again, Outcome::NoChanges);
}

#[test]
fn a_bad_row_writes_nothing_and_is_named_by_row_line_and_column() {
    let Some((_dir, _file, db)) = demo_both("import_bad_row") else {
        return;
    };
    let mut served = on_server(&db.url());
    let exported = export(&served, Kind::Customers, false);
    let before = batches(&served);
    let bad = edit(
        &edit(&exported, "C-2", "segment", "national GC"),
        "C-4",
        "contact_email",
        "not an address",
    );
    let (preview, outcome) = import(&mut served, Kind::Customers, &bad, ImportOptions::default());
    assert_eq!(outcome, Outcome::Blocked);
    let e = preview.errors.first().expect("an error");
    let line = bad
        .lines()
        .position(|l| l.starts_with("C-4,"))
        .expect("C-4")
        + 1;
    assert_eq!(
        (e.data_row, e.line, e.column.as_deref(), e.id.as_deref()),
        (4, line, Some("contact_email"), Some("C-4")),
        "{e:?}"
    );
    assert_eq!(batches(&served), before, "no batch");
    assert_ne!(served.customer(2).expect("C-2").segment, "national GC");
}

#[test]
fn import_all_of_an_export_changes_nothing() {
    let Some((dir, _file, db)) = demo_both("import_all") else {
        return;
    };
    let mut served = on_server(&db.url());
    let out = dir.path().join("export");
    served
        .export_all(
            &out,
            Layout::Wide,
            concierge::sheet::ExportOptions::default(),
            &mut |_, _, _| {},
        )
        .expect("export all");
    let before = batches(&served);
    let sources: Vec<Source> = Kind::ALL
        .iter()
        .map(|k| Source::file(*k, &out.join(k.file_name())))
        .collect();
    let (previews, outcome) = served
        .import_all(
            "export",
            &sources,
            ImportOptions::default(),
            &mut |_, _, _| {},
        )
        .expect("import all");
    assert_eq!(outcome, Outcome::NoChanges, "{previews:?}");
    assert_eq!(previews.len(), Kind::ALL.len());
    assert_eq!(batches(&served), before);
}

#[test]
fn twenty_thousand_new_entries_land_as_one_batch_and_the_next_key_follows() {
    let Some((dir, _file, db)) = demo_both("import_entries") else {
        return;
    };
    let mut served = on_server(&db.url());
    let names = export(&served, Kind::Customers, false);
    let customers: Vec<String> = csv::Reader::from_reader(names.as_bytes())
        .records()
        .map(|r| r.expect("record")[1].to_owned())
        .collect();
    let mut csv = String::from("id,customer,recorded_on,submittals_logged,satisfaction,blocker\n");
    let first = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).expect("day");
    for i in 0..20_000 {
        let day = first + chrono::Duration::days((i / customers.len()) as i64);
        let name = &customers[i % customers.len()];
        let _ = writeln!(
            csv,
            ",\"{name}\",{day},{},neutral,\"tab\tand \\\\ here\"",
            i % 50
        );
    }
    let path = dir.path().join("new.csv");
    std::fs::write(&path, &csv).expect("write");
    let mut client = postgres::Client::connect(&db.url(), postgres::NoTls).expect("client");
    let count = |client: &mut postgres::Client| -> usize {
        let n: i64 = client
            .query_one("SELECT count(*) FROM entries", &[])
            .expect("count")
            .get(0);
        usize::try_from(n).expect("count")
    };
    let (entries, before) = (count(&mut client), batches(&served));
    let (preview, outcome) = served
        .import_file(
            Kind::Data,
            &path,
            ImportOptions::default(),
            &mut |_, _, _| {},
        )
        .expect("import");
    let Outcome::Applied(batch) = outcome else {
        panic!("not applied: {outcome:?} {:?}", &preview.errors[..3])
    };
    assert_eq!(preview.totals.new, 20_000);
    assert_eq!(count(&mut client), entries + 20_000);
    assert_eq!(batches(&served), [before, vec![batch]].concat());
    // Every value as the file wrote it, escapes included.
    let reread = export(&served, Kind::Data, false);
    assert!(reread.contains("tab\tand \\\\ here"), "text kept");
    // The server hands out the key after the import's last one.
    let top: i64 = client
        .query_one("SELECT max(id) FROM entries", &[])
        .expect("max")
        .get(0);
    let next: i64 = client
        .query_one(
            "INSERT INTO entries (customer_id, recorded_on, created_at, updated_at)
             VALUES (1, '2099-01-01', 0, 0) RETURNING id",
            &[],
        )
        .expect("insert with the server's key")
        .get(0);
    assert_eq!(next, top + 1);
    // Undone as a unit.
    served.undo(batch).expect("undo");
    assert_eq!(count(&mut client), entries + 1);
}

#[test]
fn delete_missing_is_refused_by_the_server_for_entry_and_pm_and_done_for_an_admin() {
    let Some((_dir, _file, db)) = demo_both("delete_missing") else {
        return;
    };
    let owner = on_server(&db.url());
    let exported = export(&owner, Kind::FollowUps, false);
    let kept = only(&exported, |id| id != "F-4");
    let options = ImportOptions {
        delete_missing: true,
        ..ImportOptions::default()
    };
    let before = batches(&owner);
    for (name, role) in [("eddie", "entry"), ("pat", "pm")] {
        let login = member(&db, name, role);
        let mut store = on_server(&db.url_as(&login));
        let decoded = concierge::sheet::decode(kept.as_bytes()).expect("decodes");
        let refused = store
            .import(
                Kind::FollowUps,
                "f.csv",
                &decoded,
                options,
                &mut |_, _, _| {},
            )
            .expect_err("refused");
        assert_eq!(
            refused.to_string(),
            format!("your role {role} cannot delete F-4; an admin can")
        );
        assert_eq!(batches(&store), before, "{role}: nothing written");
    }
    let admin = member(&db, "ada", "admin");
    let mut store = on_server(&db.url_as(&admin));
    let (preview, outcome) = import(&mut store, Kind::FollowUps, &kept, options);
    assert!(matches!(outcome, Outcome::Applied(_)), "{preview:?}");
    assert_eq!(preview.totals.deleted, 1);
    assert!(!export(&store, Kind::FollowUps, false).contains("\nF-4,"));
}

#[test]
fn the_command_line_exports_and_imports_against_a_url() {
    let Some((dir, _file, db)) = demo_both("cli") else {
        return;
    };
    let url = db.url();
    let path = dir.path().join("customers.csv");
    let file = path.to_str().expect("path");
    let out = concierge(&url, &["export", "customers", "-o", file]);
    assert!(out.status.success(), "{}", text(&out));
    let exported = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, edit(&exported, "C-7", "owner", "Robin")).expect("write");

    // A viewer may export but not import, not even a dry run.
    let viewer = member(&db, "vera", "viewer");
    let looked = concierge(
        &db.url_as(&viewer),
        &["import", "customers", file, "--dry-run"],
    );
    assert_eq!(looked.status.code(), Some(1));
    assert_eq!(
        text(&looked).trim(),
        "concierge: your role viewer cannot import; an entry can"
    );

    let dry = concierge(&url, &["import", "customers", file, "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    assert!(on_server(&url).customer(7).expect("C-7").owner != "Robin");

    let done = concierge(&url, &["import", "customers", file]);
    assert!(done.status.success(), "{}", text(&done));
    assert!(text(&done).contains("imported as batch"), "{}", text(&done));
    assert_eq!(on_server(&url).customer(7).expect("C-7").owner, "Robin");

    let again = concierge(&url, &["import", "customers", file]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        text(&again).contains("nothing to import"),
        "{}",
        text(&again)
    );

    let streamed = concierge(&url, &["export", "data"]);
    assert!(streamed.status.success(), "{}", text(&streamed));
    assert_eq!(
        String::from_utf8_lossy(&streamed.stdout),
        export(&on_server(&url), Kind::Data, false)
    );
}
