//! Header mapping, structure errors, positions and column inference.

use chrono::NaiveDate;

use super::*;
use crate::sheet::schema::{Column, ColumnType};

fn schema() -> Schema {
    Schema::new(
        "C-",
        vec![
            Column::new("name", ColumnType::Text).required(),
            Column::new("agreement_signed_on", ColumnType::Date),
            Column::new("value", ColumnType::Decimal),
            Column::new("notes", ColumnType::MultilineText),
            Column::new(
                "stage",
                ColumnType::Choice(vec!["Discovery".into(), "Pilot".into()]),
            ),
        ],
    )
}

fn errors(sheet: &ParsedSheet) -> Vec<(usize, usize, Option<&str>, &Problem)> {
    sheet
        .errors
        .iter()
        .map(|e| (e.data_row, e.line, e.column.as_deref(), &e.problem))
        .collect()
}

fn date(y: i32, m: u32, d: u32) -> Option<Value> {
    NaiveDate::from_ymd_opt(y, m, d).map(Value::Date)
}

#[test]
fn headers_match_by_case_and_spacing_in_any_order() {
    let sheet = parse(
        " Agreement Signed On ,NAME,Id,Owner,,_REV\n2026-01-05,x,C-1,ana,,3\n",
        &schema(),
    );
    assert!(sheet.errors.is_empty(), "{:?}", sheet.errors);
    assert_eq!(sheet.present, [0, 1]);
    assert_eq!(sheet.unknown_columns, ["Owner"]);
    assert_eq!(sheet.ignored_empty_columns, 1);
    assert!(sheet.has_rev);
    let row = &sheet.rows[0];
    assert_eq!((row.id.as_deref(), row.rev), (Some("C-1"), Some(3)));
    assert_eq!(row.cells[1], date(2026, 1, 5));
    assert_eq!(row.cells[2], None, "absent column");
}

#[test]
fn unnamed_column_with_data_is_reported_not_ignored() {
    let sheet = parse("id,,name\nC-1,7,x\n", &schema());
    assert_eq!(sheet.unknown_columns, ["(unnamed column 2)"]);
}

#[test]
fn duplicate_and_missing_headers_stop_the_parse() {
    let sheet = parse("id,Name,name\nC-1,a,b\n", &schema());
    assert_eq!(
        errors(&sheet),
        [(
            0,
            1,
            Some("name"),
            &Problem::DuplicateColumn {
                first: 2,
                second: 3
            }
        )]
    );
    assert!(sheet.rows.is_empty());
    let sheet = parse("name\nx\n", &schema());
    assert_eq!(
        errors(&sheet),
        [(0, 1, Some("id"), &Problem::MissingColumn)]
    );
}

#[test]
fn empty_and_blank_files() {
    assert_eq!(
        errors(&parse("", &schema())),
        [(0, 1, None, &Problem::EmptyFile)]
    );
    assert_eq!(
        errors(&parse("\r\n \r\n", &schema())),
        [(0, 1, None, &Problem::NoHeader)]
    );
    let sheet = parse("id,name\r\n", &schema());
    assert!(sheet.errors.is_empty() && sheet.rows.is_empty());
}

#[test]
fn sep_line_sets_delimiter_and_shifts_lines() {
    let sheet = parse(
        "sep=;\r\nid;name;value\r\nC-1;a;1,5\r\nC-2;b;x\r\n",
        &schema(),
    );
    assert_eq!(sheet.delimiter, ';');
    assert_eq!(sheet.header_line, 2);
    assert_eq!(sheet.rows[0].cells[2], Some(Value::Decimal(1.5)));
    assert_eq!(
        errors(&sheet),
        [(2, 4, Some("value"), &Problem::NotANumber("x".into()))]
    );
}

#[test]
fn lines_follow_multi_line_cells_in_cr_only_files() {
    let text = "id,notes,value\rC-1,\"a\rb\r\rc\",1\rC-2,x,oops\r";
    let sheet = parse(text, &schema());
    assert_eq!(
        sheet.rows[0].cells[3],
        Some(Value::Text("a\nb\n\nc".into()))
    );
    assert_eq!(
        errors(&sheet),
        [(2, 6, Some("value"), &Problem::NotANumber("oops".into()))]
    );
}

#[test]
fn ragged_rows() {
    let sheet = parse("id,name,value\nC-1,a\nC-2,b,1,\nC-3,c,1,9\n", &schema());
    assert_eq!(
        errors(&sheet),
        [
            (
                1,
                2,
                None,
                &Problem::FieldCount {
                    expected: 3,
                    found: 2
                }
            ),
            (
                3,
                4,
                None,
                &Problem::FieldCount {
                    expected: 3,
                    found: 4
                }
            ),
        ]
    );
    assert_eq!(
        sheet.rows.len(),
        1,
        "the row with an empty extra field is fine"
    );
}

#[test]
fn trailing_empty_columns_may_be_missing_from_rows() {
    let sheet = parse("id,name,,\nC-1,a,,\nC-2,b\n,,,\n  \n\n", &schema());
    assert!(sheet.errors.is_empty(), "{:?}", sheet.errors);
    assert_eq!(sheet.rows.len(), 2);
    assert_eq!(sheet.ignored_empty_columns, 2);
    assert_eq!(sheet.skipped_rows, 2);
}

#[test]
fn blank_rows_count_for_numbering() {
    let sheet = parse("id,value\n\nC-1,bad\n", &schema());
    assert_eq!(errors(&sheet)[0].0, 2);
}

