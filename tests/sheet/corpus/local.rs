//! The project's own corpus files (`tests/fixtures/csv-corpus`; the shared
//! folder is read-only): found beside the shared ones, and every error
//! they list is checked, reasons included.

use super::{base, corpus_dir, plan, schema};
use concierge::sheet::{decode, parse_decoded};
use serde_json::Value as Json;
use std::path::PathBuf;

/// The project's own corpus files (the shared folder is read-only), in the
/// same format and run the same way.
pub(super) fn local_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/csv-corpus"
    ))
}

/// Where corpus file `name` lives: the project's folder, else the shared one.
pub(super) fn corpus_path(name: &str) -> PathBuf {
    let local = local_dir().join(name);
    if local.exists() {
        local
    } else {
        corpus_dir().join(name)
    }
}

/// The project's own files list every error they must get, reasons
/// included: each one is checked, not only the first.
pub(super) fn every_error(file: &str, bytes: &[u8], expect: &Json) {
    let decoded = decode(bytes).expect("decodes");
    let parsed = parse_decoded(&decoded, &schema());
    let plan = plan(&parsed, &schema(), &base());
    let got: Vec<(u64, u64, Option<String>, String)> = plan
        .errors
        .iter()
        .map(|e| {
            (
                e.data_row as u64,
                e.line as u64,
                e.column.clone(),
                e.reason(),
            )
        })
        .collect();
    let wanted: Vec<(u64, u64, Option<String>, String)> = expect["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|w| {
            (
                w["data_row"].as_u64().expect("data_row"),
                w["line"].as_u64().expect("line"),
                w["column"].as_str().map(str::to_owned),
                w["reason"].as_str().expect("reason").to_owned(),
            )
        })
        .collect();
    assert_eq!(got, wanted, "{file}: every error");
}
