//! Numbers as spreadsheets display them: grouping separators (`,` `.` space,
//! NBSP, narrow NBSP, apostrophe), decimal point or comma, currency signs and
//! codes, percent, accounting negatives `(42)`, a leading `+`, `.5`, and
//! scientific notation.
//!
//! The value is built from its decimal digits and a power of ten and only
//! then converted, so `1,000,000.125` and `25%` come out exactly as the
//! decimal text says (no `25 / 100` rounding).

#[cfg(test)]
mod tests;

use crate::sheet::error::Problem;

/// Which character separates the fraction when a value alone can't tell
/// (`1,234` is 1234 with a decimal point and 1.234 with a decimal comma).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalSeparator {
    Point,
    Comma,
}

impl DecimalSeparator {
    fn char(self) -> char {
        match self {
            DecimalSeparator::Point => '.',
            DecimalSeparator::Comma => ',',
        }
    }

    fn from_char(c: char) -> Self {
        if c == ',' {
            DecimalSeparator::Comma
        } else {
            DecimalSeparator::Point
        }
    }
}

/// Longest first, so `US$` wins over `$`.
const CURRENCY: [&str; 32] = [
    "US$", "NZ$", "HK$", "A$", "C$", "R$", "$", "€", "£", "¥", "₹", "₩", "₽", "₺", "₪", "USD",
    "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "CNY",
    "INR", "BRL", "MXN",
];

const SPACE_GROUPING: [char; 4] = [' ', '\u{A0}', '\u{202F}', '\u{2009}'];
const QUOTE_GROUPING: [char; 2] = ['\'', '\u{2019}'];

/// A number split into sign, digit runs and the separators between them.
struct Lexed<'a> {
    negative: bool,
    percent: bool,
    runs: Vec<&'a str>,
    seps: Vec<char>,
    exponent: i32,
}

/// Where the decimal separator is, as an index into `Lexed::seps`.
enum Decimal {
    None,
    At(usize),
    /// A single `.` or `,` followed by exactly three digits after a valid
    /// first group: the column's separator decides.
    Ambiguous(usize),
}

fn strip_currency(s: &str) -> Option<&str> {
    CURRENCY
        .iter()
        .find_map(|c| s.strip_prefix(c))
        .map(str::trim_start)
}

fn strip_currency_suffix(s: &str) -> Option<&str> {
    CURRENCY
        .iter()
        .find_map(|c| s.strip_suffix(c))
        .map(str::trim_end)
}

fn lex(raw: &str) -> Option<Lexed<'_>> {
    let mut s = raw.trim();
    let (mut negative, mut signed, mut percent, mut currency) = (false, false, false, false);
    loop {
        let before = s.len();
        if !signed {
            if let Some(rest) = s.strip_prefix(['-', '\u{2212}']) {
                (negative, signed, s) = (true, true, rest.trim_start());
            } else if let Some(rest) = s.strip_prefix('+') {
                (signed, s) = (true, rest.trim_start());
            } else if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
                // Accounting notation for a negative amount.
                (negative, signed, s) = (true, true, inner.trim());
            }
        }
        if !currency {
            if let Some(rest) = strip_currency(s) {
                (currency, s) = (true, rest);
            } else if let Some(rest) = strip_currency_suffix(s) {
                (currency, s) = (true, rest);
            }
        }
        if !percent && let Some(rest) = s.strip_suffix('%') {
            (percent, s) = (true, rest.trim_end());
        }
        if s.len() == before {
            break;
        }
    }
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(at) => {
            let exp = &s[at + 1..];
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || digits.len() > 5 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            (&s[..at], exp.parse::<i32>().ok()?)
        }
        None => (s, 0),
    };
    let mut runs = Vec::new();
    let mut seps = Vec::new();
    let mut start = 0;
    for (at, c) in mantissa.char_indices() {
        if c.is_ascii_digit() {
            continue;
        }
        if !(c == '.' || c == ',' || SPACE_GROUPING.contains(&c) || QUOTE_GROUPING.contains(&c)) {
            return None;
        }
        runs.push(&mantissa[start..at]);
        seps.push(c);
        start = at + c.len_utf8();
    }
    runs.push(&mantissa[start..]);
    Some(Lexed {
        negative,
        percent,
        runs,
        seps,
        exponent,
    })
}

