//! Records whose text tries to act on the terminal: escape sequences (a
//! colour, a window title, a screen clear), BEL, CR, tabs and the bidi
//! overrides and isolates that reorder or hide text (Trojan Source).

use concierge::domain::{BacklogItem, CheckIn, CheckInKind, Customer, EvidenceLink, FollowUp};
use concierge::domain::{Field, FieldType, Meta, Stance, Strength};
use concierge::store::Store;

/// Sequences that must never reach the terminal from record text.
pub const PAYLOADS: &[&str] = &["\x1b[31mRED", "\x1b]2;PWNED", "\x1b[2J"];

/// Codepoints that must never reach the terminal at all.
pub const INVISIBLE: &[char] = &[
    '\u{7}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
    '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}',
];

/// One line of hostile text (no line breaks: one-line fields refuse them).
pub fn line(tag: &str) -> String {
    format!(
        "{tag} \u{202e}desrever\u{202c} \x1b[31mRED\x1b[0m \x1b]2;PWNED\x07 bell\x07 \x1b[2J tab\there \u{2066}iso\u{2069} \u{200f}rlm"
    )
}

/// Multi-line hostile text: CR, CRLF and a bare ESC too.
pub fn notes(tag: &str) -> String {
    format!("{}\r\nsecond\rline \x1b third", line(tag))
}

/// Saves a customer, a backlog item, a check-in, a follow-up, an
/// evidence link, and a text data field with one entry, whose every text
/// is hostile.
pub fn seed(store: &mut Store) {
    let (customer, _) = store
        .save_customer(&Customer {
            name: line("Cust"),
            company: line("Co"),
            notes: notes("CustNotes"),
            ..Customer::default()
        })
        .expect("customer");
    let (item, _) = store
        .save_backlog(&BacklogItem {
            statement: line("Stmt"),
            owner: line("Own"),
            test: line("Test"),
            criterion: line("Crit"),
            ..BacklogItem::default()
        })
        .expect("backlog item");
    let (checkin, _) = store
        .save_checkin(&CheckIn {
            id: 0,
            customer_id: customer,
            occurred_on: store.clock().today(),
            kind: CheckInKind::Call,
            author: line("Auth"),
            summary: line("Sum"),
            notes: notes("KNotes"),
            health: None,
            effort_minutes: None,
            meta: Meta::default(),
        })
        .expect("check-in");
    store
        .save_followup(&FollowUp {
            customer_id: customer,
            checkin_id: Some(checkin),
            text: line("Follow"),
            ..FollowUp::default()
        })
        .expect("follow-up");
    store
        .save_evidence(&EvidenceLink {
            id: 0,
            item_id: item,
            checkin_id: Some(checkin),
            field_id: None,
            stance: Stance::Supports,
            strength: Strength::Said,
            quote: line("Quote"),
            meta: Meta::default(),
        })
        .expect("evidence");
    let (field, _) = store
        .save_field(&Field {
            label: line("Label"),
            ..Field::new("site_notes", "Site notes", FieldType::Text)
        })
        .expect("field");
    let today = store.clock().today();
    store
        .write("hostile entry", |w| {
            w.add_entry(
                customer,
                today,
                &[(field, rusqlite::types::Value::Text(line("Cell")))],
            )
        })
        .expect("entry");
}
