//! Every file of the shared CSV corpus against its `.expect.md` contract.
//!
//! Each corpus file is one test (named after it), run by [`check`]: decode,
//! parse and plan against the base workspace of `INDEX.md`, then compare the
//! outcome, every row's final values, exactly the changed fields, inserts,
//! the first error's position and the file-specific extras. Importable files
//! are also exported again and re-imported, which must change nothing.

mod local;
use crate::support::corpus::{schema, shared_dir as corpus_dir};
use crate::support::memory;
use crate::support::sha256;

use std::collections::BTreeMap;
use std::fs;

use chrono::NaiveDate;
use concierge::sheet::{
    ColumnType, Encoding, ExportOptions, ImportPlan, ParsedSheet, Schema, Value, decode, parse,
    parse_decoded, plan, write_csv,
};
use serde_json::Value as Json;

use memory::Memory;

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn date(s: &str) -> Value {
    Value::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("ISO date in test data"))
}

/// The base DB state before each file (INDEX.md), with C-0003's rev-1
/// export snapshot.
fn base() -> Memory {
    let mut m = Memory::default();
    let row = |name, segment, stage, d: Value, v: Value, notes| {
        vec![
            text(name),
            text(segment),
            text(stage),
            d,
            v,
            text(notes),
            Value::Null,
        ]
    };
    m.insert(
        "C-0001",
        1,
        row(
            "Acme GmbH",
            "Enterprise",
            "Discovery",
            date("2026-11-21"),
            Value::Decimal(1234.5),
            "Met CTO.\nFollow up in Q1.",
        ),
    );
    m.insert(
        "C-0002",
        1,
        row(
            "Björk & Søn",
            "SMB",
            "Validation",
            date("2026-01-05"),
            Value::Decimal(0.25),
            "",
        ),
    );
    let c3 = |stage| {
        row(
            "Smith, Jones \"SJ\" Ltd",
            "Mid-market",
            stage,
            date("2025-12-31"),
            Value::Decimal(-42.0),
            "He said \"wow\", then left.",
        )
    };
    m.insert("C-0003", 2, c3("Scale"));
    m.snapshot("C-0003", 1, c3("Validation"));
    m.insert(
        "C-0004",
        1,
        row(
            "東京ラボ",
            "Enterprise",
            "Discovery",
            Value::Null,
            Value::Null,
            "日本語のメモ",
        ),
    );
    m.insert(
        "C-0005",
        1,
        row(
            "=SUM(A1:A2)",
            "SMB",
            "Churned",
            date("2026-02-28"),
            Value::Decimal(1_000_000.0),
            "+1 from @bob\n-2 from @carol",
        ),
    );
    m
}

fn expectation(file: &str) -> Json {
    let md = fs::read_to_string(local::corpus_path(&format!("{file}.expect.md")))
        .unwrap_or_else(|e| panic!("{file}: no expectation: {e}"));
    let start = md.find("```json").expect("json block") + "```json".len();
    let end = start + md[start..].find("```").expect("end of json block");
    serde_json::from_str(&md[start..end]).expect("valid json")
}

/// The expected value of one cell, typed by its column.
fn expected_value(ty: &ColumnType, json: &Json) -> Value {
    match (ty, json) {
        (_, Json::Null) => Value::Null,
        (_, Json::Bool(b)) => Value::Bool(*b),
        (ColumnType::Date, Json::String(s)) => date(s),
        (ColumnType::Decimal, Json::String(s)) => Value::Decimal(s.parse().expect("decimal")),
        (_, Json::String(s)) => text(s),
        (_, other) => panic!("unexpected expectation value {other}"),
    }
}

/// The final values of each data row in file order: the workspace row with
/// the plan's changes applied, or the new row's cells.
fn final_rows(
    parsed: &ParsedSheet,
    plan: &ImportPlan,
    db: &Memory,
) -> Vec<(Option<String>, Vec<Value>)> {
    parsed
        .rows
        .iter()
        .map(|row| {
            let Some(id) = &row.id else {
                let new = plan
                    .new
                    .iter()
                    .find(|n| n.data_row == row.data_row)
                    .expect("new row in plan");
                let cells = new.cells.iter().map(|c| c.clone().unwrap_or(Value::Null));
                return (None, cells.collect());
            };
            let (_, mut values) = db.rows[id].clone();
            let changes = plan.changed.iter().filter(|c| &c.id == id);
            for change in changes.flat_map(|c| &c.cells) {
                values[change.column] = change.new.clone();
            }
            (Some(id.clone()), values)
        })
        .collect()
}