fn is_decimal_char(c: char) -> bool {
    c == '.' || c == ','
}

/// True when `runs` (the integer part) are valid thousands groups.
fn valid_groups(runs: &[&str]) -> bool {
    match runs.split_first() {
        Some((first, rest)) => {
            (1..=3).contains(&first.len())
                && (rest.is_empty() || !first.starts_with('0'))
                && rest.iter().all(|r| r.len() == 3)
        }
        None => false,
    }
}

fn locate_decimal(lx: &Lexed<'_>) -> Option<Decimal> {
    let decimal_seps: Vec<(usize, char)> = lx
        .seps
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, c)| is_decimal_char(c))
        .collect();
    let Some(&(last, last_char)) = decimal_seps.last() else {
        return Some(Decimal::None);
    };
    let same = decimal_seps
        .iter()
        .filter(|&&(_, c)| c == last_char)
        .count();
    let mixed = same != decimal_seps.len();
    let is_last_sep = last + 1 == lx.seps.len();
    if mixed || same == 1 {
        // The last of two kinds, or a lone `.`/`,`, separates the fraction.
        if same > 1 || !is_last_sep {
            return None;
        }
        let ambiguous = !mixed && valid_groups(&lx.runs[..=last + 1]);
        return Some(if ambiguous {
            Decimal::Ambiguous(last)
        } else {
            Decimal::At(last)
        });
    }
    // The same decimal character several times: it can only be grouping.
    Some(Decimal::None)
}

