//! Learning backlog items (`H-`): hypotheses, risks and opportunities, with
//! the status state machine of SPEC §2.1.

use super::validation::{Invalid, in_range, one_line};
use super::{Meta, dates};
use chrono::NaiveDate;

named_enum!(
    /// What kind of learning item this is.
    ItemKind { Hypothesis => "hypothesis", Risk => "risk", Opportunity => "opportunity" }
);

named_enum!(
    /// The classic four risk categories.
    Category {
        Desirability => "desirability",
        Viability => "viability",
        Feasibility => "feasibility",
        Usability => "usability",
    }
);

named_enum!(
    /// Where an item is in its life.
    Status {
        Backlog => "backlog",
        Testing => "testing",
        Validated => "validated",
        Invalidated => "invalidated",
        Parked => "parked",
    }
);

named_enum!(
    /// What the team decided when a test concluded.
    Decision { Persevere => "persevere", Pivot => "pivot", Kill => "kill", Retest => "retest" }
);

impl Status {
    /// The symbol shown beside the colour, so status reads without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Backlog => "·",
            Status::Testing => "◐",
            Status::Validated => "✔",
            Status::Invalidated => "✘",
            Status::Parked => "‖",
        }
    }

    /// The statuses this one may move to, in menu order.
    pub fn next_statuses(self) -> &'static [Status] {
        match self {
            Status::Backlog | Status::Validated | Status::Invalidated => {
                &[Status::Testing, Status::Parked]
            }
            Status::Testing => &[Status::Validated, Status::Invalidated, Status::Parked],
            Status::Parked => &[Status::Backlog],
        }
    }

    /// Whether the item has concluded (validated or invalidated).
    pub fn is_decided(self) -> bool {
        matches!(self, Status::Validated | Status::Invalidated)
    }
}

/// A learning backlog item. `id` is 0 until the store has saved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BacklogItem {
    pub id: i64,
    pub kind: ItemKind,
    pub statement: String,
    pub category: Option<Category>,
    pub test: String,
    pub metric: String,
    pub metric_field: Option<i64>,
    pub criterion: String,
    pub impact: i64,
    pub uncertainty: i64,
    pub status: Status,
    /// Why it was last parked or reopened.
    pub status_reason: String,
    /// When it entered its current status (ISO date), for "age in status".
    pub status_since: String,
    pub owner: String,
    pub tags: Vec<String>,
    pub learning: String,
    pub decision: Option<Decision>,
    pub decided_at: Option<NaiveDate>,
    pub meta: Meta,
}

impl Default for BacklogItem {
    fn default() -> Self {
        Self {
            id: 0,
            kind: ItemKind::Hypothesis,
            statement: String::new(),
            category: None,
            test: String::new(),
            metric: String::new(),
            metric_field: None,
            criterion: String::new(),
            impact: 3,
            uncertainty: 3,
            status: Status::Backlog,
            status_reason: String::new(),
            status_since: String::new(),
            owner: String::new(),
            tags: Vec::new(),
            learning: String::new(),
            decision: None,
            decided_at: None,
            meta: Meta::default(),
        }
    }
}

impl BacklogItem {
    /// impact × uncertainty, 1–25: the default sort, highest first.
    pub fn priority(&self) -> i64 {
        self.impact * self.uncertainty
    }

    /// Field rules that hold in every status.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Invalid::default();
        one_line(&mut errors, "statement", &self.statement, true);
        in_range(&mut errors, "impact", self.impact, 1, 5);
        in_range(&mut errors, "uncertainty", self.uncertainty, 1, 5);
        one_line(&mut errors, "owner", &self.owner, false);
        if let Some(bad) = self.tags.iter().find(|t| !is_tag(t)) {
            errors.push(
                "tags",
                format!("“{bad}” is not a short word (letters, digits, - or _)"),
            );
        }
        if self.status == Status::Testing || self.status.is_decided() {
            require(&mut errors, "test", &self.test, "testing");
            require(&mut errors, "criterion", &self.criterion, "testing");
        }
        if self.status.is_decided() {
            require(
                &mut errors,
                "learning",
                &self.learning,
                self.status.as_str(),
            );
            if self.decision.is_none() {
                errors.push(
                    "decision",
                    format!("required when {} ({})", self.status, Decision::choices()),
                );
            }
        }
        errors.into_result()
    }

    /// Tags typed as "a, b c" become `["a", "b", "c"]`.
    pub fn parse_tags(text: &str) -> Vec<String> {
        text.split([',', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase)
            .collect()
    }
}

