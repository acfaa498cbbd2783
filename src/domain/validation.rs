//! Validation results: a list of (field, message) pairs, so a form can put
//! each message under its field and focus the first one.

use std::fmt;

/// One field's problem, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// Every problem found in a record, in field order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn push(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// `Ok(())` when nothing was pushed.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The message for `field`, if it has one.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for Invalid {}

/// Checks a required one-line text: not blank and without line breaks.
pub fn one_line(errors: &mut Invalid, field: &'static str, value: &str, required: bool) {
    if required && value.trim().is_empty() {
        errors.push(field, "required");
    } else if value.contains(['\n', '\r']) {
        errors.push(field, "must be one line");
    }
}

/// Checks an integer lies in `lo..=hi`.
pub fn in_range(errors: &mut Invalid, field: &'static str, value: i64, lo: i64, hi: i64) {
    if !(lo..=hi).contains(&value) {
        errors.push(field, format!("must be between {lo} and {hi}"));
    }
}
