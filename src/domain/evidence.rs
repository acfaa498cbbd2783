//! Evidence links (`L-`): what a check-in or a data field says about a
//! backlog item, with a stance and a strength.

use super::Meta;
use super::validation::Invalid;

named_enum!(
    /// Which way the evidence points.
    Stance { Supports => "supports", Refutes => "refutes", Informs => "informs" }
);

named_enum!(
    /// How strong it is: words, behaviour, or money/commitment.
    Strength { Said => "said", Did => "did", Paid => "paid" }
);

impl Strength {
    /// Weight in the tally: what people do counts more than what they say,
    /// and what they pay for counts most.
    pub fn weight(self) -> i64 {
        match self {
            Strength::Said => 1,
            Strength::Did => 2,
            Strength::Paid => 3,
        }
    }
}

/// One link between a backlog item and a check-in or data field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceLink {
    pub id: i64,
    pub item_id: i64,
    pub checkin_id: Option<i64>,
    pub field_id: Option<i64>,
    pub stance: Stance,
    pub strength: Strength,
    pub quote: String,
    pub meta: Meta,
}

impl EvidenceLink {
    /// A new link from check-in `checkin_id` to item `item_id` (informs,
    /// said, no quote), for a form to fill in.
    pub fn from_checkin(item_id: i64, checkin_id: i64) -> Self {
        EvidenceLink {
            id: 0,
            item_id,
            checkin_id: Some(checkin_id),
            field_id: None,
            stance: Stance::Informs,
            strength: Strength::Said,
            quote: String::new(),
            meta: Meta::default(),
        }
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errors = Invalid::default();
        if self.item_id <= 0 {
            errors.push("item", "required");
        }
        if self.checkin_id.is_none() && self.field_id.is_none() {
            errors.push("checkin", "link a check-in or a data field");
        }
        errors.into_result()
    }
}

/// Why `link` cannot be saved beside link `existing` (`L-`), which already
/// ties the same check-in (or data field) to the same item: one piece of
/// evidence counts once in the tally. Every path that writes a link (the
/// `l` form, an import) asks the store for `existing` and refuses with this.
pub fn duplicate_refusal(link: &EvidenceLink, existing: i64) -> String {
    let source = match (link.checkin_id, link.field_id) {
        (Some(k), _) => format!("K-{k}"),
        (None, Some(f)) => format!("data field D-{f}"),
        (None, None) => "this".to_owned(),
    };
    format!(
        "{source} is already evidence for H-{} (L-{existing}); one piece of evidence counts once: edit that link instead",
        link.item_id
    )
}

/// The weighted tally of an item's evidence: (+supports, −refutes).
pub fn tally(links: &[(Stance, Strength)]) -> (i64, i64) {
    links
        .iter()
        .fold((0, 0), |(plus, minus), (stance, strength)| match stance {
            Stance::Supports => (plus + strength.weight(), minus),
            Stance::Refutes => (plus, minus + strength.weight()),
            Stance::Informs => (plus, minus),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_weights_by_strength() {
        let links = [
            (Stance::Supports, Strength::Said),
            (Stance::Supports, Strength::Paid),
            (Stance::Refutes, Strength::Did),
            (Stance::Informs, Strength::Paid),
        ];
        assert_eq!(tally(&links), (4, 2));
    }
}
