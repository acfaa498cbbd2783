//! Every check-in's short searchable text held in memory: the summary
//! (its title, also matched fuzzily), `K-<id>`, kind, author, and its
//! customer's name — what `concierge_match` reads besides the notes, in
//! the same columns, matched by the same functions. About 70 bytes a
//! check-in (1.5 MB on *large*); the store reads them from an index
//! rather than from the rows with their long notes.

use crate::domain::matching::{contains_folded, fuzzy};
use std::fmt::Write as _;

pub struct Texts {
    /// Check-in ids, ascending; a check-in's position indexes the rest.
    pub ids: Vec<i64>,
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

/// Builds [`Texts`]: first every customer's name, then every check-in.
#[derive(Default)]
pub struct TextsBuilder {
    names: Vec<(i64, String)>,
    found: Vec<(i64, u32, [u32; 5])>,
    text: String,
}

impl TextsBuilder {
    /// Adds a customer's name (ids ascending).
    pub fn name(&mut self, id: i64, name: &str) {
        self.names.push((id, name.to_owned()));
    }

    /// Adds a check-in's short texts (after every name).
    pub fn checkin(&mut self, id: i64, customer: i64, summary: &str, kind: &str, author: &str) {
        let text = &mut self.text;
        let mut span = [0u32; 5];
        for (i, value) in [summary, kind, author].into_iter().enumerate() {
            span[i] = text.len() as u32;
            text.push_str(value);
        }
        span[3] = text.len() as u32;
        let _ = write!(text, "K-{id}");
        span[4] = text.len() as u32;
        let at = self
            .names
            .binary_search_by_key(&customer, |(id, _)| *id)
            .map_or(u32::MAX, |i| i as u32);
        self.found.push((id, at, span));
    }

    /// `None` when the text outgrew 32-bit offsets.
    pub fn finish(self) -> Option<Texts> {
        let TextsBuilder {
            names,
            mut found,
            text,
        } = self;
        if u32::try_from(text.len()).is_err() {
            return None;
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
        Some(Texts {
            ids,
            slots,
            customers: found.iter().map(|(_, at, _)| *at).collect(),
            spans: found.into_iter().map(|(_, _, span)| span).collect(),
            text,
            names,
        })
    }
}

impl Texts {
    /// The position of check-in `id`, if there is one.
    pub fn position(&self, id: i64) -> Option<usize> {
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
    pub fn names_containing(&self, word: &str) -> Vec<bool> {
        self.names
            .iter()
            .map(|(_, name)| contains_folded(name, word))
            .collect()
    }

    /// Whether the short texts of the check-in at `pos` match `word` as
    /// `concierge_match` would; `names` from [`Texts::names_containing`].
    pub fn matches(&self, pos: usize, word: &str, names: &[bool]) -> bool {
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
