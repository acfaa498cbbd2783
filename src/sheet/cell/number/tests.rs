//! Number formats from spreadsheets in several locales.

use super::*;

use DecimalSeparator::{Comma, Point};

fn dec(raw: &str, sep: DecimalSeparator) -> f64 {
    parse_decimal(raw, sep).unwrap_or_else(|e| panic!("{raw}: {e}"))
}

#[test]
#[expect(clippy::float_cmp, reason = "parsing must be exact")]
fn grouping_and_decimal_point() {
    assert_eq!(dec(" 1,234.50 ", Point), 1234.5);
    assert_eq!(dec(".25", Point), 0.25);
    assert_eq!(dec("-42.00", Point), -42.0);
    assert_eq!(dec("1,000,000.125", Point), 1_000_000.125);
    assert_eq!(dec("1,000,000", Point), 1_000_000.0);
    assert_eq!(dec("+5", Point), 5.0);
    assert_eq!(dec("007", Point), 7.0);
}

#[test]
#[expect(clippy::float_cmp, reason = "parsing must be exact")]
fn decimal_comma_and_other_grouping() {
    assert_eq!(dec("1.234,50", Comma), 1234.5);
    assert_eq!(dec("0,25", Comma), 0.25);
    assert_eq!(dec("1.000.000,125", Comma), 1_000_000.125);
    assert_eq!(dec("1.000.000", Comma), 1_000_000.0);
    assert_eq!(dec("1 234,5", Comma), 1234.5);
    assert_eq!(dec("1\u{A0}234,5", Point), 1234.5);
    assert_eq!(dec("1\u{202F}234\u{202F}567", Point), 1_234_567.0);
    assert_eq!(dec("1'234.50", Point), 1234.5);
    // Unambiguous values ignore the column's separator.
    assert_eq!(dec("0,25", Point), 0.25);
    assert_eq!(dec("1,234.5", Comma), 1234.5);
}

#[test]
#[expect(clippy::float_cmp, reason = "parsing must be exact")]
fn ambiguous_thousands_follow_the_column() {
    assert_eq!(dec("1,234", Point), 1234.0);
    assert_eq!(dec("1,234", Comma), 1.234);
    assert_eq!(dec("1.234", Point), 1.234);
    assert_eq!(dec("1.234", Comma), 1234.0);
    // A leading zero cannot start a thousands group.
    assert_eq!(dec("0,250", Point), 0.25);
    assert_eq!(parse_integer("1.000", Point), Ok(1000));
}

#[test]
#[expect(clippy::float_cmp, reason = "parsing must be exact")]
fn currency_percent_accounting_and_exponents() {
    assert_eq!(dec("$1,234.50", Point), 1234.5);
    assert_eq!(dec("$1,000,000.00", Point), 1_000_000.0);
    assert_eq!(dec("1.234,50 €", Comma), 1234.5);
    assert_eq!(dec("EUR 12", Point), 12.0);
    assert_eq!(dec("-£3", Point), -3.0);
    assert_eq!(dec("$-3", Point), -3.0);
    assert_eq!(dec("25%", Point), 0.25);
    assert_eq!(dec("7.1 %", Point), 0.071);
    assert_eq!(dec("(42.00)", Point), -42.0);
    assert_eq!(dec("($42)", Point), -42.0);
    assert_eq!(dec("1.5E+3", Point), 1500.0);
    assert_eq!(dec("2e-3", Point), 0.002);
    assert_eq!(dec("\u{2212}7", Point), -7.0);
}

#[test]
fn bad_numbers_are_refused() {
    for raw in [
        "1O0",
        "",
        "abc",
        "1,2,3",
        "12 34",
        "1.2.3,4,5",
        "5.",
        "--5",
        "(5",
        "1e",
        "1e+",
        "NaN",
        "inf",
        "1,000.000,5",
        "$",
        "%",
        "1 ,5",
    ] {
        assert!(
            parse_decimal(raw, Point).is_err(),
            "{raw:?} should be refused"
        );
    }
    assert_eq!(
        parse_decimal("1O0", Point),
        Err(Problem::NotANumber("1O0".into()))
    );
    assert!(matches!(
        parse_decimal("1e999", Point),
        Err(Problem::NumberOutOfRange(_))
    ));
    assert!(matches!(
        parse_decimal("1e-999", Point),
        Err(Problem::NumberOutOfRange(_))
    ));
}

#[test]
fn integers() {
    assert_eq!(parse_integer("1,000", Point), Ok(1000));
    assert_eq!(parse_integer("1.5E+3", Point), Ok(1500));
    assert_eq!(parse_integer("-42.00", Point), Ok(-42));
    assert_eq!(parse_integer("100%", Point), Ok(1));
    assert_eq!(parse_integer("-9223372036854775808", Point), Ok(i64::MIN));
    assert_eq!(parse_integer("9223372036854775807", Point), Ok(i64::MAX));
    assert!(matches!(
        parse_integer("9223372036854775808", Point),
        Err(Problem::NumberOutOfRange(_))
    ));
    assert!(matches!(
        parse_integer("1.5", Point),
        Err(Problem::NotAnInteger(_))
    ));
    assert!(matches!(
        parse_integer("0.5", Point),
        Err(Problem::NotAnInteger(_))
    ));
    assert_eq!(parse_integer("0.0", Point), Ok(0));
    assert!(matches!(
        parse_integer("1e30", Point),
        Err(Problem::NumberOutOfRange(_))
    ));
}

#[test]
fn evidence_for_the_column_separator() {
    assert_eq!(decimal_evidence("1,234.50"), Some(Point));
    assert_eq!(decimal_evidence("1.234,50"), Some(Comma));
    assert_eq!(decimal_evidence("0,25"), Some(Comma));
    assert_eq!(decimal_evidence("0.25"), Some(Point));
    assert_eq!(decimal_evidence("1,000,000"), Some(Point));
    assert_eq!(decimal_evidence("1.000.000"), Some(Comma));
    assert_eq!(decimal_evidence("1,234"), None);
    assert_eq!(decimal_evidence("-42"), None);
}

#[test]
#[expect(clippy::float_cmp, reason = "parsing must be exact")]
fn display_of_any_finite_f64_reads_back_exactly() {
    for x in [
        0.1,
        1e-300,
        1.797_693_134_862_315_7e308,
        5e-324,
        -0.0,
        123_456.789,
        1.234,
    ] {
        assert_eq!(dec(&x.to_string(), Point), x, "{x}");
    }
}
