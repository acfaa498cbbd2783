//! Date formats, serial numbers and day/month order.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn ok(raw: &str, order: Option<DateOrder>) -> NaiveDate {
    parse_date(raw, order).unwrap_or_else(|e| panic!("{raw}: {e}"))
}

#[test]
fn iso_and_iso_with_time() {
    for raw in [
        "2026-11-21",
        "2026-11-21 00:00",
        "2026-11-21 00:00:00",
        "2026-11-21T00:00:00",
        "2026-11-21T00:00:00Z",
        "2026-11-21T00:00:00.000+01:00",
        " 2026-11-21 ",
        "2026/11/21",
        "2026.11.21",
        "2026-11-21 13:45",
        "20261121",
    ] {
        assert_eq!(ok(raw, None), d(2026, 11, 21), "{raw}");
    }
    assert_eq!(ok("2026-3-5", None), d(2026, 3, 5));
}

#[test]
fn us_dates_with_optional_time() {
    assert_eq!(ok("11/21/2026", None), d(2026, 11, 21));
    assert_eq!(ok("3/15/2026 0:00", None), d(2026, 3, 15));
    assert_eq!(ok("3/15/2026 12:00:00 AM", None), d(2026, 3, 15));
    assert_eq!(ok("1/5/2026", Some(DateOrder::MonthFirst)), d(2026, 1, 5));
}

#[test]
fn european_dates() {
    assert_eq!(ok("21.11.2026", None), d(2026, 11, 21));
    assert_eq!(ok("05.01.2026", None), d(2026, 1, 5));
    assert_eq!(ok("21/11/2026", None), d(2026, 11, 21));
    assert_eq!(ok("05/01/2026", Some(DateOrder::DayFirst)), d(2026, 1, 5));
    assert_eq!(ok("21-11-2026", None), d(2026, 11, 21));
}

#[test]
fn month_names() {
    assert_eq!(ok("21-Nov-2026", None), d(2026, 11, 21));
    assert_eq!(ok("21 November 2026", None), d(2026, 11, 21));
    assert_eq!(ok("Nov 21, 2026", None), d(2026, 11, 21));
    assert_eq!(ok("Sept 1 2026", None), d(2026, 9, 1));
    assert!(matches!(
        parse_date("21-Nov-26", None),
        Err(Problem::TwoDigitYear(_))
    ));
}

#[test]
fn serial_numbers_count_from_1899_12_30() {
    assert_eq!(ok("46347", None), d(2026, 11, 21));
    assert_eq!(ok("46027", None), d(2026, 1, 5));
    assert_eq!(ok("46096.5", None), d(2026, 3, 15));
    assert_eq!(ok("61", None), d(1900, 3, 1));
    assert!(matches!(
        parse_date("60", None),
        Err(Problem::SerialOutOfRange(_))
    ));
    assert!(matches!(
        parse_date("2958466", None),
        Err(Problem::SerialOutOfRange(_))
    ));
}

#[test]
fn ambiguous_without_column_evidence() {
    match parse_date("03/04/2026", None) {
        Err(Problem::AmbiguousDate {
            month_first,
            day_first,
            ..
        }) => {
            assert_eq!(month_first, d(2026, 3, 4));
            assert_eq!(day_first, d(2026, 4, 3));
        }
        other => panic!("expected ambiguity, got {other:?}"),
    }
    let message = parse_date("03/04/2026", None)
        .expect_err("ambiguous")
        .to_string();
    assert!(message.contains("March 4 or April 3"), "{message}");
    // The same number twice reads the same either way.
    assert_eq!(ok("05/05/2026", None), d(2026, 5, 5));
}

#[test]
fn column_order_resolves_and_contradictions_are_refused() {
    assert_eq!(ok("03/04/2026", Some(DateOrder::DayFirst)), d(2026, 4, 3));
    assert_eq!(ok("03/04/2026", Some(DateOrder::MonthFirst)), d(2026, 3, 4));
    assert!(matches!(
        parse_date("21/11/2026", Some(DateOrder::MonthFirst)),
        Err(Problem::DateOrderConflict { .. })
    ));
}

#[test]
fn evidence_from_single_values() {
    let ev = |raw| shape(raw).ok().and_then(order_evidence);
    assert_eq!(ev("21/11/2026"), Some(DateOrder::DayFirst));
    assert_eq!(ev("11/21/2026"), Some(DateOrder::MonthFirst));
    assert_eq!(ev("03/04/2026"), None);
    assert_eq!(ev("2026-11-21"), None);
    assert_eq!(ev("21.11.2026"), None);
}

#[test]
fn invalid_dates_are_named() {
    assert!(matches!(
        parse_date("2026-02-30", None),
        Err(Problem::InvalidDate(_))
    ));
    assert!(matches!(
        parse_date("2/30/2026", None),
        Err(Problem::InvalidDate(_))
    ));
    assert!(matches!(
        parse_date("13/13/2026", None),
        Err(Problem::InvalidDate(_))
    ));
    assert!(matches!(
        parse_date("3/15/26", None),
        Err(Problem::TwoDigitYear(_))
    ));
    for raw in [
        "soon",
        "2026-11",
        "11/21/2026 noon",
        "2026-11-21T",
        "1.2.3.4",
        "-5",
    ] {
        assert!(parse_date(raw, None).is_err(), "{raw}");
    }
}
