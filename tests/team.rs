//! `concierge team` on a PostgreSQL server: init, add, set, remove, list,
//! and the roles the server enforces on a login that skips concierge.

mod concurrency;
mod conflict;
mod kill;
mod load;
mod replay;
mod restart;

use crate::support::server;
use crate::support::{cli as concierge, said as text};

/// The demo workspace copied up into `db` (a file moved to a server).
fn demo_on(db: &server::Fresh) {
    restart::demo_at(&db.url());
}

/// Adds `name` (made unique in the cluster) with `role`; its login.
fn member(db: &server::Fresh, name: &str, role: &str) -> String {
    let login = db.login(name);
    let out = concierge(&db.url(), &["team", "add", &login, "--role", role]);
    assert!(out.status.success(), "{}", text(&out));
    login
}

#[test]
fn members_are_added_listed_moved_and_removed_by_an_admin_only() {
    let Some(db) = server::fresh("team_members") else {
        return;
    };
    let owner = db.url();
    let init = concierge(&owner, &["team", "init"]);
    assert!(init.status.success(), "{}", text(&init));
    let again = concierge(&owner, &["team", "init"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again).contains("already holds a concierge workspace"));

    let (ada, pat, eddie) = (db.login("ada"), db.login("pat"), db.login("eddie"));
    for (login, role) in [(&ada, "admin"), (&pat, "pm"), (&eddie, "entry")] {
        let out = concierge(&owner, &["team", "add", login, "--role", role]);
        assert!(out.status.success(), "{}", text(&out));
        assert_eq!(text(&out).trim(), format!("added {login} as {role}"));
    }
    let list = text(&concierge(&db.url_as(&pat), &["team", "list"]));
    // Roles belong to the whole cluster: other tests' members show too.
    let rows: Vec<Vec<&str>> = list
        .lines()
        .filter(|l| l.starts_with(&db.name))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec![ada.as_str(), "admin"],
            vec![eddie.as_str(), "entry"],
            vec![pat.as_str(), "pm"],
        ]
    );

    // Only an admin manages members; the server says so.
    let refused = concierge(&db.url_as(&pat), &["team", "set", &eddie, "--role", "pm"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).contains("your role pm cannot change members' roles; an admin can"),
        "{}",
        text(&refused)
    );
    let moved = concierge(
        &db.url_as(&ada),
        &["team", "set", &eddie, "--role", "viewer"],
    );
    assert!(moved.status.success(), "{}", text(&moved));
    let yourself = concierge(&db.url_as(&ada), &["team", "remove", &ada]);
    assert!(
        text(&yourself).contains("is you: another admin can remove you"),
        "{}",
        text(&yourself)
    );
    let removed = concierge(&db.url_as(&ada), &["team", "remove", &eddie]);
    assert!(
        text(&removed).contains("removed; login dropped"),
        "{}",
        text(&removed)
    );
    let list = text(&concierge(&owner, &["team", "list"]));
    assert!(!list.contains(&eddie), "{list}");
}

#[test]
fn a_login_skipping_concierge_cannot_exceed_its_role() {
    let Some(db) = server::fresh("team_raw_sql") else {
        return;
    };
    assert!(concierge(&db.url(), &["team", "init"]).status.success());
    let eddie = db.login("eddie");
    assert!(
        concierge(&db.url(), &["team", "add", &eddie, "--role", "entry"])
            .status
            .success()
    );
    let mut raw = db.client_as(&eddie);
    // An entry login may log a check-in's customer? No: customers need a pm.
    let err = raw
        .batch_execute(
            "INSERT INTO customers (name, owner, created_at, updated_at)
             VALUES ('Sneaky Co', 'eddie', '2026-12-05T10:00:00Z', '2026-12-05T10:00:00Z')",
        )
        .expect_err("an entry login cannot create customers");
    let message = err
        .as_db_error()
        .map(|e| e.message().to_owned())
        .unwrap_or_default();
    assert!(message.contains("your role entry cannot"), "{message}");
    assert!(message.contains("a pm can"), "{message}");
    // Nor rewrite the change log.
    let err = raw
        .batch_execute("DELETE FROM batches")
        .expect_err("the change log is append-only");
    assert_eq!(
        err.code().map(postgres::error::SqlState::code),
        Some("42501"),
        "{err}"
    );
    // Nor act under someone else's name.
    let err = raw
        .batch_execute(
            "INSERT INTO batches (actor, at, label) VALUES ('dana', '2026-12-05T10:00:00Z', 'x')",
        )
        .expect_err("actor is the login");
    assert_eq!(
        err.code().map(postgres::error::SqlState::code),
        Some("42501"),
        "{err}"
    );
}

