//! Writing one planned row inside the batch: per-cell updates guarded by
//! the rev the plan saw, inserts (keeping the file's id into an empty
//! table), and deletions only when asked for. Every row passes the domain rules first;
//! each refusal becomes a [`RowError`] and the caller rolls everything back.

use super::existing::number;
use super::rules::{self, RowCtx};
use super::values::{Record, Refs, empty_sql, to_sql};
use super::{Kind, RowError};
use crate::domain::{RecordKey, RecordKind};
use crate::interchange::spec::{Col, Conv, Spec};
use crate::sheet::Value;
use crate::sheet::{ChangedRow, NewRow};
use crate::store::db::{Db, args};
use crate::store::{Result, StoreError, StoredValue as Sql, Writer};

/// Applies one changed record (`before`: as stored now, `None` if gone),
/// pushing its refusals to `errors`.
pub(crate) fn changed(
    w: &mut Writer<'_>,
    spec: &Spec,
    refs: &Refs,
    ctx: &RowCtx<'_>,
    row: &ChangedRow,
    before: Option<Record>,
    errors: &mut Vec<RowError>,
) -> Result<()> {
    let fail = |column: Option<&str>, reason: String| {
        let mut e = RowError::at(row.data_row, row.line, column, reason);
        e.id = Some(row.id.clone());
        e
    };
    let Some(before) = before else {
        errors.push(fail(
            None,
            format!("{} was deleted since the preview", row.id),
        ));
        return Ok(());
    };
    if before.rev != row.expected_rev {
        errors.push(fail(
            None,
            format!(
                "{} changed since the preview (rev {} → {}); import the file again",
                row.id, row.expected_rev, before.rev
            ),
        ));
        return Ok(());
    }
    let mut rec = before.clone();
    let mut ok = true;
    for cell in &row.cells {
        let col = &spec.cols[cell.column];
        match cell_sql(w.db(), col, &cell.new, refs, false)? {
            Ok(Some(value)) => rec.set(&col.sql, value),
            Ok(None) => {}
            Err(reason) => {
                let mut e = fail(Some(&col.header), reason);
                e.value = Some(cell.new.to_csv_string());
                errors.push(e);
                ok = false;
            }
        }
    }
    if !ok {
        return Ok(());
    }
    let checked = rules::check(w.db(), spec, Some(&before), &mut rec, ctx)?;
    if !checked.problems.is_empty() {
        let problems = checked.problems.into_iter();
        errors.extend(problems.map(|(c, r)| fail(Some(&c), r)));
        return Ok(());
    }
    match w.update(spec.record, rec.id, Some(row.expected_rev), &rec.row()) {
        Ok(_) => {
            if let Some(status) = checked.decides {
                ctx.decided(rec.id, false, status, fail(Some("status"), String::new()));
            }
        }
        Err(e) => errors.push(fail(None, refusal(w.db(), e)?)),
    }
    Ok(())
}

/// Applies one new record, under the file's (id, rev) when `kept`, logged
/// as one packed change row; pushes its refusals to `errors`.
pub(crate) fn new(
    w: &mut Writer<'_>,
    spec: &Spec,
    refs: &Refs,
    ctx: &RowCtx<'_>,
    row: &NewRow,
    kept: Option<(i64, i64)>,
    errors: &mut Vec<RowError>,
) -> Result<()> {
    let fail = |column: Option<&str>, reason: String| {
        let mut e = RowError::at(row.data_row, row.line, column, reason);
        e.id = kept.map(|(id, _)| RecordKey::new(spec.record, id).to_string());
        e
    };
    let mut rec = Record {
        id: kept.map_or(0, |(id, _)| id),
        rev: 1,
        names: Vec::new(),
        values: Vec::new(),
    };
    let mut ok = true;
    for (c, col) in spec.cols.iter().enumerate() {
        if col.sql.is_empty() {
            continue;
        }
        let value = row.cells.get(c).cloned().flatten().unwrap_or(Value::Null);
        match cell_sql(w.db(), col, &value, refs, true)? {
            Ok(value) => rec.set(&col.sql, value.unwrap_or(Sql::Null)),
            Err(reason) => {
                errors.push(fail(Some(&col.header), reason));
                ok = false;
            }
        }
    }
    if !ok {
        return Ok(());
    }
    let checked = rules::check(w.db(), spec, None, &mut rec, ctx)?;
    if !checked.problems.is_empty() {
        let problems = checked.problems.into_iter();
        errors.extend(problems.map(|(c, r)| fail(Some(&c), r)));
        return Ok(());
    }
    let values: Vec<(String, Sql)> = rec
        .row()
        .into_iter()
        .filter(|(_, v)| *v != Sql::Null)
        .collect();
    let written = w.insert_packed(
        spec.record,
        kept.map(|(id, _)| id),
        &values,
        kept.map_or(1, |(_, rev)| rev),
    );
    match written {
        Ok(id) if spec.kind == Kind::Fields => {
            crate::store::fields::after_restore(w, RecordKind::Field, id)?;
        }
        Ok(id) => {
            if let Some(status) = checked.decides {
                let mut at = fail(Some("status"), String::new());
                at.id = Some(RecordKey::new(spec.record, id).to_string());
                ctx.decided(id, true, status, at);
            }
        }
        Err(e) => errors.push(fail(None, refusal(w.db(), e)?)),
    }
    Ok(())
}