/// (`data_row`, line, column, reason) of the first thing that blocks an import.
fn first_refusal(
    file: &str,
    bytes: &[u8],
    schema: &Schema,
) -> (usize, usize, Option<String>, String, Json) {
    let decoded = match decode(bytes) {
        Ok(decoded) => decoded,
        Err(e) => return (e.data_row, e.line, e.column.clone(), e.reason(), Json::Null),
    };
    let parsed = parse_decoded(&decoded, schema);
    let plan = plan(&parsed, schema, &base());
    assert!(!plan.is_applicable(), "{file}: should be refused");
    if let Some(e) = plan.errors.first() {
        return (e.data_row, e.line, e.column.clone(), e.reason(), Json::Null);
    }
    let c = plan.conflicts.first().expect("an error or a conflict");
    let conflict = serde_json::json!({
        "base": c.base.as_ref().map(Value::to_csv_string),
        "db": c.workspace.to_csv_string(),
        "sheet": c.file.to_csv_string(),
    });
    (
        c.data_row,
        c.line,
        Some(c.name.clone()),
        "conflict".into(),
        conflict,
    )
}

fn check_refusal(file: &str, bytes: &[u8], expect: &Json) {
    if local::local_dir().join(file).exists() {
        local::every_error(file, bytes, expect);
    }
    let (data_row, line, column, reason, conflict) = first_refusal(file, bytes, &schema());
    let want = &expect["errors"][0];
    let got = (data_row as u64, line as u64, column.as_deref());
    let wanted = (
        want["data_row"].as_u64().expect("data_row"),
        want["line"].as_u64().expect("line"),
        want["column"].as_str(),
    );
    assert_eq!(
        got, wanted,
        "{file}: first error (ours: {reason:?}, theirs: {:?})",
        want["reason"]
    );
    for key in ["base", "db", "sheet"] {
        if let Some(v) = want.get(key) {
            assert_eq!(&conflict[key], v, "{file}: conflict {key}");
        }
    }
}

