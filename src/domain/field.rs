//! Live-data field definitions: the columns of the sheet a team used to
//! keep (SPEC §2.6).

use super::Meta;
use super::validation::{Invalid, one_line};

named_enum!(
    /// The value type of a field.
    FieldType {
        Integer => "integer",
        Decimal => "decimal",
        Percent => "percent",
        Text => "text",
        Date => "date",
        Boolean => "boolean",
        Choice => "choice",
    }
);

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub id: i64,
    pub key: String,
    pub label: String,
    pub field_type: FieldType,
    pub options: Vec<String>,
    pub unit: String,
    pub required: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub description: String,
    pub position: i64,
    pub archived: bool,
    pub meta: Meta,
}

impl Field {
    /// A new, unsaved field with no unit, bounds or options.
    pub fn new(key: &str, label: &str, field_type: FieldType) -> Self {
        Field {
            id: 0,
            key: key.to_string(),
            label: label.to_string(),
            field_type,
            options: Vec::new(),
            unit: String::new(),
            required: false,
            min: None,
            max: None,
            description: String::new(),
            position: 0,
            archived: false,
            meta: Meta::default(),
        }
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Invalid::default();
        if !is_snake_case(&self.key) {
            errors.push(
                "key",
                "snake_case: lower-case letters, digits and _, starting with a letter",
            );
        }
        one_line(&mut errors, "label", &self.label, true);
        if self.field_type == FieldType::Choice && self.options.is_empty() {
            errors.push("options", "a choice field needs at least one option");
        }
        if let (Some(lo), Some(hi)) = (self.min, self.max)
            && lo > hi
        {
            errors.push("max", "must not be below min");
        }
        errors.into_result()
    }

    /// The SQLite column that holds this field's values in `entries`.
    pub fn column(&self) -> String {
        format!("f_{}", self.id)
    }
}

/// `submittals_logged` yes, `Submittals Logged` no.
pub fn is_snake_case(key: &str) -> bool {
    key.len() <= 48
        && key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_must_be_snake_case() {
        assert!(is_snake_case("submittals_logged"));
        assert!(is_snake_case("rfi2"));
        for bad in ["", "2fast", "Hours", "hours saved", "hours-saved"] {
            assert!(!is_snake_case(bad), "{bad}");
        }
    }
}
