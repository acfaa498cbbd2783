//! Export formats, escaping, warnings and atomic writes.

use chrono::NaiveDate;

use super::*;
use crate::sheet::schema::{Column, ColumnType};

fn schema() -> Schema {
    Schema::new(
        "C-",
        vec![
            Column::new("name", ColumnType::Text),
            Column::new("value", ColumnType::Decimal),
            Column::new("since", ColumnType::Date),
            Column::new("ok", ColumnType::Boolean),
        ],
    )
}

fn export(rows: Vec<(String, Vec<Value>, i64)>, excel: bool) -> (String, Vec<ExportWarning>) {
    let mut out = Vec::new();
    let warnings = write_csv(&mut out, &schema(), rows, ExportOptions { excel }).expect("export");
    (String::from_utf8(out).expect("utf-8"), warnings)
}

fn row(name: &str, value: Value) -> (String, Vec<Value>, i64) {
    let since = NaiveDate::from_ymd_opt(2026, 1, 5).map_or(Value::Null, Value::Date);
    (
        "C-1".into(),
        vec![Value::Text(name.into()), value, since, Value::Bool(true)],
        4,
    )
}

#[test]
fn plain_export_is_lf_with_minimal_quoting() {
    let (out, _) = export(
        vec![row("Smith, \"SJ\"", Value::Decimal(1_000_000.125))],
        false,
    );
    assert_eq!(
        out,
        "id,name,value,since,ok,_rev\nC-1,\"Smith, \"\"SJ\"\"\",1000000.125,2026-01-05,true,4\n"
    );
}

#[test]
fn excel_export_has_bom_crlf_and_quotes_everything() {
    let (out, _) = export(vec![row("a\nb", Value::Null)], true);
    assert_eq!(
        out,
        "\u{FEFF}\"id\",\"name\",\"value\",\"since\",\"ok\",\"_rev\"\r\n\"C-1\",\"a\nb\",\"\",\"2026-01-05\",\"true\",\"4\"\r\n"
    );
}

#[test]
fn formula_text_is_escaped_but_numbers_are_not() {
    let (out, _) = export(
        vec![
            row("=SUM(A1)", Value::Decimal(-42.0)),
            row("-2", Value::Int(-3)),
            row("'plain", Value::Null),
            row("\tx", Value::Null),
            row("a=b", Value::Null),
        ],
        false,
    );
    let lines: Vec<&str> = out.lines().skip(1).collect();
    assert!(lines[0].starts_with("C-1,'=SUM(A1),-42,"), "{out}");
    assert!(lines[1].starts_with("C-1,'-2,-3,"), "{out}");
    assert!(lines[2].starts_with("C-1,''plain,,"), "{out}");
    assert!(lines[3].starts_with("C-1,'\tx,,"), "{out}");
    assert!(lines[4].starts_with("C-1,a=b,,"), "{out}");
}

#[test]
fn long_cells_warn() {
    let long = "x".repeat(EXCEL_CELL_LIMIT + 1);
    let (_, warnings) = export(
        vec![row(&long, Value::Null), row("short", Value::Null)],
        true,
    );
    assert_eq!(
        warnings,
        [ExportWarning {
            id: "C-1".into(),
            column: "name".into(),
            chars: EXCEL_CELL_LIMIT + 1
        }]
    );
    assert!(warnings[0].to_string().contains("32767"));
}

#[test]
fn wrong_row_width_is_an_error() {
    let mut out = Vec::new();
    let rows = vec![("C-1".to_owned(), vec![Value::Null], 1)];
    let err = write_csv(&mut out, &schema(), rows, ExportOptions::default()).expect_err("width");
    assert!(matches!(
        err,
        WriteError::RowWidth {
            expected: 4,
            found: 1,
            ..
        }
    ));
}

#[test]
fn atomic_write_replaces_or_leaves_the_old_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.csv");
    std::fs::write(&path, "old").expect("seed");
    let written = write_atomically(&path, None, |w| {
        write_csv(
            w,
            &schema(),
            vec![row("a", Value::Null)],
            ExportOptions::default(),
        )
    })
    .expect("write");
    assert!(written.is_empty());
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .starts_with("id,name")
    );

    let failed: Result<(), WriteError> = write_atomically(&path, None, |w| {
        w.write_all(b"partial")?;
        Err(WriteError::Io(std::io::Error::other("disk full")))
    });
    assert!(failed.is_err());
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .starts_with("id,name")
    );
    let leftovers = std::fs::read_dir(dir.path()).expect("dir").count();
    assert_eq!(leftovers, 1, "no temporary file left behind");
}