#[test]
fn quoting_mistakes_are_positioned() {
    let sheet = parse(
        "id,name,notes\nC-1,5\" pipe,x\nC-2,ok,\"never closed\n",
        &schema(),
    );
    assert_eq!(
        errors(&sheet),
        [
            (1, 2, Some("name"), &Problem::StrayQuote),
            (
                2,
                3,
                Some("notes"),
                &Problem::UnterminatedQuote { opened_line: 3 }
            ),
        ]
    );
    assert_eq!(sheet.rows.len(), 1);
    assert!(sheet.rows[0].has_errors);
}

#[test]
fn spreadsheet_damage_is_named() {
    let sheet = parse(
        "id,value,agreement_signed_on\n1.23E+05,1,\nK-1,#REF!,#N/A\n",
        &schema(),
    );
    assert_eq!(
        errors(&sheet),
        [
            (1, 2, Some("id"), &Problem::IdScientific("1.23E+05".into())),
            (
                2,
                3,
                Some("id"),
                &Problem::IdPrefix {
                    raw: "K-1".into(),
                    prefix: "C-".into()
                }
            ),
            (
                2,
                3,
                Some("value"),
                &Problem::SpreadsheetError("#REF!".into())
            ),
            (
                2,
                3,
                Some("agreement_signed_on"),
                &Problem::SpreadsheetError("#N/A".into())
            ),
        ]
    );
    assert!(sheet.rows.iter().all(|r| r.id_invalid));
    assert_eq!(sheet.errors[2].value.as_deref(), Some("#REF!"));
}

#[test]
fn day_month_order_comes_from_the_column() {
    let sheet = parse(
        "id,agreement_signed_on\nC-1,03/04/2026\nC-2,25/04/2026\n",
        &schema(),
    );
    assert!(sheet.errors.is_empty(), "{:?}", sheet.errors);
    assert_eq!(sheet.rows[0].cells[1], date(2026, 4, 3));
    let sheet = parse(
        "id,agreement_signed_on\nC-1,03/04/2026\nC-2,04/25/2026\n",
        &schema(),
    );
    assert_eq!(sheet.rows[0].cells[1], date(2026, 3, 4));
    let sheet = parse("id,agreement_signed_on\nC-1,03/04/2026\n", &schema());
    assert_eq!(sheet.ambiguous_dates.len(), 1);
    assert_eq!(
        sheet.ambiguous_dates[0].day_first,
        NaiveDate::from_ymd_opt(2026, 4, 3).expect("date")
    );
    assert_eq!(sheet.rows[0].cells[1], None);
}

#[test]
fn decimal_comma_follows_the_column_and_delimiter() {
    let sheet = parse("id;value\nC-1;1.234\nC-2;1.500\n", &schema());
    assert_eq!(sheet.rows[0].cells[2], Some(Value::Decimal(1234.0)));
    let sheet = parse("id,value\nC-1,\"1,234\"\nC-2,\"0,5\"\n", &schema());
    assert_eq!(sheet.rows[0].cells[2], Some(Value::Decimal(1.234)));
    let sheet = parse("id,value\nC-1,\"1,234\"\n", &schema());
    assert_eq!(sheet.rows[0].cells[2], Some(Value::Decimal(1234.0)));
}

#[test]
fn text_rules_and_choices() {
    let sheet = parse(
        "id,name,notes,stage\nC-1,'=x,\"a\r\nb\", pilot \nC-2,\"a\nb\",,Scale\n",
        &schema(),
    );
    let row = &sheet.rows[0];
    assert_eq!(row.cells[0], Some(Value::Text("=x".into())));
    assert_eq!(row.cells[3], Some(Value::Text("a\nb".into())));
    assert_eq!(row.cells[4], Some(Value::Text("Pilot".into())));
    assert_eq!(errors(&sheet)[0], (2, 4, Some("name"), &Problem::LineBreak));
    assert!(matches!(errors(&sheet)[1].3, Problem::NotAChoice { .. }));
}

#[test]
fn tab_delimited_with_bom_stripped_header() {
    let sheet = parse("\u{FEFF}id\tname\nC-1\ta,b\n", &schema());
    assert_eq!(sheet.delimiter, '\t');
    assert_eq!(sheet.rows[0].cells[0], Some(Value::Text("a,b".into())));
}

#[test]
fn a_header_behind_a_misread_byte_order_mark_gets_a_hint() {
    let bom = |found: &str, meant: &str| Problem::MisreadBom {
        found: found.to_owned(),
        meant: meant.to_owned(),
    };
    // A UTF-8 BOM read as Windows-1252 and saved again as UTF-8.
    let sheet = parse("ï»¿id,name\nC-1,a\n", &schema());
    let found = errors(&sheet);
    assert!(
        found.contains(&(0, 1, Some("ï»¿id"), &bom("ï»¿id", "id"))),
        "{found:?}"
    );
    // A second BOM before a quoted header, which the reader keeps.
    let sheet = parse("\u{FEFF}\u{FEFF}\"id\",name\nC-1,a\n", &schema());
    let found = errors(&sheet);
    assert!(
        found
            .iter()
            .any(|e| matches!(e.3, Problem::MisreadBom { meant, .. } if meant == "id")),
        "{found:?}"
    );
    let message = bom("ï»¿name", "name").to_string();
    assert!(message.contains("save it again as UTF-8"), "{message}");
    // One BOM where it belongs is no problem, nor is an odd header.
    assert!(
        parse("\u{FEFF}id,name\nC-1,a\n", &schema())
            .errors
            .is_empty()
    );
    assert!(
        parse("id,name,ï»¿what\nC-1,a,b\n", &schema())
            .errors
            .is_empty()
    );
}
