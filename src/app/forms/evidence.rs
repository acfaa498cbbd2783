//! The evidence form: stance, strength and an optional quote for a link
//! between a check-in and a backlog item.

use super::names;
use crate::app::form::{Form, FormField, FormTarget};
use crate::domain::{EvidenceLink, Invalid, Meta, Stance, Strength};

pub fn form(item_id: i64, checkin_id: i64, what: &str) -> Form {
    let mut new = EvidenceLink::from_checkin(item_id, checkin_id);
    new.stance = Stance::Supports;
    link_form(&new, &format!("Evidence: {what}"))
}

/// The form on `link`: a new one (id 0), or an existing link to edit — what
/// picking a check-in already linked to the item opens, since one piece of
/// evidence counts once.
pub fn link_form(link: &EvidenceLink, title: &str) -> Form {
    let fields = vec![
        FormField::choice(
            "stance",
            "Stance",
            names(Stance::ALL, Stance::as_str, false),
            link.stance.as_str(),
        ),
        FormField::choice(
            "strength",
            "Strength (said · did · paid)",
            names(Strength::ALL, Strength::as_str, false),
            link.strength.as_str(),
        ),
        FormField::line("quote", "Quote (optional)", &link.quote),
    ];
    let mut form = Form::new(
        title.to_owned(),
        FormTarget::Evidence {
            item_id: link.item_id,
            checkin_id: link.checkin_id.unwrap_or_default(),
            link: (link.id != 0).then_some((link.id, link.meta.rev)),
        },
        fields,
    );
    form.focus = 0;
    form
}

pub fn build(
    form: &Form,
    item_id: i64,
    checkin_id: i64,
    existing: Option<(i64, i64)>,
) -> Result<EvidenceLink, Invalid> {
    let (id, rev) = existing.unwrap_or((0, 0));
    let link = EvidenceLink {
        id,
        item_id,
        checkin_id: Some(checkin_id),
        field_id: None,
        stance: Stance::parse(&form.value("stance")).unwrap_or(Stance::Informs),
        strength: Strength::parse(&form.value("strength")).unwrap_or(Strength::Said),
        quote: form.value("quote").trim().to_string(),
        meta: Meta {
            rev,
            ..Meta::default()
        },
    };
    link.validate().map(|()| link)
}
