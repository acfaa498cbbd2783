//! Between parsing and planning: a row's cells made canonical so they
//! compare as the store keeps them (trimmed names, normalised tags,
//! references written as exported).

use super::RowError;
use super::values::{Refs, normalise_tags};
use crate::interchange::spec::{Conv, Spec};
use crate::sheet::{ParsedRow, Value};
use crate::store::Result;
use crate::store::db::Db;

/// Makes one row's text cells canonical (see the module doc).
pub(crate) fn canonicalise_row(
    db: &Db,
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
                .resolve(db, *kind, text)?
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
