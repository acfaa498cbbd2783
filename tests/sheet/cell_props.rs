//! Properties of the typed cell readers (`sheet::cell`): dates and numbers
//! never panic on any text, every way a spreadsheet renders a value reads
//! back as that value, and what reads as a date or number reads the same
//! again from its canonical spelling. The shared corpus's date and value
//! cells seed the mutation properties.

use chrono::{Datelike, Duration, NaiveDate};
use concierge::sheet::cell::{
    DateOrder, DecimalSeparator, parse_date, parse_decimal, parse_integer,
};
use proptest::prelude::*;

const ORDERS: [Option<DateOrder>; 3] =
    [None, Some(DateOrder::MonthFirst), Some(DateOrder::DayFirst)];
const SEPARATORS: [DecimalSeparator; 2] = [DecimalSeparator::Point, DecimalSeparator::Comma];

fn date() -> impl Strategy<Value = NaiveDate> {
    (1000i32..=9999, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

fn iso(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The date and value cells of every corpus file (by header name).
fn corpus_cells() -> Vec<String> {
    let dir = crate::support::corpus::shared_dir();
    let mut cells = Vec::new();
    for entry in std::fs::read_dir(dir).expect("corpus") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        let Ok(decoded) = concierge::sheet::decode(&bytes) else {
            continue;
        };
        for delimiter in [b',', b';', b'\t'] {
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .flexible(true)
                .from_reader(decoded.text.as_bytes());
            let Ok(headers) = reader.headers().cloned() else {
                continue;
            };
            let wanted: Vec<usize> = headers
                .iter()
                .enumerate()
                .filter(|(_, h)| {
                    let h = h.trim().to_lowercase();
                    h.contains("date") || h.contains("value") || h.ends_with("_on")
                })
                .map(|(i, _)| i)
                .collect();
            for record in reader.records().flatten() {
                cells.extend(
                    wanted
                        .iter()
                        .filter_map(|i| record.get(*i))
                        .map(str::to_owned),
                );
            }
        }
    }
    cells.sort();
    cells.dedup();
    cells
}

/// A corpus cell with one character inserted or removed somewhere.
fn mutated_seed() -> impl Strategy<Value = String> {
    let seeds = corpus_cells();
    assert!(seeds.len() > 20, "the corpus has date and value cells");
    (
        proptest::sample::select(seeds),
        any::<prop::sample::Index>(),
        prop_oneof![
            Just(None),
            any::<char>().prop_map(Some),
            "[0-9./,;:% -]".prop_map(|s| s.chars().next())
        ],
    )
        .prop_map(|(seed, at, insert)| {
            let mut chars: Vec<char> = seed.chars().collect();
            let at = if chars.is_empty() {
                0
            } else {
                at.index(chars.len())
            };
            match insert {
                Some(c) => chars.insert(at, c),
                None if !chars.is_empty() => {
                    chars.remove(at);
                }
                None => {}
            }
            chars.into_iter().collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn date_and_number_readers_never_panic(raw in any::<String>()) {
        for order in ORDERS {
            let _ = parse_date(&raw, order);
        }
        for separator in SEPARATORS {
            let _ = parse_decimal(&raw, separator);
            let _ = parse_integer(&raw, separator);
        }
    }

    #[test]
    fn mutated_corpus_cells_never_panic_and_read_back_stably(raw in mutated_seed()) {
        for order in ORDERS {
            if let Ok(d) = parse_date(&raw, order) {
                prop_assert_eq!(parse_date(&iso(d), None), Ok(d), "{:?}", raw);
            }
        }
        for separator in SEPARATORS {
            if let Ok(x) = parse_decimal(&raw, separator)
                && x.is_finite()
            {
                prop_assert_eq!(parse_decimal(&format!("{x}"), DecimalSeparator::Point), Ok(x), "{:?}", raw);
            }
            if let Ok(i) = parse_integer(&raw, separator) {
                prop_assert_eq!(parse_integer(&i.to_string(), separator), Ok(i), "{:?}", raw);
            }
        }
    }

    #[test]
    fn every_spreadsheet_rendering_of_a_date_reads_as_that_date(d in date(), hour in 0u32..24) {
        let (y, m, day) = (d.year(), d.month(), d.day());
        for order in ORDERS {
            prop_assert_eq!(parse_date(&iso(d), order), Ok(d));
            prop_assert_eq!(parse_date(&format!("{}T{hour:02}:30:00", iso(d)), order), Ok(d));
            prop_assert_eq!(parse_date(&format!("{day:02}.{m:02}.{y}"), order), Ok(d));
            prop_assert_eq!(parse_date(&format!("{y}/{m:02}/{day:02}"), order), Ok(d));
        }
        prop_assert_eq!(parse_date(&format!("{m}/{day}/{y}"), Some(DateOrder::MonthFirst)), Ok(d));
        prop_assert_eq!(parse_date(&format!("{day:02}/{m:02}/{y}"), Some(DateOrder::DayFirst)), Ok(d));
        if day > 12 {
            // Only one reading exists: no column evidence needed.
            prop_assert_eq!(parse_date(&format!("{m}/{day}/{y}"), None), Ok(d));
        }
    }

    #[test]
    fn serial_numbers_count_days_from_1899_12_30(n in 61u32..2_958_466) {
        let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch");
        prop_assert_eq!(parse_date(&n.to_string(), None), Ok(base + Duration::days(i64::from(n))));
    }

    #[test]
    fn integers_read_back_with_or_without_grouping(i in any::<i64>()) {
        let plain = i.to_string();
        prop_assert_eq!(parse_integer(&plain, DecimalSeparator::Point), Ok(i));
        prop_assert_eq!(parse_decimal(&plain, DecimalSeparator::Point), Ok(i as f64));
        let grouped = |sep: char| {
            let digits: Vec<char> = i.unsigned_abs().to_string().chars().collect();
            let mut out = String::new();
            for (k, c) in digits.iter().enumerate() {
                if k > 0 && (digits.len() - k).is_multiple_of(3) {
                    out.push(sep);
                }
                out.push(*c);
            }
            if i < 0 { format!("-{out}") } else { out }
        };
        prop_assert_eq!(parse_integer(&grouped(','), DecimalSeparator::Point), Ok(i));
        prop_assert_eq!(parse_integer(&grouped('.'), DecimalSeparator::Comma), Ok(i));
    }

    #[test]
    fn decimals_read_exactly_as_their_digits_say(
        whole in 0u64..10_000_000_000,
        frac in 0u32..1_000_000,
        negative in any::<bool>(),
    ) {
        let frac = format!("{frac:06}");
        let sign = if negative { "-" } else { "" };
        let expected: f64 = format!("{sign}{whole}.{frac}").parse().expect("float");
        let grouped = {
            let digits = whole.to_string();
            let mut out = String::new();
            for (k, c) in digits.chars().enumerate() {
                if k > 0 && (digits.len() - k).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            out
        };
        prop_assert_eq!(parse_decimal(&format!("{sign}{whole}.{frac}"), DecimalSeparator::Point), Ok(expected));
        prop_assert_eq!(parse_decimal(&format!("{sign}{grouped}.{frac}"), DecimalSeparator::Point), Ok(expected));
        // The European way: dots group, a comma separates the fraction.
        let european = format!("{sign}{},{frac}", grouped.replace(',', "."));
        prop_assert_eq!(parse_decimal(&european, DecimalSeparator::Comma), Ok(expected));
        prop_assert_eq!(parse_decimal(&format!("{sign}${grouped}.{frac}"), DecimalSeparator::Point), Ok(expected));
        if !negative {
            prop_assert_eq!(parse_decimal(&format!("({grouped}.{frac})"), DecimalSeparator::Point), Ok(-expected));
        }
    }

    #[test]
    fn percents_are_the_fraction(p in 0u32..100_000) {
        let expected: f64 = format!("{p}e-2").parse().expect("float");
        prop_assert_eq!(parse_decimal(&format!("{p}%"), DecimalSeparator::Point), Ok(expected));
    }

    #[test]
    fn any_finite_decimal_reads_back_from_its_display(x in -1e12f64..1e12) {
        prop_assert_eq!(parse_decimal(&format!("{x}"), DecimalSeparator::Point), Ok(x));
    }
}
