//! The Check-ins word filter's fast road gives exactly what the SQL scan
//! gives: on generated workspaces built to collide (case, the Kelvin sign,
//! other non-ASCII letters, punctuation, one- and two-letter words), on
//! edge cases, and after edits and undo (the indexes stay in sync).

use super::{ListKind, ListQuery, parse_filter};
use crate::clock::Clock;
use crate::domain::{CheckIn, CheckInKind, Customer};
use crate::store::{OpenMode, Store};
use chrono::NaiveDate;
use proptest::prelude::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Clock::fixed_day(day(21));
    let store =
        Store::open(&dir.path().join("w.db"), OpenMode::ReadWrite, "dana", clock).expect("open");
    (dir, store)
}

/// An empty workspace on a file, and one on the test server when there is
/// one (its notes index is pg_trgm's, its short texts the same in-memory
/// index): each test runs on both.
fn stores(test: &str) -> Vec<(Box<dyn std::any::Any>, Store)> {
    let (dir, file) = store();
    let mut both: Vec<(Box<dyn std::any::Any>, Store)> = vec![(Box::new(dir), file)];
    if let Some(server) = crate::store::db::tests::test_server(test) {
        let scratch = crate::store::open::server::tests::Scratch::new(&server, test);
        let mut served = Store::open_server(&scratch.url, false, Clock::fixed_day(day(21)))
            .expect("open on the server");
        served.actor = "dana".into();
        both.push((Box::new(scratch), served));
    }
    both
}

fn customer(store: &mut Store, name: &str) -> i64 {
    let c = Customer {
        name: name.into(),
        ..Customer::default()
    };
    store.save_customer(&c).expect("customer").0
}

fn checkin(store: &mut Store, customer_id: i64, summary: &str, notes: &str) -> i64 {
    let k = CheckIn {
        id: 0,
        customer_id,
        occurred_on: day(3),
        kind: CheckInKind::Call,
        author: "miguel".into(),
        summary: summary.into(),
        notes: notes.into(),
        health: None,
        effort_minutes: None,
        meta: crate::domain::Meta::default(),
    };
    store.save_checkin(&k).expect("check-in").0
}

/// The list by the fast road, after checking it was taken when it can be
/// and that the scan agrees.
fn ids(store: &Store, filter: &str) -> Vec<i64> {
    ids_sorted(store, filter, 0)
}

fn ids_sorted(store: &Store, filter: &str, sort: usize) -> Vec<i64> {
    let query = ListQuery {
        filter: filter.into(),
        sort,
    };
    let listed = store.list_ids(ListKind::CheckIns, &query).expect("list");
    let (words, pairs) = parse_filter(ListKind::CheckIns, filter).expect("filter");
    let scanned = store
        .scanned_ids(ListKind::CheckIns, &words, &pairs, sort)
        .expect("scan");
    assert_eq!(listed, scanned, "filter {filter:?}, sort {sort}");
    if !words.is_empty() && words.iter().all(|w| w.is_ascii()) {
        let fast = store.checkin_ids(&words, &pairs, sort).expect("fast");
        assert_eq!(fast.as_ref(), Some(&listed), "fast road for {filter:?}");
    }
    listed
}