/// What a non-empty or empty cell stores (`Ok(None)`: the rules derive it).
pub(crate) fn cell_sql(
    db: &Db,
    col: &Col,
    value: &Value,
    refs: &Refs,
    is_new: bool,
) -> Result<std::result::Result<Option<Sql>, String>> {
    if value.is_empty() && col.conv != Conv::Priority {
        return Ok(empty_sql(col, is_new));
    }
    Ok(to_sql(db, col, value, refs)?.map(Some))
}

/// A store refusal as a row problem; failures of the database itself
/// (locked, read-only, I/O) stop the import instead. So does anything a
/// server refused (a role's trigger, a constraint): a failed statement
/// ends the server's transaction, so the import stops with the server's
/// own sentence and writes nothing. What the writer refuses before any
/// statement fails (a stale rev, a record gone, an invalid value) stays a
/// row problem on both engines.
pub(crate) fn refusal(db: &Db, e: StoreError) -> Result<String> {
    match e {
        StoreError::Locked
        | StoreError::ReadOnly
        | StoreError::Io(_)
        | StoreError::NewerSchema { .. } => Err(e),
        StoreError::Conflict { .. } | StoreError::NotFound(_) | StoreError::Invalid(_) => {
            Ok(e.to_string())
        }
        other if db.postgres().is_some() => Err(other),
        other => Ok(other.to_string()),
    }
}

/// Deletes the records absent from the file (`--delete-missing`), with
/// what goes with them as the app's own deletes do; refusals are returned.
pub(crate) fn deletes(w: &mut Writer<'_>, spec: &Spec, ids: &[String]) -> Result<Vec<RowError>> {
    let mut errors = Vec::new();
    for key in ids {
        let fail = |reason: String| RowError {
            data_row: 0,
            line: 0,
            id: Some(key.clone()),
            column: None,
            value: None,
            reason: format!("not in the file, so it would be deleted, but {reason}"),
        };
        let Some(id) = number(spec, key) else {
            continue;
        };
        let refused = match spec.kind {
            Kind::Fields => {
                Some("fields are never deleted by an import; set archived to true".to_owned())
            }
            Kind::Customers => crate::store::customers::delete_refusal_in(w.db(), id)?,
            _ => None,
        };
        if let Some(reason) = refused {
            errors.push(fail(reason));
            continue;
        }
        let result = match spec.kind {
            Kind::Backlog => delete_links(w, "item_id", id),
            Kind::CheckIns => {
                delete_links(w, "checkin_id", id).and_then(|()| unlink_followups(w, id))
            }
            _ => Ok(()),
        }
        .and_then(|()| w.delete(spec.record, id, None));
        if let Err(e) = result {
            errors.push(fail(refusal(w.db(), e)?));
        }
    }
    Ok(errors)
}

fn ids_where(db: &Db, table: &str, column: &str, id: i64) -> Result<Vec<i64>> {
    db.query_map(
        &format!("SELECT id FROM {table} WHERE {column} = ?1 ORDER BY id"),
        args![id],
        |r| r.get(0),
    )
}

fn delete_links(w: &mut Writer<'_>, column: &str, id: i64) -> Result<()> {
    for link in ids_where(w.db(), "evidence", column, id)? {
        w.delete(RecordKind::Evidence, link, None)?;
    }
    Ok(())
}

fn unlink_followups(w: &mut Writer<'_>, checkin: i64) -> Result<()> {
    for f in ids_where(w.db(), "followups", "checkin_id", checkin)? {
        w.update(
            RecordKind::FollowUp,
            f,
            None,
            &vec![("checkin_id".to_owned(), Sql::Null)],
        )?;
    }
    Ok(())
}
