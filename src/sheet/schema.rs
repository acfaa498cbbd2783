//! Values and the schema that describes one record type as typed columns.
//!
//! The sheet module knows nothing about storage: the app describes each record
//! type as a [`Schema`] and hands rows over as `Vec<Value>` in column order.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// One typed cell value as the workspace stores it.
///
/// Equality is by value, not by spelling: values parsed from `1234.5` and
/// `1,234.50` are equal, `Int(3)` equals `Decimal(3.0)`, and `Null` equals
/// `Text("")` because a CSV file cannot tell an empty text from a missing one.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Text(String),
    Int(i64),
    Decimal(f64),
    Date(NaiveDate),
    Bool(bool),
}

impl Value {
    /// True for `Null` and for empty text: what an empty cell means.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Text(s) => s.is_empty(),
            _ => false,
        }
    }

    /// The canonical spelling written on export: ISO dates, the shortest
    /// decimal that reads back to the same `f64` (never an exponent),
    /// `true`/`false`, and an empty string for `Null`.
    pub fn to_csv_string(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Decimal(d) => d.to_string(),
            Value::Date(d) => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Value::Bool(b) => b.to_string(),
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (a, b) if a.is_empty() && b.is_empty() => true,
            (Value::Text(a), Value::Text(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Decimal(a), Value::Decimal(b)) => a == b,
            (Value::Int(i), Value::Decimal(d)) | (Value::Decimal(d), Value::Int(i)) => {
                // Compare through i128 so that large integers are not rounded
                // into equality with a nearby float.
                d.fract() == 0.0 && (*d as i128) == i128::from(*i)
            }
            (Value::Date(a), Value::Date(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            _ => false,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("(empty)"),
            other => f.write_str(&other.to_csv_string()),
        }
    }
}

/// How the text of one column is read and validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    /// One line of text; a line break in the cell is an error.
    Text,
    /// Free text; line breaks are kept (normalised to LF).
    MultilineText,
    Integer,
    Decimal,
    /// Stored as the fraction: `25%` is 0.25, and a bare `0.25` is taken as written.
    Percent,
    Date,
    Boolean,
    /// One of a fixed list, matched case-insensitively and stored with the
    /// list's spelling.
    Choice(Vec<String>),
}

impl ColumnType {
    /// Text-like columns keep their cells untrimmed and use the apostrophe rule.
    pub fn is_text(&self) -> bool {
        matches!(self, ColumnType::Text | ColumnType::MultilineText)
    }
}

/// One column of a record type: its `snake_case` header, type and whether a
/// new row must fill it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    pub required: bool,
}

impl Column {
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column {
            name: name.into(),
            ty,
            required: false,
        }
    }

    /// Builder-style: mark the column as required.
    #[must_use]
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
}

/// A record type as the sheet module sees it. The `id` and `_rev` columns are
/// implicit: exports write them first and last, imports match rows by `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// Display-key prefix every id must start with, e.g. `C-`.
    pub id_prefix: String,
    pub columns: Vec<Column>,
}

/// Header of the implicit id column.
pub const ID_COLUMN: &str = "id";
/// Header of the implicit revision column.
pub const REV_COLUMN: &str = "_rev";

impl Schema {
    /// A row's non-empty cells as `column=value` pieces, each value as
    /// `show` writes it: how previews list a new row.
    pub fn cell_pieces(
        &self,
        cells: &[Option<Value>],
        show: impl Fn(&Value) -> String,
    ) -> Vec<String> {
        self.columns
            .iter()
            .zip(cells)
            .filter_map(|(col, cell)| match cell {
                Some(v) if !v.is_empty() => Some(format!("{}={}", col.name, show(v))),
                _ => None,
            })
            .collect()
    }

    pub fn new(id_prefix: impl Into<String>, columns: Vec<Column>) -> Self {
        Schema {
            id_prefix: id_prefix.into(),
            columns,
        }
    }

    /// Index of the column with this exact name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}