#[test]
fn words_match_notes_short_texts_and_keys_case_insensitively() {
    for (_guard, mut store) in stores("words_match_notes_short_texts_and_keys_c") {
        let rosa = customer(&mut store, "Rosa Builders");
        let other = customer(&mut store, "Harbor");
        let a = checkin(
            &mut store,
            rosa,
            "Walked the site",
            "She logs DELIVERIES on paper.",
        );
        let b = checkin(
            &mut store,
            other,
            "Submittal review",
            "Crane at 7; walk-in \"quoted\"",
        );
        assert_eq!(ids(&store, "deliver"), [a]);
        assert_eq!(ids(&store, "DeLiVeR"), [a]);
        assert_eq!(ids(&store, "rosa"), [a], "customer name");
        assert_eq!(ids(&store, "sbmtl"), [b], "fuzzy on the summary");
        assert_eq!(ids(&store, "miguel"), [b, a], "author, newest id first");
        assert_eq!(ids(&store, &format!("k-{a}")), [a], "the key");
        assert_eq!(ids(&store, "k-"), [b, a]);
        assert_eq!(ids(&store, "k-in"), [b], "punctuation inside a note");
        assert_eq!(ids(&store, "\"quoted\""), [b], "a quote in the word");
        assert_eq!(ids(&store, "\""), [b]);
        assert_eq!(ids(&store, "7;"), [b]);
        assert!(ids(&store, "zq").is_empty());
        assert!(ids(&store, "pump").is_empty());
        assert_eq!(ids(&store, "rosa paper"), [a], "every word must match");
        assert!(ids(&store, "rosa crane").is_empty());
        assert_eq!(ids(&store, "customer=harb cr"), [b], "a pair and a word");
        assert!(ids(&store, "kind=visit cr").is_empty());
        assert_eq!(ids(&store, "kind=call l"), [b, a]);
        for sort in 0..4 {
            ids_sorted(&store, "a", sort);
        }
    }
}

#[test]
fn a_servers_like_wildcards_are_plain_characters_in_a_word() {
    for (_guard, mut store) in stores("like_wildcards") {
        let c = customer(&mut store, "Harbor");
        let pct = checkin(&mut store, c, "Call", "took 50% off the site_plan");
        let plain = checkin(&mut store, c, "Call", "took 500 off the site plan");
        let slash = checkin(&mut store, c, "Call", "a back\\slash here");
        assert_eq!(ids(&store, "50%"), [pct]);
        assert_eq!(ids(&store, "0% off"), [pct]);
        assert_eq!(ids(&store, "site_plan"), [pct]);
        assert_eq!(ids(&store, "e_p"), [pct]);
        assert_eq!(ids(&store, "500"), [plain]);
        assert_eq!(ids(&store, "k\\s"), [slash]);
        assert!(ids(&store, "k\\\\s").is_empty());
    }
}

#[test]
fn non_ascii_text_folds_as_the_plain_matcher_does() {
    for (_guard, mut store) in stores("non_ascii_text_folds_as_the_plain_matche") {
        let c = customer(&mut store, "École Nord");
        let kelvin = checkin(&mut store, c, "Temperature", "300 \u{212a}elvin on site");
        let long_s = checkin(&mut store, c, "Old print", "the \u{17f}ite office");
        let dotted = checkin(&mut store, c, "Trip", "İstanbul straße");
        // The Kelvin sign lowercases to k, in short and long words.
        assert_eq!(ids(&store, "kelvin"), [kelvin]);
        assert_eq!(ids(&store, "KEL"), [kelvin]);
        assert_eq!(ids(&store, "ke"), [kelvin]);
        // No other non-ASCII letter matches an ASCII one: not ſ for s, not
        // İ for i.
        assert!(ids(&store, "site").contains(&kelvin));
        assert!(!ids(&store, "site").contains(&long_s));
        assert!(!ids(&store, "si").contains(&long_s));
        assert!(!ids(&store, "istan").contains(&dotted));
        assert!(!ids(&store, "is").contains(&dotted));
        assert_eq!(ids(&store, "tanbul"), [dotted]);
        // Non-ASCII words take the scan, with the same answers.
        assert_eq!(ids(&store, "straße"), [dotted]);
        assert_eq!(ids(&store, "STRASSE"), Vec::<i64>::new());
        assert_eq!(ids(&store, "école"), [dotted, long_s, kelvin], "customer");
        assert_eq!(ids(&store, "\u{17f}ite"), [long_s]);
    }
}

