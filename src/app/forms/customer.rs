//! The customer form.

use super::{Suggestions, date, names, optional_number};
use crate::app::form::{Form, FormField, FormTarget};
use crate::domain::{Customer, IcpFit, Invalid};
use chrono::NaiveDate;

pub fn form(c: &Customer, suggest: &Suggestions, today: NaiveDate) -> Form {
    let title = if c.id == 0 {
        "New customer".to_string()
    } else {
        format!("Edit C-{}", c.id)
    };
    let fields = vec![
        FormField::line("name", "Name", &c.name).required(),
        FormField::line("company", "Company", &c.company),
        FormField::line("segment", "Segment", &c.segment).suggest(suggest.segments.clone(), false),
        FormField::choice(
            "icp_fit",
            "ICP fit",
            names(IcpFit::ALL, IcpFit::as_str, false),
            c.icp_fit.as_str(),
        ),
        FormField::line("owner", "Owner", &c.owner).suggest(suggest.people.clone(), false),
        FormField::line("contact_name", "Contact name", &c.contact_name),
        FormField::line("contact_email", "Contact email", &c.contact_email),
        FormField::date(
            "agreement_signed_on",
            "Agreement signed on",
            c.agreement_signed_on,
            today,
        ),
        FormField::line(
            "cadence_days",
            "Check-in every (days)",
            &c.cadence_days.to_string(),
        ),
        FormField::lines("notes", "Notes", &c.notes),
    ];
    Form::new(
        title,
        FormTarget::Customer {
            id: c.id,
            rev: c.meta.rev,
        },
        fields,
    )
}

/// The customer the form describes on top of `base`, validated. The
/// stage is not on the form: it moves with `s` through its state machine.
pub fn build(form: &Form, base: &Customer, today: NaiveDate) -> Result<Customer, Invalid> {
    let mut errors = Invalid::default();
    let cadence =
        optional_number(&form.value("cadence_days"), "cadence_days", &mut errors).unwrap_or(7);
    let customer = Customer {
        name: form.value("name").trim().to_string(),
        company: form.value("company").trim().to_string(),
        segment: form.value("segment").trim().to_string(),
        icp_fit: IcpFit::parse(&form.value("icp_fit")).unwrap_or(IcpFit::Unknown),
        owner: form.value("owner").trim().to_string(),
        contact_name: form.value("contact_name").trim().to_string(),
        contact_email: form.value("contact_email").trim().to_string(),
        agreement_signed_on: date(
            &form.value("agreement_signed_on"),
            "agreement_signed_on",
            false,
            today,
            &mut errors,
        ),
        cadence_days: cadence,
        notes: form.value("notes").trim_end().to_string(),
        ..base.clone()
    };
    if let Err(more) = customer.validate() {
        errors.0.extend(more.0);
    }
    errors.into_result().map(|()| customer)
}
