//! Faults a workspace meets in real use: another program holding the write
//! lock, a file written by an older concierge, a file from a newer one.
//! (Killing the process and two processes at once are in `tests/pty/faults.rs`.)

use crate::support;

use crate::support::audit;

use crate::support::{act, clock, demo_file, start, type_text};
use concierge::app::Action;
use concierge::app::state::Mode;
use concierge::domain::BacklogItem;
use concierge::store::{ListKind, ListQuery, OpenMode, SCHEMA_VERSION, Store, StoreError};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

const LOCKED: &str = "the workspace is locked by another program; try again in a moment";

fn item(statement: &str) -> BacklogItem {
    BacklogItem {
        statement: statement.into(),
        ..BacklogItem::default()
    }
}

fn batch_count(store: &Store) -> usize {
    store
        .list_ids(ListKind::Activity, &ListQuery::default())
        .expect("batches")
        .len()
}

/// Another program's connection holding the write lock until dropped.
fn hold_write_lock(path: &Path) -> Connection {
    let other = Connection::open(path).expect("other connection");
    other.execute_batch("BEGIN IMMEDIATE").expect("lock");
    other
}

#[test]
fn a_write_under_another_writers_lock_waits_then_says_locked_and_writes_nothing() {
    let (dir, mut store) = demo_file();
    let path = dir.path().join("submittals-mvp.db");
    let batches = batch_count(&store);
    let other = hold_write_lock(&path);

    let err = store.save_backlog(&item("blocked")).expect_err("locked");
    assert!(matches!(err, StoreError::Locked), "{err:?}");
    assert_eq!(err.to_string(), LOCKED);
    let err = store.undo_latest().expect_err("undo is locked out too");
    assert!(matches!(err, StoreError::Locked), "{err:?}");
    // Reading goes on (WAL): the panes stay usable while another writes.
    assert_eq!(batch_count(&store), batches);

    drop(other);
    store.save_backlog(&item("after the lock")).expect("saves");
    assert_eq!(batch_count(&store), batches + 1);
    assert!(audit::audit(&path).is_empty());
}

#[test]
fn a_write_waits_for_a_lock_released_within_the_busy_timeout() {
    let (dir, mut store) = demo_file();
    let path = dir.path().join("submittals-mvp.db");
    let (locked, is_locked) = mpsc::channel();
    let holder = std::thread::spawn(move || {
        let other = Connection::open(&path).expect("other connection");
        other.execute_batch("BEGIN EXCLUSIVE").expect("lock");
        locked.send(()).expect("send");
        std::thread::sleep(Duration::from_millis(300));
        other.execute_batch("COMMIT").expect("release");
    });
    is_locked.recv().expect("locked");
    store
        .save_backlog(&item("waited for the other writer"))
        .expect("the busy timeout outlasts a short lock");
    holder.join().expect("holder");
}

#[test]
fn saving_a_form_while_locked_keeps_the_form_and_says_so() {
    let (dir, mut store) = demo_file();
    let path = dir.path().join("submittals-mvp.db");
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::New]);
    type_text(&mut state, &mut store, "Typed while someone else writes");
    let other = hold_write_lock(&path);
    act(&mut state, &mut store, &[Action::Save]);
    assert!(state.status.error);
    assert_eq!(state.status.text, format!("not saved: {LOCKED}"));
    let Mode::Form(form) = &state.mode else {
        panic!("the form closed: {:?}", state.status)
    };
    assert_eq!(form.value("statement"), "Typed while someone else writes");
    let screen = support::screen(&state);
    assert!(screen.contains("locked by another program"), "{screen}");

    drop(other);
    act(&mut state, &mut store, &[Action::Save]);
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.status);
    assert!(
        state.status.text.starts_with("saved H-"),
        "{:?}",
        state.status
    );
}

#[test]
fn undo_while_locked_says_so_and_changes_nothing() {
    let (dir, mut store) = demo_file();
    let path = dir.path().join("submittals-mvp.db");
    let mut state = start(&mut store);
    let before = batch_count(&store);
    let other = hold_write_lock(&path);
    act(&mut state, &mut store, &[Action::Undo]);
    assert_eq!(state.status.text, LOCKED);
    assert!(matches!(state.mode, Mode::Normal));
    drop(other);
    assert_eq!(batch_count(&store), before);
}