#[test]
fn the_indexes_follow_edits_deletes_and_undo() {
    for (_guard, mut store) in stores("the_indexes_follow_edits_deletes_and_und") {
        let c = customer(&mut store, "Harbor");
        let a = checkin(&mut store, c, "Call", "nothing yet");
        assert!(ids(&store, "zebra").is_empty());
        assert!(ids(&store, "zq").is_empty());

        let mut k = store.checkin(a).expect("K").checkin;
        k.notes = "zebra crossing, zq".into();
        store.save_checkin(&k).expect("edit");
        assert_eq!(ids(&store, "zebra"), [a]);
        assert_eq!(ids(&store, "zq"), [a]);
        assert!(ids(&store, "nothing").is_empty());

        store.undo_latest().expect("undo the edit");
        assert!(ids(&store, "zebra").is_empty());
        assert!(ids(&store, "zq").is_empty());
        assert_eq!(ids(&store, "nothing"), [a]);

        let b = checkin(&mut store, c, "Visit", "a zebra again");
        assert_eq!(ids(&store, "zebra"), [b]);
        let rev = store.checkin(b).expect("K").checkin.meta.rev;
        store.delete_checkin(b, rev).expect("delete");
        assert!(ids(&store, "zebra").is_empty());
        assert!(ids(&store, "ze").is_empty());
        store.undo_latest().expect("undo the delete");
        assert_eq!(ids(&store, "zebra"), [b]);
        assert_eq!(ids(&store, "ze"), [b]);

        // A renamed customer is found by its new name at once.
        let mut renamed = store.customer(c).expect("C");
        renamed.name = "Quayside".into();
        store.save_customer(&renamed).expect("rename");
        assert_eq!(ids(&store, "quays"), [b, a]);
        assert!(ids(&store, "harbor").is_empty());
    }
}

#[test]
fn another_connection_s_write_is_seen() {
    let (dir, mut store) = store();
    let c = customer(&mut store, "Harbor");
    checkin(&mut store, c, "Call", "nothing yet");
    assert!(ids(&store, "zq").is_empty());
    let clock = Clock::fixed_day(day(21));
    let mut other =
        Store::open(&dir.path().join("w.db"), OpenMode::ReadWrite, "sam", clock).expect("open");
    let b = checkin(&mut other, c, "Visit", "zq and zebra");
    assert_eq!(ids(&store, "zq"), [b]);
    assert_eq!(ids(&store, "zebra"), [b]);
}

#[test]
fn check_ins_written_by_another_program_are_found_before_and_after_indexing() {
    let (dir, mut store) = store();
    let c = customer(&mut store, "Harbor");
    let a = checkin(&mut store, c, "Call", "zebra crossing");
    let stale = |store: &Store| -> i64 {
        store
            .db()
            .value(
                "SELECT count(*) FROM checkin_notes_stale",
                crate::store::db::args![],
            )
            .expect("stale")
    };
    assert_eq!(stale(&store), 0, "a write indexes what it changed");
    // A sqlite3 shell, say: the triggers list the rows, nothing indexes them.
    let shell = rusqlite::Connection::open(dir.path().join("w.db")).expect("shell");
    shell
        .execute_batch(&format!(
            "INSERT INTO checkins (id, customer_id, occurred_on, kind, summary, notes,
                 created_at, updated_at)
             VALUES (77, {c}, '2026-11-04', 'call', 'Shell', 'a walrus, a ZQ', 'x', 'x');
             UPDATE checkins SET notes = 'no stripes' WHERE id = {a};"
        ))
        .expect("shell writes");
    assert_eq!(stale(&store), 2);
    assert_eq!(ids(&store, "walrus"), [77]);
    assert_eq!(ids(&store, "zq"), [77]);
    assert!(ids(&store, "zebra").is_empty());
    assert_eq!(ids(&store, "stripes"), [a]);
    shell
        .execute("DELETE FROM checkins WHERE id = 77", [])
        .expect("shell deletes");
    assert!(ids(&store, "walrus").is_empty());
    shell
        .execute(
            &format!(
                "INSERT INTO checkins (id, customer_id, occurred_on, kind, summary, notes,
                     created_at, updated_at)
                 VALUES (78, {c}, '2026-11-05', 'call', 'Shell', 'walrus again', 'x', 'x')"
            ),
            [],
        )
        .expect("shell writes");
    drop(store);
    // Opening indexes them.
    let clock = Clock::fixed_day(day(21));
    let store =
        Store::open(&dir.path().join("w.db"), OpenMode::ReadWrite, "dana", clock).expect("open");
    assert_eq!(stale(&store), 0);
    assert_eq!(ids(&store, "walrus"), [78]);
    assert_eq!(ids(&store, "stripes"), [a]);
    assert!(ids(&store, "zebra").is_empty());
    assert!(ids(&store, "zq").is_empty());
}

