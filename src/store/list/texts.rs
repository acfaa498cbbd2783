//! Every check-in's short searchable text held in memory: the summary
//! (its title, also matched fuzzily), `K-<id>`, kind, author, and its
//! customer's name — what `concierge_match` reads besides the notes, in
//! the same columns, matched by the same functions. About 70 bytes a
//! check-in (1.5 MB on *large*), read from the `checkins_search` index
//! rather than from the rows with their long notes.

use crate::domain::matching::{contains_folded, fuzzy};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::fmt::Write as _;

pub(super) struct Texts {
    /// Check-in ids, ascending; a check-in's position indexes the rest.
    pub(super) ids: Vec<i64>,
    /// Position + 1 by `id - ids[0]` (0: no such check-in), when the ids
    /// are dense enough for it to be small; else positions are searched.
    slots: Vec<u32>,
    /// Where the row's summary, kind, author and key start in `text`, and
    /// where the key ends.
    spans: Vec<[u32; 5]>,
    /// Per row, the position of its customer in `names` (`u32::MAX`: the
    /// customer is missing, and the row is not listed anyway).
    customers: Vec<u32>,
    text: String,
    /// Customer ids and names, by id.
    names: Vec<(i64, String)>,
}

impl Texts {
    /// `None` when a text is not valid UTF-8 (which `concierge_match`
    /// would treat byte by byte) or the text outgrows 32-bit offsets.
    pub(super) fn build(conn: &Connection) -> rusqlite::Result<Option<Self>> {
        let mut names: Vec<(i64, String)> = Vec::new();
        let mut stmt = conn.prepare("SELECT id, name FROM customers ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let Some(name) = text_of(row.get_ref(1)?) else {
                return Ok(None);
            };
            names.push((row.get(0)?, name.to_owned()));
        }
        let mut stmt = conn.prepare(
            "SELECT id, customer_id, summary, kind, author FROM checkins INDEXED BY checkins_search",
        )?;
        let mut rows = stmt.query([])?;
        let mut found: Vec<(i64, u32, [u32; 5])> = Vec::new();
        let mut text = String::new();
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let customer: i64 = row.get(1)?;
            let mut span = [0u32; 5];
            for (i, column) in [2, 3, 4].into_iter().enumerate() {
                let Some(value) = text_of(row.get_ref(column)?) else {
                    return Ok(None);
                };
                span[i] = text.len() as u32;
                text.push_str(value);
            }
            span[3] = text.len() as u32;
            let _ = write!(text, "K-{id}");
            span[4] = text.len() as u32;
            let at = names
                .binary_search_by_key(&customer, |(id, _)| *id)
                .map_or(u32::MAX, |i| i as u32);
            found.push((id, at, span));
        }
        if u32::try_from(text.len()).is_err() {
            return Ok(None);
        }
        found.sort_unstable_by_key(|(id, _, _)| *id);
        let ids: Vec<i64> = found.iter().map(|(id, _, _)| *id).collect();
        let mut slots = Vec::new();
        if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
            let span = usize::try_from(last - first).unwrap_or(usize::MAX);
            if span < ids.len().saturating_mul(4) {
                slots = vec![0; span + 1];
                for (pos, id) in ids.iter().enumerate() {
                    slots[(id - first) as usize] = pos as u32 + 1;
                }
            }
        }
        Ok(Some(Texts {
            ids,
            slots,
            customers: found.iter().map(|(_, at, _)| *at).collect(),
            spans: found.into_iter().map(|(_, _, span)| span).collect(),
            text,
            names,
        }))
    }

    /// The position of check-in `id`, if there is one.
    pub(super) fn position(&self, id: i64) -> Option<usize> {
        if self.slots.is_empty() {
            return self.ids.binary_search(&id).ok();
        }
        let slot = usize::try_from(id - *self.ids.first()?).ok()?;
        match self.slots.get(slot) {
            Some(&at) if at > 0 => Some(at as usize - 1),
            _ => None,
        }
    }

    /// Which customers' names contain `word`, by position in `names`.
    pub(super) fn names_containing(&self, word: &str) -> Vec<bool> {
        self.names
            .iter()
            .map(|(_, name)| contains_folded(name, word))
            .collect()
    }

    /// Whether the short texts of the check-in at `pos` match `word` as
    /// `concierge_match` would; `names` from [`Texts::names_containing`].
    pub(super) fn matches(&self, pos: usize, word: &str, names: &[bool]) -> bool {
        let [summary, kind, author, key, end] = self.spans[pos].map(|at| at as usize);
        let title = &self.text[summary..kind];
        contains_folded(title, word)
            || fuzzy(title, word)
            || contains_folded(&self.text[key..end], word)
            || names
                .get(self.customers[pos] as usize)
                .copied()
                .unwrap_or(false)
            || contains_folded(&self.text[kind..author], word)
            || contains_folded(&self.text[author..key], word)
    }
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
