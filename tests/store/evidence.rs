//! One piece of evidence counts once (issue #14): a second link between
//! the same check-in and item is refused by the store and an import; the
//! `l` picker marks check-ins already linked and picking one edits that
//! link. The item's tally does not move.

use crate::support::{act, demo, start, type_text};
use concierge::app::state::Mode;
use concierge::app::{Action, Pane};
use concierge::domain::{EvidenceLink, Stance, Strength};
use concierge::sheet::decode;
use concierge::store::Store;
use concierge::store::interchange::{ImportOptions, Kind, Outcome};

const AGAIN: &str = "K-41 is already evidence for H-4 (L-29); one piece of evidence counts once: edit that link instead";

fn tally(store: &Store) -> ((i64, i64), usize) {
    let row = &store.backlog_rows(&[4]).expect("H-4")[0];
    (row.tally, row.evidence_count)
}

#[test]
fn linking_the_same_check_in_twice_is_refused_by_the_store() {
    let (_dir, mut store) = demo();
    let before = tally(&store);
    assert_eq!(before, ((5, 2), 4));
    let mut again = EvidenceLink::from_checkin(4, 41);
    again.stance = Stance::Supports;
    again.strength = Strength::Said;
    let err = store.save_evidence(&again).expect_err("a second link");
    assert_eq!(err.to_string(), AGAIN);
    assert_eq!(tally(&store), before, "the tally does not move");
    // The link itself can still be edited.
    let mut link = store.evidence_for_item(4).expect("links")[0].link.clone();
    link.quote = "edited".into();
    store
        .save_evidence(&link)
        .expect("editing a link is not a second link");
}

#[test]
fn the_picker_marks_linked_check_ins_and_picking_one_edits_that_link() {
    let (_dir, mut store) = demo();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Pane(Pane::Backlog)]);
    let at = state
        .backlog
        .ids
        .iter()
        .position(|id| *id == 4)
        .expect("H-4 listed");
    for _ in 0..at {
        act(&mut state, &mut store, &[Action::Down]);
    }
    act(&mut state, &mut store, &[Action::LinkEvidence]);
    let Mode::Pick(pick) = &state.mode else {
        panic!("no picker: {:?}", state.status);
    };
    let k41 = pick
        .options
        .iter()
        .find(|o| o.0 == 41)
        .expect("K-41 offered");
    assert!(
        k41.1.starts_with("[already linked L-29] K-41 "),
        "{}",
        k41.1
    );
    let k1 = pick.options.iter().find(|o| o.0 == 1).expect("K-1 offered");
    assert!(!k1.1.contains("already linked"), "{}", k1.1);
    // Picking it again opens that link to edit, never a second link.
    type_text(&mut state, &mut store, "already linked L-29");
    act(&mut state, &mut store, &[Action::Accept]);
    let Mode::Form(form) = &state.mode else {
        panic!("the existing link's form: {:?}", state.status)
    };
    assert!(
        form.title.starts_with("Edit evidence L-29"),
        "{}",
        form.title
    );
    assert_eq!(form.value("stance"), "supports");
    assert_eq!(
        state.status.text,
        "K-41 is already evidence for H-4 (L-29): editing that link"
    );
    act(
        &mut state,
        &mut store,
        &[Action::NextField, Action::NextField],
    );
    type_text(&mut state, &mut store, "edited from the picker");
    act(&mut state, &mut store, &[Action::Save]);
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.status);
    assert!(
        state.status.text.starts_with("updated evidence L-29"),
        "{}",
        state.status.text
    );
    assert_eq!(tally(&store), ((5, 2), 4), "still one link");
    let link = store
        .evidence_for_item(4)
        .expect("links")
        .into_iter()
        .find(|e| e.link.id == 29)
        .expect("L-29");
    assert_eq!(link.link.quote, "edited from the picker");
}

#[test]
fn an_import_refuses_a_second_link_on_its_row() {
    let (_dir, mut store) = demo();
    let file = "id,item,checkin,stance,strength,quote\n\
                ,H-4,K-41,supports,said,again\n\
                ,H-9,K-2,supports,said,new\n\
                ,H-9,K-2,supports,did,twice in one file\n";
    let decoded = decode(file.as_bytes()).expect("decodes");
    let (preview, outcome) = store
        .import(
            Kind::Evidence,
            "links.csv",
            &decoded,
            ImportOptions::default(),
            &mut |_, _, _| {},
        )
        .expect("import runs");
    assert_eq!(outcome, Outcome::Blocked);
    let got: Vec<(usize, usize, Option<&str>, &str)> = preview
        .errors
        .iter()
        .map(|e| (e.data_row, e.line, e.column.as_deref(), e.reason.as_str()))
        .collect();
    assert_eq!(got.len(), 2, "{got:#?}");
    assert_eq!(got[0], (1, 2, Some("checkin"), AGAIN));
    assert_eq!(got[1].0, 3);
    assert!(
        got[1].3.starts_with("K-2 is already evidence for H-9 (L-"),
        "{got:#?}"
    );
    assert_eq!(tally(&store), ((5, 2), 4));
}
