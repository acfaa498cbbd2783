//! The workspace as the sheet planner sees it: [`Existing`] over one
//! record kind, reading through any connection (the store's own, or the
//! transaction of an `import all` that has already written earlier kinds).

use super::values::{Refs, all_ids, at_rev, load, to_values};
use crate::domain::RecordKey;
use crate::interchange::spec::Spec;
use crate::sheet::{Existing, Value};
use crate::store::StoreError;
use crate::store::db::Db;
use std::cell::RefCell;

/// [`Existing`] for one kind. The trait cannot fail, so the first database
/// error is kept and reported by [`Workspace::finish`].
pub(crate) struct Workspace<'a> {
    db: &'a Db,
    spec: &'a Spec,
    refs: &'a Refs,
    error: RefCell<Option<StoreError>>,
}

impl<'a> Workspace<'a> {
    pub fn new(db: &'a Db, spec: &'a Spec, refs: &'a Refs) -> Self {
        Workspace {
            db,
            spec,
            refs,
            error: RefCell::new(None),
        }
    }

    /// The first database error met while planning, if any.
    pub fn finish(self) -> Result<(), StoreError> {
        match self.error.into_inner() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn keep<T>(&self, result: Result<Option<T>, StoreError>) -> Option<T> {
        match result {
            Ok(value) => value,
            Err(e) => {
                self.error.borrow_mut().get_or_insert(e);
                None
            }
        }
    }
}

/// The number in a display key of this kind (`C-12` → 12).
pub(crate) fn number(spec: &Spec, id: &str) -> Option<i64> {
    RecordKey::parse(id)
        .filter(|k| k.kind == spec.record)
        .map(|k| k.id)
}

impl Existing for Workspace<'_> {
    fn current(&self, id: &str) -> Option<(i64, Vec<Value>)> {
        let n = number(self.spec, id)?;
        let record = self.keep(load(self.db, self.spec, n))?;
        Some((record.rev, to_values(self.spec, &record, self.refs)))
    }

    fn at_rev(&self, id: &str, rev: i64) -> Option<Vec<Value>> {
        let n = number(self.spec, id)?;
        let record = self.keep(load(self.db, self.spec, n))?;
        let then = self.keep(at_rev(self.db, record, self.spec.record.table(), rev))?;
        Some(to_values(self.spec, &then, self.refs))
    }

    fn ids(&self) -> Vec<String> {
        let ids = self.keep(all_ids(self.db, self.spec.record.table()).map(Some));
        ids.unwrap_or_default()
            .into_iter()
            .map(|n| RecordKey::new(self.spec.record, n).to_string())
            .collect()
    }
}
