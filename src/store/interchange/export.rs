//! Exports: one kind (all of it, or a pane's filtered view in its order),
//! live data wide or long, and `export all` into a folder. Rows stream from
//! the database to the writer, so memory does not grow with the table.

use super::import::spec_in;
use super::values::{Record, Refs, load, record_from, to_values};
use super::{InterchangeError, Kind, Progress};
use crate::interchange::spec::{Conv, Spec};
use crate::sheet::cell::text::needs_apostrophe;
use crate::sheet::{ExportOptions, ExportWarning, Value, write_atomically, write_csv};
use crate::store::db::{Db, args};
use crate::store::{ListQuery, Store};
use std::io::Write;
use std::path::{Path, PathBuf};

mod table;

/// How live data is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Layout {
    /// `id, customer, recorded_on, <field keys…>, _rev`: the sheet as kept.
    #[default]
    Wide,
    /// `id, customer, recorded_on, field, value`: one row per value.
    Long,
}

/// What one export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    pub kind: Kind,
    pub rows: usize,
    /// Set when written to a file.
    pub path: Option<PathBuf>,
    /// Cells longer than a spreadsheet keeps.
    pub warnings: Vec<ExportWarning>,
}

/// How often progress is reported, in rows.
const TICK: usize = 5000;

impl Store {
    /// Writes `kind` as CSV to `out`: every record by id, or the records a
    /// pane's `query` lists, in its order (customers, backlog, check-ins;
    /// for live data the query's filter is the Data grid's, newest first).
    pub fn export(
        &self,
        kind: Kind,
        query: Option<&ListQuery>,
        layout: Layout,
        options: ExportOptions,
        out: &mut dyn Write,
        progress: Progress<'_>,
    ) -> Result<ExportSummary, InterchangeError> {
        let spec = spec_in(self.db(), kind)?;
        let refs = Refs::load(self.db())?;
        let ids = match (query, kind.list()) {
            (None, _) => None,
            (Some(q), Some(list)) => Some(self.list_ids(list, q)?),
            // Live data: the Data grid's filter, in its default order.
            (Some(q), None) if kind == Kind::Data => {
                Some(self.grid_ids(&crate::store::GridQuery {
                    filter: q.filter.clone(),
                    sort: crate::store::GridSort::Newest,
                })?)
            }
            (Some(_), None) => {
                return Err(InterchangeError::Refused(format!(
                    "{kind} has no list view to filter; export all of it"
                )));
            }
        };
        let total = if let Some(ids) = &ids {
            ids.len()
        } else {
            let n: i64 = self.db().value(
                &format!("SELECT count(*) FROM {}", spec.record.table()),
                args![],
            )?;
            usize::try_from(n).unwrap_or_default()
        };
        if ids.is_none() && !(kind == Kind::Data && layout == Layout::Long) {
            let (count, warnings) =
                table::write_table(self.db(), &spec, &refs, out, options, total, progress)?;
            if total >= TICK {
                progress("exported", count, total);
            }
            return Ok(ExportSummary {
                kind,
                rows: count,
                path: None,
                warnings,
            });
        }
        let mut failure = None;
        let mut count = 0usize;
        let records = stream(self.db(), &spec, ids, &mut failure).inspect(|_| {
            count += 1;
            if count.is_multiple_of(TICK) {
                progress("exported", count, total);
            }
        });
        let warnings = if kind == Kind::Data && layout == Layout::Long {
            write_long(out, &spec, &refs, records, options)?;
            Vec::new()
        } else {
            let schema = spec.schema();
            let rows = records.map(|r| (key(&spec, r.id), to_values(&spec, &r, &refs), r.rev));
            write_csv(out, &schema, rows, options)?
        };
        if let Some(e) = failure {
            return Err(e);
        }
        if total >= TICK {
            progress("exported", count, total);
        }
        Ok(ExportSummary {
            kind,
            rows: count,
            path: None,
            warnings,
        })
    }

    /// [`Store::export`] to a file, through a temporary file and a rename.
    pub fn export_to(
        &self,
        kind: Kind,
        query: Option<&ListQuery>,
        layout: Layout,
        options: ExportOptions,
        path: &Path,
        progress: Progress<'_>,
    ) -> Result<ExportSummary, InterchangeError> {
        let mut failure = None;
        let written = write_atomically(path, self.file(), |out| {
            self.export(kind, query, layout, options, out, &mut *progress)
                .map_err(|e| match e {
                    InterchangeError::Write(w) => w,
                    other => {
                        let message = other.to_string();
                        failure = Some(other);
                        crate::sheet::WriteError::Io(std::io::Error::other(message))
                    }
                })
        });
        match (written, failure) {
            (_, Some(e)) => Err(e),
            (Err(e), None) => Err(e.into()),
            (Ok(mut summary), None) => {
                summary.path = Some(path.to_path_buf());
                Ok(summary)
            }
        }
    }

