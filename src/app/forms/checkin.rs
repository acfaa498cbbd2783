//! The check-in form. The customer is typed with completion (`→`, or
//! leaving the field, completes "cor" to "Cordova & Sons").

use super::{NONE, Suggestions, date, optional_number};
use crate::app::form::{Form, FormField, FormTarget};
use crate::domain::{CheckIn, CheckInKind, Invalid};
use chrono::NaiveDate;

pub fn form(k: &CheckIn, customer: &str, suggest: &Suggestions, today: NaiveDate) -> Form {
    let title = if k.id == 0 {
        "Log a check-in".to_string()
    } else {
        format!("Edit K-{}", k.id)
    };
    let health: Vec<String> = [NONE, "-2", "-1", "0", "+1", "+2"]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    let current = k.health.map_or(NONE.to_string(), |h| {
        if h > 0 {
            format!("+{h}")
        } else {
            h.to_string()
        }
    });
    let fields = vec![
        FormField::line("customer", "Customer", customer)
            .suggest(suggest.customer_names(), true)
            .required(),
        FormField::date(
            "occurred_on",
            "On (future = planned)",
            Some(k.occurred_on),
            today,
        )
        .required(),
        FormField::choice(
            "kind",
            "Kind",
            super::names(CheckInKind::ALL, CheckInKind::as_str, false),
            k.kind.as_str(),
        ),
        FormField::line("summary", "Summary (one line)", &k.summary).required(),
        FormField::lines("notes", "Notes", &k.notes),
        FormField::choice("health", "Health (−2…+2)", health, &current),
        FormField::line(
            "effort_minutes",
            "Effort (minutes of hand-work)",
            &k.effort_minutes.map(|m| m.to_string()).unwrap_or_default(),
        ),
        FormField::line("author", "Author", &k.author).suggest(suggest.people.clone(), false),
    ];
    let mut form = Form::new(
        title,
        FormTarget::CheckIn {
            id: k.id,
            rev: k.meta.rev,
        },
        fields,
    );
    if k.id == 0 && !customer.is_empty() {
        // The customer is known (logged from the Customers pane): start on
        // the summary so the user can type at once.
        form.focus = 3;
    }
    form
}

pub fn build(
    form: &Form,
    base: &CheckIn,
    suggest: &Suggestions,
    today: NaiveDate,
) -> Result<CheckIn, Invalid> {
    let mut errors = Invalid::default();
    let name = form.value("customer");
    let customer_id = suggest.customer_id(&name).unwrap_or_else(|| {
        if !name.trim().is_empty() {
            errors.push("customer", format!("no customer named “{}”", name.trim()));
        }
        0
    });
    let occurred_on = date(
        &form.value("occurred_on"),
        "occurred_on",
        true,
        today,
        &mut errors,
    );
    let checkin = CheckIn {
        customer_id,
        occurred_on: occurred_on.unwrap_or(today),
        kind: CheckInKind::parse(&form.value("kind")).unwrap_or(CheckInKind::Call),
        summary: form.value("summary").trim().to_string(),
        notes: form.value("notes").trim_end().to_string(),
        health: optional_number(&form.value("health"), "health", &mut errors),
        effort_minutes: optional_number(
            &form.value("effort_minutes"),
            "effort_minutes",
            &mut errors,
        ),
        author: form.value("author").trim().to_string(),
        ..base.clone()
    };
    if let Err(more) = checkin.validate() {
        errors.0.extend(
            more.0.into_iter().filter(|e| {
                !(e.field == "customer" && customer_id == 0 && !name.trim().is_empty())
            }),
        );
    }
    errors.into_result().map(|()| checkin)
}
