//! The ids a streamed file has named so far, in little memory: a bit per
//! number for ids written the canonical way (`E-123`), a set of strings for
//! the rare others (`E-0123`), so "the same id" means the same text, as in
//! `sheet::plan`.

use std::collections::HashSet;

/// Numbers above this go to the string set (a bitmap of 8 MB at most).
const MAX_BIT: u64 = 1 << 26;

#[derive(Debug, Default)]
pub(crate) struct SeenIds {
    bits: Vec<u64>,
    other: HashSet<String>,
}

/// The number of a canonical id `PREFIX-n` (no leading zero), if it is one.
fn canonical(id: &str) -> Option<u64> {
    let digits = &id[id.find('-')? + 1..];
    let ok = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !(digits.len() > 1 && digits.starts_with('0'));
    ok.then(|| digits.parse().ok())
        .flatten()
        .filter(|n| *n < MAX_BIT)
}

impl SeenIds {
    /// Notes `id`; false when it was seen before.
    pub fn insert(&mut self, id: &str) -> bool {
        match canonical(id) {
            Some(n) => {
                let (word, bit) = ((n / 64) as usize, n % 64);
                if self.bits.len() <= word {
                    self.bits.resize(word + 1, 0);
                }
                let fresh = self.bits[word] & (1 << bit) == 0;
                self.bits[word] |= 1 << bit;
                fresh
            }
            None => self.other.insert(id.to_owned()),
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        match canonical(id) {
            Some(n) => self
                .bits
                .get((n / 64) as usize)
                .is_some_and(|w| w & (1 << (n % 64)) != 0),
            None => self.other.contains(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_is_the_same_id() {
        let mut seen = SeenIds::default();
        assert!(seen.insert("E-12"));
        assert!(!seen.insert("E-12"));
        assert!(seen.insert("E-012"));
        assert!(!seen.insert("E-012"));
        assert!(seen.insert("E-99999999999"));
        assert!(seen.contains("E-12") && seen.contains("E-99999999999"));
        assert!(!seen.contains("E-13"));
    }
}
