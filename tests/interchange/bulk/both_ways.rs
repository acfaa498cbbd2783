//! Streamed and whole-file imports of the same file write the same
//! records and refuse the same rows; a dry run writes nothing.

use super::{append, copy_of_first, everything, only_header, same_both_ways, stream};
use crate::support;
use crate::support::interchange::{edit, export};
use concierge::store::interchange::{ImportOptions, Kind, Outcome};

#[test]
fn streamed_data_imports_write_what_whole_file_imports_write() {
    same_both_ways(
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
    );
}

#[test]
fn a_row_without_id_for_a_day_already_entered_updates_that_entry() {
    same_both_ways(
        Kind::Data,
        |text| {
            let first = text.lines().nth(1).expect("a row").to_owned();
            let day = first.split(',').nth(2).expect("day").to_owned();
            // Same customer and day, no id: it is that entry, edited.
            let mut cells: Vec<String> = copy_of_first(text, &day)
                .split(',')
                .map(str::to_owned)
                .collect();
            cells[3] = "7".to_owned();
            let edited = cells.join(",");
            append(&only_header(text), &[&edited])
        },
        ImportOptions::default(),
    );
}

#[test]
fn streamed_customer_and_checkin_imports_write_what_whole_file_imports_write() {
    same_both_ways(
        Kind::Customers,
        |text| {
            let text = edit(text, "C-2", "name", "Renamed & Co");
            let text = edit(&text, "C-3", "segment", "owner-builder");
            append(&text, &[",Brand New Builders,,,,prospect,,,,,,,"])
        },
        ImportOptions::default(),
    );
    same_both_ways(
        Kind::CheckIns,
        |text| edit(text, "K-4", "summary", "A new summary"),
        ImportOptions::default(),
    );
}

#[test]
fn a_streamed_file_with_errors_writes_nothing_and_names_them() {
    same_both_ways(
        Kind::Data,
        |text| {
            let text = edit(text, "E-3", "recorded_on", "not a date");
            edit(&text, "E-4", "customer", "Nobody At All")
        },
        ImportOptions::default(),
    );
    same_both_ways(
        Kind::Customers,
        |text| {
            append(
                text,
                &["C-2,Again,,,,prospect,,,,,,,", "C-9999,Ghost,,,,,,,,,,,"],
            )
        },
        ImportOptions::default(),
    );
}

#[test]
fn a_dry_run_checks_everything_and_writes_nothing() {
    let (_dir, mut store) = support::demo();
    let before = everything(&store);
    let text = edit(
        &export(&store, Kind::Customers, false),
        "C-2",
        "segment",
        "x",
    );
    let options = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let (report, outcome) = stream(&mut store, Kind::Customers, &text, options);
    assert_eq!((outcome, report.changed), (Outcome::Checked, 1));
    assert_eq!(everything(&store), before);
}
