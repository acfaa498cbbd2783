//! Weeks as a team names them: ISO `2026-W47`, starting on the day the
//! workspace chose (Monday by default).
//!
//! The week labelled `YYYY-Www` is the seven days that start on the last
//! start day on or before that ISO week's Thursday. With a Monday start that
//! is exactly the ISO week; with a Sunday start, `2026-W47` runs from Sunday
//! 15 to Saturday 21 November 2026. Every run of seven days holds exactly one
//! Thursday, so every day belongs to exactly one labelled week, whatever the
//! start day.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::fmt;

/// Why a typed week was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeekError {
    #[error("“{0}” is not a week: write it as YYYY-Www, e.g. 2026-W47")]
    Format(String),
    #[error("{year} has no week {week} (ISO years have 52 or 53 weeks)")]
    NoSuchWeek { year: i32, week: u32 },
}

/// One labelled week of seven days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Week {
    year: i32,
    number: u32,
    start: NaiveDate,
}

impl Week {
    /// The week that holds `day`, for weeks starting on `start_day`.
    pub fn containing(day: NaiveDate, start_day: Weekday) -> Self {
        let back = days_between(start_day, day.weekday());
        let start = day - Duration::days(back);
        Self::starting(start, start_day)
    }

    /// Parses `2026-W47` (also `2026-w47`, `2026-W7`, `2026W47`).
    pub fn parse(text: &str, start_day: Weekday) -> Result<Self, WeekError> {
        let bad = || WeekError::Format(text.trim().to_string());
        let upper = text.trim().to_ascii_uppercase();
        let (year, week) = upper.split_once('W').ok_or_else(bad)?;
        let year = year.strip_suffix('-').unwrap_or(year);
        if year.len() != 4 || week.is_empty() || week.len() > 2 {
            return Err(bad());
        }
        if !year.bytes().chain(week.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let week: u32 = week.parse().map_err(|_| bad())?;
        let thursday = NaiveDate::from_isoywd_opt(year, week, Weekday::Thu)
            .ok_or(WeekError::NoSuchWeek { year, week })?;
        Ok(Self::containing(thursday, start_day))
    }

    fn starting(start: NaiveDate, start_day: Weekday) -> Self {
        let thursday = start + Duration::days(days_between(start_day, Weekday::Thu));
        let iso = thursday.iso_week();
        Self {
            year: iso.year(),
            number: iso.week(),
            start,
        }
    }

    /// `2026-W47`.
    pub fn label(&self) -> String {
        format!("{}-W{:02}", self.year, self.number)
    }

    /// The ISO year of the label.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The week number of the label (1–53).
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The first day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day (inclusive).
    pub fn end(&self) -> NaiveDate {
        self.start + Duration::days(6)
    }

    /// The day the week starts on.
    pub fn start_day(&self) -> Weekday {
        self.start.weekday()
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end()
    }

    /// The week `n` weeks later (earlier when `n` is negative).
    #[must_use]
    pub fn shifted(&self, n: i64) -> Self {
        Self::starting(self.start + Duration::weeks(n), self.start_day())
    }

    #[must_use]
    pub fn previous(&self) -> Self {
        self.shifted(-1)
    }

    #[must_use]
    pub fn next(&self) -> Self {
        self.shifted(1)
    }
}

impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Days from the last `from` on or before a `to` day, to that day (0–6).
fn days_between(from: Weekday, to: Weekday) -> i64 {
    i64::from((to.num_days_from_monday() + 7 - from.num_days_from_monday()) % 7)
}

/// The name a workspace stores for a start day: `monday` … `sunday`.
pub fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn monday_weeks_are_iso_weeks() {
        let week = Week::containing(day(2026, 11, 21), Weekday::Mon);
        assert_eq!(week.label(), "2026-W47");
        assert_eq!(
            (week.start(), week.end()),
            (day(2026, 11, 16), day(2026, 11, 22))
        );
        assert_eq!(Week::parse("2026-W47", Weekday::Mon), Ok(week));
        assert_eq!(week.previous().label(), "2026-W46");
        assert_eq!(week.next().start(), day(2026, 11, 23));
    }

    #[test]
    fn sunday_weeks_start_the_day_before_the_iso_monday() {
        let week = Week::parse("2026-W47", Weekday::Sun).expect("week");
        assert_eq!(
            (week.start(), week.end()),
            (day(2026, 11, 15), day(2026, 11, 21))
        );
        assert_eq!(
            Week::containing(day(2026, 11, 22), Weekday::Sun).label(),
            "2026-W48"
        );
        assert_eq!(Week::containing(day(2026, 11, 21), Weekday::Sun), week);
        assert_eq!(week.start_day(), Weekday::Sun);
    }

    #[test]
    fn weeks_cross_year_ends_by_their_thursday() {
        // 1 January 2027 is a Friday: it belongs to 2026-W53.
        let week = Week::containing(day(2027, 1, 1), Weekday::Mon);
        assert_eq!(week.label(), "2026-W53");
        assert_eq!(week.next().label(), "2027-W01");
        assert_eq!(
            Week::parse("2027-w1", Weekday::Mon).map(|w| w.start()),
            Ok(day(2027, 1, 4))
        );
    }

    #[test]
    fn nonsense_and_missing_weeks_are_refused_with_a_reason() {
        for text in [
            "",
            "2026",
            "W47",
            "2026-47",
            "26-W47",
            "2026-W",
            "2026-W470",
            "2026-Wx1",
        ] {
            assert!(
                matches!(Week::parse(text, Weekday::Mon), Err(WeekError::Format(_))),
                "{text}"
            );
        }
        assert_eq!(
            Week::parse("2025-W53", Weekday::Mon),
            Err(WeekError::NoSuchWeek {
                year: 2025,
                week: 53
            })
        );
        assert!(Week::parse("2026-W00", Weekday::Mon).is_err());
    }
}
