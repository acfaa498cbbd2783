//! Spreadsheet error values are refused in every column, text included
//! (SPEC §4, issue #14), on the whole-file and the streamed path; text a
//! form stored as `#N/A` still round-trips (exported with the apostrophe).

use crate::support;
use crate::support::interchange::{cli, err, export, import, newest_batch, out};
use concierge::store::interchange::{ImportOptions, Kind, Outcome};

#[test]
fn error_values_in_text_columns_are_named_errors_and_nothing_is_written() {
    let (dir, mut store) = support::demo();
    let name = store.customer(5).expect("C-5").name;
    let batch = newest_batch(&store);
    let file = "id,name,notes\nC-5,#NAME?,#REF!\n";
    let (preview, outcome) = import(&mut store, Kind::Customers, file, ImportOptions::default());
    assert_eq!(outcome, Outcome::Blocked);
    let got: Vec<(usize, usize, Option<&str>, &str)> = preview
        .errors
        .iter()
        .map(|e| (e.data_row, e.line, e.column.as_deref(), e.reason.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                1,
                2,
                Some("name"),
                "spreadsheet error value #NAME? instead of data"
            ),
            (
                1,
                2,
                Some("notes"),
                "spreadsheet error value #REF! instead of data"
            ),
        ]
    );
    assert_eq!(newest_batch(&store), batch);

    // The command line streams the file: the same refusal.
    let db = dir.db().to_owned();
    drop(store);
    let path = dir.path().join("names.csv");
    std::fs::write(&path, file).expect("write");
    let o = cli(&db, &["import", "customers", path.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let shown = format!("{}{}", out(&o), err(&o));
    assert!(
        shown.contains("column name: spreadsheet error value #NAME? instead of data"),
        "{shown}"
    );
    let store = dir.open(concierge::store::OpenMode::ReadWrite);
    assert_eq!(store.customer(5).expect("C-5").name, name, "not renamed");
}

#[test]
fn text_a_form_stored_as_an_error_value_round_trips() {
    let (_dir, mut store) = support::demo();
    let mut c2 = store.customer(2).expect("C-2");
    c2.segment = "#N/A".into();
    store.save_customer(&c2).expect("a form may store it");
    let text = export(&store, Kind::Customers, false);
    assert!(text.contains(",'#N/A,"), "escaped on export:\n{text}");
    let (preview, outcome) = import(&mut store, Kind::Customers, &text, ImportOptions::default());
    assert!(preview.errors.is_empty(), "{:?}", preview.errors);
    assert_eq!(outcome, Outcome::NoChanges);
}
