//! Dates as people type them in forms and grid cells: `today`,
//! `yesterday`, `tomorrow`, `-3d`, `+1w`, `2026-11-20`, `11/20`.

use chrono::{Datelike, Duration, NaiveDate};

/// Parses a typed date relative to `today`; `None` when it is not a date.
pub fn parse_date_input(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let text = text.trim().to_ascii_lowercase();
    match text.as_str() {
        "today" | "t" => return Some(today),
        "yesterday" | "y" => return Some(today - Duration::days(1)),
        "tomorrow" => return Some(today + Duration::days(1)),
        _ => {}
    }
    if let Some(date) = relative(&text, today) {
        return Some(date);
    }
    if let Ok(date) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        return Some(date);
    }
    // `11/20` means this year's 20 November (US order, as the spec's example).
    let mut parts = text.split('/');
    let (Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    NaiveDate::from_ymd_opt(today.year(), m.parse().ok()?, d.parse().ok()?)
}

/// `+3d`, `-2w`, `+1m` (30 days are not a month: months step calendar months).
fn relative(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let sign = match text.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let unit = text.chars().last()?;
    let number: i64 = text.get(1..text.len() - 1)?.parse().ok()?;
    let n = sign * number;
    match unit {
        'd' => today.checked_add_signed(Duration::days(n)),
        'w' => today.checked_add_signed(Duration::weeks(n)),
        'm' => {
            let months = chrono::Months::new(u32::try_from(number).ok()?);
            if sign > 0 {
                today.checked_add_months(months)
            } else {
                today.checked_sub_months(months)
            }
        }
        _ => None,
    }
}

/// Parses a stored ISO date, as SQLite keeps it.
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn shorthands_resolve_against_today() {
        let today = day(2026, 11, 21);
        assert_eq!(parse_date_input("today", today), Some(today));
        assert_eq!(
            parse_date_input("Yesterday", today),
            Some(day(2026, 11, 20))
        );
        assert_eq!(parse_date_input("-3d", today), Some(day(2026, 11, 18)));
        assert_eq!(parse_date_input("+1w", today), Some(day(2026, 11, 28)));
        assert_eq!(parse_date_input("+1m", today), Some(day(2026, 12, 21)));
        assert_eq!(
            parse_date_input("2026-11-20", today),
            Some(day(2026, 11, 20))
        );
        assert_eq!(parse_date_input("11/20", today), Some(day(2026, 11, 20)));
    }

    #[test]
    fn nonsense_is_not_a_date() {
        let today = day(2026, 11, 21);
        for text in ["", "soon", "+d", "13/40", "2026-02-30", "+xw"] {
            assert_eq!(parse_date_input(text, today), None, "{text}");
        }
    }
}
