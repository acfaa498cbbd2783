//! The evidence form: stance, strength and an optional quote for a link
//! between a check-in and a backlog item.

use super::names;
use crate::app::form::{Form, FormField, FormTarget};
use crate::domain::{EvidenceLink, Invalid, Meta, Stance, Strength};

pub fn form(item_id: i64, checkin_id: i64, what: &str) -> Form {
    let fields = vec![
        FormField::choice(
            "stance",
            "Stance",
            names(Stance::ALL, Stance::as_str, false),
            "supports",
        ),
        FormField::choice(
            "strength",
            "Strength (said · did · paid)",
            names(Strength::ALL, Strength::as_str, false),
            "said",
        ),
        FormField::line("quote", "Quote (optional)", ""),
    ];
    let mut form = Form::new(
        format!("Evidence: {what}"),
        FormTarget::Evidence {
            item_id,
            checkin_id,
        },
        fields,
    );
    form.focus = 0;
    form
}

pub fn build(form: &Form, item_id: i64, checkin_id: i64) -> Result<EvidenceLink, Invalid> {
    let link = EvidenceLink {
        id: 0,
        item_id,
        checkin_id: Some(checkin_id),
        field_id: None,
        stance: Stance::parse(&form.value("stance")).unwrap_or(Stance::Informs),
        strength: Strength::parse(&form.value("strength")).unwrap_or(Strength::Said),
        quote: form.value("quote").trim().to_string(),
        meta: Meta::default(),
    };
    link.validate().map(|()| link)
}
