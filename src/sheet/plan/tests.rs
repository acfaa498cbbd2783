//! Matching, required fields, revisions and the three-way merge.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::*;
use crate::sheet::parse::parse;
use crate::sheet::schema::{Column, ColumnType};

#[derive(Default)]
struct Db {
    rows: Vec<(String, i64, Vec<Value>)>,
    snapshots: HashMap<(String, i64), Vec<Value>>,
}

impl Existing for Db {
    fn current(&self, id: &str) -> Option<(i64, Vec<Value>)> {
        self.rows
            .iter()
            .find(|(i, _, _)| i == id)
            .map(|(_, rev, v)| (*rev, v.clone()))
    }
    fn at_rev(&self, id: &str, rev: i64) -> Option<Vec<Value>> {
        self.snapshots.get(&(id.to_owned(), rev)).cloned()
    }
    fn ids(&self) -> Vec<String> {
        self.rows.iter().map(|(id, _, _)| id.clone()).collect()
    }
}

fn schema() -> Schema {
    Schema::new(
        "C-",
        vec![
            Column::new("name", ColumnType::Text).required(),
            Column::new("stage", ColumnType::Text),
            Column::new("since", ColumnType::Date),
        ],
    )
}

fn t(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn d(y: i32, m: u32, day: u32) -> Value {
    Value::Date(NaiveDate::from_ymd_opt(y, m, day).expect("date"))
}

fn db() -> Db {
    let mut db = Db::default();
    db.rows.push((
        "C-1".into(),
        1,
        vec![t("Acme"), t("Discovery"), d(2026, 1, 5)],
    ));
    db.rows
        .push(("C-2".into(), 3, vec![t("Beta"), t("Scale"), Value::Null]));
    db.snapshots
        .insert(("C-2".into(), 2), vec![t("Beta"), t("Pilot"), Value::Null]);
    db
}

fn run(text: &str, db: &Db) -> ImportPlan {
    plan(&parse(text, &schema()), &schema(), db)
}

#[test]
fn absent_columns_are_untouched_and_equal_values_unchanged() {
    let p = run("id,stage\nC-1,Pilot\nC-2,Scale\n", &db());
    assert!(p.errors.is_empty());
    assert_eq!(p.unchanged, 1);
    assert_eq!(p.changed.len(), 1);
    assert_eq!(p.changed[0].cells.len(), 1);
    assert_eq!(
        (
            p.changed[0].cells[0].old.clone(),
            p.changed[0].cells[0].new.clone()
        ),
        (t("Discovery"), t("Pilot"))
    );
    assert_eq!(p.changed[0].expected_rev, 1);
}

#[test]
fn new_rows_need_required_columns() {
    let p = run("id,name,stage\n,Nova,Discovery\n,,Pilot\n", &db());
    assert_eq!(p.new.len(), 2);
    assert_eq!(
        p.new[0].cells,
        [Some(t("Nova")), Some(t("Discovery")), None]
    );
    assert_eq!(p.errors.len(), 1);
    assert_eq!(
        (p.errors[0].data_row, p.errors[0].problem.clone()),
        (2, Problem::RequiredForNewRow)
    );
    let p = run("id,stage\n,Pilot\n", &db());
    assert_eq!(p.errors[0].column.as_deref(), Some("name"));
    assert!(!p.is_applicable());
}

#[test]
fn required_column_cannot_be_cleared() {
    let p = run("id,name\nC-1,  \n", &db());
    assert_eq!(p.errors[0].problem, Problem::RequiredCleared);
}

#[test]
fn unknown_and_duplicate_ids() {
    let p = run("id,stage\nC-9,x\nC-1,a\n\nC-1,b\n", &db());
    let got: Vec<_> = p
        .errors
        .iter()
        .map(|e| (e.data_row, e.line, e.problem.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (1, 2, Problem::UnknownId("C-9".into())),
            (
                4,
                5,
                Problem::DuplicateId {
                    id: "C-1".into(),
                    first_row: 2,
                    first_line: 3
                }
            ),
        ]
    );
}

#[test]
fn stale_rev_merges_three_ways() {
    // Base at rev 2: stage Pilot. Workspace now: Scale.
    let p = run("id,stage,_rev\nC-2,Pilot,2\n", &db());
    assert!(
        p.is_noop() && p.conflicts.is_empty(),
        "file kept the base: workspace edit stands"
    );
    let p = run("id,stage,_rev\nC-2,Scale,2\n", &db());
    assert!(
        p.is_noop() && p.conflicts.is_empty(),
        "both sides made the same edit"
    );
    let p = run("id,stage,name,_rev\nC-2,Paused,Beta2,2\n", &db());
    assert_eq!(p.conflicts.len(), 1);
    assert_eq!(p.conflicts[0].base, Some(t("Pilot")));
    assert_eq!(
        (
            p.conflicts[0].workspace.clone(),
            p.conflicts[0].file.clone()
        ),
        (t("Scale"), t("Paused"))
    );
    assert_eq!(
        p.changed[0].cells[0].name, "name",
        "only the file changed the name: taken"
    );
    assert!(!p.is_applicable());
}

#[test]
fn unknown_base_makes_every_difference_a_conflict() {
    let p = run("id,stage,_rev\nC-2,Paused,1\n", &db());
    assert_eq!(p.conflicts.len(), 1);
    assert_eq!(p.conflicts[0].base, None);
}

#[test]
fn rev_from_the_future_is_refused() {
    let p = run("id,stage,_rev\nC-1,x,7\n", &db());
    assert_eq!(
        p.errors[0].problem,
        Problem::RevAhead {
            file: 7,
            workspace: 1
        }
    );
}

#[test]
fn resolving_all_conflicts_makes_the_plan_applicable() {
    let mut p = run("id,stage,_rev\nC-2,Paused,2\n", &db());
    assert!(resolve(&mut p, Which::All, Resolution::TakeFile));
    assert!(p.is_applicable());
    assert_eq!(p.changed[0].cells[0].new, t("Paused"));
    assert_eq!(p.changed[0].expected_rev, 3);
    assert!(p.resolve(Which::One(0), Resolution::KeepWorkspace));
    assert!(p.is_applicable() && p.is_noop());
}

#[test]
fn delete_missing_lists_absent_ids_only_when_asked() {
    let parsed = parse("id,stage\nC-1,Discovery\n", &schema());
    assert!(plan(&parsed, &schema(), &db()).deleted.is_empty());
    let p = plan_with(
        &parsed,
        &schema(),
        &db(),
        PlanOptions {
            delete_missing: true,
        },
    );
    assert_eq!(p.deleted, ["C-2"]);
}

#[test]
fn workspace_settles_ambiguous_day_month_order() {
    // C-1 is stored as 2026-01-05: "01/05/2026" can only be that date month
    // first, so the column is month/day and C-2's date is March 4.
    let p = run("id,since\nC-1,01/05/2026\nC-2,03/04/2026\n", &db());
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.changed.len(), 1);
    assert_eq!(p.changed[0].cells[0].new, d(2026, 3, 4));
    // Without such a row the ambiguity stands.
    let p = run("id,since\nC-2,03/04/2026\n", &db());
    assert!(matches!(p.errors[0].problem, Problem::AmbiguousDate { .. }));
}

#[test]
fn invalid_ids_are_neither_new_nor_matched() {
    let p = run("id,stage\n1E5,x\n", &db());
    assert!(p.new.is_empty() && p.changed.is_empty());
    assert_eq!(p.errors.len(), 1);
}
