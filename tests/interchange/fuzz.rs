//! Fuzzing the real importer with the shared CSV corpus as seeds: each case
//! takes a corpus file (or a file the workspace exported), mutates its bytes
//! (flips, inserted quotes, delimiters and line breaks, deleted runs, a cut
//! end, invalid UTF-8) and runs it through every import path of the store —
//! the whole-file preview and the streamed import, dry run, for every kind.
//! Zero panics, and nothing is ever written (the dry run keeps the
//! workspace as it was). `cargo fuzz` needs a nightly toolchain, so the
//! fuzzing here is proptest on stable.

use crate::support;

use concierge::sheet::decode;
use concierge::store::interchange::ImportOptions;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::PathBuf;

use crate::support::interchange::{KINDS, export};

/// Every corpus file, as bytes.
fn corpus() -> Vec<Vec<u8>> {
    let dir = crate::support::corpus::shared_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, &'static [u8]),
    Delete(usize, usize),
    Cut(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let pieces: &'static [&'static [u8]] = &[
        b"\"",
        b"\"\"",
        b",",
        b";",
        b"\t",
        b"\r",
        b"\n",
        b"\r\n",
        b"\xEF\xBB\xBF",
        b"\xFF\xFE",
        b"\xC3",
        b"\x00",
        b"=SUM(A1)",
        b"E-",
        b"C-0",
        b"2026-02-30",
        b"31/12/2026",
        b"1,5",
        b"-0",
        b"1e309",
        b"\xE2\x80\xAE",
        b"_rev",
        b"id",
        b"\"\n\"",
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        (any::<usize>(), prop::sample::select(pieces)).prop_map(|(at, p)| Mutation::Insert(at, p)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Mutation::Delete(at, n)),
        any::<usize>().prop_map(Mutation::Cut),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Flip(at, b) => {
                if let Some(byte) = bytes.get_mut(at % len) {
                    *byte ^= b | 1;
                }
            }
            Mutation::Insert(at, piece) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, piece.iter().copied());
            }
            Mutation::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Mutation::Cut(at) => bytes.truncate(at % len),
        }
    }
    bytes
}

#[test]
fn mutated_corpus_files_never_panic_any_import_and_write_nothing() {
    let (dir, store) = support::demo();
    // (bytes, the kind it was exported as): corpus files go to any kind.
    let mut seeds: Vec<(Vec<u8>, Option<usize>)> =
        corpus().into_iter().map(|bytes| (bytes, None)).collect();
    // The workspace's own exports are seeds too: every kind's real header.
    let everything = |store: &concierge::store::Store| -> Vec<String> {
        KINDS.iter().map(|k| export(store, *k, false)).collect()
    };
    let before = everything(&store);
    seeds.extend(
        before
            .iter()
            .enumerate()
            .map(|(kind, text)| (text.as_bytes().to_vec(), Some(kind))),
    );
    let file = dir.path().join("fuzz.csv");
    let cases = if crate::support::slow_tests() {
        3000
    } else {
        300
    };
    let store = std::cell::RefCell::new(store);
    let mut runner = TestRunner::new(Config::with_cases(cases));
    let strategy = (
        0..seeds.len(),
        prop::collection::vec(mutation(), 1..6),
        0..KINDS.len(),
    );
    runner
        .run(&strategy, |(seed, mutations, kind)| {
            let (bytes, own) = &seeds[seed];
            let bytes = mutate(bytes.clone(), &mutations);
            let kind = KINDS[own.unwrap_or(kind)];
            if let Ok(decoded) = decode(&bytes) {
                let preview = store.borrow_mut().preview_import(
                    kind,
                    "fuzz.csv",
                    &decoded,
                    true,
                    &mut |_, _, _| {},
                );
                if let Ok(preview) = preview {
                    for e in &preview.errors {
                        let _ = e.to_string();
                    }
                }
            }
            std::fs::write(&file, &bytes).expect("write");
            let options = ImportOptions {
                dry_run: true,
                delete_missing: true,
                ..ImportOptions::default()
            };
            let _ = store
                .borrow_mut()
                .import_file(kind, &file, options, &mut |_, _, _| {});
            Ok(())
        })
        .expect("no case fails");
    assert!(
        everything(&store.borrow()) == before,
        "a dry run wrote something"
    );
}
