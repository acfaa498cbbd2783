//! Store behaviour on real temp files: migrations, conflicts between two
//! connections, undo/redo, read-only.

use crate::support::clock;
use concierge::domain::{BacklogItem, Kinds, RecordKind, Status};
use concierge::store::{ListKind, ListQuery, OpenMode, SCHEMA_VERSION, Store, StoreError};
use std::path::{Path, PathBuf};

fn open(path: &Path, actor: &str) -> Store {
    Store::open(path, OpenMode::ReadWrite, actor, clock()).expect("open")
}

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("work.db");
    (dir, path)
}

fn hypothesis(statement: &str) -> BacklogItem {
    BacklogItem {
        statement: statement.into(),
        owner: "dana".into(),
        ..BacklogItem::default()
    }
}

fn statements(store: &Store) -> Vec<String> {
    let ids = store
        .list_ids(ListKind::Backlog, &ListQuery::default())
        .expect("ids");
    store
        .backlog_rows(&ids)
        .expect("rows")
        .into_iter()
        .map(|r| r.item.statement)
        .collect()
}

#[test]
fn a_new_file_gets_the_current_schema_and_wal() {
    let (_dir, path) = temp_db();
    let store = open(&path, "dana");
    assert!(store.check().expect("check").is_empty());
    let conn = rusqlite::Connection::open(&path).expect("raw");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("v");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(mode, "wal");
}

#[test]
fn a_newer_schema_is_refused_naming_both_versions() {
    let (_dir, path) = temp_db();
    drop(open(&path, "dana"));
    let conn = rusqlite::Connection::open(&path).expect("raw");
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 5)
        .expect("bump");
    drop(conn);
    let err = Store::open(&path, OpenMode::ReadWrite, "dana", clock())
        .err()
        .expect("refused");
    let message = err.to_string();
    assert!(matches!(err, StoreError::NewerSchema { .. }));
    assert!(
        message.contains(&format!("schema version {}", SCHEMA_VERSION + 5)),
        "{message}"
    );
    assert!(
        message.contains(&format!("({SCHEMA_VERSION})")),
        "{message}"
    );
}

#[test]
fn every_save_is_one_batch_with_actor_and_fields() {
    let (_dir, path) = temp_db();
    let mut store = open(&path, "dana");
    let (id, batch) = store
        .save_backlog(&hypothesis("Supers will log daily"))
        .expect("save");
    let batch = batch.expect("a batch");
    let info = store.batch(batch).expect("read").expect("exists");
    assert_eq!(info.actor, "dana");
    assert_eq!(info.at, "2026-11-21T12:00:00Z");
    let changes = store.changes(batch).expect("changes");
    assert!(
        changes
            .iter()
            .all(|c| c.record.to_string() == format!("H-{id}"))
    );
    assert!(
        changes
            .iter()
            .any(|c| c.field == "statement" && c.new.as_deref() == Some("Supers will log daily"))
    );
    // Saving again unchanged writes nothing and records no batch.
    let item = store.backlog_item(id).expect("item");
    let (_, again) = store.save_backlog(&item).expect("save");
    assert_eq!(again, None);
    assert_eq!(store.backlog_item(id).expect("item").meta.rev, 1);
}

#[test]
fn a_second_connection_saving_a_stale_copy_gets_a_conflict() {
    let (_dir, path) = temp_db();
    let mut first = open(&path, "dana");
    let mut second = open(&path, "miguel");
    let (id, _) = first
        .save_backlog(&hypothesis("GCs pay for a digest"))
        .expect("save");
    let mine = first.backlog_item(id).expect("mine");
    let mut theirs = second.backlog_item(id).expect("theirs");
    theirs.owner = "miguel".into();
    second.save_backlog(&theirs).expect("their save");
    let mut stale = mine;
    stale.impact = 5;
    let err = first.save_backlog(&stale).expect_err("conflict");
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                actual: 2,
                ..
            }
        ),
        "{err}"
    );
    let now = first.backlog_item(id).expect("now");
    assert_eq!((now.owner.as_str(), now.impact), ("miguel", 3));
}

#[test]
fn undo_reverts_create_update_and_delete_and_undoing_an_undo_redoes() {
    let (_dir, path) = temp_db();
    let mut store = open(&path, "dana");
    let (id, created) = store.save_backlog(&hypothesis("A")).expect("create");
    let mut item = store.backlog_item(id).expect("item");
    item.statement = "A, edited".into();
    let (_, edited) = store.save_backlog(&item).expect("edit");
    assert_eq!(statements(&store), ["A, edited"]);

    let undo_edit = store.undo(edited.expect("batch")).expect("undo edit");
    assert_eq!(statements(&store), ["A"]);
    store.undo(undo_edit).expect("redo edit");
    assert_eq!(statements(&store), ["A, edited"]);

    let item = store.backlog_item(id).expect("item");
    let deleted = store
        .delete_backlog(id, item.meta.rev)
        .expect("delete")
        .expect("batch");
    assert!(statements(&store).is_empty());
    store.undo(deleted).expect("undo delete");
    assert_eq!(statements(&store), ["A, edited"]);
    assert_eq!(store.backlog_item(id).expect("restored").id, id);

    let err = store
        .undo(created.expect("batch"))
        .expect_err("later edits");
    assert!(err.to_string().contains("has changed since"), "{err}");
}

