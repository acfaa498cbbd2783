//! The time source, injected so tests and snapshots can fix "now".

use chrono::{DateTime, Local, NaiveDate, SecondsFormat, Utc};

/// Where "now" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The machine's clock.
    #[default]
    System,
    /// A fixed instant, for tests; "today" is its UTC date.
    Fixed(DateTime<Utc>),
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
        }
    }

    /// The user's calendar day (local time with the system clock).
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::System => Local::now().date_naive(),
            Clock::Fixed(at) => at.date_naive(),
        }
    }

    /// `now` as stored: RFC 3339 UTC with whole seconds.
    pub fn stamp(self) -> String {
        self.now().to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}
