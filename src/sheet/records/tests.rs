//! Line counting, quoting and delimiter detection.

use super::*;

fn records(text: &str) -> Vec<RawRecord<'_>> {
    Records::new(text, b',', 1).collect()
}

fn lines(text: &str) -> Vec<usize> {
    records(text).iter().map(|r| r.line).collect()
}

#[test]
fn counts_lf_crlf_and_cr_each_as_one_break() {
    assert_eq!(lines("a\nb\nc"), [1, 2, 3]);
    assert_eq!(lines("a\r\nb\r\nc\r\n"), [1, 2, 3]);
    assert_eq!(lines("a\rb\rc\r"), [1, 2, 3]);
    assert_eq!(lines("a\r\nb\rc\nd"), [1, 2, 3, 4]);
}

#[test]
fn multi_line_cells_push_later_records_down() {
    let text = "id,notes\r\n1,\"x\ny\r\nz\"\r\n2,\"\r\r\"\r\n3,w\r\n";
    assert_eq!(lines(text), [1, 2, 5, 8]);
    let recs = records(text);
    assert_eq!(recs[1].fields, ["1", "x\ny\r\nz"]);
    assert_eq!(recs[2].fields, ["2", "\r\r"]);
}

#[test]
fn cr_only_file_with_quoted_cell() {
    let text = "id,name\rC-1,\"Smith, Jones \"\"SJ\"\"\"\rC-2,x";
    let recs = records(text);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[1].fields, ["C-1", "Smith, Jones \"SJ\""]);
    assert_eq!(recs[2].line, 3);
}

#[test]
fn doubled_quotes_and_empty_quoted_fields() {
    let recs = records("\"\"\"\",\"\",\"a\"\"b\"");
    assert_eq!(recs[0].fields, ["\"", "", "a\"b"]);
    assert!(recs[0].problems.is_empty());
}

#[test]
fn trailing_delimiter_makes_an_empty_last_field() {
    assert_eq!(records("a,b,")[0].fields, ["a", "b", ""]);
    assert_eq!(records(",,\n")[0].fields, ["", "", ""]);
}

#[test]
fn blank_and_empty_lines() {
    let recs = records("a\n\n  \n,,\n");
    assert_eq!(recs.len(), 4);
    assert!(recs[1].empty_line && recs[1].is_blank());
    assert!(!recs[2].empty_line && recs[2].is_blank());
    assert!(!recs[3].empty_line && recs[3].is_blank());
}

#[test]
fn unterminated_quote_is_reported_with_its_opening_line() {
    let recs = records("a,b\n1,\"open\n2,x\n");
    assert_eq!(recs.len(), 2);
    assert_eq!(
        recs[1].problems,
        [(1, Problem::UnterminatedQuote { opened_line: 2 })]
    );
    assert!(recs[1].is_broken());
}

#[test]
fn stray_quote_in_unquoted_field_is_reported() {
    let recs = records("a,b\n1,5\" pipe\n");
    assert_eq!(recs[1].fields, ["1", "5\" pipe"]);
    assert_eq!(recs[1].problems, [(1, Problem::StrayQuote)]);
}

#[test]
fn text_after_closing_quote_is_reported() {
    let recs = records("\"abc\"def,x");
    assert_eq!(recs[0].fields, ["abcdef", "x"]);
    assert_eq!(recs[0].problems, [(0, Problem::TextAfterQuote)]);
}

#[test]
fn never_panics_on_multibyte_text() {
    let recs = records("é,\"ö\"\"\",ü\u{1F600}\r\n\"\u{1F600}");
    assert_eq!(recs[0].fields, ["é", "ö\"", "ü\u{1F600}"]);
    assert_eq!(recs[1].fields, ["\u{1F600}"]);
}

#[test]
fn sep_line_names_the_delimiter_and_counts_as_a_line() {
    let text = "sep=;\r\nid;name\r\n";
    let p = prelude(text);
    assert_eq!(p.delimiter, Some(b';'));
    assert_eq!(p.first_line, 2);
    assert_eq!(&text[p.body_start..], "id;name\r\n");
    assert_eq!(prelude("\"sep=\t\"\nid").delimiter, Some(b'\t'));
    assert_eq!(prelude("separator\nid").delimiter, None);
    assert_eq!(prelude("id,name").body_start, 0);
}

#[test]
fn detects_delimiters_quote_aware() {
    assert_eq!(detect_delimiter("id,name\n1,a;b\n"), b',');
    assert_eq!(detect_delimiter("id;value\nC-1;1.234,50\nC-2;0,25\n"), b';');
    assert_eq!(detect_delimiter("id\tname\n1\t\"a,b;c\"\n"), b'\t');
    assert_eq!(detect_delimiter("id;name\n1;\"a,b,c,d\"\n"), b';');
    assert_eq!(detect_delimiter("id\n1\n"), b',');
    assert_eq!(detect_delimiter(""), b',');
}
