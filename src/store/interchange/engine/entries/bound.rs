//! A cell as bound to the INSERT, borrowing the row's text instead of
//! copying it into an owned SQL value: a large import binds millions.

use super::super::super::values::{Refs, to_sql};
use crate::interchange::spec::{Col, Conv};
use crate::sheet::Value;
use crate::store::Result;
use crate::store::copy::copy_escaped;
use crate::store::db::{Arg, Db, IntoArg};
use chrono::Datelike;
use rusqlite::Statement;
use rusqlite::types::{Null, Value as Sql};

pub(super) enum Bound<'r> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'r str),
    /// A date as `YYYY-MM-DD`, written without a formatter.
    Day([u8; 10]),
    /// What the general conversion made of a rarer case.
    Sql(Sql),
}

impl<'r> Bound<'r> {
    /// What `value` stores in `col`, as [`to_sql`] converts it.
    pub fn of(db: &Db, col: &Col, value: &'r Value, refs: &Refs) -> Result<Result<Self, String>> {
        Ok(Ok(match (&col.conv, value) {
            (Conv::Ref(_) | Conv::Priority | Conv::Stamp, _) => {
                return Ok(to_sql(db, col, value, refs)?.map(Bound::Sql));
            }
            (Conv::Real | Conv::Percent, Value::Int(i)) => Bound::Real(*i as f64),
            (_, Value::Null) => Bound::Null,
            (_, Value::Text(s)) => Bound::Text(s),
            (_, Value::Int(i)) => Bound::Int(*i),
            (_, Value::Decimal(d)) => Bound::Real(*d),
            (_, Value::Bool(b)) => Bound::Int(i64::from(*b)),
            (_, Value::Date(d)) => match u32::try_from(d.year()) {
                Ok(year) if year <= 9999 => {
                    let mut day = *b"0000-00-00";
                    digits(&mut day[0..4], year);
                    digits(&mut day[5..7], d.month());
                    digits(&mut day[8..10], d.day());
                    Bound::Day(day)
                }
                _ => Bound::Sql(Sql::Text(d.to_string())),
            },
        }))
    }

    pub fn int(&self) -> Option<i64> {
        match self {
            Bound::Int(i) | Bound::Sql(Sql::Integer(i)) => Some(*i),
            _ => None,
        }
    }

    /// Sets `out` to the text bound, if any.
    pub fn text_into(&self, out: &mut String) {
        out.clear();
        match self {
            Bound::Text(s) => out.push_str(s),
            Bound::Day(day) => out.push_str(std::str::from_utf8(day).unwrap_or_default()),
            Bound::Sql(Sql::Text(s)) => out.push_str(s),
            _ => {}
        }
    }

    /// The cell as an owned query argument (a server's one-row INSERT).
    pub fn arg(&self) -> Arg<'static> {
        match self {
            Bound::Null => Arg::Null,
            Bound::Int(i) => Arg::Int(*i),
            Bound::Real(x) => Arg::Real(*x),
            Bound::Text(s) => Arg::Text((*s).to_owned().into()),
            Bound::Day(day) => Arg::Text(
                std::str::from_utf8(day)
                    .unwrap_or_default()
                    .to_owned()
                    .into(),
            ),
            Bound::Sql(value) => match value.arg() {
                Arg::Text(t) => Arg::Text(t.into_owned().into()),
                Arg::Null => Arg::Null,
                Arg::Int(i) => Arg::Int(i),
                Arg::Real(x) => Arg::Real(x),
            },
        }
    }

    /// Appends the cell in `COPY`'s text format: `\N` for NULL, text with
    /// backslash, tab, newline and carriage return escaped, reals as the
    /// shortest text that reads back to the same number.
    pub fn copy_text(&self, out: &mut Vec<u8>) {
        use std::io::Write as _;
        match self {
            Bound::Null | Bound::Sql(Sql::Null) => out.extend_from_slice(b"\\N"),
            Bound::Int(i) | Bound::Sql(Sql::Integer(i)) => {
                let _ = write!(out, "{i}");
            }
            Bound::Real(x) | Bound::Sql(Sql::Real(x)) => real(out, *x),
            Bound::Text(s) => copy_escaped(out, s),
            Bound::Sql(Sql::Text(s)) => copy_escaped(out, s),
            Bound::Day(day) => out.extend_from_slice(day),
            Bound::Sql(Sql::Blob(b)) => {
                let _ = write!(out, "<{} bytes>", b.len());
            }
        }
    }

    pub fn bind(&self, stmt: &mut Statement<'_>, index: usize) -> Result<()> {
        match self {
            Bound::Null => stmt.raw_bind_parameter(index, Null)?,
            Bound::Int(i) => stmt.raw_bind_parameter(index, i)?,
            Bound::Real(x) => stmt.raw_bind_parameter(index, x)?,
            Bound::Text(s) => stmt.raw_bind_parameter(index, s)?,
            Bound::Day(day) => {
                stmt.raw_bind_parameter(index, std::str::from_utf8(day).unwrap_or_default())?;
            }
            Bound::Sql(value) => stmt.raw_bind_parameter(index, value)?,
        }
        Ok(())
    }
}

/// A real as PostgreSQL's `float8` reads it back exactly.
fn real(out: &mut Vec<u8>, x: f64) {
    use std::io::Write as _;
    if x.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if x.is_infinite() {
        out.extend_from_slice(if x > 0.0 {
            &b"Infinity"[..]
        } else {
            b"-Infinity"
        });
    } else {
        let _ = write!(out, "{x:?}");
    }
}

/// Writes `n` in decimal into `out`, zero-padded to its length.
fn digits(out: &mut [u8], mut n: u32) {
    for byte in out.iter_mut().rev() {
        *byte = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn copy_text_escapes_what_copy_reads_specially_and_keeps_reals_exact() {
        let text = |b: Bound<'_>| {
            let mut out = Vec::new();
            b.copy_text(&mut out);
            String::from_utf8(out).expect("utf-8")
        };
        assert_eq!(text(Bound::Text("a\tb\\c\nd\re")), "a\\tb\\\\c\\nd\\re");
        assert_eq!(text(Bound::Null), "\\N");
        assert_eq!(text(Bound::Sql(Sql::Null)), "\\N");
        assert_eq!(
            text(Bound::Text("\\N")),
            "\\\\N",
            "text that reads like NULL"
        );
        assert_eq!(text(Bound::Int(-42)), "-42");
        assert_eq!(text(Bound::Real(0.1)), "0.1");
        assert_eq!(text(Bound::Real(3.0)), "3.0");
        assert_eq!(text(Bound::Real(1e300)), "1e300");
        assert_eq!(text(Bound::Real(f64::NEG_INFINITY)), "-Infinity");
        assert_eq!(text(Bound::Day(*b"2026-11-21")), "2026-11-21");
    }

    #[test]
    fn dates_are_written_as_the_formatter_writes_them() {
        for (y, m, d) in [(2026, 1, 5), (1, 12, 31), (999, 7, 4), (9999, 12, 31)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("date");
            let mut day = *b"0000-00-00";
            digits(&mut day[0..4], y.unsigned_abs());
            digits(&mut day[5..7], m);
            digits(&mut day[8..10], d);
            assert_eq!(std::str::from_utf8(&day).expect("ascii"), date.to_string());
        }
    }
}
