//! Dates as spreadsheets write them: ISO (with or without a time), `yyyy/mm/dd`,
//! US `m/d/yyyy`, EU `dd.mm.yyyy` and `dd/mm/yyyy`, English month names, and
//! spreadsheet serial numbers.
//!
//! Slashed and dashed day-first/month-first dates are the dangerous ones:
//! `03/04/2026` is March 4 in the US and April 3 in Europe. The order is
//! decided per column from the values that can only be read one way (see
//! [`super::infer_context`]); when none can, the value is refused as
//! ambiguous rather than guessed. Dotted dates are always day-first (no locale writes
//! month-first with dots), and two-digit years are refused.

#[cfg(test)]
mod tests;

use chrono::{Days, NaiveDate};

use crate::sheet::error::Problem;

/// Whether `a/b/yyyy` means month/day or day/month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    MonthFirst,
    DayFirst,
}

impl DateOrder {
    fn words(self) -> &'static str {
        match self {
            DateOrder::MonthFirst => "month/day",
            DateOrder::DayFirst => "day/month",
        }
    }
}

/// A date cell read as far as it can be without knowing the column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Fixed(NaiveDate),
    /// `a/b/year` (or `a-b-year`) whose order the column decides.
    Slashed {
        a: u32,
        b: u32,
        year: i32,
    },
}

/// Serial 61 is 1900-03-01: below it Excel and Lotus count a 1900-02-29
/// that never existed, so earlier serials mean different days in different
/// programs.
const FIRST_SERIAL: u64 = 61;
/// Serial of 9999-12-31.
const LAST_SERIAL: u64 = 2_958_465;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn digits_run(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

fn ymd(raw: &str, year: i32, month: u32, day: u32) -> Result<NaiveDate, Problem> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| Problem::InvalidDate(raw.to_owned()))
}

fn number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 {
        return None;
    }
    s.parse().ok()
}

/// Accepts nothing, or a time of day after a space or `T`:
/// `H:MM[:SS[.fff]]`, an optional AM/PM, then an optional `Z` or UTC offset.
/// The time is dropped: the date is what the cell shows.
fn is_time_suffix(rest: &str) -> bool {
    if rest.is_empty() {
        return true;
    }
    let Some(t) = rest.strip_prefix(['T', ' ']) else {
        return false;
    };
    let t = t.trim_start();
    let (h, t) = digits_run(t);
    let Some(t) = t.strip_prefix(':').filter(|_| (1..=2).contains(&h.len())) else {
        return false;
    };
    let (m, mut t) = digits_run(t);
    if m.len() != 2 {
        return false;
    }
    if let Some(after) = t.strip_prefix(':') {
        let (s, after) = digits_run(after);
        if s.len() != 2 {
            return false;
        }
        t = after;
        if let Some(after) = t.strip_prefix(['.', ',']) {
            let (frac, after) = digits_run(after);
            if frac.is_empty() {
                return false;
            }
            t = after;
        }
    }
    let t = t.trim_start();
    let t = ["AM", "PM", "am", "pm"]
        .iter()
        .find_map(|p| t.strip_prefix(p))
        .unwrap_or(t);
    let t = t.strip_prefix('Z').unwrap_or(t);
    if let Some(offset) = t.strip_prefix(['+', '-']) {
        let offset = offset.replace(':', "");
        return (offset.len() == 2 || offset.len() == 4)
            && offset.bytes().all(|b| b.is_ascii_digit());
    }
    t.is_empty()
}

fn serial(raw: &str) -> Result<Shape, Problem> {
    let (int, frac) = raw.split_once('.').unwrap_or((raw, ""));
    if !frac.bytes().all(|b| b.is_ascii_digit()) || (raw.contains('.') && frac.is_empty()) {
        return Err(Problem::NotADate(raw.to_owned()));
    }
    // Eight digits that cannot be a serial are a compact ISO date (20261121).
    if int.len() == 8 && frac.is_empty() {
        let (y, md) = int.split_at(4);
        let (m, d) = md.split_at(2);
        if let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse()) {
            return ymd(raw, y, m, d).map(Shape::Fixed);
        }
    }
    let n: u64 = int
        .parse()
        .map_err(|_| Problem::SerialOutOfRange(raw.to_owned()))?;
    if !(FIRST_SERIAL..=LAST_SERIAL).contains(&n) {
        return Err(Problem::SerialOutOfRange(raw.to_owned()));
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|epoch| epoch.checked_add_days(Days::new(n)))
        .map(Shape::Fixed)
        .ok_or_else(|| Problem::SerialOutOfRange(raw.to_owned()))
}

fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    let found = MONTHS.iter().position(|m| {
        m.starts_with(&word) && (word.len() == 3 || word.len() == m.len() || word == "sept")
    })?;
    Some(found as u32 + 1)
}

