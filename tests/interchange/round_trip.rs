//! Round trips through the store: an unchanged export imports as no
//! change, a spreadsheet's re-rendering changes only the edited cells,
//! data rows match by customer and day, filtered views, deleting what is
//! missing, references by name or key, and the form's rules on rows.

use crate::support;
use crate::support::spreadsheet;

use crate::support::interchange::{
    KINDS, edit, export, export_as, import, newest_batch, only, records, without_rev,
};
use concierge::domain::{RecordKey, RecordKind};
use concierge::sheet::ExportOptions;
use concierge::store::interchange::{ImportOptions, Kind, Layout, Outcome};
use concierge::store::{ListKind, ListQuery};

#[test]
fn an_unchanged_export_imports_as_no_change_for_every_kind() {
    let (_dir, mut store) = support::demo();
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
    let (_dir, mut store) = support::demo();
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
fn data_matches_by_customer_and_day_and_exports_long() {
    let (_dir, mut store) = support::demo();
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
    let (_dir, store) = support::demo();
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
    let (_dir, mut store) = support::demo();
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
fn references_resolve_by_name_display_key_or_a_former_name() {
    let (_dir, mut store) = support::demo();
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
    let (_dir, mut store) = support::demo();
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
    assert_eq!(item.status_since, support::clock().today().to_string());
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