/// Pieces that collide under folding, so generated texts and words meet.
const PIECES: &[&str] = &[
    "a", "b", "k", "K", "\u{212a}", "s", "\u{17f}", "i", "İ", "é", "É", "-", "1", "9", " ", ".",
    "\"", "ab", "del", "iver", "zq",
];

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max).prop_map(|p| p.concat())
}

fn word() -> impl Strategy<Value = String> {
    text(4).prop_filter("a word", |w| {
        !w.trim().is_empty() && !w.contains([' ', '=']) && w.chars().all(|c| !c.is_whitespace())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_fast_road_equals_the_scan(
        names in prop::collection::vec(text(4), 1..4),
        rows in prop::collection::vec(
            (0usize..4, text(3), text(24), 0usize..6, 0usize..3, 1u32..4, prop::option::of(-2i64..=2)),
            1..16,
        ),
        filters in prop::collection::vec(
            (word(), prop::option::of(word()), prop::option::of(0usize..PAIRS.len()), 0usize..4),
            1..8,
        ),
        picks in prop::collection::vec((0usize..16, any::<bool>(), 0usize..24, 1usize..6, 1usize..3), 0..8),
    ) {
        let (_dir, mut store) = store();
        let mut customers = Vec::new();
        for (i, name) in names.iter().enumerate() {
            customers.push(customer(&mut store, &format!("{name}#{i}")));
        }
        for (c, summary, notes, kind, author, on, health) in &rows {
            let summary = if summary.trim().is_empty() { "s" } else { summary };
            let id = checkin(&mut store, customers[c % customers.len()], summary, notes);
            let mut k = store.checkin(id).expect("K").checkin;
            k.kind = CheckInKind::ALL[*kind];
            k.author = ["miguel", "Dana", ""][*author].into();
            k.occurred_on = day(*on);
            k.health = *health;
            store.save_checkin(&k).expect("edit");
        }
        // Words taken from the rows themselves, so they match: a run of a
        // note, or every first or second character of a summary (fuzzy).
        for (row, from_notes, start, len, step) in &picks {
            let (_, summary, notes, ..) = &rows[row % rows.len()];
            let source: Vec<char> = if *from_notes { notes } else { summary }.chars().collect();
            let word: String = source
                .iter()
                .skip(*start % source.len().max(1))
                .step_by(*step)
                .take(*len)
                .filter(|c| !c.is_whitespace() && **c != '=')
                .collect();
            if !word.is_empty() {
                ids_sorted(&store, &word, 0);
            }
        }
        for (first, second, pair, sort) in &filters {
            let mut filter = first.clone();
            for more in [second.as_deref(), pair.map(|p| PAIRS[p])].into_iter().flatten() {
                filter = format!("{filter} {more}");
            }
            ids_sorted(&store, &filter, *sort);
        }
    }
}

/// Pairs mixed into generated filters.
const PAIRS: &[&str] = &[
    "kind=call",
    "kind=v",
    "author=mig",
    "customer=a",
    "on=2026-11-0",
    "health=1",
];
