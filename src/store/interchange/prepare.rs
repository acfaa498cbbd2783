//! Between parsing and planning: cells made canonical so they compare as
//! the store keeps them (trimmed names, normalised tags, references written
//! as exported), data rows without an id matched to their entry by customer
//! + recorded_on, and — into an empty table — the file's ids kept.

use super::existing::number;
use super::spec::{Conv, Spec};
use super::values::{Refs, normalise_tags};
use super::{Kind, RowError};
use crate::sheet::{ParsedRow, ParsedSheet, Problem, SheetError, Value};
use crate::store::Result;
use rusqlite::Connection;
use std::collections::HashMap;

/// Rewrites `parsed` in place; returns the ids new rows keep (data row →
/// (id, rev)) and pushes every problem to `errors`.
pub(crate) fn prepare(
    conn: &Connection,
    spec: &Spec,
    refs: &Refs,
    parsed: &mut ParsedSheet,
    errors: &mut Vec<RowError>,
) -> Result<HashMap<usize, (i64, i64)>> {
    canonicalise(conn, spec, refs, parsed, errors)?;
    let empty: bool = conn.query_row(
        &format!("SELECT NOT EXISTS (SELECT 1 FROM {})", spec.record.table()),
        [],
        |r| r.get(0),
    )?;
    if empty {
        return Ok(keep_ids(spec, parsed, errors));
    }
    if spec.kind == Kind::Data {
        match_entries(conn, refs, parsed)?;
    }
    Ok(HashMap::new())
}

fn canonicalise(
    conn: &Connection,
    spec: &Spec,
    refs: &Refs,
    parsed: &mut ParsedSheet,
    errors: &mut Vec<RowError>,
) -> Result<()> {
    for row in &mut parsed.rows {
        canonicalise_row(conn, spec, refs, row, errors)?;
    }
    Ok(())
}

/// Makes one row's text cells canonical (see the module doc).
pub(crate) fn canonicalise_row(
    conn: &Connection,
    spec: &Spec,
    refs: &Refs,
    row: &mut ParsedRow,
    errors: &mut Vec<RowError>,
) -> Result<()> {
    for (c, col) in spec.cols.iter().enumerate() {
        let Some(Some(Value::Text(text))) = row.cells.get_mut(c) else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        let fixed = match &col.conv {
            Conv::Text { trim: true, .. } => Ok(text.trim().to_owned()),
            Conv::Tags => Ok(normalise_tags(text)),
            Conv::Ref(kind) => refs
                .resolve(conn, *kind, text)?
                .map(|id| refs.show(*kind, id)),
            _ => continue,
        };
        match fixed {
            Ok(value) => *text = value,
            Err(reason) => {
                let mut error = RowError::at(row.data_row, row.line, Some(&col.header), reason);
                error.value = Some(text.clone());
                errors.push(error);
                row.cells[c] = None;
                row.has_errors = true;
            }
        }
    }
    Ok(())
}

/// Into an empty table every row is new; rows with an id keep it (and
/// their `_rev`), so a whole workspace can be moved without renumbering.
fn keep_ids(
    spec: &Spec,
    parsed: &mut ParsedSheet,
    errors: &mut Vec<RowError>,
) -> HashMap<usize, (i64, i64)> {
    let mut kept = HashMap::new();
    let mut seen: HashMap<i64, (usize, usize)> = HashMap::new();
    for row in &mut parsed.rows {
        let Some(id) = row.id.take() else {
            continue;
        };
        let Some(n) = number(spec, &id) else {
            let mut error = RowError::at(
                row.data_row,
                row.line,
                Some("id"),
                format!("{id} is not an id like {}12", spec.schema().id_prefix),
            );
            error.value = Some(id);
            errors.push(error);
            row.has_errors = true;
            continue;
        };
        if let Some(&(first_row, first_line)) = seen.get(&n) {
            let problem = Problem::DuplicateId {
                id: id.clone(),
                first_row,
                first_line,
            };
            errors.push(RowError::from(
                &SheetError::new(row.data_row, row.line, problem).in_column("id"),
            ));
            row.has_errors = true;
            continue;
        }
        seen.insert(n, (row.data_row, row.line));
        kept.insert(row.data_row, (n, row.rev.unwrap_or(1).max(1)));
    }
    kept
}

/// Data rows without an id update the entry of their customer and day.
fn match_entries(conn: &Connection, refs: &Refs, parsed: &mut ParsedSheet) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM entries WHERE customer_id = ?1 AND recorded_on = ?2")?;
    for row in &mut parsed.rows {
        if row.id.is_some() || row.id_invalid {
            continue;
        }
        let (Some(Some(Value::Text(customer))), Some(Some(Value::Date(day)))) =
            (row.cells.first(), row.cells.get(1))
        else {
            continue;
        };
        let Some(customer) = refs.customer_id(customer) else {
            continue;
        };
        let mut ids = stmt.query_map(rusqlite::params![customer, day.to_string()], |r| {
            r.get::<_, i64>(0)
        })?;
        if let Some(id) = ids.next().transpose()? {
            row.id = Some(format!("E-{id}"));
        }
    }
    Ok(())
}
