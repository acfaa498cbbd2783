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
    let mut votes = ContextVotes::default();
    for v in values {
        votes.observe(ty, v);
    }
    votes.decide(ty, delimiter)
}

/// [`infer_context`] one value at a time, for files read in a stream:
/// the votes of values that can be read only one way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContextVotes {
    first: usize,
    second: usize,
}

impl ContextVotes {
    /// Counts one trimmed, non-empty value of a column of type `ty`.
    pub fn observe(&mut self, ty: &ColumnType, value: &str) {
        let vote = match ty {
            ColumnType::Integer | ColumnType::Decimal | ColumnType::Percent => {
                match number::decimal_evidence(value) {
                    Some(DecimalSeparator::Point) => Some(true),
                    Some(DecimalSeparator::Comma) => Some(false),
                    None => None,
                }
            }
            ColumnType::Date => match date::shape(value).ok().and_then(date::order_evidence) {
                Some(DateOrder::MonthFirst) => Some(true),
                Some(DateOrder::DayFirst) => Some(false),
                None => None,
            },
            _ => None,
        };
        match vote {
            Some(true) => self.first += 1,
            Some(false) => self.second += 1,
            None => {}
        }
    }

    /// Adds another tally (of the same column).
    pub fn add(&mut self, other: ContextVotes) {
        self.first += other.first;
        self.second += other.second;
    }

    /// The column's reading from the votes counted.
    pub fn decide(self, ty: &ColumnType, delimiter: u8) -> ColumnContext {
        let mut ctx = ColumnContext {
            decimal: if delimiter == b';' {
                DecimalSeparator::Comma
            } else {
                DecimalSeparator::Point
            },
            date_order: None,
        };
        let (first, second) = (self.first, self.second);
        match ty {
            ColumnType::Integer | ColumnType::Decimal | ColumnType::Percent => {
                if first > second {
                    ctx.decimal = DecimalSeparator::Point;
                } else if second > first {
                    ctx.decimal = DecimalSeparator::Comma;
                }
            }
            ColumnType::Date => {
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
}