fn require(errors: &mut Invalid, field: &'static str, value: &str, when: &str) {
    if value.trim().is_empty() {
        errors.push(field, format!("required when {when}"));
    }
}

fn is_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.chars().count() <= 24
        && tag
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// What a status change needs beyond the item itself.
#[derive(Debug, Clone, Default)]
pub struct TransitionInput {
    /// Reason for parking or reopening.
    pub reason: String,
    /// How many evidence links the item has.
    pub evidence_count: usize,
    /// The day of the change (for `decided_at` and `status_since`).
    pub today: Option<NaiveDate>,
}

/// Why a status change was refused, in words that say what is missing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("{from} → {to} is not a step: from {from} an item can go to {allowed}")]
    NotAllowed {
        from: Status,
        to: Status,
        allowed: String,
    },
    #[error("{from} → {to} needs {}", .missing.join(", "))]
    Missing {
        from: Status,
        to: Status,
        missing: Vec<&'static str>,
    },
}

/// What a transition from `from` to `to` requires, as field names
/// (`reason` and `evidence` are not item fields but inputs to the move).
pub fn requirements(from: Status, to: Status) -> &'static [&'static str] {
    match (from, to) {
        (Status::Backlog, Status::Testing) => &["test", "criterion"],
        (Status::Testing, Status::Validated | Status::Invalidated) => {
            &["learning", "decision", "evidence"]
        }
        (_, Status::Parked) | (Status::Validated | Status::Invalidated, Status::Testing) => {
            &["reason"]
        }
        _ => &[],
    }
}

/// The item fields a move from `from` to `to` needs that `item` lacks
/// (`test`, `criterion`, `learning`, `decision`), in the machine's order:
/// what the `s` key asks for in a form, and what [`transition`] refuses.
pub fn missing_fields(item: &BacklogItem, from: Status, to: Status) -> Vec<&'static str> {
    requirements(from, to)
        .iter()
        .copied()
        .filter(|need| match *need {
            "test" => item.test.trim().is_empty(),
            "criterion" => item.criterion.trim().is_empty(),
            "learning" => item.learning.trim().is_empty(),
            "decision" => item.decision.is_none(),
            _ => false,
        })
        .collect()
}

/// Moves `item` to `to` if the state machine allows it, filling in
/// `status_since`, `decided_at` and `status_reason`.
pub fn transition(
    item: &BacklogItem,
    to: Status,
    input: &TransitionInput,
) -> Result<BacklogItem, TransitionError> {
    let from = item.status;
    if !from.next_statuses().contains(&to) {
        let allowed = from
            .next_statuses()
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" or ");
        return Err(TransitionError::NotAllowed { from, to, allowed });
    }
    let needs = requirements(from, to);
    let inputs = needs.iter().copied().filter(|need| match *need {
        "evidence" => input.evidence_count == 0,
        "reason" => input.reason.trim().is_empty(),
        _ => false,
    });
    let mut lacking = missing_fields(item, from, to);
    lacking.extend(inputs);
    lacking.sort_by_key(|need| needs.iter().position(|n| n == need));
    let missing: Vec<&'static str> = lacking
        .into_iter()
        .map(|need| match need {
            "evidence" => "at least one evidence link",
            "reason" => "a reason",
            "test" => "a test",
            "criterion" => "a criterion",
            "learning" => "a learning",
            "decision" => "a decision",
            other => other,
        })
        .collect();
    if !missing.is_empty() {
        return Err(TransitionError::Missing { from, to, missing });
    }
    let mut next = item.clone();
    next.status = to;
    if let Some(today) = input.today {
        next.status_since = today.to_string();
        if to.is_decided() {
            next.decided_at = Some(today);
        }
    }
    if !input.reason.trim().is_empty() {
        next.status_reason = input.reason.trim().to_string();
    }
    Ok(next)
}

/// Parses an ISO date string kept on a record.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    dates::parse_iso(text)
}

#[cfg(test)]
#[path = "backlog_tests.rs"]
mod tests;
