//! Importing one file: the preview (read-only, what `--dry-run` and the TUI
//! wizard show) and applying it as one batch.

use super::apply;
use super::existing::Workspace;
use super::prepare::prepare;
use super::rules::RowCtx;
use super::spec::{Conv, DATA_FIXED, Spec, spec};
use super::values::{Refs, empty_sql};
use super::{
    ImportOptions, InterchangeError, Kind, Outcome, Preview, Progress, RowError, is_rollback,
    rollback,
};
use crate::sheet::{Decoded, PlanOptions, Which, parse_decoded, plan_with};
use crate::store::{Store, StoreError};
use rusqlite::Connection;

/// The columns of `kind` as the workspace defines them now.
pub(crate) fn spec_in(conn: &Connection, kind: Kind) -> Result<Spec, InterchangeError> {
    let fields = if kind == Kind::Data {
        super::values::fields_in(conn)?
    } else {
        Vec::new()
    };
    if let Some(f) = fields.iter().find(|f| DATA_FIXED.contains(&f.key.as_str())) {
        return Err(InterchangeError::Refused(format!(
            "the data field key {} is also a column of the data sheet; rename the field first",
            f.key
        )));
    }
    Ok(spec(kind, &fields))
}

/// Parses `decoded` as `kind` and compares it with the workspace behind
/// `conn`; nothing is written.
pub(crate) fn plan_in(
    conn: &Connection,
    kind: Kind,
    source: &str,
    decoded: &Decoded,
    delete_missing: bool,
    progress: Progress<'_>,
) -> Result<Preview, InterchangeError> {
    let spec = spec_in(conn, kind)?;
    let schema = spec.schema();
    let mut parsed = parse_decoded(decoded, &schema);
    let rows = parsed.rows.len();
    progress("read", rows, rows);
    let refs = Refs::load(conn)?;
    let mut errors = Vec::new();
    let keep_ids = prepare(conn, &spec, &refs, &mut parsed, &mut errors)?;
    let workspace = Workspace::new(conn, &spec, &refs);
    let options = PlanOptions { delete_missing };
    let plan = plan_with(&parsed, &schema, &workspace, options);
    workspace.finish()?;
    progress("compared", rows, rows);
    errors.extend(plan.errors.iter().map(RowError::from));
    errors.extend(uneditable(&spec, &plan));
    let mut preview = Preview {
        kind,
        source: source.to_owned(),
        schema,
        encoding: parsed.encoding,
        delimiter: parsed.delimiter,
        columns: std::mem::take(&mut parsed.columns),
        rows,
        plan,
        errors,
        spec,
        keep_ids,
    };
    preview.sort_errors();
    Ok(preview)
}

/// Changes the store would refuse whatever the rest of the row says:
/// clearing a column that cannot be empty, editing the derived priority.
/// Found here so the preview shows them with the file's own errors.
pub(crate) fn uneditable(spec: &Spec, plan: &crate::sheet::ImportPlan) -> Vec<RowError> {
    let mut errors = Vec::new();
    for row in &plan.changed {
        for cell in &row.cells {
            let col = &spec.cols[cell.column];
            let reason = if col.conv == Conv::Priority {
                Some("priority is impact × uncertainty; change those instead".to_owned())
            } else if cell.new.is_empty() {
                empty_sql(col, false).err()
            } else {
                None
            };
            if let Some(reason) = reason {
                let mut e = RowError::at(row.data_row, row.line, Some(&col.header), reason);
                e.id = Some(row.id.clone());
                errors.push(e);
            }
        }
    }
    errors
}

impl Store {
    /// The CSV columns of `kind` (for a wizard to show what it expects).
    pub fn sheet_schema(&self, kind: Kind) -> Result<crate::sheet::Schema, InterchangeError> {
        Ok(spec_in(&self.conn, kind)?.schema())
    }

    /// What importing `decoded` as `kind` would do. Nothing is written;
    /// resolve conflicts on the preview, then [`Store::apply_import`] it.
    pub fn preview_import(
        &self,
        kind: Kind,
        source: &str,
        decoded: &Decoded,
        delete_missing: bool,
        progress: Progress<'_>,
    ) -> Result<Preview, InterchangeError> {
        plan_in(&self.conn, kind, source, decoded, delete_missing, progress)
    }

    /// Applies a preview as one batch. Every row passes the domain rules
    /// first; any refusal (added to `preview.errors`) or `dry_run` rolls
    /// the whole batch back. A record changed since the preview is refused.
    pub fn apply_import(
        &mut self,
        preview: &mut Preview,
        dry_run: bool,
        progress: Progress<'_>,
    ) -> Result<Outcome, InterchangeError> {
        if !preview.is_applicable() {
            return Ok(Outcome::Blocked);
        }
        if preview.plan.is_noop() {
            return Ok(Outcome::NoChanges);
        }
        if spec_in(&self.conn, preview.kind)? != preview.spec {
            return Err(InterchangeError::Refused(
                "the data fields changed since the preview; preview the file again".into(),
            ));
        }
        let actor = self.actor.clone();
        let label = format!("import {} from {}", preview.kind, preview.source);
        let mut found = Vec::new();
        let shown: &Preview = preview;
        let result = self.write(&label, |w| {
            let ctx = RowCtx::new(&actor, w.today());
            found = apply::upserts(w, shown, &ctx, progress)?;
            found.extend(apply::deletes(w, &shown.spec, &shown.plan.deleted)?);
            found.extend(ctx.unproven(w.tx())?);
            if found.is_empty() && !dry_run {
                Ok(())
            } else {
                Err(rollback())
            }
        });
        preview.errors.extend(found);
        preview.sort_errors();
        finish(result, preview.errors.is_empty())
    }

    /// Previews and applies one file in one go, as `concierge import` does:
    /// conflicts are settled by `options.resolution`.
    pub fn import(
        &mut self,
        kind: Kind,
        source: &str,
        decoded: &Decoded,
        options: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<(Preview, Outcome), InterchangeError> {
        let mut preview = self.preview_import(
            kind,
            source,
            decoded,
            options.delete_missing,
            &mut *progress,
        )?;
        if let Some(resolution) = options.resolution {
            preview.resolve(Which::All, resolution);
        }
        let outcome = self.apply_import(&mut preview, options.dry_run, progress)?;
        Ok((preview, outcome))
    }
}

/// The outcome of a `Store::write` that may have been rolled back on purpose.
pub(crate) fn finish(
    result: Result<(Option<i64>, ()), StoreError>,
    clean: bool,
) -> Result<Outcome, InterchangeError> {
    match result {
        Ok((Some(batch), ())) => Ok(Outcome::Applied(batch)),
        Ok((None, ())) => Ok(Outcome::NoChanges),
        Err(e) if is_rollback(&e) => Ok(if clean {
            Outcome::Checked
        } else {
            Outcome::Blocked
        }),
        Err(e) => Err(e.into()),
    }
}
