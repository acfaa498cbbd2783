//! Stable, human display keys: `H-12`, `C-3`, `K-41`, `F-7`, `E-1023`.
//!
//! Evidence links, field definitions and recorded weekly reviews have no key
//! in the spec; they get `L-`, `D-` and `R-` so the change log can name every
//! record the same way.

use std::fmt;

named_enum!(
    /// The record types of SPEC §2, named as the change log names them.
    RecordKind {
        Backlog => "backlog",
        Customer => "customer",
        CheckIn => "checkin",
        FollowUp => "followup",
        Entry => "entry",
        Evidence => "evidence",
        Field => "field",
        Review => "review",
    }
);

impl RecordKind {
    /// The prefix of the display key, without the dash.
    pub fn prefix(self) -> &'static str {
        match self {
            RecordKind::Backlog => "H",
            RecordKind::Customer => "C",
            RecordKind::CheckIn => "K",
            RecordKind::FollowUp => "F",
            RecordKind::Entry => "E",
            RecordKind::Evidence => "L",
            RecordKind::Field => "D",
            RecordKind::Review => "R",
        }
    }

    /// The SQLite table that holds this record type.
    pub fn table(self) -> &'static str {
        match self {
            RecordKind::Backlog => "backlog_items",
            RecordKind::Customer => "customers",
            RecordKind::CheckIn => "checkins",
            RecordKind::FollowUp => "followups",
            RecordKind::Entry => "entries",
            RecordKind::Evidence => "evidence",
            RecordKind::Field => "fields",
            RecordKind::Review => "reviews",
        }
    }

    /// The record type stored in `table`, if any.
    pub fn from_table(table: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.table() == table)
    }
}

/// A record's display key, e.g. `H-12`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordKey {
    pub kind: RecordKind,
    pub id: i64,
}

impl RecordKey {
    pub fn new(kind: RecordKind, id: i64) -> Self {
        Self { kind, id }
    }

    /// Parses `H-12`, `h12` or `H 12` (what people type) into a key.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let prefix_len = text.find(|c: char| !c.is_ascii_alphabetic())?;
        let (prefix, rest) = text.split_at(prefix_len);
        let kind = RecordKind::ALL
            .iter()
            .copied()
            .find(|k| k.prefix().eq_ignore_ascii_case(prefix))?;
        let digits = rest.trim_start_matches(['-', ' ']);
        let id = digits.parse::<i64>().ok().filter(|id| *id > 0)?;
        Some(Self { kind, id })
    }
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.kind.prefix(), self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_display_with_their_prefix() {
        assert_eq!(RecordKey::new(RecordKind::Backlog, 12).to_string(), "H-12");
        assert_eq!(RecordKey::new(RecordKind::Customer, 3).to_string(), "C-3");
        assert_eq!(RecordKey::new(RecordKind::CheckIn, 41).to_string(), "K-41");
        assert_eq!(RecordKey::new(RecordKind::FollowUp, 7).to_string(), "F-7");
        assert_eq!(
            RecordKey::new(RecordKind::Entry, 1023).to_string(),
            "E-1023"
        );
    }

    #[test]
    fn keys_parse_as_people_type_them() {
        let h12 = Some(RecordKey::new(RecordKind::Backlog, 12));
        assert_eq!(RecordKey::parse("H-12"), h12);
        assert_eq!(RecordKey::parse(" h12 "), h12);
        assert_eq!(RecordKey::parse("H 12"), h12);
        assert_eq!(RecordKey::parse("Z-1"), None);
        assert_eq!(RecordKey::parse("H-0"), None);
        assert_eq!(RecordKey::parse("H-"), None);
    }

    #[test]
    fn every_kind_has_a_table_that_maps_back() {
        for kind in RecordKind::ALL {
            assert_eq!(RecordKind::from_table(kind.table()), Some(*kind));
        }
    }
}

/// A set of record kinds: what a write touched, what a view shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kinds(u16);

impl Kinds {
    pub const NONE: Kinds = Kinds(0);
    pub const ALL: Kinds = Kinds(u16::MAX);

    pub const fn of(kinds: &[RecordKind]) -> Kinds {
        let mut bits = 0u16;
        let mut i = 0;
        while i < kinds.len() {
            bits |= 1 << kinds[i] as u16;
            i += 1;
        }
        Kinds(bits)
    }

    pub fn add(&mut self, kind: RecordKind) {
        self.0 |= 1 << kind as u16;
    }

    pub fn contains(self, kind: RecordKind) -> bool {
        self.0 & (1 << kind as u16) != 0
    }

    /// Whether the two sets share a kind.
    pub fn meets(self, other: Kinds) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    #[must_use]
    pub fn union(self, other: Kinds) -> Kinds {
        Kinds(self.0 | other.0)
    }
}