    /// Every kind into `dir` (created if needed), one `NAME.csv` each; live
    /// data in the long layout goes to `data-long.csv` (import reads wide).
    pub fn export_all(
        &self,
        dir: &Path,
        layout: Layout,
        options: ExportOptions,
        progress: Progress<'_>,
    ) -> Result<Vec<ExportSummary>, InterchangeError> {
        let like = self.file().unwrap_or_else(|| Path::new(""));
        crate::sheet::create_dir_like(dir, like).map_err(|e| {
            crate::store::StoreError::Refused(format!(
                "cannot create the folder {}: {}",
                dir.display(),
                crate::sheet::os_reason(&e)
            ))
        })?;
        let mut done = Vec::new();
        for kind in Kind::ALL {
            let name = if kind == Kind::Data && layout == Layout::Long {
                "data-long.csv".to_owned()
            } else {
                kind.file_name()
            };
            let path = dir.join(name);
            done.push(self.export_to(kind, None, layout, options, &path, &mut *progress)?);
        }
        Ok(done)
    }
}

fn key(spec: &Spec, id: i64) -> String {
    crate::domain::RecordKey::new(spec.record, id).to_string()
}

/// Records of `spec` in id order, or the given ids in their order. The
/// first database error ends the stream and is left in `failure`.
fn stream<'a>(
    db: &'a Db,
    spec: &'a Spec,
    ids: Option<Vec<i64>>,
    failure: &'a mut Option<InterchangeError>,
) -> Box<dyn Iterator<Item = Record> + 'a> {
    if let Some(ids) = ids {
        let mut ids = ids.into_iter();
        return Box::new(std::iter::from_fn(move || {
            loop {
                let id = ids.next()?;
                match load(db, spec, id) {
                    Ok(Some(record)) => return Some(record),
                    Ok(None) => {}
                    Err(e) => {
                        *failure = Some(e.into());
                        return None;
                    }
                }
            }
        }));
    }
    let names: Vec<String> = spec.sql_columns().into_iter().map(str::to_owned).collect();
    let mut last = 0i64;
    // Keyset pages keep no statement open across rows (and so no borrow
    // of it), at the cost of one query per page.
    let mut page: std::vec::IntoIter<Record> = Vec::new().into_iter();
    Box::new(std::iter::from_fn(move || {
        if let Some(record) = page.next() {
            return Some(record);
        }
        match read_page(db, spec, &names, last) {
            Ok(records) => {
                last = records.last()?.id;
                page = records.into_iter();
                page.next()
            }
            Err(e) => {
                *failure = Some(e);
                None
            }
        }
    }))
}

const PAGE: i64 = 2000;

fn read_page(
    db: &Db,
    spec: &Spec,
    names: &[String],
    after: i64,
) -> Result<Vec<Record>, InterchangeError> {
    let sql = format!(
        "SELECT id, rev{}{} FROM {} WHERE id > ?1 ORDER BY id LIMIT {PAGE}",
        if names.is_empty() { "" } else { ", " },
        names.join(", "),
        spec.record.table()
    );
    Ok(db.query_map(&sql, args![after], |r| record_from(r, names))?)
}

/// `id, customer, recorded_on, field, value`: one row per stored value,
/// fields in display order. Text is escaped like every export.
fn write_long(
    out: &mut dyn Write,
    spec: &Spec,
    refs: &Refs,
    records: impl Iterator<Item = Record>,
    options: ExportOptions,
) -> Result<(), InterchangeError> {
    let mut writer = crate::sheet::csv_writer(out, options)?;
    let csv_error = |e: csv::Error| InterchangeError::Write(e.into());
    writer
        .write_record(["id", "customer", "recorded_on", "field", "value"])
        .map_err(csv_error)?;
    for record in records {
        let values = to_values(spec, &record, refs);
        let id = key(spec, record.id);
        let customer = cell(&values[0]);
        let day = cell(&values[1]);
        for (col, value) in spec.cols.iter().zip(&values).skip(2) {
            if value.is_empty() || col.conv == Conv::Priority {
                continue;
            }
            writer
                .write_record([id.as_str(), &customer, &day, &col.header, &cell(value)])
                .map_err(csv_error)?;
        }
    }
    writer.flush().map_err(crate::sheet::WriteError::Io)?;
    Ok(())
}

/// A value as written: text that a spreadsheet would run gets the apostrophe.
fn cell(value: &Value) -> String {
    match value {
        Value::Text(s) if needs_apostrophe(s) => format!("'{s}"),
        other => other.to_csv_string(),
    }
}
