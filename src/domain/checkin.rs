//! Check-ins (`K-`): calls, visits and the like with a customer.

use super::Meta;
use super::validation::{Invalid, in_range, one_line};
use chrono::NaiveDate;

named_enum!(
    /// How the check-in happened.
    CheckInKind {
        Call => "call",
        Visit => "visit",
        Email => "email",
        Chat => "chat",
        Survey => "survey",
        Workshop => "workshop",
    }
);

/// A check-in. A future `occurred_on` means it is planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub id: i64,
    pub customer_id: i64,
    pub occurred_on: NaiveDate,
    pub kind: CheckInKind,
    pub author: String,
    pub summary: String,
    pub notes: String,
    pub health: Option<i64>,
    pub effort_minutes: Option<i64>,
    pub meta: Meta,
}

impl CheckIn {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Invalid::default();
        if self.customer_id <= 0 {
            errors.push("customer", "required");
        }
        one_line(&mut errors, "summary", &self.summary, true);
        one_line(&mut errors, "author", &self.author, false);
        if let Some(h) = self.health {
            in_range(&mut errors, "health", h, -2, 2);
        }
        if let Some(m) = self.effort_minutes {
            in_range(&mut errors, "effort_minutes", m, 0, 100_000);
        }
        errors.into_result()
    }

    pub fn is_planned(&self, today: NaiveDate) -> bool {
        self.occurred_on > today
    }
}
