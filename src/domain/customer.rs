//! Customers (`C-`): the MVP's participants, with the stage machine of
//! SPEC §2.2 and the derived check-in cadence (next due, overdue).

use super::Meta;
use super::validation::{Invalid, in_range, one_line};
use chrono::{Duration, NaiveDate};

named_enum!(
    /// How well the customer fits the ideal customer profile.
    IcpFit { Strong => "strong", Partial => "partial", Weak => "weak", Unknown => "unknown" }
);

named_enum!(
    /// Where the customer is in the MVP.
    Stage {
        Prospect => "prospect",
        Invited => "invited",
        Onboarding => "onboarding",
        Active => "active",
        Paused => "paused",
        Graduated => "graduated",
        Dropped => "dropped",
    }
);

impl Stage {
    /// The stages this one may move to. The spec's chain is prospect →
    /// invited → onboarding → active → paused → graduated, or dropped from
    /// any stage; we also let a paused customer resume (paused → active)
    /// and an active one graduate directly, as real MVPs do.
    pub fn next_stages(self) -> &'static [Stage] {
        match self {
            Stage::Prospect => &[Stage::Invited, Stage::Dropped],
            Stage::Invited => &[Stage::Onboarding, Stage::Dropped],
            Stage::Onboarding => &[Stage::Active, Stage::Dropped],
            Stage::Active => &[Stage::Paused, Stage::Graduated, Stage::Dropped],
            Stage::Paused => &[Stage::Active, Stage::Graduated, Stage::Dropped],
            Stage::Graduated | Stage::Dropped => &[],
        }
    }

    /// The symbol shown beside the colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Stage::Prospect => "○",
            Stage::Invited => "◌",
            Stage::Onboarding => "◔",
            Stage::Active => "●",
            Stage::Paused => "‖",
            Stage::Graduated => "★",
            Stage::Dropped => "✘",
        }
    }
}

/// A customer. `id` is 0 until saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub company: String,
    pub segment: String,
    pub icp_fit: IcpFit,
    pub stage: Stage,
    pub agreement_signed_on: Option<NaiveDate>,
    pub contact_name: String,
    pub contact_email: String,
    pub owner: String,
    pub cadence_days: i64,
    pub notes: String,
    pub meta: Meta,
}

impl Default for Customer {
    fn default() -> Self {
        Self {
            id: 0,
            name: String::new(),
            company: String::new(),
            segment: String::new(),
            icp_fit: IcpFit::Unknown,
            stage: Stage::Prospect,
            agreement_signed_on: None,
            contact_name: String::new(),
            contact_email: String::new(),
            owner: String::new(),
            cadence_days: 7,
            notes: String::new(),
            meta: Meta::default(),
        }
    }
}

impl Customer {
    /// Field rules that hold in every stage (uniqueness is the store's).
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Invalid::default();
        one_line(&mut errors, "name", &self.name, true);
        one_line(&mut errors, "company", &self.company, false);
        one_line(&mut errors, "segment", &self.segment, false);
        one_line(&mut errors, "contact_name", &self.contact_name, false);
        if !self.contact_email.is_empty() && !is_email(&self.contact_email) {
            errors.push("contact_email", "not an email address (name@example.com)");
        }
        in_range(&mut errors, "cadence_days", self.cadence_days, 1, 365);
        if matches!(self.stage, Stage::Active) && self.agreement_signed_on.is_none() {
            errors.push("agreement_signed_on", "required to be active");
        }
        errors.into_result()
    }

    /// When the next check-in is due: the last one plus the cadence, or the
    /// agreement date plus the cadence if there was none yet.
    pub fn next_due(&self, last_checkin: Option<NaiveDate>) -> Option<NaiveDate> {
        let base = last_checkin.or(self.agreement_signed_on)?;
        base.checked_add_signed(Duration::days(self.cadence_days))
    }

    /// An active customer past its next due date.
    pub fn is_overdue(&self, last_checkin: Option<NaiveDate>, today: NaiveDate) -> bool {
        self.stage == Stage::Active && self.next_due(last_checkin).is_some_and(|due| due < today)
    }
}

/// A plain check, not RFC 5322: one `@`, a dot in the domain, no spaces.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}

/// What a customer's history holds: check-ins, data entries, follow-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct History {
    pub checkins: i64,
    pub entries: i64,
    pub follow_ups: i64,
}

/// Why a customer cannot be deleted, or `None` when it can: one with any
/// history is kept (history is never dropped by accident), and moves to
/// `dropped` instead. Every delete path (the form's `d`, an import's
/// `--delete-missing`) asks this.
pub fn delete_refusal(history: History) -> Option<String> {
    if history == History::default() {
        return None;
    }
    let count = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    Some(format!(
        "it has {}, {} and {}; set its stage to dropped instead",
        count(history.checkins, "check-in", "check-ins"),
        count(history.entries, "data entry", "data entries"),
        count(history.follow_ups, "follow-up", "follow-ups"),
    ))
}

/// Why a stage change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    #[error("{from} → {to} is not a step: from {from} a customer can go to {allowed}")]
    NotAllowed {
        from: Stage,
        to: Stage,
        allowed: String,
    },
    #[error("{from} → active needs the agreement date (agreement_signed_on)")]
    NeedsAgreement { from: Stage },
}

/// Moves a customer to `to` if the stage machine allows it. `agreement`
/// supplies the date when the move itself asks for it.
pub fn change_stage(
    customer: &Customer,
    to: Stage,
    agreement: Option<NaiveDate>,
) -> Result<Customer, StageError> {
    let from = customer.stage;
    if !from.next_stages().contains(&to) {
        let allowed = if from.next_stages().is_empty() {
            "nothing (final stage)".to_string()
        } else {
            from.next_stages()
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        };
        return Err(StageError::NotAllowed { from, to, allowed });
    }
    let mut next = customer.clone();
    if agreement.is_some() {
        next.agreement_signed_on = agreement;
    }
    if to == Stage::Active && next.agreement_signed_on.is_none() {
        return Err(StageError::NeedsAgreement { from });
    }
    next.stage = to;
    Ok(next)
}

#[cfg(test)]
#[path = "customer_tests.rs"]
mod tests;
