//! Mapping the header row onto the schema: by name after trim, case-fold and
//! spacing (`Agreement Signed On` is `agreement_signed_on`), in any order.

use std::collections::HashMap;

use crate::sheet::error::{Problem, SheetError};
use crate::sheet::records::RawRecord;
use crate::sheet::schema::{ID_COLUMN, REV_COLUMN, Schema};

/// What one file column feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Id,
    Rev,
    /// Index into `Schema::columns`.
    Column(usize),
    /// A header the schema doesn't know: reported, never stored.
    Unknown,
    /// Empty header over empty cells (a spreadsheet's "used range" artefact).
    IgnoredEmpty,
}

/// One column of the file, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileColumn {
    /// The header as written (trimmed).
    pub header: String,
    /// 1-based position in the file.
    pub position: usize,
    pub target: Target,
}

/// The mapped header plus what it takes to read the rows.
pub(crate) struct HeaderMap {
    pub columns: Vec<FileColumn>,
    pub errors: Vec<SheetError>,
    /// How many trailing columns are ignorable (rows may omit them).
    pub trailing_ignorable: usize,
}

/// Case- and spacing-insensitive form of a header or column name.
pub(crate) fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
        .chars()
    {
        if c.is_whitespace() || c == '-' {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push('_');
        }
        gap = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Maps `header`; `is_empty(i)` tells whether the file's column `i` holds
/// no data in any record (an empty-headed column is then ignored).
pub(crate) fn map_header(
    header: &RawRecord,
    is_empty: &dyn Fn(usize) -> bool,
    schema: &Schema,
) -> HeaderMap {
    let by_name: HashMap<String, usize> = schema
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| (normalize(&c.name), i))
        .collect();
    let mut columns = Vec::with_capacity(header.fields.len());
    let mut errors = Vec::new();
    let mut seen: HashMap<Target, usize> = HashMap::new();
    let line = header.line;
    for (i, raw) in header.fields.iter().enumerate() {
        let name = normalize(raw);
        if let Some(meant) = behind_a_bom(raw, &by_name) {
            let problem = Problem::MisreadBom {
                found: raw.trim().to_owned(),
                meant,
            };
            errors.push(SheetError::new(0, line, problem).in_column(raw.trim()));
        }
        let target = if name == ID_COLUMN {
            Target::Id
        } else if name == REV_COLUMN {
            Target::Rev
        } else if let Some(&c) = by_name.get(&name) {
            Target::Column(c)
        } else if name.is_empty() && is_empty(i) {
            Target::IgnoredEmpty
        } else {
            Target::Unknown
        };
        if matches!(target, Target::Id | Target::Rev | Target::Column(_)) {
            if let Some(&first) = seen.get(&target) {
                let label = target_name(target, schema).unwrap_or_default();
                errors.push(
                    SheetError::new(
                        0,
                        line,
                        Problem::DuplicateColumn {
                            first,
                            second: i + 1,
                        },
                    )
                    .in_column(label),
                );
            } else {
                seen.insert(target, i + 1);
            }
        }
        let header = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
        columns.push(FileColumn {
            header: if header.is_empty() && target == Target::Unknown {
                format!("(unnamed column {})", i + 1)
            } else {
                header.to_owned()
            },
            position: i + 1,
            target,
        });
    }
    if !seen.contains_key(&Target::Id) {
        errors.push(SheetError::new(0, line, Problem::MissingColumn).in_column(ID_COLUMN));
    }
    let trailing_ignorable = columns
        .iter()
        .rev()
        .take_while(|c| c.target == Target::IgnoredEmpty)
        .count();
    HeaderMap {
        columns,
        errors,
        trailing_ignorable,
    }
}

/// What a header means once the remains of a byte-order mark are taken
/// away — a BOM read as Windows-1252 (`ï»¿id`), or a second BOM before a
/// quoted name (`\u{FEFF}"id"`) — when it means a column and would not
/// without that; `None` for every other header.
fn behind_a_bom(raw: &str, by_name: &HashMap<String, usize>) -> Option<String> {
    const MOJIBAKE: &str = "ï»¿";
    let marked = raw.contains(MOJIBAKE) || raw.trim().starts_with('\u{FEFF}');
    if !marked {
        return None;
    }
    let bare = raw.replace(MOJIBAKE, "").replace(['\u{FEFF}', '"'], "");
    let name = normalize(&bare);
    let known = name == ID_COLUMN || name == REV_COLUMN || by_name.contains_key(&name);
    (known && name != normalize(raw)).then(|| bare.trim().to_owned())
}

/// The schema's name for a target, for messages.
pub(crate) fn target_name(target: Target, schema: &Schema) -> Option<String> {
    match target {
        Target::Id => Some(ID_COLUMN.to_owned()),
        Target::Rev => Some(REV_COLUMN.to_owned()),
        Target::Column(c) => schema.columns.get(c).map(|col| col.name.clone()),
        Target::Unknown | Target::IgnoredEmpty => None,
    }
}
