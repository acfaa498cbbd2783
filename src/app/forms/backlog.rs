//! The backlog item form: which fields it shows and how their text becomes
//! a [`BacklogItem`].

use super::{NONE, Suggestions, names};
use crate::app::form::{Form, FormField, FormTarget};
use crate::domain::{BacklogItem, Category, Decision, Invalid, ItemKind, Status};

/// The form for `item` (a default item for a new one).
pub fn form(item: &BacklogItem, suggest: &Suggestions) -> Form {
    let title = if item.id == 0 {
        "New backlog item".to_string()
    } else {
        format!("Edit H-{}", item.id)
    };
    let target = FormTarget::Backlog {
        id: item.id,
        rev: item.meta.rev,
    };
    let fields = fields(item, suggest);
    Form::new(title, target, fields)
}

/// Only the fields a move to `to` needs, for the `s` flow.
pub fn move_form(item: &BacklogItem, to: Status, needs: &[&str], suggest: &Suggestions) -> Form {
    let fields = fields(item, suggest)
        .into_iter()
        .filter(|f| needs.contains(&f.name))
        .map(FormField::required)
        .collect();
    let target = FormTarget::BacklogMove {
        id: item.id,
        rev: item.meta.rev,
        to,
    };
    Form::new(
        format!("H-{} {} → {to}: what it needs", item.id, item.status),
        target,
        fields,
    )
}

fn fields(item: &BacklogItem, suggest: &Suggestions) -> Vec<FormField> {
    let scale: Vec<String> = (1..=5).map(|n| n.to_string()).collect();
    vec![
        FormField::choice(
            "kind",
            "Kind",
            names(ItemKind::ALL, ItemKind::as_str, false),
            item.kind.as_str(),
        ),
        FormField::line(
            "statement",
            "Statement (We believe that …)",
            &item.statement,
        )
        .required(),
        FormField::choice(
            "category",
            "Category",
            names(Category::ALL, Category::as_str, true),
            item.category.map_or(NONE, Category::as_str),
        ),
        FormField::choice(
            "impact",
            "Impact (1–5)",
            scale.clone(),
            &item.impact.to_string(),
        ),
        FormField::choice(
            "uncertainty",
            "Uncertainty (1–5)",
            scale,
            &item.uncertainty.to_string(),
        ),
        FormField::line("owner", "Owner", &item.owner).suggest(suggest.people.clone(), false),
        FormField::line("tags", "Tags (words)", &item.tags.join(" "))
            .suggest_words(suggest.tags.clone()),
        FormField::line("test", "Test (To verify, we will …)", &item.test),
        FormField::line("metric", "Metric (we will measure …)", &item.metric),
        FormField::choice(
            "metric_field",
            "Metric field (live data)",
            std::iter::once(NONE.to_string())
                .chain(suggest.fields.iter().map(|(_, key)| key.clone()))
                .collect(),
            &item
                .metric_field
                .and_then(|id| suggest.fields.iter().find(|(f, _)| *f == id))
                .map_or(NONE.to_string(), |(_, key)| key.clone()),
        ),
        FormField::line(
            "criterion",
            "Criterion (We are right if …)",
            &item.criterion,
        ),
        FormField::lines(
            "learning",
            "Learning (We observed … so we learned … therefore …)",
            &item.learning,
        ),
        FormField::choice(
            "decision",
            "Decision",
            names(Decision::ALL, Decision::as_str, true),
            item.decision.map_or(NONE, Decision::as_str),
        ),
    ]
}

/// The item the form describes, on top of `base` (the stored item, so
/// fields the form does not show are kept), validated.
pub fn item(
    form: &Form,
    base: &BacklogItem,
    suggest: &Suggestions,
) -> Result<BacklogItem, Invalid> {
    let mut errors = Invalid::default();
    // A field the form does not show keeps the stored value (the move form
    // shows only what a status change needs).
    let text = |name: &str| form.field(name).map(super::super::form::FormField::value);
    let number = |name: &'static str, stored: i64, errors: &mut Invalid| match text(name) {
        None => stored,
        Some(v) => v.parse::<i64>().unwrap_or_else(|_| {
            errors.push(name, "pick 1–5");
            stored
        }),
    };
    let mut item = base.clone();
    item.impact = number("impact", base.impact, &mut errors);
    item.uncertainty = number("uncertainty", base.uncertainty, &mut errors);
    if let Some(v) = text("kind") {
        item.kind = ItemKind::parse(&v).unwrap_or(ItemKind::Hypothesis);
    }
    if let Some(v) = text("category") {
        item.category = Category::parse(&v);
    }
    if let Some(v) = text("decision") {
        item.decision = Decision::parse(&v);
    }
    if let Some(v) = text("metric_field") {
        item.metric_field = suggest
            .fields
            .iter()
            .find(|(_, key)| *key == v)
            .map(|(id, _)| *id);
    }
    if let Some(v) = text("tags") {
        item.tags = BacklogItem::parse_tags(&v);
    }
    if let Some(v) = text("learning") {
        item.learning = v.trim_end().to_string();
    }
    for (name, slot) in [
        ("statement", &mut item.statement),
        ("owner", &mut item.owner),
        ("test", &mut item.test),
        ("metric", &mut item.metric),
        ("criterion", &mut item.criterion),
    ] {
        if let Some(v) = text(name) {
            *slot = v.trim().to_string();
        }
    }
    if let Err(more) = item.validate() {
        errors.0.extend(more.0);
    }
    errors.into_result().map(|()| item)
}