fn check_import(file: &str, bytes: &[u8], expect: &Json) {
    let schema = schema();
    let db = base();
    let decoded = decode(bytes).unwrap_or_else(|e| panic!("{file}: decode: {e}"));
    if expect["encoding"] == "windows-1252" {
        assert_eq!(decoded.encoding, Encoding::Windows1252, "{file}");
        assert!(
            decoded.needs_confirmation,
            "{file}: must ask before importing"
        );
    } else {
        assert!(!decoded.needs_confirmation, "{file}");
    }
    let parsed = parse_decoded(&decoded, &schema);
    let plan = plan(&parsed, &schema, &db);
    let errors: Vec<String> = plan.errors.iter().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{file}: unexpected errors {errors:#?}");
    assert!(
        plan.conflicts.is_empty(),
        "{file}: unexpected conflicts {:#?}",
        plan.conflicts
    );
    assert!(plan.is_applicable(), "{file}");

    if let Some(n) = expect["data_rows"].as_u64() {
        assert_eq!(parsed.rows.len() as u64, n, "{file}: data rows");
    }
    if let Some(n) = expect["inserts"].as_u64() {
        assert_eq!(plan.new.len() as u64, n, "{file}: inserts");
    }
    if let Some(changes) = expect["changes"].as_object() {
        let want: BTreeMap<String, Vec<String>> = changes
            .iter()
            .map(|(id, fields)| {
                let mut f: Vec<String> = fields
                    .as_array()
                    .expect("field list")
                    .iter()
                    .map(|f| f.as_str().expect("field").to_owned())
                    .collect();
                f.sort();
                (id.clone(), f)
            })
            .collect();
        let got: BTreeMap<String, Vec<String>> = plan
            .changed
            .iter()
            .map(|r| {
                let mut f: Vec<String> = r.cells.iter().map(|c| c.name.clone()).collect();
                f.sort();
                (r.id.clone(), f)
            })
            .collect();
        assert_eq!(got, want, "{file}: changed fields");
    }
    if expect["writes"] == 0 {
        assert!(plan.is_noop(), "{file}: must write nothing");
    }

    let finals = final_rows(&parsed, &plan, &db);
    if let Some(rows) = expect["rows"].as_array() {
        assert_eq!(finals.len(), rows.len(), "{file}: row count");
        for (i, (want, (id, values))) in rows.iter().zip(&finals).enumerate() {
            let want = want.as_object().expect("row object");
            for (key, v) in want {
                if key == "id" {
                    assert_eq!(id.as_deref(), v.as_str(), "{file}: row {i} id");
                    continue;
                }
                let c = schema
                    .index_of(key)
                    .unwrap_or_else(|| panic!("{file}: column {key}"));
                let wanted = expected_value(&schema.columns[c].ty, v);
                assert_eq!(values[c], wanted, "{file}: row {i} column {key}");
            }
        }
    }
    let cell = |id: &str, column: &str| -> Value {
        let c = schema.index_of(column).expect("column");
        finals
            .iter()
            .find(|(row_id, _)| row_id.as_deref() == Some(id))
            .map(|(_, values)| values[c].clone())
            .expect("row in file")
    };
    if let Some(d) = expect["delimiter"].as_str() {
        assert_eq!(parsed.delimiter.to_string(), d, "{file}: delimiter");
    }
    if let Some(cols) = expect["ignored_columns"].as_array() {
        let want: Vec<&str> = cols.iter().filter_map(Json::as_str).collect();
        assert_eq!(parsed.unknown_columns, want, "{file}: ignored columns");
    }
    if let Some(n) = expect["ignored_empty_rows"].as_u64() {
        assert_eq!(parsed.skipped_rows as u64, n, "{file}: skipped rows");
    }
    if let Some(n) = expect["ignored_empty_columns"].as_u64() {
        assert_eq!(
            parsed.ignored_empty_columns as u64, n,
            "{file}: ignored columns"
        );
    }
    for check in expect["checks"].as_array().into_iter().flatten() {
        let Value::Text(s) = cell(
            check["id"].as_str().expect("id"),
            check["column"].as_str().expect("column"),
        ) else {
            panic!("{file}: checked cell is not text");
        };
        assert_eq!(
            Some(s.chars().count() as u64),
            check["chars"].as_u64(),
            "{file}: chars"
        );
        assert_eq!(
            Some(s.len() as u64),
            check["utf8_bytes"].as_u64(),
            "{file}: bytes"
        );
        assert_eq!(
            Some(sha256::hex(s.as_bytes()).as_str()),
            check["sha256"].as_str(),
            "{file}: sha256"
        );
    }
    for (key, points) in expect["codepoints"].as_object().into_iter().flatten() {
        let (id, column) = key.split_once('.').expect("id.column");
        let Value::Text(s) = cell(id, column) else {
            panic!("{file}: {key} is not text");
        };
        let got: Vec<String> = s.chars().map(|c| format!("0x{:x}", c as u32)).collect();
        let want: Vec<&str> = points
            .as_array()
            .expect("list")
            .iter()
            .filter_map(Json::as_str)
            .collect();
        assert_eq!(got, want, "{file}: code points of {key}");
    }
    for bad in expect["forbidden_substrings"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let bad = bad.as_str().expect("substring");
        for (_, values) in &finals {
            assert!(
                !values.iter().any(|v| v.to_csv_string().contains(bad)),
                "{file}: stored {bad:?}"
            );
        }
    }
    if expect["reexport_must_escape"] == true {
        let mut out = Vec::new();
        let rows = finals
            .iter()
            .enumerate()
            .map(|(i, (_, v))| (format!("C-9{i:03}"), v.clone(), 1));
        write_csv(&mut out, &schema, rows, ExportOptions::default()).expect("export");
        let out = String::from_utf8(out).expect("utf-8");
        for escaped in [
            "'=SUM(1,2)",
            "'+1",
            "'-2",
            "'@x",
            "'\t=1+1",
            "'=HYPERLINK",
            "'=cmd|",
        ] {
            assert!(
                out.contains(escaped),
                "{file}: re-export lacks {escaped:?}:\n{out}"
            );
        }
    }
    roundtrip(file, &schema, &finals);
}

/// Export → import of the imported state must change nothing.
fn roundtrip(file: &str, schema: &Schema, finals: &[(Option<String>, Vec<Value>)]) {
    let mut db = Memory::default();
    for (i, (id, values)) in finals.iter().enumerate() {
        let id = id.clone().unwrap_or_else(|| format!("C-8{i:03}"));
        db.insert(&id, 3, values.clone());
    }
    for excel in [false, true] {
        let mut out = Vec::new();
        write_csv(&mut out, schema, db.export_rows(), ExportOptions { excel }).expect("export");
        let decoded = decode(&out).expect("own export decodes");
        let parsed = parse(&decoded.text, schema);
        let plan = plan(&parsed, schema, &db);
        assert!(
            plan.errors.is_empty() && plan.is_noop(),
            "{file}: re-import (excel={excel}) not a no-op: {plan:#?}"
        );
        assert_eq!(plan.unchanged, finals.len(), "{file}");
    }
}

fn check(file: &str) {
    let bytes = fs::read(local::corpus_path(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let expect = expectation(file);
    match expect["outcome"].as_str() {
        Some("refuse") => check_refusal(file, &bytes, &expect),
        // 07 is IMPORT-OR-REFUSE; we implement the preferred import.
        Some("import" | "import-or-refuse") => check_import(file, &bytes, &expect),
        other => panic!("{file}: unknown outcome {other:?}"),
    }
}

/// Every `*.csv` in the shared corpus and in `tests/fixtures/csv-corpus/`,
/// by name: a file dropped into either folder with its `.expect.md` is a
/// case the moment it is there, with no code to change.
fn corpus_files() -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(corpus_dir())
        .expect("corpus directory")
        .chain(fs::read_dir(local::local_dir()).expect("local corpus directory"))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| {
            std::path::Path::new(name)
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("csv"))
        })
        .collect();
    files.sort();
    files
}

