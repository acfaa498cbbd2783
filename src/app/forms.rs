//! The form of each record type: which fields it shows (with completions
//! from existing values) and how their text becomes the record.

pub mod backlog;
pub mod checkin;
pub mod customer;
pub mod evidence;
pub mod field;
pub mod followup;
pub mod review;

use crate::domain::{Invalid, RecordKind};
use crate::store::Store;

/// Shown for "no value" in optional choices.
pub const NONE: &str = "—";

/// Existing values offered as completions.
#[derive(Debug, Clone, Default)]
pub struct Suggestions {
    pub people: Vec<String>,
    pub segments: Vec<String>,
    pub customers: Vec<(i64, String)>,
    pub tags: Vec<String>,
    /// Live-data fields `(id, key)`, for a hypothesis's metric field.
    pub fields: Vec<(i64, String)>,
}

impl Suggestions {
    /// Reads them from the workspace (empty lists if it cannot).
    pub fn read(store: &Store) -> Self {
        let mut people: Vec<String> = [
            (RecordKind::Backlog, "owner"),
            (RecordKind::Customer, "owner"),
            (RecordKind::CheckIn, "author"),
            (RecordKind::FollowUp, "owner"),
        ]
        .iter()
        .flat_map(|(kind, column)| store.distinct_values(*kind, column).unwrap_or_default())
        .collect();
        people.sort_by_key(|p| p.to_lowercase());
        people.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        Self {
            people,
            segments: store
                .distinct_values(RecordKind::Customer, "segment")
                .unwrap_or_default(),
            customers: store.customer_names().unwrap_or_default(),
            tags: store.backlog_tags().unwrap_or_default(),
            fields: store
                .fields()
                .unwrap_or_default()
                .into_iter()
                .map(|f| (f.id, f.key))
                .collect(),
        }
    }

    pub fn customer_names(&self) -> Vec<String> {
        self.customers.iter().map(|(_, n)| n.clone()).collect()
    }

    /// The id of the customer named `name` (ignoring case).
    pub fn customer_id(&self, name: &str) -> Option<i64> {
        self.customers
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(id, _)| *id)
    }
}

/// The names of `all` values, optionally with "—" first for none.
pub fn names<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, none: bool) -> Vec<String> {
    let mut out: Vec<String> = if none { vec![NONE.into()] } else { Vec::new() };
    out.extend(all.iter().map(|v| name(*v).to_string()));
    out
}

/// Parses an optional whole number field, noting a bad one in `errors`.
pub fn optional_number(text: &str, field: &'static str, errors: &mut Invalid) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() || text == NONE {
        return None;
    }
    text.trim_start_matches('+').parse().map_or_else(
        |_| {
            errors.push(field, "a whole number");
            None
        },
        Some,
    )
}

/// Parses a date field, noting a bad or (if `required`) missing one.
pub fn date(
    text: &str,
    field: &'static str,
    required: bool,
    today: chrono::NaiveDate,
    errors: &mut Invalid,
) -> Option<chrono::NaiveDate> {
    if text.trim().is_empty() {
        if required {
            errors.push(field, "required");
        }
        return None;
    }
    let parsed = crate::domain::dates::parse_date_input(text, today);
    if parsed.is_none() {
        errors.push(field, "not a date: try today, -3d, +1w, 2026-11-20, 11/20");
    }
    parsed
}
