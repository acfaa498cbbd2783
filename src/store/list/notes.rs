//! Which check-ins' notes contain a filter word, without reading the
//! notes: a word of three or more ASCII characters is a phrase query on
//! the trigram index `checkin_notes` (migration 5), a shorter one is
//! looked up in [`Grams`], built in memory on first use and kept until
//! the data changes. Both answer exactly what
//! [`crate::domain::matching::contains_folded_bytes`] would answer on the
//! notes; a word neither can answer (one with a non-ASCII character) is
//! left to the caller, which then reads the notes.

use super::grams::{BUDGET, Grams};
use crate::store::{DataStamp, Result, Store};

/// The in-memory index and the data it was built from (`None` inside:
/// this workspace's notes do not fit [`BUDGET`]).
pub(crate) type GramCache = Option<(DataStamp, Option<Grams>)>;

impl Store {
    /// The ids of the check-ins whose notes contain `word` (any order),
    /// or `None` when the indexes cannot tell (see the module).
    pub(super) fn notes_containing(&self, word: &str) -> Result<Option<Vec<i64>>> {
        if !word.is_ascii() {
            return Ok(None);
        }
        let word = word.to_ascii_lowercase();
        if word.len() >= 3 {
            let phrase = format!("\"{}\"", word.replace('"', "\"\""));
            let mut stmt = self
                .conn
                .prepare_cached("SELECT rowid FROM checkin_notes WHERE checkin_notes MATCH ?1")?;
            let ids = stmt.query_map([phrase], |r| r.get(0))?;
            return Ok(Some(ids.collect::<rusqlite::Result<_>>()?));
        }
        let stamp = self.data_stamp()?;
        let mut cache = self.note_grams.borrow_mut();
        if cache.as_ref().map(|(s, _)| *s) != Some(stamp) {
            // Drop the stale index before building its successor, so
            // two are never held at once.
            *cache = None;
            *cache = Some((stamp, Grams::build(&self.conn, BUDGET)?));
        }
        Ok(cache
            .as_ref()
            .and_then(|(_, grams)| grams.as_ref())
            .and_then(|grams| grams.ids_containing(&word)))
    }
}

/// `ids` as a bitset blob for `concierge_in`: bit `id % 8` of byte
/// `id / 8`. Never empty (SQLite may hand an empty blob over as NULL).
pub(super) fn id_bits(ids: &[i64]) -> Vec<u8> {
    let max = ids.iter().copied().max().unwrap_or(0).max(0) as usize;
    let mut bits = vec![0u8; max / 8 + 1];
    for &id in ids {
        if let Ok(id) = usize::try_from(id) {
            bits[id / 8] |= 1 << (id % 8);
        }
    }
    bits
}

/// Whether `id` is in a set made by [`id_bits`].
pub(super) fn has_id(bits: &[u8], id: i64) -> bool {
    usize::try_from(id)
        .ok()
        .and_then(|id| bits.get(id / 8).map(|b| b & (1 << (id % 8)) != 0))
        .unwrap_or(false)
}