// ---- schema versions, with a real v1 file ----

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A copy of the committed v1 workspace in a temp folder.
fn v1_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("harbor.db");
    std::fs::copy(fixture("v1-workspace.db"), &path).expect("copy fixture");
    (dir, path)
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path)
        .expect("open")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version")
}

fn has_table(path: &Path, table: &str) -> bool {
    Connection::open(path)
        .expect("open")
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = ?1",
            [table],
            |r| r.get::<_, i64>(0),
        )
        .expect("sqlite_master")
        == 1
}

#[test]
fn a_v1_workspace_is_backed_up_then_migrated_and_keeps_its_records() {
    let (dir, path) = v1_copy();
    assert_eq!(user_version(&path), 1, "the fixture is a v1 file");
    assert!(!has_table(&path, "reviews"));

    let mut store = Store::open(&path, OpenMode::ReadWrite, "dana", clock()).expect("migrates");
    let backup = dir.path().join("harbor.db.v1-backup");
    assert_eq!(user_version(&backup), 1, "the backup is the file as it was");
    assert!(!has_table(&backup, "reviews"));
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    assert!(has_table(&path, "reviews"));

    let customer = store.customer(1).expect("C-1");
    assert_eq!(customer.name, "Harbor Builders");
    let item = store.backlog_item(1).expect("H-1");
    assert_eq!((item.impact, item.meta.rev), (4, 2));
    assert_eq!(
        store.checkin(1).expect("K-1").checkin.summary,
        "Walked the site with Rosa"
    );
    assert!(store.check().expect("check").is_empty());
    // Migration 5 indexed the notes already there: a filter finds them.
    for (filter, found) in [("paper", 1), ("PAPER first", 1), ("ap", 1), ("zq", 0)] {
        let query = ListQuery {
            filter: filter.into(),
            sort: 0,
        };
        let ids = store.list_ids(ListKind::CheckIns, &query).expect("filter");
        assert_eq!(ids.len(), found, "{filter}");
    }

    // The migrated file is fully usable: edit, then undo the v1 edit too.
    let mut edited = item.clone();
    edited.owner = "miguel".into();
    store.save_backlog(&edited).expect("edit");
    store.undo_latest().expect("undo the edit");
    drop(store);
    assert!(audit::audit(&path).is_empty(), "{:?}", audit::audit(&path));
}

#[test]
fn a_newer_workspace_is_refused_naming_both_versions_and_left_untouched() {
    let (_dir, path) = v1_copy();
    let newer = SCHEMA_VERSION + 1;
    Connection::open(&path)
        .expect("open")
        .pragma_update(None, "user_version", newer)
        .expect("bump");
    let before = std::fs::read(&path).expect("bytes");
    let expected = format!(
        "concierge: this workspace has schema version {newer}, newer than this concierge understands ({SCHEMA_VERSION}); update concierge\n"
    );
    for args in [&["check"][..], &[][..], &["--read-only"][..]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_concierge"))
            .arg("--db")
            .arg(&path)
            .args(args)
            .env_remove("CONCIERGE_DB")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), expected, "{args:?}");
    }
    assert_eq!(std::fs::read(&path).expect("bytes"), before);
    assert!(!path.with_file_name("harbor.db.v1-backup").exists());
}

/// Regenerates `tests/fixtures/v1-workspace.db` from migration 1 alone
/// (see tests/fixtures/README.md). Run once by hand:
/// `cargo test --test faults -- --ignored build_v1_workspace_fixture`.
#[test]
#[ignore = "writes tests/fixtures/v1-workspace.db"]
fn build_v1_workspace_fixture() {
    let schema =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/schema.rs"))
            .expect("schema.rs");
    let migration_1 = schema
        .split("// 1:")
        .nth(1)
        .and_then(|s| s.split_once("r\""))
        .and_then(|(_, s)| s.split("\",\n").next())
        .expect("migration 1");
    let path = fixture("v1-workspace.db");
    let _ = std::fs::remove_file(&path);
    let conn = Connection::open(&path).expect("create");
    conn.execute_batch("PRAGMA page_size = 1024")
        .expect("small pages");
    conn.execute_batch(migration_1).expect("migration 1");
    conn.execute_batch(V1_RECORDS).expect("records");
    conn.execute_batch("PRAGMA user_version = 1; VACUUM;")
        .expect("version");
    drop(conn);
    assert_eq!(user_version(&path), 1);
    assert!(audit::audit(&path).is_empty(), "{:?}", audit::audit(&path));
}

