//! Properties: the importer never panics on arbitrary bytes, and exporting
//! any data then importing it against the same data changes nothing.

use crate::support::memory;

use chrono::NaiveDate;
use concierge::sheet::{
    Column, ColumnType, ExportOptions, Resolution, Schema, Value, Which, decode, parse, plan,
    plan_with, resolve, write_csv,
};
use proptest::prelude::*;

use memory::Memory;

const CHOICES: [&str; 4] = ["Discovery", "Pilot", "=odd", "'quoted"];

fn schema() -> Schema {
    Schema::new(
        "T-",
        vec![
            Column::new("name", ColumnType::Text).required(),
            Column::new("notes", ColumnType::MultilineText),
            Column::new("count", ColumnType::Integer),
            Column::new("amount", ColumnType::Decimal),
            Column::new("share", ColumnType::Percent),
            Column::new("due", ColumnType::Date),
            Column::new("done", ColumnType::Boolean),
            Column::new(
                "stage",
                ColumnType::Choice(CHOICES.iter().map(|s| (*s).to_owned()).collect()),
            ),
        ],
    )
}

/// Characters that stress CSV and spreadsheets, mixed with any Unicode.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        3 => prop::sample::select(vec![
            ',', ';', '\t', '"', '\'', '\n', '\r', ' ', '=', '+', '-', '@', '0', '#', '\u{A0}',
            '\u{FEFF}', '\u{1b}', '\u{7}', '\u{85}', '\u{202E}', 'é', '😀',
        ]),
        2 => prop::char::range('a', 'z'),
    ]
}

/// Text as the app stores it: no NUL (refused by the importer) and line
/// breaks already normalised to LF (what every import stores).
fn stored_text(multiline: bool) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..24).prop_map(move |chars| {
        let s: String = chars.into_iter().filter(|&c| c != '\0').collect();
        let s = s.replace("\r\n", "\n").replace('\r', "\n");
        if multiline { s } else { s.replace('\n', " ") }
    })
}

fn maybe(value: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop_oneof![1 => Just(Value::Null), 4 => value]
}

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |x| x.is_finite()),
        (-1_000_000i64..1_000_000, 0u32..4).prop_map(|(n, d)| n as f64 / 10f64.powi(d as i32)),
    ]
}

fn row() -> impl Strategy<Value = Vec<Value>> {
    (
        stored_text(false).prop_map(Value::Text),
        stored_text(true).prop_map(Value::Text),
        maybe(any::<i64>().prop_map(Value::Int)),
        maybe(finite().prop_map(Value::Decimal)),
        maybe(finite().prop_map(Value::Decimal)),
        maybe((1i32..=3_652_059).prop_filter_map("date", |d| {
            NaiveDate::from_num_days_from_ce_opt(d).map(Value::Date)
        })),
        maybe(any::<bool>().prop_map(Value::Bool)),
        maybe(prop::sample::select(CHOICES.to_vec()).prop_map(|s| Value::Text(s.to_owned()))),
    )
        .prop_map(|(a, b, c, d, e, f, g, h)| vec![a, b, c, d, e, f, g, h])
}

fn workspace(rows: &[(Vec<Value>, i64)]) -> Memory {
    let mut db = Memory::default();
    for (i, (values, rev)) in rows.iter().enumerate() {
        db.insert(&format!("T-{i}"), *rev, values.clone());
    }
    db
}

fn assert_noop(db: &Memory, excel: bool) -> Result<(), TestCaseError> {
    let schema = schema();
    let mut out = Vec::new();
    write_csv(&mut out, &schema, db.export_rows(), ExportOptions { excel })
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let decoded = decode(&out).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let parsed = parse(&decoded.text, &schema);
    let plan = plan(&parsed, &schema, db);
    let csv = String::from_utf8_lossy(&out);
    prop_assert!(plan.errors.is_empty(), "errors {:#?}\n{}", plan.errors, csv);
    prop_assert!(plan.conflicts.is_empty(), "conflicts {:#?}", plan.conflicts);
    prop_assert!(plan.is_noop(), "changes {:#?}\n{}", plan.changed, csv);
    prop_assert_eq!(plan.unchanged, db.order.len());
    prop_assert!(plan.is_applicable());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn export_then_import_is_a_noop(rows in prop::collection::vec((row(), 1i64..1000), 0..6)) {
        let db = workspace(&rows);
        assert_noop(&db, false)?;
        assert_noop(&db, true)?;
    }

    #[test]
    fn importer_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        exercise(&bytes);
    }

    #[test]
    fn importer_never_panics_on_csv_like_bytes(
        bytes in prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(b"id,name,notes,due,count,_rev;\t\"\r\n 'T-1.5E+3#".to_vec()),
                1 => any::<u8>(),
            ],
            0..400,
        )
    ) {
        let mut file = b"id,name,notes,due,count,_rev\r\n".to_vec();
        file.extend(bytes);
        exercise(&file);
    }
}

/// Runs the whole import pipeline, including conflict resolution.
fn exercise(bytes: &[u8]) {
    let schema = schema();
    let mut db = Memory::default();
    db.insert("T-1", 3, vec![Value::Null; schema.columns.len()]);
    if let Ok(decoded) = decode(bytes) {
        assert!(
            !decoded.text.contains('\u{FFFD}')
                || bytes.windows(3).any(|w| w == "\u{FFFD}".as_bytes())
        );
        let parsed = parse(&decoded.text, &schema);
        let mut plan = plan_with(
            &parsed,
            &schema,
            &db,
            concierge::sheet::PlanOptions {
                delete_missing: true,
            },
        );
        resolve(&mut plan, Which::All, Resolution::TakeFile);
        let _ = plan.is_applicable();
        for error in &plan.errors {
            let _ = error.to_string();
        }
    }
}
