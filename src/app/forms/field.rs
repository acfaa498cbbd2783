//! The live-data field form (the schema editor's add and edit).

use super::{NONE, names};
use crate::app::form::{Form, FormField, FormTarget};
use crate::domain::{Field, FieldType, Invalid};

pub fn form(f: &Field) -> Form {
    let title = if f.id == 0 {
        "New data field".to_string()
    } else {
        format!("Edit field {} (D-{})", f.key, f.id)
    };
    let bound = |b: Option<f64>| b.map(|v| v.to_string()).unwrap_or_default();
    let fields = vec![
        FormField::line("key", "Key (snake_case, the CSV header)", &f.key).required(),
        FormField::line("label", "Label (the grid's column title)", &f.label).required(),
        FormField::choice(
            "type",
            "Type",
            names(FieldType::ALL, FieldType::as_str, false),
            f.field_type.as_str(),
        ),
        FormField::line(
            "options",
            "Options (choice: comma-separated)",
            &f.options.join(", "),
        ),
        FormField::line("unit", "Unit", &f.unit),
        FormField::choice(
            "required",
            "Required",
            vec!["no".into(), "yes".into()],
            if f.required { "yes" } else { "no" },
        ),
        FormField::line("min", "Min (percent as a fraction: 0.5)", &bound(f.min)),
        FormField::line("max", "Max", &bound(f.max)),
        FormField::line("description", "Description", &f.description),
    ];
    Form::new(
        title,
        FormTarget::Field {
            id: f.id,
            rev: f.meta.rev,
        },
        fields,
    )
}

pub fn build(form: &Form, base: &Field) -> Result<Field, Invalid> {
    let mut errors = Invalid::default();
    let mut bound = |name: &'static str| {
        let text = form.value(name);
        let text = text.trim();
        if text.is_empty() || text == NONE {
            return None;
        }
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .or_else(|| {
                errors.push(name, "a number, or empty");
                None
            })
    };
    let (min, max) = (bound("min"), bound("max"));
    let field = Field {
        key: form.value("key").trim().to_string(),
        label: form.value("label").trim().to_string(),
        field_type: FieldType::parse(&form.value("type")).unwrap_or(base.field_type),
        options: form
            .value("options")
            .split(',')
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty())
            .collect(),
        unit: form.value("unit").trim().to_string(),
        required: form.value("required") == "yes",
        min,
        max,
        description: form.value("description").trim().to_string(),
        ..base.clone()
    };
    if let Err(more) = field.validate() {
        errors.0.extend(more.0);
    }
    errors.into_result().map(|()| field)
}
