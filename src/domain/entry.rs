//! Live-data entries (`E-`): one row of the sheet — a customer on a day,
//! with one value per field.

use super::Meta;
use chrono::NaiveDate;

/// A typed cell value of an entry.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Integer(i64),
    Decimal(f64),
    Text(String),
    Date(NaiveDate),
    Boolean(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: i64,
    pub customer_id: i64,
    pub recorded_on: NaiveDate,
    /// `(field id, value)`; a missing field has no value.
    pub values: Vec<(i64, CellValue)>,
    pub meta: Meta,
}
