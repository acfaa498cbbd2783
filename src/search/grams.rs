//! Which check-ins' notes contain a one- or two-character word, answered
//! from memory. A trigram index cannot answer such words, and almost
//! every note contains a common one, so reading the notes is the only
//! other way — 13 MB on *large*, per keystroke.
//!
//! Notes are read as the filter compares them (see
//! [`crate::domain::matching::contains_folded_bytes`]): one unit per
//! character, ASCII lowercased, the Kelvin sign as `k`, every other
//! non-ASCII character one unit that no ASCII word matches. For each unit
//! and each pair of adjacent units the index keeps the set of notes that
//! contain it, so an ASCII word of one or two characters is answered
//! exactly. Built in one pass over the notes and kept until the data
//! changes; a workspace whose index would outgrow [`BUDGET`] gets none,
//! and its short words read the notes as before.

/// Units: ASCII bytes 0–127, and 128 for any other character.
const UNITS: usize = 129;
const OTHER: u8 = 128;

/// The most memory the sets may take (SPEC §6 keeps browsing ≤ 32 MB).
pub const BUDGET: usize = 4 << 20;

/// Codes: a unit, or `UNITS` + a pair of units.
const CODES: usize = UNITS + UNITS * UNITS;

/// The notes containing one unit or unit pair, by blocks of 64 row
/// positions: the index of each block holding one, and its bits. Only
/// while building: [`Grams`] keeps them end to end.
#[derive(Default)]
struct Posting {
    blocks: Vec<u32>,
    bits: Vec<u64>,
}

/// The index: for each unit and unit pair, the notes containing it.
pub struct Grams {
    /// Check-in ids by row position.
    ids: Vec<i64>,
    /// Code `c`'s entries are `starts[c]..starts[c + 1]` of `blocks` and
    /// `bits` (see [`Posting`]).
    starts: Vec<u32>,
    blocks: Vec<u32>,
    bits: Vec<u64>,
}

/// The unit of one character's first byte (`None` for UTF-8 continuation
/// bytes, which belong to the character before).
fn unit(bytes: &[u8], at: usize) -> Option<u8> {
    let b = bytes[at];
    if b.is_ascii() {
        Some(b.to_ascii_lowercase())
    } else if b & 0xC0 == 0x80 {
        None
    } else if bytes[at..].starts_with("\u{212a}".as_bytes()) {
        Some(b'k')
    } else {
        Some(OTHER)
    }
}

fn code(word: &[u8]) -> Option<usize> {
    match *word {
        [a] => Some(usize::from(a)),
        [a, b] => Some(UNITS + usize::from(a) * UNITS + usize::from(b)),
        _ => None,
    }
}

/// Builds [`Grams`] from the notes, one at a time in id order.
pub struct GramsBuilder {
    ids: Vec<i64>,
    postings: Vec<Posting>,
    used: usize,
    budget: usize,
    /// The current block of 64 rows: for each code, which rows have it.
    /// Setting bits here and moving whole words to the postings once per
    /// block keeps the hot loop within a few kB of memory.
    block: Vec<u64>,
}

impl GramsBuilder {
    /// An index that gives up when it would take more than `budget` bytes.
    pub fn new(budget: usize) -> Self {
        GramsBuilder {
            ids: Vec::new(),
            postings: std::iter::repeat_with(Posting::default)
                .take(CODES)
                .collect(),
            used: 0,
            budget,
            block: vec![0u64; CODES],
        }
    }

    /// Moves the finished block's bits to the postings; false once the
    /// index is over budget.
    fn flush(&mut self) -> bool {
        let at = (self.ids.len().saturating_sub(1) / 64) as u32;
        for (code, bits) in self.block.iter_mut().enumerate() {
            if *bits != 0 {
                self.postings[code].blocks.push(at);
                self.postings[code].bits.push(std::mem::take(bits));
                self.used += 12;
            }
        }
        self.used <= self.budget
    }

    /// Adds the next check-in's notes (ids ascending); false once the
    /// index would outgrow its budget (give it up).
    pub fn push(&mut self, id: i64, notes: &str) -> bool {
        let pos = self.ids.len();
        if pos.is_multiple_of(64) && !self.flush() {
            return false;
        }
        self.ids.push(id);
        let notes = notes.as_bytes();
        let bit = 1u64 << (pos % 64);
        let mut before: Option<u8> = None;
        for at in 0..notes.len() {
            let Some(u) = unit(notes, at) else { continue };
            self.block[usize::from(u)] |= bit;
            if let Some(b) = before {
                self.block[UNITS + usize::from(b) * UNITS + usize::from(u)] |= bit;
            }
            before = Some(u);
        }
        true
    }

    /// The index, or `None` when it outgrew its budget.
    pub fn finish(mut self) -> Option<Grams> {
        if !self.flush() {
            return None;
        }
        let entries = self.used / 12;
        let mut grams = Grams {
            ids: self.ids,
            starts: Vec::with_capacity(CODES + 1),
            blocks: Vec::with_capacity(entries),
            bits: Vec::with_capacity(entries),
        };
        for posting in self.postings {
            grams.starts.push(grams.blocks.len() as u32);
            grams.blocks.extend(posting.blocks);
            grams.bits.extend(posting.bits);
        }
        grams.starts.push(grams.blocks.len() as u32);
        Some(grams)
    }
}

impl Grams {
    /// The ids of the notes containing `word` (one or two ASCII
    /// characters, lowercased), or `None` for any other word.
    pub fn ids_containing(&self, word: &str) -> Option<Vec<i64>> {
        let code = code(word.as_bytes()).filter(|_| word.is_ascii())?;
        let entries = self.starts[code] as usize..self.starts[code + 1] as usize;
        let mut ids = Vec::new();
        for (&block, &bits) in self.blocks[entries.clone()].iter().zip(&self.bits[entries]) {
            let mut rest = bits;
            while rest != 0 {
                let bit = rest.trailing_zeros() as usize;
                ids.push(self.ids[block as usize * 64 + bit]);
                rest &= rest - 1;
            }
        }
        Some(ids)
    }
}