/// Three records and an edit, each a batch with its change rows, as the
/// first concierge wrote them.
const V1_RECORDS: &str = r"
BEGIN;
INSERT INTO batches (id, actor, at, label) VALUES
  (1, 'dana', '2026-11-02T09:00:00Z', 'create customer'),
  (2, 'dana', '2026-11-02T09:05:00Z', 'create backlog item'),
  (3, 'miguel', '2026-11-03T16:20:00Z', 'create check-in'),
  (4, 'dana', '2026-11-04T10:00:00Z', 'edit H-1');
INSERT INTO customers (id, name, company, stage, agreement_signed_on, owner, created_at, updated_at, rev)
  VALUES (1, 'Harbor Builders', 'Harbor Builders Inc.', 'active', '2026-10-30', 'dana',
          '2026-11-02T09:00:00Z', '2026-11-02T09:00:00Z', 1);
INSERT INTO backlog_items (id, kind, statement, test, criterion, impact, status, status_since, owner, created_at, updated_at, rev)
  VALUES (1, 'hypothesis', 'Superintendents will log submittals from the field',
          'Give three supers the form for two weeks', 'Two of three log every delivery', 4, 'backlog',
          '2026-11-02T09:05:00Z', 'dana', '2026-11-02T09:05:00Z', '2026-11-04T10:00:00Z', 2);
INSERT INTO checkins (id, customer_id, occurred_on, kind, author, summary, notes, health, created_at, updated_at, rev)
  VALUES (1, 1, '2026-11-03', 'visit', 'miguel', 'Walked the site with Rosa',
          'She logs deliveries on paper first.', 1, '2026-11-03T16:20:00Z', '2026-11-03T16:20:00Z', 1);
INSERT INTO changes (batch_id, tbl, record_id, op, field, old, new, rev) VALUES
  (1, 'customers', 1, 'create', 'name', NULL, 'Harbor Builders', 1),
  (1, 'customers', 1, 'create', 'company', NULL, 'Harbor Builders Inc.', 1),
  (1, 'customers', 1, 'create', 'stage', NULL, 'active', 1),
  (1, 'customers', 1, 'create', 'agreement_signed_on', NULL, '2026-10-30', 1),
  (1, 'customers', 1, 'create', 'owner', NULL, 'dana', 1),
  (2, 'backlog_items', 1, 'create', 'kind', NULL, 'hypothesis', 1),
  (2, 'backlog_items', 1, 'create', 'statement', NULL, 'Superintendents will log submittals from the field', 1),
  (2, 'backlog_items', 1, 'create', 'test', NULL, 'Give three supers the form for two weeks', 1),
  (2, 'backlog_items', 1, 'create', 'criterion', NULL, 'Two of three log every delivery', 1),
  (2, 'backlog_items', 1, 'create', 'impact', NULL, 3, 1),
  (2, 'backlog_items', 1, 'create', 'status', NULL, 'backlog', 1),
  (2, 'backlog_items', 1, 'create', 'owner', NULL, 'dana', 1),
  (3, 'checkins', 1, 'create', 'customer_id', NULL, 1, 1),
  (3, 'checkins', 1, 'create', 'occurred_on', NULL, '2026-11-03', 1),
  (3, 'checkins', 1, 'create', 'kind', NULL, 'visit', 1),
  (3, 'checkins', 1, 'create', 'author', NULL, 'miguel', 1),
  (3, 'checkins', 1, 'create', 'summary', NULL, 'Walked the site with Rosa', 1),
  (3, 'checkins', 1, 'create', 'notes', NULL, 'She logs deliveries on paper first.', 1),
  (3, 'checkins', 1, 'create', 'health', NULL, 1, 1),
  (4, 'backlog_items', 1, 'update', 'impact', 3, 4, 2);
COMMIT;
";

#[test]
fn the_audit_notices_a_batch_that_is_not_all_there() {
    let (dir, store) = demo_file();
    drop(store);
    let path = dir.path().join("submittals-mvp.db");
    assert!(audit::audit(&path).is_empty(), "{:?}", audit::audit(&path));
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch(
        "UPDATE changes SET new = 'lost'
           WHERE tbl = 'backlog_items' AND record_id = 1 AND field = 'statement';
         UPDATE customers SET name = 'Renamed behind the log' WHERE id = 1;
         INSERT INTO followups (customer_id, text, created_at, updated_at)
           VALUES (1, 'never logged', '2026-11-21', '2026-11-21');
         INSERT INTO batches (actor, at, label) VALUES ('x', '2026-11-21T00:00:00Z', 'empty');",
    )
    .expect("damage");
    drop(conn);
    let problems = audit::audit(&path);
    for expected in [
        "backlog_items 1.statement is",
        "customers 1.name is",
        "exists but its change log says it does not",
        "has no changes",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "no “{expected}” in {problems:?}"
        );
    }
}

