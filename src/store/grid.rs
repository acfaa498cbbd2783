//! The Data grid's reads: a filter and a sort turn into the ordered entry
//! ids (integers only, once per filter or sort change), then only the
//! visible window's rows are read, whatever the depth. Per-column
//! summaries and per-customer weekly series come from SQL aggregates.
//!
//! Filter syntax: words match the customer's name (fuzzy) or segment;
//! `customer=`, `segment=` match by prefix; `from=` and `to=` bound
//! `recorded_on` and accept the form date shorthands (`-4w`, `today`).

mod base;
mod cells;

pub(super) use base::GridBase;

use super::db::{Arg, IntoArg, args};
use super::review::EntryFact;
use super::{Result, Store, StoreError};
use crate::domain::dates::{parse_date_input, parse_iso};
use crate::domain::entry::CellValue;
use crate::domain::{Field, FieldType, Kinds};
use chrono::NaiveDate;
use rusqlite::types::Value;
use std::fmt::Write as _;

/// What the grid sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GridSort {
    /// Newest date first, then customer name: this week's rows on top.
    #[default]
    Newest,
    Customer {
        descending: bool,
    },
    Date {
        descending: bool,
    },
    Field {
        id: i64,
        descending: bool,
    },
}

/// The kinds of record the grid reads: entries, their fields (columns),
/// and customers (the names in its rows).
pub const GRID_READS: Kinds = Kinds::of(&[
    crate::domain::RecordKind::Entry,
    crate::domain::RecordKind::Field,
    crate::domain::RecordKind::Customer,
]);

/// The grid's filter text and sort.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GridQuery {
    pub filter: String,
    pub sort: GridSort,
}

/// One visible row: an entry with its values in the order of the fields
/// it was read for.
#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    pub id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub recorded_on: NaiveDate,
    pub rev: i64,
    pub values: Vec<Option<CellValue>>,
}

/// One column's summary over every row the filter keeps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnSummary {
    pub count: i64,
    pub sum: Option<f64>,
    pub mean: Option<f64>,
    pub min: Option<CellValue>,
    pub max: Option<CellValue>,
    /// The longest value's length in characters, for the column width.
    pub widest: usize,
}

/// The filter keys the grid knows.
pub const GRID_FILTER_KEYS: [&str; 4] = ["customer", "segment", "from", "to"];

/// A filter split into a condition on customers (`c`) and one on entries
/// (`e`), each with its arguments.
struct Conditions {
    customers: (String, Vec<Value>),
    /// Words a customer's name (fuzzily) or segment must hold.
    words: Vec<String>,
    entries: (String, Vec<Value>),
    /// The `from=` and `to=` bounds, as in `entries`.
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

/// Parses a grid filter; an unknown key or a bad date is refused.
fn filter_sql(filter: &str, today: NaiveDate) -> Result<Conditions> {
    let (mut on_c, mut c_args, mut words) = (String::new(), Vec::new(), Vec::new());
    let (mut on_e, mut e_args) = (String::from("TRUE"), Vec::new());
    let (mut from, mut to) = (None, None);
    for token in filter.split_whitespace() {
        let Some((key, value)) = token.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            words.push(token.to_string());
            continue;
        };
        let key = key.to_ascii_lowercase();
        match key.as_str() {
            "customer" | "segment" => {
                let column = if key == "customer" {
                    "c.name"
                } else {
                    "c.segment"
                };
                let _ = write!(on_c, " AND lower({column}) LIKE lower(?) || '%'");
                c_args.push(Value::Text(value.to_string()));
            }
            "from" | "to" => {
                let date = parse_date_input(value, today).ok_or_else(|| {
                    StoreError::Refused(format!(
                        "{key}={value}: not a date (try 2026-10-01 or -4w)"
                    ))
                })?;
                let op = if key == "from" {
                    from = Some(from.map_or(date, |d: NaiveDate| d.max(date)));
                    ">="
                } else {
                    to = Some(to.map_or(date, |d: NaiveDate| d.min(date)));
                    "<="
                };
                let _ = write!(on_e, " AND e.recorded_on {op} ?");
                e_args.push(Value::Text(date.to_string()));
            }
            _ => {
                return Err(StoreError::Refused(format!(
                    "no “{key}” to filter the grid on; try words or {}",
                    GRID_FILTER_KEYS.map(|k| format!("{k}=")).join(", ")
                )));
            }
        }
    }
    Ok(Conditions {
        customers: (on_c, c_args),
        words,
        entries: (on_e, e_args),
        from,
        to,
    })
}

