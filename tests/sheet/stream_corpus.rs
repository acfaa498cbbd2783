//! A file streamed from disk (`sheet::open_stream`, its start surveyed or
//! all of it) against the same text decoded in memory (`sheet::parse`,
//! which reads through the same streamed reader): on every file of the
//! shared corpus and on a generated file several chunks long, chunk
//! boundaries, byte-order marks and surveys of the start must not change
//! the header, the typed rows or the errors. What those must be is
//! `tests/csv_corpus.rs`'s contract.

use crate::support::corpus::{schema, shared_dir as corpus_dir};
use concierge::sheet::{
    Opened, ParsedRow, RowFilter, Schema, SheetError, Survey, Verdict, decode, open_stream, parse,
};
use std::fmt::Write as _;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

fn key(e: &SheetError) -> (usize, usize) {
    (e.data_row, e.line)
}

/// Compares both readers on `path`, the streamed one surveying the whole
/// file and then only its start; false when the file does not stream.
fn same_as_whole(path: &Path, schema: &Schema) -> bool {
    let streams = same_surveying(path, schema, Survey::Whole);
    for start in [0, 100, 4000] {
        assert_eq!(same_surveying(path, schema, Survey::Start(start)), streams);
    }
    streams
}

/// [`same_as_whole`] for one way of surveying. After a survey of the
/// start, the rows must be the whole reader's unless the read found the
/// rest of the file differs ([`Verdict::Differs`]).
fn same_surveying(path: &Path, schema: &Schema, survey: Survey) -> bool {
    let bytes = std::fs::read(path).expect("read");
    let opened = open_stream(path, schema, survey).expect("open");
    let Opened::Stream(stream) = opened else {
        // Only files that are not plain UTF-8 (or are empty) are read whole.
        let plain = decode(&bytes).is_ok_and(|d| {
            matches!(
                d.encoding,
                concierge::sheet::Encoding::Utf8 | concierge::sheet::Encoding::Utf8Bom
            ) && !d.text.is_empty()
        });
        assert!(!plain, "{} is UTF-8 but was not streamed", path.display());
        return false;
    };
    let whole = parse(&decode(&bytes).expect("decodes").text, schema);
    let name = path.display();
    let mut rows: Vec<ParsedRow> = Vec::new();
    let mut errors: Vec<SheetError> = stream.sheet.errors.clone();
    stream
        .rows(RowFilter::All, true, &mut |row| {
            errors.extend(row.errors);
            rows.extend(row.row);
            ControlFlow::Continue(())
        })
        .expect("rows");
    if stream.verdict() == Some(Verdict::Differs) {
        return true;
    }
    let s = &stream.sheet;
    assert_eq!(s.delimiter, whole.delimiter, "{name}: delimiter");
    assert_eq!(s.columns, whole.columns, "{name}: columns");
    assert_eq!(s.present, whole.present, "{name}: present");
    assert_eq!(s.has_rev, whole.has_rev, "{name}: _rev");
    assert_eq!(s.unknown_columns, whole.unknown_columns, "{name}: unknown");
    assert_eq!(
        s.ignored_empty_columns, whole.ignored_empty_columns,
        "{name}"
    );
    assert_eq!(rows, whole.rows, "{name}: rows");
    let mut expected = whole.errors.clone();
    expected.sort_by_key(key);
    errors.sort_by_key(key);
    assert_eq!(errors, expected, "{name}: errors");
    // The survey's count (for progress) includes rows of the wrong width.
    assert!(
        stream.records_read() >= whole.rows.len(),
        "{name}: record count"
    );
    true
}

#[test]
fn every_corpus_file_streams_as_it_parses() {
    let mut streamed = 0;
    let local = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/csv-corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("corpus")
        .chain(std::fs::read_dir(local).expect("local corpus"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    for path in &files {
        streamed += usize::from(same_as_whole(path, &schema()));
    }
    assert!(streamed > files.len() / 2, "{streamed} of {}", files.len());
}

#[test]
fn a_file_of_many_chunks_streams_as_it_parses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.csv");
    let mut text = String::from("\u{FEFF}id;name;date;value;notes;active\r\n");
    for i in 0..40_000 {
        // Day-first dates and decimal commas, decided by the whole column;
        // quoted notes with line breaks and delimiters cross chunk ends.
        let id = if i % 3 == 0 {
            format!("C-{i}")
        } else {
            String::new()
        };
        let _ = write!(
            text,
            "{id};Name {i} é🦀;{:02}.{:02}.2024;{},{};\"note {i};\r\nline \"\"two\"\"\";{}\r\n",
            i % 28 + 1,
            i % 12 + 1,
            i,
            i % 100,
            if i % 2 == 0 { "yes" } else { "no" }
        );
        if i % 997 == 0 {
            text.push_str(";;;;;\r\n");
        }
    }
    text.push_str("C-1;broken \"quote;01.01.2024;1;x;yes\r\n");
    std::fs::write(&path, &text).expect("write");
    assert!(text.len() > 1 << 20);
    assert!(same_as_whole(&path, &schema()));
}
