//! The time source, injected so tests and snapshots can fix "now".

use chrono::{DateTime, Local, NaiveDate, SecondsFormat, TimeDelta, Utc};

/// The environment variable that fixes "today" for the binary (tests,
/// demos and screenshots); see [`Clock::from_env`].
pub const TODAY_VAR: &str = "CONCIERGE_TODAY";

/// Where "now" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The machine's clock.
    #[default]
    System,
    /// A fixed instant, for tests; "today" is its UTC date.
    Fixed(DateTime<Utc>),
    /// The machine's clock moved by a whole number of days, so "today" is
    /// another calendar day while time still runs (`CONCIERGE_TODAY`).
    Shifted(TimeDelta),
}

impl Clock {
    /// A fixed clock at noon UTC of the given day.
    pub fn fixed_day(day: NaiveDate) -> Self {
        Clock::Fixed(day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
    }

    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => at,
            Clock::Shifted(by) => Utc::now() + by,
        }
    }

    /// The user's calendar day (local time with the system clock).
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::System => Local::now().date_naive(),
            Clock::Fixed(at) => at.date_naive(),
            Clock::Shifted(by) => (Local::now() + by).date_naive(),
        }
    }

    /// The clock the binary runs on: the machine's, unless
    /// `CONCIERGE_TODAY=YYYY-MM-DD` names the day it is, so tests and
    /// demos see the same calendar on any real day (time still runs). A
    /// value that is not a date is an error naming the variable, never
    /// silently ignored.
    pub fn from_env() -> Result<Self, String> {
        match std::env::var(TODAY_VAR) {
            Ok(text) if !text.trim().is_empty() => Self::from_day_text(&text),
            _ => Ok(Clock::System),
        }
    }

    /// The machine's clock moved so that today is the `YYYY-MM-DD` day
    /// `text` names (what `CONCIERGE_TODAY` holds).
    pub fn from_day_text(text: &str) -> Result<Self, String> {
        let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| format!("{TODAY_VAR}={text:?} is not a date (YYYY-MM-DD)"))?;
        Ok(Clock::Shifted(TimeDelta::days(
            (day - Local::now().date_naive()).num_days(),
        )))
    }

    /// `now` as stored: RFC 3339 UTC with whole seconds.
    pub fn stamp(self) -> String {
        self.now().to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concierge_today_names_the_day_and_time_still_runs() {
        let clock = Clock::from_day_text("2027-01-01").expect("a date");
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("day")
        );
        let first = clock.now();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(clock.now() > first, "a shifted clock keeps running");
    }

    #[test]
    fn a_value_that_is_not_a_date_is_named() {
        let err = Clock::from_day_text("friday").expect_err("not a date");
        assert_eq!(err, "CONCIERGE_TODAY=\"friday\" is not a date (YYYY-MM-DD)");
    }
}