/// Splits `[+-]digits[.digits]` (the common case) into integer and fraction
/// digits, without allocating; `None` for anything fancier.
fn plain(raw: &str) -> Option<(&str, Option<&str>)> {
    let body = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    let (int, frac) = match body.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (body, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let ok = digits(int)
        && match frac {
            Some(f) => !f.is_empty() && digits(f),
            None => !int.is_empty(),
        };
    ok.then_some((int, frac))
}

/// What a value alone says about the column's decimal separator.
pub(crate) fn decimal_evidence(raw: &str) -> Option<DecimalSeparator> {
    if let Some((int, frac)) = plain(raw) {
        // `12.5` proves a decimal point; `1.234` could be a thousand.
        let thousands = frac.is_some_and(|f| valid_groups(&[int, f]));
        return frac.filter(|_| !thousands).map(|_| DecimalSeparator::Point);
    }
    let lx = lex(raw)?;
    match locate_decimal(&lx)? {
        Decimal::At(i) => Some(DecimalSeparator::from_char(lx.seps[i])),
        Decimal::None => {
            let grouping = lx.seps.iter().find(|c| is_decimal_char(**c))?;
            // `1,000,000` groups with commas, so its decimal would be a point.
            Some(if *grouping == ',' {
                DecimalSeparator::Point
            } else {
                DecimalSeparator::Comma
            })
        }
        Decimal::Ambiguous(_) => None,
    }
}

/// Sign, decimal digits and power of ten: the exact value of the text.
struct Exact {
    negative: bool,
    digits: String,
    exponent: i64,
}

fn exact(raw: &str, decimal: DecimalSeparator, integer: bool) -> Option<Exact> {
    let lx = lex(raw)?;
    let at = match locate_decimal(&lx)? {
        Decimal::None => None,
        Decimal::At(i) => Some(i),
        // Integer columns read `1,000` and `1.000` as thousands.
        Decimal::Ambiguous(i) => (!integer && lx.seps[i] == decimal.char()).then_some(i),
    };
    let (int_runs, int_seps, frac) = match at {
        Some(i) => (&lx.runs[..=i], &lx.seps[..i], lx.runs[i + 1]),
        None => (&lx.runs[..], &lx.seps[..], ""),
    };
    if at.is_some() && frac.is_empty() {
        return None;
    }
    if let Some(first) = int_seps.first() {
        if !int_seps.iter().all(|c| c == first) || !valid_groups(int_runs) {
            return None;
        }
    } else if int_runs[0].is_empty() && at.is_none() {
        return None;
    }
    let mut digits: String = int_runs.concat();
    digits.push_str(frac);
    if digits.is_empty() {
        return None;
    }
    let exponent = i64::from(lx.exponent) - frac.len() as i64 - if lx.percent { 2 } else { 0 };
    Some(Exact {
        negative: lx.negative,
        digits,
        exponent,
    })
}

/// Parses a decimal (or percent) cell; `25%` gives 0.25. The separator is
/// used only when the value itself is ambiguous.
pub fn parse_decimal(raw: &str, decimal: DecimalSeparator) -> Result<f64, Problem> {
    // Fast path: a plain number whose `.` can only be a decimal point reads
    // the same through the standard (correctly rounded) parser.
    if let Some((_, frac)) = plain(raw)
        && (frac.is_none() || decimal == DecimalSeparator::Point)
        && let Ok(value) = raw.parse::<f64>()
        && value.is_finite()
        && value != 0.0
    {
        return Ok(value);
    }
    let x = exact(raw, decimal, false).ok_or_else(|| Problem::NotANumber(raw.trim().to_owned()))?;
    let text = format!(
        "{}{}e{}",
        if x.negative { "-" } else { "" },
        x.digits,
        x.exponent
    );
    let value: f64 = text
        .parse()
        .map_err(|_| Problem::NotANumber(raw.trim().to_owned()))?;
    let underflow = value == 0.0 && x.digits.bytes().any(|b| b != b'0');
    if !value.is_finite() || underflow {
        return Err(Problem::NumberOutOfRange(raw.trim().to_owned()));
    }
    Ok(value)
}

/// Parses a whole-number cell; `1.5E+3` is 1500, `1.5` is an error.
pub fn parse_integer(raw: &str, decimal: DecimalSeparator) -> Result<i64, Problem> {
    if let Some((_, None)) = plain(raw)
        && let Ok(value) = raw.parse::<i64>()
    {
        return Ok(value);
    }
    let trimmed = raw.trim();
    let x = exact(raw, decimal, true).ok_or_else(|| Problem::NotANumber(trimmed.to_owned()))?;
    let out_of_range = || Problem::NumberOutOfRange(trimmed.to_owned());
    let significant = x.digits.trim_start_matches('0');
    let mut magnitude: i128 = 0;
    if !significant.is_empty() {
        let keep = if x.exponent >= 0 {
            significant.len()
        } else {
            let drop = usize::try_from(-x.exponent).map_err(|_| out_of_range())?;
            let Some(keep) = significant.len().checked_sub(drop) else {
                return Err(Problem::NotAnInteger(trimmed.to_owned()));
            };
            if !significant[keep..].bytes().all(|b| b == b'0') {
                return Err(Problem::NotAnInteger(trimmed.to_owned()));
            }
            keep
        };
        let kept = &significant[..keep];
        if kept.len() > 20 {
            return Err(out_of_range());
        }
        magnitude = if kept.is_empty() {
            0
        } else {
            kept.parse().map_err(|_| out_of_range())?
        };
        if x.exponent > 0 {
            let scale = 10i128
                .checked_pow(u32::try_from(x.exponent).map_err(|_| out_of_range())?)
                .ok_or_else(out_of_range)?;
            magnitude = magnitude.checked_mul(scale).ok_or_else(out_of_range)?;
        }
    }
    let value = if x.negative { -magnitude } else { magnitude };
    i64::try_from(value).map_err(|_| out_of_range())
}
