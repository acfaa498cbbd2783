//! A survey of the start must never be trusted when the whole file reads
//! differently, and must be trusted for a file that reads the same
//! throughout.

use super::super::survey::tests::schema;
use super::super::{How, Opened, RowFilter, SheetStream, Verdict, open_surveyed};
use proptest::prelude::*;
use std::ops::ControlFlow;

/// One kind of record, repeated to make a stretch of the file.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Plain,
    WithId,
    AmbiguousDate,
    DayFirst,
    MonthFirst,
    CommaDecimal,
    /// Something in the trailing column that has no header.
    Unheaded,
    Blank,
    NotUtf8,
    OpenQuote,
}

fn record(kind: Kind, i: usize) -> Vec<u8> {
    let line = match kind {
        Kind::Plain => format!(",name {i},2026-04-03,1.5,plain,\r\n"),
        Kind::WithId => format!("C-{i},name {i},2026-04-03,2.25,with id,\n"),
        Kind::AmbiguousDate => format!(",name {i},03/04/2026,7,\"two\nlines\",\n"),
        Kind::DayFirst => format!(",name {i},13/04/2026,1.5,x\n"),
        Kind::MonthFirst => format!(",name {i},04/13/2026,1.5,x,\n"),
        Kind::CommaDecimal => format!(",name {i},2026-04-03,\"1,5\",x,\n"),
        Kind::Unheaded => format!(",name {i},2026-04-03,1.5,x,surprise\n"),
        Kind::Blank => ",,,,,\n".to_owned(),
        Kind::NotUtf8 => return b",caf\xe9,2026-04-03,1,x,\n".to_vec(),
        Kind::OpenQuote => format!(",name {i},2026-04-03,1,\"never closed,\n"),
    };
    line.into_bytes()
}

fn file(stretches: &[(Kind, usize)]) -> Vec<u8> {
    let mut bytes = b"id,name,date,value,notes,\n".to_vec();
    let mut i = 0;
    for &(kind, n) in stretches {
        for _ in 0..n {
            bytes.extend(record(kind, i));
            i += 1;
        }
    }
    bytes
}

/// Every row `stream` hands out in one read, comparable.
fn read(stream: &SheetStream) -> Vec<String> {
    let mut rows = Vec::new();
    stream
        .rows(RowFilter::All, true, &mut |row| {
            rows.push(format!("{row:?}"));
            ControlFlow::Continue(())
        })
        .expect("reads");
    rows
}

fn open(path: &std::path::Path, how: How) -> Option<SheetStream> {
    match open_surveyed(
        &crate::sheet::Input::File(path.to_path_buf()),
        &schema(),
        how,
    )
    .expect("io")
    {
        Opened::Stream(stream) => Some(*stream),
        Opened::ReadWhole => None,
    }
}

