//! `import all`: every kind's file in one transaction and one batch. Kinds
//! are planned and applied in reference order (fields, customers, backlog,
//! check-ins, follow-ups, evidence, data), each against the workspace as
//! the earlier files left it inside the transaction, so a check-in can name
//! a customer that the customers file creates. Deletions (`--delete-missing`)
//! run last, in the reverse order. Any error rolls everything back.

use super::import::{finish, plan_in};
use super::rules::RowCtx;
use super::{ImportOptions, InterchangeError, Kind, Outcome, Preview, Progress, apply, rollback};
use crate::sheet::{Decoded, Which};
use crate::store::Store;

/// One file of an `import all`.
#[derive(Debug, Clone)]
pub struct Source {
    pub kind: Kind,
    /// The file name, for messages and the batch label.
    pub name: String,
    pub decoded: Decoded,
}

impl Store {
    /// Imports several kinds as one batch (see the module doc). Returns a
    /// preview per file planned; planning stops at the first file that
    /// cannot be applied, since later files would only repeat its errors.
    pub fn import_all(
        &mut self,
        label: &str,
        sources: &[Source],
        options: ImportOptions,
        progress: Progress<'_>,
    ) -> Result<(Vec<Preview>, Outcome), InterchangeError> {
        let mut ordered: Vec<&Source> = sources.iter().collect();
        ordered.sort_by_key(|s| Kind::ALL.iter().position(|k| *k == s.kind));
        let actor = self.actor.clone();
        let mut previews: Vec<Preview> = Vec::new();
        let mut failure: Option<InterchangeError> = None;
        let mut clean = true;
        let result = self.write(&format!("import all from {label}"), |w| {
            let ctx = RowCtx::new(&actor, w.today());
            for source in &ordered {
                let planned = plan_in(
                    w.tx(),
                    source.kind,
                    &source.name,
                    &source.decoded,
                    options.delete_missing,
                    &mut *progress,
                );
                let mut preview = match planned {
                    Ok(p) => p,
                    Err(e) => {
                        failure = Some(e);
                        return Err(rollback());
                    }
                };
                if let Some(resolution) = options.resolution {
                    preview.resolve(Which::All, resolution);
                }
                if preview.is_applicable() {
                    let found = apply::upserts(w, &preview, &ctx, &mut *progress)?;
                    preview.errors.extend(found);
                    preview.sort_errors();
                }
                clean &= preview.is_applicable();
                previews.push(preview);
                if !clean {
                    return Err(rollback());
                }
            }
            for preview in previews.iter_mut().rev() {
                let found = apply::deletes(w, &preview.spec, &preview.plan.deleted)?;
                clean &= found.is_empty();
                preview.errors.extend(found);
            }
            // A decided item's evidence may come in a later file.
            let unproven = ctx.unproven(w.tx())?;
            if !unproven.is_empty() {
                clean = false;
                if let Some(p) = previews.iter_mut().find(|p| p.kind == Kind::Backlog) {
                    p.errors.extend(unproven);
                    p.sort_errors();
                }
            }
            if clean && !options.dry_run {
                Ok(())
            } else {
                Err(rollback())
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        let outcome = finish(result, clean)?;
        Ok((previews, outcome))
    }
}
