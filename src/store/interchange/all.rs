//! `import all`: every kind's file in one transaction and one batch,
//! through the one engine. Kinds are read in reference order (fields,
//! customers, backlog, check-ins, follow-ups, evidence, data), each against
//! the workspace as the earlier files left it inside the transaction, so a
//! check-in can name a customer that the customers file creates. Deletions
//! (`--delete-missing`) run last, in the reverse order; a decided item's
//! evidence may come from a later file. Any error rolls everything back.

use super::engine::{Job, Resolutions};
use super::import::{file_name, text_input};
use super::{ImportOptions, InterchangeError, Kind, Outcome, Preview, Progress};
use crate::sheet::{Decoded, Input, Survey};
use crate::store::Store;
use std::path::Path;

/// One file of an `import all`.
#[derive(Debug, Clone)]
pub struct Source {
    pub kind: Kind,
    /// The file name, for messages and the batch label.
    pub name: String,
    pub input: Input,
}

impl Source {
    /// The file at `path`, read as a stream.
    pub fn file(kind: Kind, path: &Path) -> Self {
        Source {
            kind,
            name: file_name(path),
            input: Input::File(path.to_path_buf()),
        }
    }

    /// Text already decoded.
    pub fn decoded(kind: Kind, name: &str, decoded: &Decoded) -> Self {
        Source {
            kind,
            name: name.to_owned(),
            input: text_input(decoded),
        }
    }
}

impl Store {
    /// Imports several kinds as one batch (see the module doc). Returns a
    /// preview per file read; reading stops at the first file that cannot
    /// be applied, since later files would only repeat its errors.
    pub fn import_all(
        &mut self,
        label: &str,
        sources: &[Source],
        options: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<(Vec<Preview>, Outcome), InterchangeError> {
        let mut ordered: Vec<&Source> = sources.iter().collect();
        ordered.sort_by_key(|s| Kind::ALL.iter().position(|k| *k == s.kind));
        // Each file is surveyed whole before any is written: a file read
        // again after others were written would have to undo them too.
        let mut jobs = Vec::with_capacity(ordered.len());
        for source in ordered {
            let job = Job::open(
                self.db(),
                source.kind,
                &source.name,
                source.input.clone(),
                options.windows_1252,
                Survey::Whole,
            )?;
            jobs.push(job);
        }
        let label = format!("import all from {label}");
        self.run_import(&label, &mut jobs, options, &Resolutions::new(), progress)
    }
}
