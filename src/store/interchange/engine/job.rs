//! One file of an import, ready to read: its kind's columns as the
//! workspace defines them now, and the surveyed stream of its rows.

use super::super::import::spec_in;
use super::super::{ImportOptions, InterchangeError, Kind, Preview, Totals};
use crate::interchange::spec::Spec;
use crate::sheet::{
    Encoding, ImportPlan, Input, Opened, Schema, SheetStream, Survey, decode, large_file_fault,
    open_input, transcode_to_utf8,
};
use crate::store::db::Db;
use std::collections::HashMap;
use std::io::Read as _;
use std::path::Path;

/// How much of a file's start is decoded to guess its encoding.
const GUESS_BYTES: u64 = 1 << 20;

/// A file of an import and its stream.
pub(crate) struct Job {
    pub kind: Kind,
    pub spec: Spec,
    pub schema: Schema,
    /// The file's name, for messages and the batch label.
    pub source: String,
    /// What the user named: applying a preview reads it again.
    pub origin: Input,
    /// Read as Windows-1252, as the user confirmed.
    pub windows_1252: bool,
    /// What is read: `origin`, or a UTF-8 copy of it.
    pub input: Input,
    /// The file's own encoding when `input` is a UTF-8 copy of it.
    pub encoding: Option<Encoding>,
    pub stream: SheetStream,
    /// The folder of the UTF-8 copy, removed when the job ends.
    _copy: Option<tempfile::TempDir>,
}

impl Job {
    /// Surveys `origin` as `kind`. UTF-8 streams as it is; UTF-16 with a
    /// byte-order mark, or Windows-1252 once confirmed, streams from a
    /// UTF-8 copy made chunk by chunk (memory stays bounded); a file that
    /// reads as Windows-1252 unconfirmed asks first, and anything else is
    /// refused with `decode`'s words for what is wrong and where.
    pub fn open(
        db: &Db,
        kind: Kind,
        source: &str,
        origin: Input,
        windows_1252: bool,
        survey: Survey,
    ) -> Result<Job, InterchangeError> {
        let spec = spec_in(db, kind)?;
        let schema = spec.schema();
        let label = label(&origin, source);
        let job = |input: Input, encoding, stream, copy| Job {
            kind,
            spec: spec.clone(),
            schema: schema.clone(),
            source: source.to_owned(),
            origin: origin.clone(),
            windows_1252,
            input,
            encoding,
            stream,
            _copy: copy,
        };
        if let Some(stream) = surveyed(&origin, &schema, &label, survey)? {
            return Ok(job(origin.clone(), None, stream, None));
        }
        let Input::File(path) = &origin else {
            return Err(InterchangeError::Refused(format!(
                "{source}: the text cannot be read"
            )));
        };
        if !windows_1252 && let Some(start) = guessed_windows_1252(path)? {
            return Err(InterchangeError::NeedsConfirmation {
                name: source.to_owned(),
                start: Box::new(start),
            });
        }
        let copy = tempfile::tempdir().map_err(cannot_read(&label))?;
        let to = copy.path().join("utf-8.csv");
        let converted = transcode_to_utf8(path, &to, windows_1252).map_err(cannot_read(&label))?;
        let utf8 = Input::File(to);
        if let Some(encoding) = converted
            && let Some(stream) = surveyed(&utf8, &schema, &label, survey)?
        {
            return Ok(job(utf8, Some(encoding), stream, Some(copy)));
        }
        let fault = large_file_fault(path)
            .map_err(cannot_read(&label))?
            .unwrap_or_else(|| "the file is not text in an encoding concierge reads".to_owned());
        Err(InterchangeError::Unreadable {
            name: source.to_owned(),
            fault,
        })
    }

    /// Surveys the file again, as `survey` says.
    pub fn reopen(&mut self, survey: Survey) -> Result<(), InterchangeError> {
        let label = label(&self.origin, &self.source);
        match surveyed(&self.input, &self.schema, &label, survey)? {
            Some(stream) => {
                self.stream = stream;
                Ok(())
            }
            None => Err(InterchangeError::Refused(format!(
                "{}: the file changed while it was being imported",
                self.source
            ))),
        }
    }

    /// Takes the kind's columns as the workspace behind `db` defines
    /// them now (an earlier file of the batch may have added data
    /// fields), surveying the file again if they changed.
    pub fn refresh(&mut self, db: &Db) -> Result<(), InterchangeError> {
        let spec = spec_in(db, self.kind)?;
        if spec != self.spec {
            self.schema = spec.schema();
            self.spec = spec;
            self.reopen(Survey::Whole)?;
        }
        Ok(())
    }

    /// The preview before any row is read: the file's header and mapping.
    pub fn preview(&self, options: ImportOptions) -> Preview {
        let sheet = &self.stream.sheet;
        Preview {
            kind: self.kind,
            source: self.source.clone(),
            schema: self.schema.clone(),
            encoding: self.encoding.or(sheet.encoding),
            delimiter: sheet.delimiter,
            columns: sheet.columns.clone(),
            rows: self.stream.records,
            plan: ImportPlan {
                unknown_columns: sheet.unknown_columns.clone(),
                ..ImportPlan::default()
            },
            errors: Vec::new(),
            totals: Totals::default(),
            resolved_all: options.resolution,
            keep_ids: HashMap::new(),
            input: self.origin.clone(),
            windows_1252: self.windows_1252,
            delete_missing: options.delete_missing,
            sample: options.sample,
            stamp: None,
        }
    }
}

/// How errors name what is read: a file by its path, text by its source.
fn label(origin: &Input, source: &str) -> String {
    match origin {
        Input::File(path) => path.display().to_string(),
        Input::Text { .. } => source.to_owned(),
    }
}

/// `input` surveyed, or `None` when it does not stream as UTF-8.
fn surveyed(
    input: &Input,
    schema: &Schema,
    label: &str,
    survey: Survey,
) -> Result<Option<SheetStream>, InterchangeError> {
    match open_input(input, schema, survey).map_err(cannot_read(label))? {
        Opened::ReadWhole => Ok(None),
        Opened::Stream(stream) => Ok(Some(*stream)),
    }
}

/// The refusal for a file that cannot be read.
fn cannot_read(label: &str) -> impl Fn(std::io::Error) -> InterchangeError {
    move |e| InterchangeError::Refused(format!("cannot read {label}: {e}"))
}

/// The start of a file decoded, when it reads as Windows-1252 (to ask
/// before importing it, without reading the whole file).
fn guessed_windows_1252(path: &Path) -> Result<Option<crate::sheet::Decoded>, InterchangeError> {
    let name = path.display().to_string();
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(GUESS_BYTES).read_to_end(&mut head))
        .map_err(cannot_read(&name))?;
    Ok(decode(&head).ok().filter(|d| d.needs_confirmation))
}
