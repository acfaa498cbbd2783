//! A file with more rows than the wizard lists: the preview counts them
//! all, lists the first thousand with a line for the rest, and applying it
//! imports every row.

use crate::support::act;
use crate::support::wizard::{import, setup, wiz, wizard};
use concierge::app::wizard::{Entry, Section, WizardKey};
use concierge::app::{Action, Pane};
use concierge::store::{ListKind, ListQuery, Store};

fn customers(store: &Store) -> usize {
    let ids = store.list_ids(ListKind::Customers, &ListQuery::default());
    ids.expect("ids").len()
}

#[test]
fn a_preview_lists_the_first_rows_counts_the_rest_and_applies_them_all() {
    let (_db, mut store, mut state, files) = setup();
    act(&mut state, &mut store, &[Action::Pane(Pane::Customers)]);
    let rows: Vec<String> = (1..=1100)
        .map(|i| format!(",Builder {i},prospect,dana\n"))
        .collect();
    let text = format!("id,name,stage,owner\n{}", rows.concat());
    std::fs::write(files.path().join("many.csv"), text).expect("write");
    import(&mut state, &mut store, "many");
    let w = wizard(&state);
    let p = w.preview.as_deref().expect("preview");
    assert_eq!((p.totals.new, p.plan.new.len(), p.rows), (1100, 1000, 1100));
    assert!(
        w.entries.contains(&Entry::More(Section::New, 100)),
        "a line for the rest"
    );
    assert!(p.is_applicable());
    let before = customers(&store);
    act(&mut state, &mut store, &[wiz(WizardKey::Apply)]);
    assert!(
        state.status.text.starts_with("imported many.csv as batch"),
        "{:?}",
        state.status
    );
    assert_eq!(customers(&store), before + 1100);
}
