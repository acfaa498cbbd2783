//! Importing one file through the engine: the preview (a dry run, what
//! `--dry-run` and the TUI wizard show), applying a preview, and importing
//! in one go, from decoded text or from a file of any size.

use super::engine::{Job, Resolutions};
use super::values::empty_sql;
use super::{
    ImportOptions, InterchangeError, Kind, Outcome, Preview, Progress, RowError, Sample,
    is_rollback,
};
use crate::interchange::spec::{Conv, DATA_FIXED, Spec, spec};
use crate::sheet::{Decoded, Input, START_BYTES, Survey};
use crate::store::db::Db;
use crate::store::{Store, StoreError};
use std::path::Path;

/// The columns of `kind` as the workspace defines them now.
pub(crate) fn spec_in(db: &Db, kind: Kind) -> Result<Spec, InterchangeError> {
    let fields = if kind == Kind::Data {
        super::values::fields_in(db)?
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
        Ok(spec_in(self.db(), kind)?.schema())
    }

    /// What importing `decoded` as `kind` would do: the engine's dry run,
    /// listing everything. Resolve conflicts on the preview, then
    /// [`Store::apply_import`] it.
    pub fn preview_import(
        &mut self,
        kind: Kind,
        source: &str,
        decoded: &Decoded,
        delete_missing: bool,
        progress: Progress<'_>,
    ) -> Result<Preview, InterchangeError> {
        let options = ImportOptions {
            delete_missing,
            dry_run: true,
            ..ImportOptions::default()
        };
        let (preview, _) = self.import(kind, source, decoded, options, progress)?;
        Ok(preview)
    }

    /// What importing the file at `path` as `kind` would do (a dry run
    /// with `options`), listing what `options.sample` allows.
    pub fn preview_file(
        &mut self,
        kind: Kind,
        path: &Path,
        options: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<Preview, InterchangeError> {
        let options = ImportOptions {
            dry_run: true,
            ..options
        };
        let (preview, _) = self.import_file(kind, path, options, progress)?;
        Ok(preview)
    }

    /// Applies a preview as one batch: the engine reads its file again,
    /// settling every conflict as the preview says (each listed one as
    /// chosen, the rest as `resolved_all`), and `preview` becomes what it
    /// found. Any refusal or `dry_run` rolls the whole batch back. A
    /// workspace changed since the preview is refused: preview again.
    pub fn apply_import(
        &mut self,
        preview: &mut Preview,
        dry_run: bool,
        progress: Progress<'_>,
    ) -> Result<Outcome, InterchangeError> {
        if !preview.is_applicable() {
            return Ok(Outcome::Blocked);
        }
        if preview.is_noop() {
            return Ok(Outcome::NoChanges);
        }
        if preview.stamp.is_some() && preview.stamp != self.data_stamp().ok() {
            return Err(InterchangeError::Refused(
                "the workspace changed since the preview; preview the file again".into(),
            ));
        }
        let options = ImportOptions {
            delete_missing: preview.delete_missing,
            resolution: preview.resolved_all,
            dry_run,
            sample: preview.sample,
            windows_1252: preview.windows_1252,
        };
        let each: Resolutions = preview
            .plan
            .conflicts
            .iter()
            .filter_map(|c| Some(((c.id.clone(), c.column), c.resolution?)))
            .collect();
        let (fresh, outcome) = self.import_input(
            preview.kind,
            &preview.source.clone(),
            preview.input.clone(),
            options,
            &each,
            START,
            progress,
        )?;
        *preview = fresh;
        Ok(outcome)
    }

    /// Imports `decoded` as `kind` in one go, as `concierge import` does:
    /// conflicts are settled by `options.resolution`; everything is listed.
    pub fn import(
        &mut self,
        kind: Kind,
        source: &str,
        decoded: &Decoded,
        options: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<(Preview, Outcome), InterchangeError> {
        let options = ImportOptions {
            sample: Sample::ALL,
            ..options
        };
        let input = text_input(decoded);
        self.import_input(
            kind,
            source,
            input,
            options,
            &Resolutions::new(),
            START,
            progress,
        )
    }

    /// Imports the file at `path` as `kind`, streaming it whatever its
    /// size or encoding (see `engine.rs`).
    pub fn import_file(
        &mut self,
        kind: Kind,
        path: &Path,
        options: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<(Preview, Outcome), InterchangeError> {
        self.import_file_surveying(kind, path, options, progress, START)
    }

    /// [`Store::import_file`], surveying the file as `survey` says before
    /// the first row is written: only its start, by default, and all of
    /// it when the rows read show the rest differs.
    pub fn import_file_surveying(
        &mut self,
        kind: Kind,
        path: &Path,
        options: ImportOptions,
        progress: Progress<'_>,
        survey: Survey,
    ) -> Result<(Preview, Outcome), InterchangeError> {
        let input = Input::File(path.to_path_buf());
        self.import_input(
            kind,
            &file_name(path),
            input,
            options,
            &Resolutions::new(),
            survey,
            progress,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn import_input(
        &mut self,
        kind: Kind,
        source: &str,
        input: Input,
        options: ImportOptions,
        each: &Resolutions,
        survey: Survey,
        progress: Progress<'_>,
    ) -> Result<(Preview, Outcome), InterchangeError> {
        let job = Job::open(self.db(), kind, source, input, options.windows_1252, survey)?;
        if job.stream.surveyed_whole() {
            progress("read", job.stream.records, job.stream.records);
        }
        let label = format!("import {kind} from {source}");
        let (mut previews, outcome) =
            self.run_import(&label, &mut [job], options, each, progress)?;
        let preview = previews.pop().ok_or_else(|| {
            InterchangeError::Refused(format!("{source}: the import stopped early"))
        })?;
        Ok((preview, outcome))
    }
}

/// Survey only the start of a file before its first row is written.
const START: Survey = Survey::Start(START_BYTES);

/// Decoded text as an engine input.
pub(crate) fn text_input(decoded: &Decoded) -> Input {
    Input::Text {
        text: decoded.text.as_str().into(),
        encoding: decoded.encoding,
    }
}

/// The file name of `path`, for messages and the batch label.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
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
