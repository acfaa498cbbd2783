//! The form that records a weekly review: who attended and notes.

use crate::app::form::{Form, FormField, FormTarget};

pub fn form(week: &str, actor: &str, notes: &str) -> Form {
    let fields = vec![
        FormField::line("attendees", "Attendees (comma-separated)", "")
            .suggest(vec![actor.to_string()], false)
            .required(),
        FormField::lines("notes", "Notes (what was decided and why)", notes),
    ];
    Form::new(
        format!("Record the {week} review"),
        FormTarget::Review,
        fields,
    )
}