impl Store {
    /// The customers a filter's customer conditions keep, `None` when it
    /// has none: matched against the (few hundred) customers, so 100,000
    /// entries are never joined to match a name.
    fn filter_customers(&self, conditions: &Conditions) -> Result<Option<Vec<i64>>> {
        let (on_c, c_args) = &conditions.customers;
        let words = &conditions.words;
        if on_c.is_empty() && words.is_empty() {
            return Ok(None);
        }
        let db = self.db();
        let mut c_args: Vec<Arg<'_>> = c_args.iter().map(IntoArg::arg).collect();
        if db.sqlite().is_some() {
            let mut on_c = on_c.clone();
            for word in words {
                on_c.push_str(" AND concierge_match(?, c.name, c.segment)");
                c_args.push(word.arg());
            }
            let sql = format!("SELECT c.id FROM customers c WHERE TRUE{on_c}");
            return Ok(Some(db.query_map(&sql, &c_args, |r| r.get(0))?));
        }
        // A server matches the words here, by the same rule (a few hundred
        // customers: nothing to index).
        let sql = format!("SELECT c.id, c.name, c.segment FROM customers c WHERE TRUE{on_c}");
        let rows = db.query_map(&sql, &c_args, |r| {
            let cells: [super::StoredValue; 2] = [r.get(1)?, r.get(2)?];
            Ok((r.get::<i64>(0)?, cells))
        })?;
        Ok(Some(
            rows.into_iter()
                .filter(|(_, cells)| words.iter().all(|w| super::list::row_matches(w, cells)))
                .map(|(id, _)| id)
                .collect(),
        ))
    }

    /// The WHERE clause over `entries e` alone for a grid filter.
    fn entry_filter(&self, filter: &str) -> Result<(String, Vec<Value>)> {
        let conditions = filter_sql(filter, self.clock.today())?;
        let customers = self.filter_customers(&conditions)?;
        let (mut on_e, e_args) = conditions.entries;
        if let Some(ids) = customers {
            let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            let _ = write!(on_e, " AND e.customer_id IN ({})", ids.join(", "));
            if ids.is_empty() {
                on_e.push_str(" AND FALSE");
            }
        }
        Ok((on_e, e_args))
    }
}

/// A stored value as the field's type reads it.
pub(crate) fn cell_value(value: Value, field_type: FieldType) -> Option<CellValue> {
    match (value, field_type) {
        (Value::Null | Value::Blob(_), _) => None,
        (Value::Integer(i), FieldType::Boolean) => Some(CellValue::Boolean(i != 0)),
        (Value::Integer(i), FieldType::Decimal | FieldType::Percent) => {
            Some(CellValue::Decimal(i as f64))
        }
        (Value::Integer(i), FieldType::Text | FieldType::Choice) => {
            Some(CellValue::Text(i.to_string()))
        }
        (Value::Integer(i), _) => Some(CellValue::Integer(i)),
        (Value::Real(r), FieldType::Text | FieldType::Choice) => {
            Some(CellValue::Text(r.to_string()))
        }
        (Value::Real(r), _) => Some(CellValue::Decimal(r)),
        (Value::Text(t), FieldType::Date) => {
            Some(parse_iso(&t).map_or(CellValue::Text(t), CellValue::Date))
        }
        (Value::Text(t), _) => Some(CellValue::Text(t)),
    }
}

/// A value as it is stored.
pub(crate) fn stored(value: Option<&CellValue>) -> Value {
    match value {
        None => Value::Null,
        Some(CellValue::Integer(i)) => Value::Integer(*i),
        Some(CellValue::Decimal(d)) => Value::Real(*d),
        Some(CellValue::Text(t)) => Value::Text(t.clone()),
        Some(CellValue::Date(d)) => Value::Text(d.to_string()),
        Some(CellValue::Boolean(b)) => Value::Integer(i64::from(*b)),
    }
}

impl Store {
    /// The ids of every entry the grid query keeps, in its order. The
    /// date and customer orders come from [`GridBase`]: every entry's
    /// (id, day, customer rank) read once per change of the data, then
    /// filtered and sorted in memory, so a filter keystroke costs a pass
    /// over integers instead of an index scan (100,000 rows: ~25 ms).
    /// A field's order is sorted by SQLite.
    pub fn grid_ids(&self, query: &GridQuery) -> Result<Vec<i64>> {
        if let GridSort::Field { id, descending } = query.sort {
            let (filter, args) = self.entry_filter(&query.filter)?;
            let dir = if descending { "DESC" } else { "ASC" };
            let sql = format!(
                "SELECT e.id FROM entries e WHERE {filter}
                 ORDER BY e.f_{id} IS NULL, e.f_{id} {dir}, e.recorded_on DESC, e.id"
            );
            let args: Vec<Arg<'_>> = args.iter().map(IntoArg::arg).collect();
            return self.db().query_map(&sql, &args, |r| r.get(0));
        }
        let conditions = filter_sql(&query.filter, self.clock.today())?;
        let customers = self.filter_customers(&conditions)?;
        let stamp = self.data_stamp()?;
        let mut cached = self.grid_base.borrow_mut();
        if cached.as_ref().is_none_or(|base| base.stamp != stamp) {
            *cached = Some(GridBase::load(self, stamp)?);
        }
        let base = cached
            .as_ref()
            .ok_or_else(|| StoreError::Refused("the grid's entries could not be read".into()))?;
        Ok(base.select(
            customers.as_deref(),
            conditions.from,
            conditions.to,
            query.sort,
        ))
    }

