//! The apostrophe rule, line breaks, booleans, choices and ids.

use super::*;

#[test]
fn apostrophe_rule_strips_exactly_one_before_formula_characters() {
    assert_eq!(unescape_apostrophe("'=SUM(1,2)"), "=SUM(1,2)");
    assert_eq!(unescape_apostrophe("'+1 call"), "+1 call");
    assert_eq!(unescape_apostrophe("'-2"), "-2");
    assert_eq!(unescape_apostrophe("'@x"), "@x");
    assert_eq!(unescape_apostrophe("'\t=1+1"), "\t=1+1");
    assert_eq!(unescape_apostrophe("'\rx"), "\rx");
    assert_eq!(unescape_apostrophe("''=x"), "'=x");
    assert_eq!(unescape_apostrophe("''plain"), "'plain");
    assert_eq!(unescape_apostrophe("'plain"), "'plain");
    assert_eq!(unescape_apostrophe("'"), "'");
    assert_eq!(unescape_apostrophe("=raw"), "=raw");
}

#[test]
fn escape_and_unescape_are_inverse() {
    for text in [
        "=1", "+", "-2", "@x", "\tx", "\rx", "'", "'plain", "''", "plain", "", "007",
    ] {
        let exported = if needs_apostrophe(text) {
            format!("'{text}")
        } else {
            text.to_owned()
        };
        assert_eq!(unescape_apostrophe(&exported), text, "{text:?}");
    }
}

#[test]
fn text_is_kept_exactly_except_line_breaks() {
    assert_eq!(parse_text("  padded  ", false), Ok("  padded  ".into()));
    assert_eq!(parse_text("a\r\nb\rc\nd", true), Ok("a\nb\nc\nd".into()));
    assert_eq!(parse_text("'\r\nx", true), Ok("\nx".into()));
    assert_eq!(
        parse_text("bell\u{7} esc\u{1b}[31m", false),
        Ok("bell\u{7} esc\u{1b}[31m".into())
    );
    assert_eq!(parse_text("a\nb", false), Err(Problem::LineBreak));
    assert_eq!(parse_text("000123", false), Ok("000123".into()));
}

#[test]
fn boolean_spellings() {
    for raw in [
        "TRUE", "true", "Yes", "Y", "1", "WAHR", "VRAI", "ja", "oui", "Sí", "si", " on ",
    ] {
        assert_eq!(parse_bool(raw), Ok(true), "{raw}");
    }
    for raw in [
        "FALSE", "false", "no", "n", "0", "FALSCH", "FAUX", "nein", "non", "off",
    ] {
        assert_eq!(parse_bool(raw), Ok(false), "{raw}");
    }
    assert_eq!(
        parse_bool("maybe"),
        Err(Problem::NotABoolean("maybe".into()))
    );
}

#[test]
fn choices_match_case_insensitively() {
    let options = vec!["Discovery".to_owned(), "Pilot".to_owned()];
    assert_eq!(parse_choice(" pilot ", &options), Ok("Pilot".into()));
    assert!(matches!(
        parse_choice("Scale", &options),
        Err(Problem::NotAChoice { .. })
    ));
}

#[test]
fn ids() {
    assert_eq!(parse_id(" C-0001 ", "C-"), Ok(Some("C-0001".into())));
    assert_eq!(parse_id("c-7", "C-"), Ok(Some("C-7".into())));
    assert_eq!(parse_id("  ", "C-"), Ok(None));
    assert_eq!(
        parse_id("1.23E+05", "C-"),
        Err(Problem::IdScientific("1.23E+05".into()))
    );
    assert_eq!(
        parse_id("1E5", ""),
        Err(Problem::IdScientific("1E5".into()))
    );
    assert!(matches!(
        parse_id("K-1", "C-"),
        Err(Problem::IdPrefix { .. })
    ));
    assert!(matches!(
        parse_id("C-", "C-"),
        Err(Problem::IdPrefix { .. })
    ));
    assert!(parse_id("Ç-1", "C-").is_err());
}

#[test]
fn spreadsheet_errors_and_revs() {
    for raw in [
        "#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", " #n/a ",
    ] {
        assert!(is_spreadsheet_error(raw), "{raw}");
    }
    assert!(!is_spreadsheet_error("#1 customer"));
    for raw in ["#NAME?", " #spill! ", "#GETTING_DATA"] {
        assert_eq!(
            parse_text(raw, false),
            Err(Problem::SpreadsheetError(raw.trim().to_owned())),
            "refused in a text column too: {raw}"
        );
    }
    assert_eq!(parse_text("'#N/A", false), Ok("#N/A".to_owned()));
    assert_eq!(
        parse_text("'#1 customer", false),
        Ok("'#1 customer".to_owned())
    );
    assert!(needs_apostrophe("#N/A") && !needs_apostrophe("#1 customer"));
    assert_eq!(parse_rev(" 12 "), Ok(Some(12)));
    assert_eq!(parse_rev(""), Ok(None));
    assert!(parse_rev("1.5").is_err());
    assert!(parse_rev("-1").is_err());
}
