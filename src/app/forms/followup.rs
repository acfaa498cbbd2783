//! The follow-up form.

use super::{Suggestions, date};
use crate::app::form::{Form, FormField, FormTarget};
use crate::domain::{FollowUp, Invalid};
use chrono::NaiveDate;

pub fn form(f: &FollowUp, for_what: &str, suggest: &Suggestions, today: NaiveDate) -> Form {
    let title = if f.id == 0 {
        format!("New follow-up for {for_what}")
    } else {
        format!("Edit F-{}", f.id)
    };
    let fields = vec![
        FormField::line("text", "What needs doing", &f.text).required(),
        FormField::line("owner", "Owner", &f.owner).suggest(suggest.people.clone(), false),
        FormField::date("due_on", "Due on", f.due_on, today),
    ];
    let target = FormTarget::FollowUp {
        id: f.id,
        rev: f.meta.rev,
        customer_id: f.customer_id,
        checkin_id: f.checkin_id,
    };
    Form::new(title, target, fields)
}

pub fn build(form: &Form, base: &FollowUp, today: NaiveDate) -> Result<FollowUp, Invalid> {
    let mut errors = Invalid::default();
    let followup = FollowUp {
        text: form.value("text").trim().to_string(),
        owner: form.value("owner").trim().to_string(),
        due_on: date(&form.value("due_on"), "due_on", false, today, &mut errors),
        ..base.clone()
    };
    if let Err(more) = followup.validate() {
        errors.0.extend(more.0);
    }
    errors.into_result().map(|()| followup)
}