    /// The rows for `ids` (a window), in that order, with the values of
    /// `fields`.
    pub fn grid_rows(&self, ids: &[i64], fields: &[Field]) -> Result<Vec<GridRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let columns: String = fields.iter().fold(String::new(), |mut s, f| {
            let _ = write!(s, ", e.{}", f.column());
            s
        });
        let marks = vec!["?"; ids.len()].join(", ");
        let sql = format!(
            "SELECT e.id, e.customer_id, c.name, e.recorded_on, e.rev{columns}
             FROM entries e JOIN customers c ON c.id = e.customer_id WHERE e.id IN ({marks})"
        );
        let ids_args: Vec<Arg<'_>> = ids.iter().map(IntoArg::arg).collect();
        let found = self.db().query_map(&sql, &ids_args, |r| {
            let mut values = Vec::with_capacity(fields.len());
            for (i, field) in fields.iter().enumerate() {
                values.push(cell_value(r.get(i + 5)?, field.field_type));
            }
            let day: String = r.get(3)?;
            Ok(GridRow {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                customer: r.get(2)?,
                recorded_on: parse_iso(&day).unwrap_or_default(),
                rev: r.get(4)?,
                values,
            })
        })?;
        Ok(ids
            .iter()
            .filter_map(|id| found.iter().find(|row| row.id == *id).cloned())
            .collect())
    }

    /// Count, sum, mean, min and max (by type) and the widest value of
    /// one field over the rows the filter keeps: one aggregate over one
    /// column, so the grid reads only the columns it shows.
    pub fn grid_summary(&self, filter: &str, field: &Field) -> Result<ColumnSummary> {
        let (filter_sql, args) = self.entry_filter(filter)?;
        let from = "entries e";
        let c = format!("e.{}", field.column());
        let numeric = !matches!(
            field.field_type,
            FieldType::Text | FieldType::Date | FieldType::Choice
        );
        let figures = match field.field_type {
            FieldType::Text => format!("NULL, NULL, NULL, max(length({c}))"),
            FieldType::Choice => "NULL, NULL, NULL, NULL".to_string(),
            FieldType::Date => format!("NULL, min({c}), max({c}), NULL"),
            _ => format!(
                "{}, min({c}), max({c}), NULL",
                self.db().dialect().real(&format!("sum({c})"))
            ),
        };
        let sql = format!("SELECT count({c}), {figures} FROM {from} WHERE {filter_sql}");
        let args: Vec<Arg<'_>> = args.iter().map(IntoArg::arg).collect();
        let summary = self.db().query_row(&sql, &args, |r| {
            let count: i64 = r.get(0)?;
            let sum = match r.get::<Value>(1)? {
                Value::Integer(i) => Some(i as f64),
                Value::Real(x) => Some(x),
                _ => None,
            }
            .filter(|_| numeric);
            Ok(ColumnSummary {
                count,
                sum,
                mean: sum.filter(|_| count > 0).map(|s| s / count as f64),
                min: cell_value(r.get(2)?, field.field_type),
                max: cell_value(r.get(3)?, field.field_type),
                widest: r
                    .get::<Option<i64>>(4)?
                    .map_or(0, |w| usize::try_from(w).unwrap_or(0)),
            })
        })?;
        Ok(summary)
    }

    /// The values of one field dated `from..=to`, of one customer or of
    /// all: what a weekly series (sparkline, hypothesis trend) is built from.
    pub fn field_facts(
        &self,
        field: &Field,
        customer: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<EntryFact>> {
        let sql = format!(
            "SELECT customer_id, recorded_on, {} FROM entries
             WHERE recorded_on BETWEEN ?1 AND ?2 AND (CAST(?3 AS BIGINT) IS NULL OR customer_id = ?3)
             ORDER BY recorded_on",
            field.column()
        );
        let mut facts = Vec::new();
        self.db().for_each(&sql, args![from, to, customer], |r| {
            let Some(recorded_on) = parse_iso(&r.get::<String>(1)?) else {
                return Ok(());
            };
            let values = cell_value(r.get(2)?, field.field_type)
                .map(|v| vec![(field.id, v)])
                .unwrap_or_default();
            facts.push(EntryFact {
                customer_id: r.get(0)?,
                recorded_on,
                values,
            });
            Ok(())
        })?;
        Ok(facts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_turn_into_sql_or_say_what_is_wrong() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
        let parts = filter_sql("alder segment=gc from=-4w", today).expect("filter");
        assert_eq!(parts.words, ["alder"]);
        assert!(parts.customers.0.contains("c.segment"));
        assert_eq!(parts.entries.1[0], Value::Text("2026-10-24".into()));
        let Err(err) = filter_sql("status=x", today) else {
            panic!("an unknown key was accepted")
        };
        assert!(err.to_string().contains("customer=, segment=, from=, to="));
        assert!(filter_sql("from=soon", today).is_err());
    }
}
