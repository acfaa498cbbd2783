//! Which check-ins' notes contain a filter word, without reading the
//! notes: a word of three or more ASCII characters is a phrase query on
//! the trigram index `checkin_notes` (migration 5), a shorter one is
//! looked up in [`Grams`]. Both answer exactly what
//! [`crate::domain::matching::contains_folded_bytes`] answers on the
//! notes; a word neither can answer (one with a non-ASCII character) is
//! left to the caller, which then reads the notes.

use super::checkin_filter::Lazy;
use super::grams::{BUDGET, Grams};
use rusqlite::Connection;

/// The ids of the check-ins whose notes contain `word`, ascending, or
/// `None` when the indexes cannot tell (see the module). `grams` is the
/// caller's cache of the in-memory index, built here on first need.
pub(super) fn notes_containing(
    conn: &Connection,
    grams: &mut Lazy<Grams>,
    word: &str,
) -> rusqlite::Result<Option<Vec<i64>>> {
    if !word.is_ascii() {
        return Ok(None);
    }
    let word = word.to_ascii_lowercase();
    if word.len() >= 3 {
        let phrase = format!("\"{}\"", word.replace('"', "\"\""));
        let mut stmt = conn.prepare_cached(
            "SELECT rowid FROM checkin_notes WHERE checkin_notes MATCH ?1 ORDER BY rowid",
        )?;
        let ids = stmt.query_map([phrase], |r| r.get(0))?;
        return Ok(Some(ids.collect::<rusqlite::Result<_>>()?));
    }
    Ok(grams
        .get(|| Grams::build(conn, BUDGET))?
        .and_then(|grams| grams.ids_containing(&word)))
}
