//! Follow-ups (`F-`): action items from a check-in or on a customer.

use super::Meta;
use super::validation::{Invalid, one_line};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FollowUp {
    pub id: i64,
    pub customer_id: i64,
    pub checkin_id: Option<i64>,
    pub text: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    /// When it was done (UTC timestamp); `None` while open.
    pub done_at: Option<String>,
    pub meta: Meta,
}

impl FollowUp {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Invalid::default();
        one_line(&mut errors, "text", &self.text, true);
        if self.customer_id <= 0 {
            errors.push("customer", "required");
        }
        errors.into_result()
    }

    /// Open and past its due date.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.done_at.is_none() && self.due_on.is_some_and(|d| d < today)
    }
}