/// Each file against its contract; every failing file is named, not only
/// the first.
#[test]
fn every_corpus_file_meets_its_contract() {
    let files = corpus_files();
    assert!(files.len() >= 40, "the corpus holds {} files", files.len());
    let failed: Vec<String> = files
        .iter()
        .filter_map(|file| {
            std::panic::catch_unwind(|| check(file)).err().map(|e| {
                let why = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_string()))
                    .unwrap_or_default();
                format!("{file}: {why}")
            })
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} corpus files fail:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n\n")
    );
}

/// Every corpus file comes with its contract.
#[test]
fn every_corpus_file_has_its_expectation() {
    for file in corpus_files() {
        assert!(
            local::corpus_path(&format!("{file}.expect.md")).exists(),
            "{file} has no {file}.expect.md"
        );
    }
}

/// The canonical Excel export of the base state is file 00, byte for byte.
#[test]
fn excel_export_of_base_state_matches_file_00() {
    let db = base();
    let mut schema = schema();
    schema.columns.pop(); // file 00 predates the `active` column
    let rows = db.export_rows().into_iter().map(|(id, mut values, rev)| {
        values.pop();
        (id, values, rev)
    });
    let mut out = Vec::new();
    let warnings =
        write_csv(&mut out, &schema, rows, ExportOptions { excel: true }).expect("export");
    assert!(warnings.is_empty());
    let want = fs::read(corpus_dir().join("00_base_fixture_app_export.csv")).expect("file 00");
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&want)
    );
    assert_eq!(out, want);
}

/// After resolving the file-50 conflict either way, the plan applies, and the
/// clean C-0001 edit is part of it.
#[test]
fn conflict_in_file_50_blocks_until_resolved() {
    use concierge::sheet::{Resolution, Which, resolve};
    let schema = schema();
    let bytes = fs::read(corpus_dir().join("50_rev_stale_conflict.csv")).expect("file 50");
    let decoded = decode(&bytes).expect("decodes");
    let parsed = parse(&decoded.text, &schema);
    let mut plan = plan(&parsed, &schema, &base());
    assert_eq!(plan.conflicts.len(), 1);
    assert!(!plan.is_applicable());
    assert_eq!(plan.changed.len(), 1, "the clean C-0001 edit");
    assert!(resolve(&mut plan, Which::One(0), Resolution::TakeFile));
    assert!(plan.is_applicable());
    let c3 = plan
        .changed
        .iter()
        .find(|r| r.id == "C-0003")
        .expect("taken from file");
    assert_eq!(c3.cells[0].new, text("Paused"));
    assert_eq!(c3.expected_rev, 2);
    assert!(resolve(&mut plan, Which::All, Resolution::KeepWorkspace));
    assert!(plan.changed.iter().all(|r| r.id != "C-0003"));
    assert_eq!(plan.changed.len(), 1);
    assert!(!resolve(&mut plan, Which::One(5), Resolution::TakeFile));
}
