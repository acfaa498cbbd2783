use super::*;
use crate::domain::Field;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).expect("date")
}

fn field(field_type: FieldType) -> Field {
    let mut f = Field::new("f", "Field", field_type);
    if field_type == FieldType::Choice {
        f.options = vec!["happy".into(), "neutral".into(), "unhappy".into()];
    }
    f
}

fn ok(field_type: FieldType, raw: &str) -> CellValue {
    parse_input(&field(field_type), raw, today())
        .unwrap_or_else(|e| panic!("{raw}: {e}"))
        .unwrap_or_else(|| panic!("{raw}: empty"))
}

fn err(field: &Field, raw: &str) -> String {
    parse_input(field, raw, today()).expect_err(raw)
}

#[test]
fn integers_accept_grouping_and_refuse_fractions() {
    assert_eq!(ok(FieldType::Integer, "14"), CellValue::Integer(14));
    assert_eq!(ok(FieldType::Integer, " 1,234 "), CellValue::Integer(1234));
    assert_eq!(ok(FieldType::Integer, "-3"), CellValue::Integer(-3));
    assert!(err(&field(FieldType::Integer), "1.5").contains("whole number"));
    assert!(err(&field(FieldType::Integer), "abc").contains("not a number"));
}

#[test]
fn decimals_and_percents() {
    assert_eq!(ok(FieldType::Decimal, "14.2"), CellValue::Decimal(14.2));
    assert_eq!(ok(FieldType::Percent, "78%"), CellValue::Decimal(0.78));
    assert_eq!(ok(FieldType::Percent, "78"), CellValue::Decimal(0.78));
    assert_eq!(ok(FieldType::Percent, "0.78"), CellValue::Decimal(0.78));
    assert_eq!(
        display(FieldType::Percent, &CellValue::Decimal(0.78)),
        "78%"
    );
    assert_eq!(display(FieldType::Decimal, &CellValue::Decimal(11.0)), "11");
    assert_eq!(
        display(FieldType::Decimal, &CellValue::Decimal(1.0 / 3.0)),
        "0.333"
    );
    assert_eq!(
        edit_text(FieldType::Decimal, &CellValue::Decimal(1.0 / 3.0)),
        (1.0f64 / 3.0).to_string()
    );
}

#[test]
fn dates_accept_the_form_shorthands() {
    assert_eq!(ok(FieldType::Date, "today"), CellValue::Date(today()));
    assert_eq!(
        ok(FieldType::Date, "-1w"),
        CellValue::Date(today() - chrono::Duration::weeks(1))
    );
    assert_eq!(
        ok(FieldType::Date, "2026-11-20"),
        CellValue::Date(NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"))
    );
    assert!(err(&field(FieldType::Date), "soon").contains("not a date"));
}

#[test]
fn booleans_choices_and_text() {
    assert_eq!(ok(FieldType::Boolean, "y"), CellValue::Boolean(true));
    assert_eq!(ok(FieldType::Boolean, "No"), CellValue::Boolean(false));
    assert!(err(&field(FieldType::Boolean), "maybe").contains("yes/no"));
    assert_eq!(
        ok(FieldType::Choice, "HAPPY"),
        CellValue::Text("happy".into())
    );
    assert!(err(&field(FieldType::Choice), "ecstatic").contains("happy, neutral, unhappy"));
    assert_eq!(
        ok(FieldType::Text, " spec book "),
        CellValue::Text("spec book".into())
    );
}

#[test]
fn bounds_and_required() {
    let mut f = field(FieldType::Integer);
    f.min = Some(0.0);
    f.max = Some(200.0);
    assert!(err(&f, "-1").contains("below the minimum 0"));
    assert!(err(&f, "201").contains("above the maximum 200"));
    assert_eq!(parse_input(&f, "", today()), Ok(None));
    f.required = true;
    assert!(err(&f, " ").contains("required"));
    let mut p = field(FieldType::Percent);
    p.max = Some(1.0);
    assert!(err(&p, "120%").contains("above the maximum 100%"));
}

#[test]
fn type_changes_convert_or_say_why_not() {
    let text = field(FieldType::Text);
    let int = field(FieldType::Integer);
    let pct = field(FieldType::Percent);
    let dec = field(FieldType::Decimal);
    assert_eq!(
        convert(FieldType::Integer, &CellValue::Integer(14), &text, today()),
        Ok(CellValue::Text("14".into()))
    );
    assert_eq!(
        convert(
            FieldType::Text,
            &CellValue::Text("14".into()),
            &int,
            today()
        ),
        Ok(CellValue::Integer(14))
    );
    assert!(
        convert(
            FieldType::Text,
            &CellValue::Text("many".into()),
            &int,
            today()
        )
        .is_err()
    );
    assert_eq!(
        convert(FieldType::Decimal, &CellValue::Decimal(0.78), &pct, today()),
        Ok(CellValue::Decimal(0.78))
    );
    assert_eq!(
        convert(FieldType::Percent, &CellValue::Decimal(0.78), &dec, today()),
        Ok(CellValue::Decimal(0.78))
    );
    assert_eq!(
        convert(
            FieldType::Percent,
            &CellValue::Decimal(0.78),
            &text,
            today()
        ),
        Ok(CellValue::Text("78%".into()))
    );
    assert!(convert(FieldType::Decimal, &CellValue::Decimal(2.5), &int, today()).is_err());
    assert_eq!(
        convert(
            FieldType::Boolean,
            &CellValue::Boolean(true),
            &text,
            today()
        ),
        Ok(CellValue::Text("yes".into()))
    );
}

#[test]
fn a_typed_choice_may_be_the_start_of_exactly_one_option() {
    let mut f = field(FieldType::Choice);
    f.options = vec!["happy".into(), "neutral".into(), "unhappy".into()];
    let typed = |raw: &str| parse_typed(&f, raw, today());
    assert_eq!(typed("h"), Ok(Some(CellValue::Text("happy".into()))));
    assert_eq!(typed("UN"), Ok(Some(CellValue::Text("unhappy".into()))));
    assert_eq!(
        typed("neutral"),
        Ok(Some(CellValue::Text("neutral".into())))
    );
    // No option starts so, or several do: refused as before.
    assert!(typed("x").is_err());
    f.options.push("hopeful".into());
    assert!(parse_typed(&f, "h", today()).is_err());
    // Imports and conversions never guess.
    assert!(parse_input(&f, "ha", today()).is_err());
}