#[test]
fn team_on_a_file_workspace_says_a_file_has_no_roles() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("w.db");
    let out = concierge(file.to_str().expect("path"), &["team", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains(
            "a file workspace has no roles: whoever can write the file may do everything"
        ),
        "{}",
        text(&out)
    );
}

#[test]
fn the_cli_opens_a_team_workspace_as_the_login_and_refuses_as() {
    let Some(db) = server::fresh("team_cli") else {
        return;
    };
    demo_on(&db);
    let pat = member(&db, "pat", "pm");
    // The change log reads as on the file.
    let log = concierge(&db.url_as(&pat), &["log", "--limit", "2"]);
    assert!(log.status.success(), "{}", text(&log));
    assert!(text(&log).contains("changes"), "{}", text(&log));
    // --as cannot name someone else on a server.
    let claimed = concierge(&db.url_as(&pat), &["--as", "dana", "log"]);
    assert_eq!(claimed.status.code(), Some(1));
    assert!(
        text(&claimed).contains("you act as your database login"),
        "{}",
        text(&claimed)
    );
    // A team workspace is made with team init, not init.
    let init = concierge(&db.url(), &["init"]);
    assert!(
        text(&init).contains("concierge team init"),
        "{}",
        text(&init)
    );
}

#[test]
fn a_member_saving_nothing_new_leaves_no_batch_on_the_server() {
    let Some(db) = server::fresh("team_no_change") else {
        return;
    };
    demo_on(&db);
    let pat = member(&db, "pat", "pm");
    let mut store =
        concierge::store::Store::open_server(&db.url_as(&pat), false, crate::support::clock())
            .expect("open as pat");
    assert_eq!(store.actor(), pat);
    let batches = store.recent_batches(1).expect("log")[0].id;
    // The change log cannot be deleted from on a server: a save that
    // changes nothing must roll back, not delete its batch row.
    let item = store.backlog_item(4).expect("H-4");
    let (_, batch) = store.save_backlog(&item).expect("an unchanged save");
    assert_eq!(batch, None);
    assert_eq!(store.recent_batches(1).expect("log")[0].id, batches);
    // A real change is one batch in pat's name.
    let mut item = item;
    item.tags = vec!["pricing".into()];
    let (_, batch) = store.save_backlog(&item).expect("a save");
    let batch = batch.expect("a batch");
    assert_eq!(
        store.batch(batch).expect("read").expect("exists").actor,
        pat
    );
}

#[test]
fn a_form_saved_after_the_server_dropped_the_session_is_kept_whole() {
    use concierge::app::state::Mode;
    use concierge::app::{Action, Pane};
    let Some(db) = server::fresh("team_dropped") else {
        return;
    };
    demo_on(&db);
    let mut store = concierge::store::Store::open_server(&db.url(), false, crate::support::clock())
        .expect("open on the server");
    let mut state = crate::support::start(&mut store);
    let items = state.backlog.ids.len();
    crate::support::act(
        &mut state,
        &mut store,
        &[Action::Pane(Pane::Backlog), Action::New],
    );
    crate::support::type_text(&mut state, &mut store, "Supers text photos of deliveries");
    // The server drops every session of this workspace mid-form.
    let mut admin = postgres::Client::connect(&db.url(), postgres::NoTls).expect("connect");
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .expect("terminate");
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert!(
        matches!(state.mode, Mode::Form(_)),
        "the form is still open"
    );
    crate::support::act(&mut state, &mut store, &[Action::Save]);
    assert!(
        state.status.text.starts_with("saved H-"),
        "{}",
        state.status.text
    );
    assert_eq!(state.backlog.ids.len(), items + 1, "saved once, whole");
}
