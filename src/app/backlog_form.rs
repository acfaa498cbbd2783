//! The backlog item form: which fields it shows and how their text becomes
//! a [`BacklogItem`].

use super::form::{Form, FormField, FormTarget};
use crate::domain::{BacklogItem, Category, Decision, Invalid, ItemKind};

const NONE: &str = "—";

fn names<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, none: bool) -> Vec<String> {
    let mut out: Vec<String> = if none { vec![NONE.into()] } else { Vec::new() };
    out.extend(all.iter().map(|v| name(*v).to_string()));
    out
}

/// The form for `item` (a default item for a new one).
pub fn form(item: &BacklogItem) -> Form {
    let (title, target) = if item.id == 0 {
        ("New backlog item".to_string(), FormTarget::NewBacklog)
    } else {
        (
            format!("Edit H-{}", item.id),
            FormTarget::EditBacklog {
                id: item.id,
                rev: item.meta.rev,
            },
        )
    };
    let scale: Vec<String> = (1..=5).map(|n| n.to_string()).collect();
    let fields = vec![
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
        FormField::line("owner", "Owner", &item.owner),
        FormField::line("tags", "Tags (words)", &item.tags.join(" ")),
        FormField::line("test", "Test (To verify, we will …)", &item.test),
        FormField::line("metric", "Metric (we will measure …)", &item.metric),
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
    ];
    Form::new(title, target, fields)
}

/// The item the form describes, on top of `base` (the stored item, so
/// fields the form does not show are kept), validated.
pub fn item(form: &Form, base: &BacklogItem) -> Result<BacklogItem, Invalid> {
    let mut errors = Invalid::default();
    let number = |name: &'static str, errors: &mut Invalid| {
        form.value(name).parse::<i64>().unwrap_or_else(|_| {
            errors.push(name, "pick 1–5");
            3
        })
    };
    let impact = number("impact", &mut errors);
    let uncertainty = number("uncertainty", &mut errors);
    let item = BacklogItem {
        kind: ItemKind::parse(&form.value("kind")).unwrap_or(ItemKind::Hypothesis),
        statement: form.value("statement").trim().to_string(),
        category: Category::parse(&form.value("category")),
        impact,
        uncertainty,
        owner: form.value("owner").trim().to_string(),
        tags: BacklogItem::parse_tags(&form.value("tags")),
        test: form.value("test").trim().to_string(),
        metric: form.value("metric").trim().to_string(),
        criterion: form.value("criterion").trim().to_string(),
        learning: form.value("learning").trim_end().to_string(),
        decision: Decision::parse(&form.value("decision")),
        ..base.clone()
    };
    if let Err(more) = item.validate() {
        errors.0.extend(more.0);
    }
    errors.into_result().map(|()| item)
}
