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
//! The same on both engines: only the notes index differs (see
//! [`super::notes`]).

use super::notes::notes_containing;
use crate::search::{Grams, Texts, TextsBuilder};
use crate::store::db::{Db, Dialect, FromCell, args};
use crate::store::{DataStamp, ListKind, Result, Store};
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
    pub(super) fn get(&mut self, build: impl FnOnce() -> Result<Option<T>>) -> Result<Option<&T>> {
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
        if !words.iter().all(|w| w.is_ascii()) {
            return Ok(None);
        }
        let db = self.db();
        // One snapshot for the stamp and everything read under it (on a
        // server a commit in between changes the stamp: the next keystroke
        // rebuilds).
        let _snapshot = match db.sqlite() {
            Some(conn) if conn.is_autocommit() => Some(conn.unchecked_transaction()?),
            _ => None,
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
        let Some(texts) = texts.get(|| texts_of(db))? else {
            return Ok(None);
        };
        let mut alive = vec![true; texts.ids.len()];
        for word in words {
            let Some(noted) = notes_containing(db, grams, word)? else {
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

/// Every check-in's short texts, read (on SQLite) from the
/// `checkins_search` index rather than the rows with their long notes.
/// `None` when a text is not valid UTF-8 (which `concierge_match` would
/// treat byte by byte) or the text outgrows 32-bit offsets.
fn texts_of(db: &Db) -> Result<Option<Texts>> {
    let mut texts = TextsBuilder::default();
    let mut usable = true;
    db.for_each("SELECT id, name FROM customers ORDER BY id", args![], |r| {
        match r.get::<Plain>(1)?.0 {
            Some(name) => texts.name(r.get(0)?, &name),
            None => usable = false,
        }
        Ok(())
    })?;
    let sql = match db.dialect() {
        Dialect::Sqlite => {
            "SELECT id, customer_id, summary, kind, author FROM checkins INDEXED BY checkins_search"
        }
        Dialect::Postgres => "SELECT id, customer_id, summary, kind, author FROM checkins",
    };
    db.for_each(sql, args![], |r| {
        let (Some(summary), Some(kind), Some(author)) = (
            r.get::<Plain>(2)?.0,
            r.get::<Plain>(3)?.0,
            r.get::<Plain>(4)?.0,
        ) else {
            usable = false;
            return Ok(());
        };
        texts.checkin(r.get(0)?, r.get(1)?, &summary, &kind, &author);
        Ok(())
    })?;
    Ok(if usable { texts.finish() } else { None })
}

/// A column's text as `concierge_match` sees it: a number as its decimal
/// text, NULL as nothing; `None` for text that is not UTF-8 or a blob
/// (the scan answers then).
pub(super) struct Plain(pub Option<String>);

impl FromCell for Plain {
    fn from_sqlite(value: ValueRef<'_>) -> Result<Self> {
        Ok(Plain(match value {
            ValueRef::Text(t) => std::str::from_utf8(t).ok().map(str::to_owned),
            ValueRef::Null => Some(String::new()),
            ValueRef::Integer(_) | ValueRef::Real(_) | ValueRef::Blob(_) => None,
        }))
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self> {
        Ok(Plain(Some(
            row.try_get::<_, Option<String>>(index)?.unwrap_or_default(),
        )))
    }
}
