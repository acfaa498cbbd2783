//! The Check-ins list filtered by words, without reading a single note
//! (SPEC §6: one filter character over 20,000 notes within 16 ms).
//!
//! A check-in matches a word when its notes contain it ([`super::notes`]:
//! a trigram index, or in-memory sets for short words) or its short texts
//! do ([`Texts`], in memory). The rows the `key=value` pairs keep, in the
//! sort's order, come from SQL without words and are kept while only the
//! words change; the words then just drop rows from that list. Everything
//! held is dropped when [`Store::data_stamp`] changes, and rebuilt on
//! first need. The result is exactly what the SQL scan gives (a test
//! compares the two); a word with a non-ASCII character takes the scan.

use super::notes::notes_containing;
use crate::search::{Grams, Texts, TextsBuilder};
use crate::store::{DataStamp, ListKind, Result, Store};
use rusqlite::Connection;
use rusqlite::types::ValueRef;

/// What a Check-ins filter keeps between keystrokes.
#[derive(Default)]
pub(crate) struct FilterCache {
    stamp: Option<DataStamp>,
    grams: Lazy<Grams>,
    texts: Lazy<Texts>,
    /// The last pairs and sort asked for, and their ordered ids.
    listed: Option<Listed>,
}

struct Listed {
    pairs: Vec<(String, String)>,
    sort: usize,
    ids: Vec<i64>,
}

/// An index built on first need.
#[derive(Default)]
pub(super) enum Lazy<T> {
    #[default]
    Unbuilt,
    /// Built, but this workspace's data does not fit it (too big, or not
    /// UTF-8): the scan answers.
    Unusable,
    Built(T),
}

impl<T> Lazy<T> {
    /// The index, built by `build` if it is not yet (`None`: unusable).
    pub(super) fn get(
        &mut self,
        build: impl FnOnce() -> rusqlite::Result<Option<T>>,
    ) -> rusqlite::Result<Option<&T>> {
        if matches!(self, Lazy::Unbuilt) {
            *self = build()?.map_or(Lazy::Unusable, Lazy::Built);
        }
        Ok(match self {
            Lazy::Built(index) => Some(index),
            Lazy::Unbuilt | Lazy::Unusable => None,
        })
    }
}

impl Store {
    /// The ids [`Store::list_ids`] gives for Check-ins filtered by
    /// `words` (at least one) and `pairs`, or `None` when this road cannot
    /// answer exactly and the SQL scan must.
    pub(super) fn checkin_ids(
        &self,
        words: &[String],
        pairs: &[(String, String)],
        sort: usize,
    ) -> Result<Option<Vec<i64>>> {
        // The notes index and the short texts' in-memory index are
        // SQLite's (see the module); the scan answers elsewhere.
        let Some(conn) = self.db().sqlite() else {
            return Ok(None);
        };
        if !words.iter().all(|w| w.is_ascii()) {
            return Ok(None);
        }
        // One snapshot for the stamp and everything read under it.
        let _snapshot = if conn.is_autocommit() {
            Some(conn.unchecked_transaction()?)
        } else {
            None
        };
        let stamp = self.data_stamp()?;
        let mut cache = self.filter_cache.borrow_mut();
        if cache.stamp != Some(stamp) {
            *cache = FilterCache {
                stamp: Some(stamp),
                ..FilterCache::default()
            };
        }
        let FilterCache {
            grams,
            texts,
            listed,
            ..
        } = &mut *cache;
        let Some(texts) = texts.get(|| texts_of(conn))? else {
            return Ok(None);
        };
        let mut alive = vec![true; texts.ids.len()];
        for word in words {
            let Some(noted) = notes_containing(conn, grams, word)? else {
                return Ok(None);
            };
            let mut hit = vec![false; texts.ids.len()];
            for pos in noted.into_iter().filter_map(|id| texts.position(id)) {
                hit[pos] = true;
            }
            let names = texts.names_containing(word);
            for (pos, keep) in alive.iter_mut().enumerate() {
                *keep = *keep && (hit[pos] || texts.matches(pos, word, &names));
            }
        }
        let ids = match listed {
            Some(l) if l.pairs == pairs && l.sort == sort => &l.ids,
            _ => {
                let ids = self.scanned_ids(ListKind::CheckIns, &[], pairs, sort)?;
                &listed
                    .insert(Listed {
                        pairs: pairs.to_vec(),
                        sort,
                        ids,
                    })
                    .ids
            }
        };
        Ok(Some(
            ids.iter()
                .copied()
                .filter(|id| texts.position(*id).is_some_and(|pos| alive[pos]))
                .collect(),
        ))
    }
}

/// Every check-in's short texts, read from the `checkins_search` index
/// rather than the rows with their long notes. `None` when a text is not
/// valid UTF-8 (which `concierge_match` would treat byte by byte) or the
/// text outgrows 32-bit offsets.
fn texts_of(conn: &Connection) -> rusqlite::Result<Option<Texts>> {
    let mut texts = TextsBuilder::default();
    let mut stmt = conn.prepare("SELECT id, name FROM customers ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let Some(name) = text_of(row.get_ref(1)?) else {
            return Ok(None);
        };
        texts.name(row.get(0)?, name);
    }
    let mut stmt = conn.prepare(
        "SELECT id, customer_id, summary, kind, author FROM checkins INDEXED BY checkins_search",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (Some(summary), Some(kind), Some(author)) = (
            text_of(row.get_ref(2)?),
            text_of(row.get_ref(3)?),
            text_of(row.get_ref(4)?),
        ) else {
            return Ok(None);
        };
        texts.checkin(row.get(0)?, row.get(1)?, summary, kind, author);
    }
    Ok(texts.finish())
}

/// A column's text as `concierge_match` sees it: a number as its decimal
/// text, NULL as nothing; `None` for text that is not UTF-8 or a blob.
fn text_of(value: ValueRef<'_>) -> Option<&str> {
    match value {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        ValueRef::Null => Some(""),
        ValueRef::Integer(_) | ValueRef::Real(_) | ValueRef::Blob(_) => None,
    }
}