/// `21 Nov 2026`, `21-Nov-2026`, `Nov 21, 2026`, `November 21 2026`.
fn named_month(raw: &str) -> Option<Result<Shape, Problem>> {
    let words: Vec<&str> = raw
        .split([' ', '-', '/', ','])
        .filter(|w| !w.is_empty())
        .collect();
    let [x, y, year] = words[..] else {
        return None;
    };
    let ((Some(day), Some(month), _, _) | (_, _, Some(month), Some(day))) =
        (number(x), month_number(y), month_number(x), number(y))
    else {
        return None;
    };
    if year.len() == 2 && year.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Err(Problem::TwoDigitYear(raw.to_owned())));
    }
    let year = number(year).filter(|_| year.len() == 4)?;
    Some(ymd(raw, year as i32, month, day).map(Shape::Fixed))
}

/// Fast path for exactly `yyyy-mm-dd`, what the app itself exports.
fn plain_iso(raw: &str) -> Option<Result<NaiveDate, Problem>> {
    let bytes = raw.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(at, byte)| at == 4 || at == 7 || byte.is_ascii_digit());
    if !shaped {
        return None;
    }
    let number = |range: std::ops::Range<usize>| raw[range].parse::<u32>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    Some(ymd(raw, year as i32, month, day))
}

/// Reads a (trimmed, non-empty) date cell as far as possible without the column.
pub(crate) fn shape(raw: &str) -> Result<Shape, Problem> {
    let not_a_date = || Problem::NotADate(raw.to_owned());
    if raw.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && raw.bytes().filter(|&b| b == b'.').count() <= 1
    {
        return serial(raw);
    }
    let (n1, rest) = digits_run(raw);
    let Some(sep) = rest.chars().next().filter(|c| ['-', '/', '.'].contains(c)) else {
        return named_month(raw).unwrap_or_else(|| Err(not_a_date()));
    };
    let (n2, rest) = digits_run(&rest[1..]);
    let Some(rest) = rest.strip_prefix(sep) else {
        return named_month(raw).unwrap_or_else(|| Err(not_a_date()));
    };
    let (n3, rest) = digits_run(rest);
    let (Some(v1), Some(v2), Some(v3)) = (number(n1), number(n2), number(n3)) else {
        return named_month(raw).unwrap_or_else(|| Err(not_a_date()));
    };
    if !is_time_suffix(rest) || n2.len() > 2 {
        return Err(not_a_date());
    }
    if n1.len() == 4 && n3.len() <= 2 {
        return ymd(raw, v1 as i32, v2, v3).map(Shape::Fixed);
    }
    if n1.len() > 2 {
        return Err(not_a_date());
    }
    match n3.len() {
        4 if sep == '.' => ymd(raw, v3 as i32, v2, v1).map(Shape::Fixed),
        4 => Ok(Shape::Slashed {
            a: v1,
            b: v2,
            year: v3 as i32,
        }),
        2 => Err(Problem::TwoDigitYear(raw.to_owned())),
        _ => Err(not_a_date()),
    }
}

/// The order a value proves, if it can only be read one way.
pub(crate) fn order_evidence(shape: Shape) -> Option<DateOrder> {
    match shape {
        Shape::Slashed { a, b, .. } if a > 12 && b <= 12 => Some(DateOrder::DayFirst),
        Shape::Slashed { a, b, .. } if b > 12 && a <= 12 => Some(DateOrder::MonthFirst),
        _ => None,
    }
}

/// Both readings of a slashed date: (month first, day first).
pub(crate) fn readings(shape: Shape) -> (Option<NaiveDate>, Option<NaiveDate>) {
    match shape {
        Shape::Fixed(d) => (Some(d), Some(d)),
        Shape::Slashed { a, b, year } => (
            NaiveDate::from_ymd_opt(year, a, b),
            NaiveDate::from_ymd_opt(year, b, a),
        ),
    }
}

/// Parses a date cell. `order` is the column's inferred day/month order
/// (`None` when no value in the column shows it).
pub fn parse_date(raw: &str, order: Option<DateOrder>) -> Result<NaiveDate, Problem> {
    let raw = raw.trim();
    if let Some(date) = plain_iso(raw) {
        return date;
    }
    let shape = shape(raw)?;
    let Shape::Slashed { a, b, .. } = shape else {
        let (date, _) = readings(shape);
        return date.ok_or_else(|| Problem::InvalidDate(raw.to_owned()));
    };
    let (month_first, day_first) = readings(shape);
    let evidence = order_evidence(shape);
    let chosen = match (order, evidence) {
        (Some(column), Some(own)) if column != own => {
            return Err(Problem::DateOrderConflict {
                raw: raw.to_owned(),
                order: column.words(),
            });
        }
        (Some(column), _) => column,
        (None, Some(own)) => own,
        (None, None) if a == b => DateOrder::MonthFirst,
        (None, None) => match (month_first, day_first) {
            (Some(month_first), Some(day_first)) => {
                return Err(Problem::AmbiguousDate {
                    raw: raw.to_owned(),
                    month_first,
                    day_first,
                });
            }
            _ => return Err(Problem::InvalidDate(raw.to_owned())),
        },
    };
    let date = match chosen {
        DateOrder::MonthFirst => month_first,
        DateOrder::DayFirst => day_first,
    };
    date.ok_or_else(|| Problem::InvalidDate(raw.to_owned()))
}