#[test]
fn undo_restores_text_that_looks_like_a_number_exactly() {
    // Regression: the change log's `old`/`new` columns had numeric
    // affinity, so "007" was logged as 7 and undo restored "7".
    let (dir, mut store) = demo_file();
    let (id, _) = store.save_backlog(&item("007")).expect("create");
    let mut edited = store.backlog_item(id).expect("item");
    edited.statement = "seven".into();
    edited.owner = "1.50".into();
    store.save_backlog(&edited).expect("edit");
    store.undo_latest().expect("undo");
    let back = store.backlog_item(id).expect("item");
    assert_eq!((back.statement.as_str(), back.owner.as_str()), ("007", ""));
    drop(store);
    let path = dir.path().join("submittals-mvp.db");
    assert!(audit::audit(&path).is_empty(), "{:?}", audit::audit(&path));
}

#[test]
fn another_processs_save_shows_on_the_next_move_and_in_the_review() {
    // Windows and the review are kept while the data is unchanged; a
    // commit by another connection must still show without a restart.
    let (dir, mut store) = demo_file();
    let path = dir.path().join("submittals-mvp.db");
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Down, Action::Up]);
    let id = state.backlog.selected_id().expect("item");
    let mut other = Store::open(&path, OpenMode::ReadWrite, "miguel", clock()).expect("other");
    let mut theirs = other.backlog_item(id).expect("item");
    theirs.statement = "Renamed in another process".into();
    other.save_backlog(&theirs).expect("their save");
    act(&mut state, &mut store, &[Action::Down, Action::Up]);
    assert!(
        support::screen(&state).contains("Renamed in another process"),
        "{}",
        support::screen(&state)
    );

    act(
        &mut state,
        &mut store,
        &[Action::Pane(concierge::app::Pane::Review)],
    );
    let held =
        |state: &concierge::app::State| state.review.review.as_ref().expect("review").checkins.held;
    let before = held(&state);
    let customer = other.customer(1).expect("C-1");
    let checkin = concierge::domain::CheckIn {
        id: 0,
        customer_id: customer.id,
        occurred_on: clock().today(),
        kind: concierge::domain::CheckInKind::Call,
        author: "miguel".into(),
        summary: "Called from another process".into(),
        notes: String::new(),
        health: None,
        effort_minutes: None,
        meta: concierge::domain::Meta::default(),
    };
    other.save_checkin(&checkin).expect("their check-in");
    act(
        &mut state,
        &mut store,
        &[
            Action::Pane(concierge::app::Pane::Backlog),
            Action::Pane(concierge::app::Pane::Review),
        ],
    );
    assert_eq!(held(&state), before + 1);
}

#[test]
fn a_write_cut_short_is_named_read_only_and_rolled_back_by_the_next_writer() {
    // A crash in the middle of a write through a rollback journal (a large
    // import alone takes one) leaves the file and a hot journal: copy both
    // while a transaction is half written.
    let (_dir, store) = support::demo_file();
    let path = store.path().to_path_buf();
    let before = store.entry_count().expect("count");
    drop(store);
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch(
        "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 1;
         BEGIN; DELETE FROM changes; DELETE FROM entries;",
    )
    .expect("half a write");
    let copy = path.with_file_name("crashed.db");
    std::fs::copy(&path, &copy).expect("copy file");
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let mut copied_journal = copy.as_os_str().to_owned();
    copied_journal.push("-journal");
    std::fs::copy(&journal, &copied_journal).expect("copy journal");
    drop(conn);

    let Err(err) = Store::open(&copy, OpenMode::ReadOnly, "dana", clock()) else {
        panic!("a hot journal opens read-only");
    };
    assert!(
        err.to_string()
            .contains("open the workspace once without --read-only"),
        "{err}"
    );
    let store = Store::open(&copy, OpenMode::ReadWrite, "dana", clock()).expect("rolls back");
    assert_eq!(store.entry_count().expect("count"), before);
    assert!(store.check().expect("check").is_empty());
}
