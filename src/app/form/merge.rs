//! A form saved against a newer rev, merged per field three ways with the
//! importer's rule (`sheet::merge_cell`): the base is the form as it
//! opened, "theirs" the form as it would open on the stored record now.
//! Fields only they changed take their value, fields only you changed keep
//! yours, and only fields both changed differently are conflicts.

use super::Form;
use crate::sheet::{CellMerge, merge_cell};

/// What merging found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// Fields whose stored (their) value was taken, by name.
    pub taken: Vec<&'static str>,
    /// Fields both sides changed differently: (name, theirs, yours).
    pub conflicts: Vec<(&'static str, String, String)>,
}

impl Form {
    /// Merges `theirs` into this form (see the module doc). Afterwards the
    /// form's base is `theirs`: a later save compares against it.
    pub fn merge(&mut self, theirs: &Form) -> Merged {
        let mut merged = Merged::default();
        for (i, base) in self.original.iter().enumerate() {
            let Some(field) = self.fields.get(i) else {
                continue;
            };
            let Some(their_field) = theirs.field(field.name) else {
                continue;
            };
            let (mine, their_value) = (field.value(), their_field.value());
            match merge_cell(Some(base), &mine, &their_value) {
                CellMerge::Same | CellMerge::TakeMine => {}
                CellMerge::KeepTheirs => {
                    merged.taken.push(field.name);
                    self.fields[i] = their_field.clone();
                }
                CellMerge::Conflict => merged.conflicts.push((field.name, their_value, mine)),
            }
        }
        self.original = self
            .fields
            .iter()
            .map(|f| {
                theirs
                    .field(f.name)
                    .map_or_else(|| f.value(), super::FormField::value)
            })
            .collect();
        merged
    }
}