#[test]
fn undo_latest_walks_back_through_the_actors_batches() {
    let (_dir, path) = temp_db();
    let mut store = open(&path, "dana");
    store.save_backlog(&hypothesis("first")).expect("1");
    store.save_backlog(&hypothesis("second")).expect("2");
    let mut other = open(&path, "miguel");
    other.save_backlog(&hypothesis("miguel's")).expect("3");
    store.undo_latest().expect("undo second");
    assert_eq!(statements(&store), ["first", "miguel's"]);
    store.undo_latest().expect("undo first");
    assert_eq!(statements(&store), ["miguel's"]);
    let err = store.undo_latest().expect_err("nothing left");
    assert!(err.to_string().contains("nothing of dana's left"), "{err}");
}

#[test]
fn status_changes_follow_the_state_machine() {
    let (_dir, path) = temp_db();
    let mut store = open(&path, "dana");
    let (id, _) = store.save_backlog(&hypothesis("H")).expect("save");
    let err = store
        .set_backlog_status(id, 1, Status::Testing, "")
        .expect_err("needs test");
    assert_eq!(
        err.to_string(),
        "backlog → testing needs a test, a criterion"
    );
    let mut item = store.backlog_item(id).expect("item");
    item.test = "Interview 5 supers".into();
    item.criterion = "4 of 5 say yes".into();
    store.save_backlog(&item).expect("save");
    let batch = store
        .set_backlog_status(id, 2, Status::Testing, "")
        .expect("moved")
        .expect("batch");
    assert_eq!(
        store.backlog_item(id).expect("item").status,
        Status::Testing
    );
    let label = store.batch(batch).expect("b").expect("b").label;
    assert_eq!(label, format!("H-{id} backlog → testing"));
}

#[test]
fn read_only_refuses_every_write_and_leaves_the_file_alone() {
    let (_dir, path) = temp_db();
    {
        let mut store = open(&path, "dana");
        store.save_backlog(&hypothesis("kept")).expect("save");
    }
    let before = std::fs::read(&path).expect("bytes");
    let mut ro = Store::open(&path, OpenMode::ReadOnly, "dana", clock()).expect("ro");
    assert!(matches!(
        ro.save_backlog(&hypothesis("nope")),
        Err(StoreError::ReadOnly)
    ));
    assert!(matches!(ro.undo_latest(), Err(StoreError::ReadOnly)));
    assert_eq!(statements(&ro), ["kept"]);
    drop(ro);
    assert_eq!(std::fs::read(&path).expect("bytes"), before);
}

#[test]
fn filters_match_words_fuzzily_and_fields_by_prefix() {
    let (_dir, path) = temp_db();
    let mut store = open(&path, "dana");
    store
        .save_backlog(&hypothesis("Superintendents log submittals"))
        .expect("1");
    let mut other = hypothesis("GCs pay for a weekly digest");
    other.owner = "miguel".into();
    store.save_backlog(&other).expect("2");
    let q = |f: &str| ListQuery {
        filter: f.into(),
        sort: 0,
    };
    assert_eq!(
        store
            .list_ids(ListKind::Backlog, &q("sbmtl"))
            .expect("ids")
            .len(),
        1
    );
    assert_eq!(
        store
            .list_ids(ListKind::Backlog, &q("owner=mig"))
            .expect("ids")
            .len(),
        1
    );
    assert_eq!(
        store
            .list_ids(ListKind::Backlog, &q("status=backlog"))
            .expect("ids")
            .len(),
        2
    );
    let err = store
        .list_ids(ListKind::Backlog, &q("colour=red"))
        .expect_err("unknown");
    assert!(err.to_string().contains("no field “colour”"), "{err}");
}

#[test]
fn the_demo_loads_into_a_consistent_workspace() {
    let (_dir, path) = temp_db();
    let mut store = open(&path, "dana");
    concierge::demo::load(&mut store).expect("demo");
    assert!(store.check().expect("check").is_empty());
    let _ = RecordKind::ALL;
}

#[test]
fn a_write_reports_the_kinds_of_record_it_changed_and_nothing_else() {
    let (_dir, path) = temp_db();
    let mut store = open(&path, "dana");
    assert_eq!(store.take_touched(), Kinds::NONE);
    let (id, batch) = store
        .save_backlog(&hypothesis("Supers will log daily"))
        .expect("save");
    assert_eq!(store.take_touched(), Kinds::of(&[RecordKind::Backlog]));
    assert_eq!(store.take_touched(), Kinds::NONE, "taken once");
    // Unchanged: no batch, nothing touched.
    let item = store.backlog_item(id).expect("item");
    store.save_backlog(&item).expect("save");
    assert_eq!(store.take_touched(), Kinds::NONE);
    // An undo touches what the undone batch touched.
    store.undo(batch.expect("batch")).expect("undo");
    let touched = store.take_touched();
    assert_eq!(touched, Kinds::of(&[RecordKind::Backlog]));
    // The lists that read backlog items are stale; the others are not.
    assert!(touched.meets(ListKind::Backlog.reads()));
    assert!(touched.meets(ListKind::Activity.reads()));
    assert!(!touched.meets(ListKind::Customers.reads()));
    assert!(!touched.meets(ListKind::CheckIns.reads()));
    assert!(!touched.meets(concierge::store::GRID_READS));
}
