//! What a spreadsheet does to a CSV file it opens and saves again: drops the
//! BOM, writes CRLF and minimal quoting, shows ISO dates as m/d/yyyy and
//! decimals with two places and thousands separators, shows chosen percent
//! columns as `78%`, and consumes the apostrophe that kept text from running
//! as a formula. Every change keeps the value: only its spelling moves.

use chrono::{Datelike, NaiveDate};

/// `text` re-saved; `percent` names columns shown as percentages.
pub fn resave(text: &str, percent: &[&str]) -> String {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut header: Vec<String> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.expect("a CSV record");
        let cells: Vec<String> = if i == 0 {
            header = record.iter().map(str::to_owned).collect();
            header.clone()
        } else {
            record
                .iter()
                .zip(&header)
                .map(|(cell, name)| rerender(cell, percent.contains(&name.as_str())))
                .collect()
        };
        out.write_record(&cells).expect("write");
    }
    String::from_utf8(out.into_inner().expect("flush")).expect("utf-8")
}

#[allow(
    clippy::float_cmp,
    reason = "only spellings that read back to exactly the same value are used"
)]
fn rerender(cell: &str, percent: bool) -> String {
    if cell.len() == 10
        && let Ok(d) = NaiveDate::parse_from_str(cell, "%Y-%m-%d")
    {
        return format!("{}/{}/{}", d.month(), d.day(), d.year());
    }
    if let Some(rest) = cell.strip_prefix('\'')
        && rest.starts_with(['=', '+', '-', '@'])
    {
        return rest.to_owned();
    }
    if let Ok(x) = cell.parse::<f64>() {
        let hundredths = (x * 100.0).round();
        if percent && hundredths / 100.0 == x {
            return format!("{hundredths}%");
        }
        if cell.contains('.') && format!("{x:.2}").parse::<f64>() == Ok(x) {
            return grouped(x);
        }
    }
    cell.to_owned()
}

/// `1234.5` → `1,234.50`.
fn grouped(x: f64) -> String {
    let fixed = format!("{:.2}", x.abs());
    let (int, frac) = fixed.split_once('.').expect("two decimals");
    let mut digits = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            digits.push(',');
        }
        digits.push(c);
    }
    format!("{}{digits}.{frac}", if x < 0.0 { "-" } else { "" })
}
