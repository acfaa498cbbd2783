//! SPEC §7's "one source of truth" and "live", as two members see them on
//! a server: another member's save reaches an open app while one of its
//! forms is open; the refresh leaves the form alone, and saving it meets
//! the `rev` conflict rule with both versions on screen.

use super::{demo_on, member};
use crate::support::{act, clock, screen, server, start, type_text};
use concierge::app::state::Mode;
use concierge::app::{Action, Pane};
use concierge::store::Store;

#[test]
fn a_form_open_while_another_member_saves_shows_both_versions_on_save() {
    let Some(db) = server::fresh("team_conflict") else {
        return;
    };
    demo_on(&db);
    let (pat, quinn) = (member(&db, "pat", "pm"), member(&db, "quinn", "pm"));
    let mut store = Store::open_server(&db.url_as(&pat), false, clock()).expect("pat");
    let mut other = Store::open_server(&db.url_as(&quinn), false, clock()).expect("quinn");
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Pane(Pane::Customers)]);
    let id = state.customers.ids[0];
    let before = store.customer(id).expect("the first customer");
    act(&mut state, &mut store, &[Action::Edit, Action::NextField]);
    type_text(&mut state, &mut store, "Mine Builders");

    let mut theirs = other.customer(id).expect("the same customer");
    theirs.company = "Their Builders".into();
    other.save_customer(&theirs).expect("quinn's save");
    // Pat's app hears of it while idle and reads everything again; the
    // open form keeps what pat typed.
    let seen_before = state.seen_version;
    for _ in 0..50 {
        act(&mut state, &mut store, &[Action::Idle]);
        if state.seen_version != seen_before {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_ne!(
        state.seen_version, seen_before,
        "quinn's save was not heard"
    );
    let Mode::Form(form) = &state.mode else {
        panic!("the form was closed by a refresh: {:?}", state.mode)
    };
    assert_eq!(form.value("company"), "Mine Builders");

    act(&mut state, &mut store, &[Action::Save]);
    let seen = screen(&state);
    assert!(
        matches!(state.mode, Mode::Choose(_)),
        "{:?}\n{seen}",
        state.mode
    );
    assert!(seen.contains("Their Builders"), "theirs on screen:\n{seen}");
    assert!(seen.contains("Mine Builders"), "mine on screen:\n{seen}");
    // Overwrite: pat's company is saved on top of quinn's, both logged.
    act(&mut state, &mut store, &[Action::Down, Action::Accept]);
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.status);
    let now = store.customer(id).expect("the customer");
    assert_eq!(now.company, "Mine Builders");
    assert_eq!(now.meta.rev, before.meta.rev + 2);
    let actors: Vec<String> = store
        .recent_batches(2)
        .expect("log")
        .into_iter()
        .map(|b| b.actor)
        .collect();
    assert_eq!(actors, vec![pat, quinn], "newest first, each as its login");
}
