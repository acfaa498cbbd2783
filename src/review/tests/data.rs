//! Data completeness and week-over-week change with gaps, never zeros.

use super::*;

fn field(id: i64, key: &str, field_type: FieldType) -> Field {
    Field {
        id,
        key: key.into(),
        label: key.into(),
        field_type,
        options: if field_type == FieldType::Choice {
            vec!["happy".into(), "neutral".into(), "unhappy".into()]
        } else {
            Vec::new()
        },
        unit: String::new(),
        required: false,
        min: None,
        max: None,
        description: String::new(),
        position: id,
        archived: false,
        meta: Meta::default(),
    }
}

fn entry(customer_id: i64, on: NaiveDate, values: Vec<(i64, CellValue)>) -> EntryFact {
    EntryFact {
        customer_id,
        recorded_on: on,
        values,
    }
}

#[test]
fn completeness_and_week_over_week_with_gaps_not_zeros() {
    let mut archived = field(5, "old", FieldType::Integer);
    archived.archived = true;
    let data = ReviewData {
        customers: vec![
            active(1, "Ash"),
            active(2, "Birch"),
            customer(3, "Cedar", Stage::Paused, None),
        ],
        fields: vec![
            field(1, "logged", FieldType::Integer),
            field(2, "on_time", FieldType::Percent),
            field(3, "portal", FieldType::Boolean),
            field(4, "mood", FieldType::Choice),
            archived,
        ],
        entries: vec![
            entry(
                1,
                day(11, 6),
                vec![(1, CellValue::Integer(4)), (2, CellValue::Decimal(0.5))],
            ),
            // Nothing at all in 2026-W46.
            entry(
                1,
                day(11, 20),
                vec![
                    (1, CellValue::Integer(10)),
                    (2, CellValue::Decimal(0.8)),
                    (3, CellValue::Boolean(true)),
                    (4, CellValue::Text("happy".into())),
                ],
            ),
            entry(
                3,
                day(11, 20),
                vec![
                    (1, CellValue::Integer(5)),
                    (2, CellValue::Decimal(0.6)),
                    (3, CellValue::Boolean(false)),
                    (4, CellValue::Text("happy".into())),
                ],
            ),
        ],
        ..ReviewData::default()
    };
    let r = review(&data);
    let d = &r.data;
    assert_eq!(
        (d.active_customers, d.reporting, d.completeness),
        (2, 1, Some(0.5))
    );
    assert_eq!(
        d.missing
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["Birch"]
    );
    assert_eq!(d.weeks.first().map(String::as_str), Some("2026-W40"));
    assert_eq!(d.fields.len(), 4, "archived fields are left out");
    let logged = &d.fields[0];
    assert_eq!(logged.aggregate, Aggregate::Sum);
    assert_eq!(
        (logged.this_week, logged.previous_week, logged.change),
        (Some(15.0), None, None)
    );
    assert_eq!(
        logged.series,
        vec![None, None, None, None, None, Some(4.0), None, Some(15.0)],
        "a week without entries is a gap, not a zero"
    );
    let on_time = &d.fields[1];
    assert_eq!(
        (on_time.aggregate, on_time.this_week, on_time.values),
        (Aggregate::Mean, Some(0.7), 2)
    );
    let portal = &d.fields[2];
    assert_eq!(
        (portal.aggregate, portal.this_week),
        (Aggregate::ShareTrue, Some(0.5))
    );
    assert_eq!(
        portal.series[5], None,
        "the 11-06 entry had no portal value"
    );
    let mood = &d.fields[3];
    assert_eq!(
        (mood.aggregate, mood.this_week),
        (Aggregate::Count, Some(2.0))
    );
    assert_eq!(
        mood.series[5],
        Some(0.0),
        "entries that week, none with a mood"
    );
    let breakdown: Vec<(&str, usize)> = mood
        .breakdown
        .iter()
        .map(|o| (o.value.as_str(), o.count))
        .collect();
    assert_eq!(
        breakdown,
        vec![("happy", 2), ("neutral", 0), ("unhappy", 0)]
    );
}

#[test]
fn week_over_week_change_of_a_field() {
    let data = ReviewData {
        fields: vec![
            field(1, "logged", FieldType::Integer),
            field(2, "turnaround", FieldType::Decimal),
        ],
        entries: vec![
            entry(
                1,
                day(11, 13),
                vec![(1, CellValue::Integer(7)), (2, CellValue::Decimal(10.0))],
            ),
            entry(
                2,
                day(11, 13),
                vec![(1, CellValue::Integer(5)), (2, CellValue::Decimal(12.0))],
            ),
            entry(
                1,
                day(11, 20),
                vec![(1, CellValue::Integer(9)), (2, CellValue::Decimal(9.5))],
            ),
        ],
        ..ReviewData::default()
    };
    let r = review(&data);
    let f = &r.data.fields;
    assert_eq!(
        (f[0].this_week, f[0].previous_week, f[0].change),
        (Some(9.0), Some(12.0), Some(-3.0))
    );
    assert_eq!(
        (f[1].this_week, f[1].previous_week, f[1].change),
        (Some(9.5), Some(11.0), Some(-1.5))
    );
}
