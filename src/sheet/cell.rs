//! Reading one cell as a typed [`Value`], plus the per-column decisions
//! (decimal separator, day/month order) that a single value cannot make.
//!
//! Text cells are kept exactly (see [`text::parse_text`]); typed cells are
//! trimmed first, an empty typed cell is `Null`, and spreadsheet error values
//! such as `#REF!` are refused by name instead of being read as text.

pub mod date;
pub mod number;
pub mod text;

pub use date::{DateOrder, parse_date};
pub use number::{DecimalSeparator, parse_decimal, parse_integer};
pub use text::{parse_bool, parse_choice, parse_text, unescape_apostrophe};

use crate::sheet::error::Problem;
use crate::sheet::schema::{ColumnType, Value};

/// What the whole column says about reading its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnContext {
    pub decimal: DecimalSeparator,
    pub date_order: Option<DateOrder>,
}

impl Default for ColumnContext {
    fn default() -> Self {
        ColumnContext {
            decimal: DecimalSeparator::Point,
            date_order: None,
        }
    }
}

/// Parses one cell of a column of type `ty`.
pub fn parse_cell(raw: &str, ty: &ColumnType, ctx: ColumnContext) -> Result<Value, Problem> {
    if ty.is_text() {
        return parse_text(raw, *ty == ColumnType::MultilineText).map(Value::Text);
    }
    let t = raw.trim();
    if t.is_empty() {
        return Ok(Value::Null);
    }
    if text::is_spreadsheet_error(t) {
        return Err(Problem::SpreadsheetError(t.to_owned()));
    }
    match ty {
        ColumnType::Text | ColumnType::MultilineText => Ok(Value::Text(t.to_owned())),
        ColumnType::Integer => parse_integer(t, ctx.decimal).map(Value::Int),
        ColumnType::Decimal | ColumnType::Percent => {
            parse_decimal(t, ctx.decimal).map(Value::Decimal)
        }
        ColumnType::Date => parse_date(t, ctx.date_order).map(Value::Date),
        ColumnType::Boolean => parse_bool(t).map(Value::Bool),
        ColumnType::Choice(options) => parse_choice(t, options).map(Value::Text),
    }
}

/// Decides the column's reading from all its (trimmed, non-empty) values.
///
/// Decimal separator: the majority of values that can only be read one way;
/// with no such value, a `;`-delimited file means decimal comma (that is why
/// those locales use `;`). Day/month order: the majority of dates that can
/// only be read one way; with none, ambiguous values are refused.
pub fn infer_context<'a>(
    ty: &ColumnType,
    values: impl Iterator<Item = &'a str>,
    delimiter: u8,
) -> ColumnContext {
    let mut ctx = ColumnContext {
        decimal: if delimiter == b';' {
            DecimalSeparator::Comma
        } else {
            DecimalSeparator::Point
        },
        date_order: None,
    };
    let (mut first, mut second) = (0usize, 0usize);
    match ty {
        ColumnType::Integer | ColumnType::Decimal | ColumnType::Percent => {
            for v in values {
                match number::decimal_evidence(v) {
                    Some(DecimalSeparator::Point) => first += 1,
                    Some(DecimalSeparator::Comma) => second += 1,
                    None => {}
                }
            }
            if first > second {
                ctx.decimal = DecimalSeparator::Point;
            } else if second > first {
                ctx.decimal = DecimalSeparator::Comma;
            }
        }
        ColumnType::Date => {
            for v in values {
                match date::shape(v).ok().and_then(date::order_evidence) {
                    Some(DateOrder::MonthFirst) => first += 1,
                    Some(DateOrder::DayFirst) => second += 1,
                    None => {}
                }
            }
            ctx.date_order = match first.cmp(&second) {
                std::cmp::Ordering::Greater => Some(DateOrder::MonthFirst),
                std::cmp::Ordering::Less => Some(DateOrder::DayFirst),
                std::cmp::Ordering::Equal => None,
            };
        }
        _ => {}
    }
    ctx
}
