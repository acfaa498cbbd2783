//! A live-data value as a person types it into a grid cell and reads it
//! back: parsing and validation against the field, display, and the
//! conversion a field's type change applies to every stored value.
//!
//! Number and boolean spellings are the CSV importer's (`sheet::cell`), so
//! what a spreadsheet accepts in a file the grid accepts when typed.

use super::dates::parse_date_input;
use super::entry::CellValue;
use super::field::{Field, FieldType};
use crate::sheet::cell::number::{DecimalSeparator, parse_decimal, parse_integer};
use crate::sheet::cell::text::{parse_bool, parse_choice};
use chrono::NaiveDate;

/// Parses what was typed into a cell of `field`. Empty text clears the
/// cell (`Ok(None)`), unless the field is required. The error is the
/// reason in plain words, shown under the cell editor.
pub fn parse_input(
    field: &Field,
    raw: &str,
    today: NaiveDate,
) -> Result<Option<CellValue>, String> {
    let text = raw.trim();
    if text.is_empty() {
        return if field.required {
            Err(format!("{} is required; type a value", field.label))
        } else {
            Ok(None)
        };
    }
    let value = match field.field_type {
        FieldType::Integer => CellValue::Integer(
            parse_integer(text, DecimalSeparator::Point).map_err(|e| e.to_string())?,
        ),
        FieldType::Decimal => CellValue::Decimal(
            parse_decimal(text, DecimalSeparator::Point).map_err(|e| e.to_string())?,
        ),
        FieldType::Percent => CellValue::Decimal(parse_percent(text)?),
        FieldType::Text => {
            if text.contains(['\n', '\r']) {
                return Err("one line only".into());
            }
            CellValue::Text(text.to_string())
        }
        FieldType::Date => CellValue::Date(parse_date_input(text, today).ok_or_else(|| {
            format!("not a date: {text} (try 2026-11-20, today, -3d, +1w, 11/20)")
        })?),
        FieldType::Boolean => {
            CellValue::Boolean(parse_bool(text).map_err(|_| format!("not yes/no: {text}"))?)
        }
        FieldType::Choice => CellValue::Text(
            parse_choice(text, &field.options)
                .map_err(|_| format!("not one of: {}", field.options.join(", ")))?,
        ),
    };
    check_bounds(field, &value)?;
    Ok(Some(value))
}

/// What a person typed into a grid cell: as [`parse_input`], except that
/// a choice may be typed as the start of exactly one option (`h` for
/// `happy`). Imports and type changes never guess this way.
pub fn parse_typed(
    field: &Field,
    raw: &str,
    today: NaiveDate,
) -> Result<Option<CellValue>, String> {
    let parsed = parse_input(field, raw, today);
    if parsed.is_ok() || field.field_type != FieldType::Choice {
        return parsed;
    }
    let wanted = raw.trim().to_lowercase();
    let starts: Vec<&String> = field
        .options
        .iter()
        .filter(|o| !wanted.is_empty() && o.to_lowercase().starts_with(&wanted))
        .collect();
    match starts[..] {
        [only] => parse_input(field, only, today),
        _ => parsed,
    }
}

/// A percent as typed: `78%` and `78` are 78 % (stored as 0.78); a bare
/// number below 1, like `0.78`, is already a fraction, as in Excel's
/// percent cells.
fn parse_percent(text: &str) -> Result<f64, String> {
    let number = parse_decimal(text, DecimalSeparator::Point).map_err(|e| e.to_string())?;
    if text.ends_with('%') || number.abs() < 1.0 {
        Ok(number)
    } else {
        Ok(number / 100.0)
    }
}

fn check_bounds(field: &Field, value: &CellValue) -> Result<(), String> {
    let Some(number) = as_number(value) else {
        return Ok(());
    };
    let show = |bound: f64| display_number(field.field_type, bound);
    if let Some(min) = field.min
        && number < min
    {
        return Err(format!("below the minimum {}", show(min)));
    }
    if let Some(max) = field.max
        && number > max
    {
        return Err(format!("above the maximum {}", show(max)));
    }
    Ok(())
}

/// Whether an already typed value may be stored in `field`: the store's
/// own check, so nothing invalid is written whoever calls it.
pub fn validate(field: &Field, value: &CellValue) -> Result<(), String> {
    let fits = match (field.field_type, value) {
        (FieldType::Integer, CellValue::Integer(_))
        | (FieldType::Decimal | FieldType::Percent, CellValue::Decimal(_))
        | (FieldType::Date, CellValue::Date(_))
        | (FieldType::Boolean, CellValue::Boolean(_)) => true,
        (FieldType::Text, CellValue::Text(t)) => !t.contains(['\n', '\r']),
        (FieldType::Choice, CellValue::Text(t)) => field.options.contains(t),
        _ => false,
    };
    if !fits {
        return Err(format!(
            "{} is not a valid {} value for {}",
            display(field.field_type, value),
            field.field_type.as_str(),
            field.label
        ));
    }
    check_bounds(field, value)
}

/// The number a value stands for (summaries, sparklines, bounds).
pub fn as_number(value: &CellValue) -> Option<f64> {
    match value {
        CellValue::Integer(i) => Some(*i as f64),
        CellValue::Decimal(d) => Some(*d),
        CellValue::Boolean(b) => Some(f64::from(u8::from(*b))),
        CellValue::Text(_) | CellValue::Date(_) => None,
    }
}

/// How a cell shows a value: `14`, `14.2`, `78%`, `yes`.
pub fn display(field_type: FieldType, value: &CellValue) -> String {
    match value {
        CellValue::Integer(i) => i.to_string(),
        CellValue::Decimal(d) => display_number(field_type, *d),
        CellValue::Text(t) => t.clone(),
        CellValue::Date(d) => d.to_string(),
        CellValue::Boolean(b) => if *b { "yes" } else { "no" }.to_string(),
    }
}

/// A number as a cell of `field_type` shows it: percents as `78%`, other
/// decimals with at most three places and no trailing zeros.
pub fn display_number(field_type: FieldType, number: f64) -> String {
    if field_type == FieldType::Percent {
        return format!("{}%", trim_places(number * 100.0, 1));
    }
    trim_places(number, 3)
}

fn trim_places(number: f64, places: usize) -> String {
    let text = format!("{number:.places$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// The text the cell editor starts with: like [`display`], but with every
/// digit a decimal holds, so editing never rounds a value.
pub fn edit_text(field_type: FieldType, value: &CellValue) -> String {
    match (field_type, value) {
        (FieldType::Percent, CellValue::Decimal(d)) => format!("{}%", d * 100.0),
        (_, CellValue::Decimal(d)) => d.to_string(),
        _ => display(field_type, value),
    }
}

/// What `value` (of a field of type `from`) becomes in field `to`, or why
/// it cannot: the check a type change runs over every stored value.
pub fn convert(
    from: FieldType,
    value: &CellValue,
    to: &Field,
    today: NaiveDate,
) -> Result<CellValue, String> {
    let text = match (from, value) {
        // A fraction is the value; its percent text would read as 78, not 0.78.
        (FieldType::Percent, CellValue::Decimal(d)) if to.field_type != FieldType::Text => {
            d.to_string()
        }
        _ => edit_text(from, value),
    };
    let mut to = to.clone();
    to.required = false;
    match parse_input(&to, &text, today)? {
        Some(v) => Ok(v),
        None => Err("would be empty".into()),
    }
}

#[cfg(test)]
mod tests;