/// Surveys `bytes` whole and by the first `start` bytes, reads both, and
/// checks the start's verdict against the whole survey. Returns it.
fn verdict_for(bytes: &[u8], start: u64) -> Option<Verdict> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("f.csv");
    std::fs::write(&path, bytes).expect("write");
    let Some(by_start) = open(&path, How::Start { bytes: start }) else {
        // Bad bytes in the start: read whole, as the whole survey does.
        assert!(
            open(
                &path,
                How::Whole {
                    split_over: u64::MAX
                }
            )
            .is_none()
        );
        return None;
    };
    let rows = read(&by_start);
    let whole = open(
        &path,
        How::Whole {
            split_over: u64::MAX,
        },
    );
    let verdict = by_start.verdict();
    match (&whole, verdict) {
        // Surveyed all of it after all: the same survey.
        (Some(whole), None) => {
            assert!(by_start.surveyed_whole());
            assert!(by_start.reads_as(whole));
            assert_eq!(by_start.records, whole.records);
            assert_eq!(rows, read(whole));
        }
        (Some(whole), Some(Verdict::Same { records, with_id })) => {
            assert!(
                by_start.reads_as(whole),
                "trusted a start that reads differently"
            );
            assert_eq!((records, with_id), (whole.records, whole.with_id));
            assert_eq!(by_start.records_read(), whole.records);
            assert_eq!(rows, read(whole), "rows differ from the whole survey's");
        }
        (Some(whole), Some(Verdict::Differs)) => {
            assert!(by_start.differs());
            // Differing is always safe; it must at least have had a reason
            // or have seen the votes move along the way.
            let _ = whole;
        }
        (None, v) => assert_eq!(v, Some(Verdict::Differs), "bad bytes were trusted"),
    }
    verdict
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        6 => Just(Kind::Plain),
        1 => Just(Kind::WithId),
        2 => Just(Kind::AmbiguousDate),
        1 => Just(Kind::DayFirst),
        1 => Just(Kind::MonthFirst),
        1 => Just(Kind::CommaDecimal),
        1 => Just(Kind::Unheaded),
        1 => Just(Kind::Blank),
        1 => Just(Kind::NotUtf8),
        1 => Just(Kind::OpenQuote),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        if std::env::var_os("CONCIERGE_SLOW_TESTS").is_some_and(|v| v == "1") { 2000 } else { 200 }
    ))]

    #[test]
    fn a_start_is_trusted_only_when_the_whole_file_reads_as_it_does(
        stretches in prop::collection::vec((kind(), 1usize..40), 1..6),
        start in 0u64..1500,
    ) {
        verdict_for(&file(&stretches), start);
    }
}

#[test]
fn a_file_that_reads_the_same_throughout_is_trusted() {
    for kind in [
        Kind::Plain,
        Kind::WithId,
        Kind::AmbiguousDate,
        Kind::CommaDecimal,
    ] {
        let bytes = file(&[(kind, 3000)]);
        assert!(
            matches!(
                verdict_for(&bytes, 1000),
                Some(Verdict::Same { records: 3000, .. })
            ),
            "{kind:?}"
        );
    }
    // A quote left open late is a broken record either way.
    let bytes = file(&[(Kind::Plain, 2000), (Kind::OpenQuote, 1), (Kind::Plain, 10)]);
    assert!(matches!(
        verdict_for(&bytes, 1000),
        Some(Verdict::Same { .. })
    ));
    // Votes that only confirm the start's reading, and blank records.
    let bytes = file(&[
        (Kind::DayFirst, 50),
        (Kind::AmbiguousDate, 2000),
        (Kind::Blank, 5),
    ]);
    assert!(matches!(
        verdict_for(&bytes, 500),
        Some(Verdict::Same { records: 2050, .. })
    ));
}

#[test]
fn a_file_that_changes_its_ways_after_the_start_is_read_again() {
    for later in [Kind::WithId, Kind::DayFirst, Kind::Unheaded] {
        let before = if matches!(later, Kind::DayFirst) {
            Kind::AmbiguousDate
        } else {
            Kind::Plain
        };
        let bytes = file(&[(before, 2000), (later, 1), (before, 10)]);
        assert_eq!(
            verdict_for(&bytes, 1000),
            Some(Verdict::Differs),
            "{later:?}"
        );
    }
    // Bytes that are not UTF-8 past the first chunk the survey reads
    // (earlier ones send the file to be read whole at once).
    let bytes = file(&[(Kind::Plain, 10_000), (Kind::NotUtf8, 1), (Kind::Plain, 10)]);
    assert!(bytes.len() > 1 << 18);
    assert_eq!(verdict_for(&bytes, 1000), Some(Verdict::Differs));
    // The majority of the whole file decides, even when the start's did
    // not: month-first in the start, day-first overall.
    let bytes = file(&[(Kind::MonthFirst, 100), (Kind::DayFirst, 300)]);
    assert_eq!(verdict_for(&bytes, 1000), Some(Verdict::Differs));
}
