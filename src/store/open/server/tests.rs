//! The store on PostgreSQL gives what it gives on SQLite: the demo loaded
//! into both, then every list, grid window, summary, the review's data and
//! an undo compared engine against engine. Runs when `CONCIERGE_TEST_PG`
//! names a server (see `db::tests::test_server`); each test gets a database
//! of its own, dropped afterwards.

use crate::clock::Clock;
use crate::store::db::Pg;
use crate::store::db::tests::test_server;
use crate::store::{GridQuery, GridSort, ListKind, ListQuery, OpenMode, Store, sorts_for};
use chrono::NaiveDate;
use std::sync::Mutex;

/// roles.sql creates the cluster's group roles when missing: one load at
/// a time.
static LOADING: Mutex<()> = Mutex::new(());

/// A database of its own on the test server, dropped with it.
pub(crate) struct Scratch {
    admin: Pg,
    name: String,
    pub(crate) url: String,
}

impl Scratch {
    pub(crate) fn new(server: &str, test: &str) -> Self {
        let admin = Pg::connect(server).expect("connect to the test server");
        let name = format!("concierge_{test}_{}", std::process::id());
        admin
            .execute_batch(&format!("DROP DATABASE IF EXISTS {name}"))
            .expect("drop");
        admin
            .execute_batch(&format!("CREATE DATABASE {name}"))
            .expect("create");
        let joiner = if server.contains('?') { '&' } else { '?' };
        let url = format!("{server}{joiner}dbname={name}");
        let owner = Pg::connect(&url).expect("connect to the scratch database");
        {
            let _one = LOADING
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            owner
                .execute_batch(include_str!("../../postgres/schema.sql"))
                .expect("schema.sql");
            owner
                .execute_batch(include_str!("../../postgres/roles.sql"))
                .expect("roles.sql");
        }
        Scratch { admin, name, url }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = self.admin.execute_batch(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("day")
}

/// The demo on a file and on the server, both as `dana`'s.
fn both(test: &str) -> Option<(tempfile::TempDir, Store, Scratch, Store)> {
    let server = test_server(test)?;
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Clock::fixed_day(day());
    let mut file =
        Store::open(&dir.path().join("w.db"), OpenMode::ReadWrite, "dana", clock).expect("open");
    crate::demo::load(&mut file).expect("demo on SQLite");
    let scratch = Scratch::new(&server, test);
    let mut served = Store::open_server(&scratch.url, false, clock).expect("open on the server");
    served.actor = "dana".into();
    crate::demo::load(&mut served).expect("demo on PostgreSQL");
    Some((dir, file, scratch, served))
}

#[test]
fn lists_and_the_grid_read_the_same_on_both_engines() {
    let Some((_dir, file, _scratch, served)) =
        both("lists_and_the_grid_read_the_same_on_both_engines")
    else {
        return;
    };
    for kind in [
        ListKind::Backlog,
        ListKind::Customers,
        ListKind::CheckIns,
        ListKind::Activity,
    ] {
        for sort in 0..sorts_for(kind).len() {
            let query = ListQuery {
                filter: String::new(),
                sort,
            };
            let ids = file.list_ids(kind, &query).expect("SQLite ids");
            assert_eq!(
                served.list_ids(kind, &query).expect("PostgreSQL ids"),
                ids,
                "{kind:?} sort {sort}"
            );
        }
    }
    for (kind, filter) in [
        (ListKind::Backlog, "status=test"),
        (ListKind::Backlog, "tag=pricing"),
        (ListKind::Customers, "stage=act"),
        (ListKind::CheckIns, "kind=call"),
        (ListKind::Activity, "actor=dana"),
    ] {
        let query = ListQuery {
            filter: filter.into(),
            sort: 0,
        };
        assert_eq!(
            served.list_ids(kind, &query).expect("PostgreSQL"),
            file.list_ids(kind, &query).expect("SQLite"),
            "{filter}"
        );
    }
    // Words: the server matches them by the same rule as SQLite's
    // `concierge_match` (title fuzzily, every text as a substring).
    for (kind, filter) in [
        (ListKind::Backlog, "pilot"),
        (ListKind::Backlog, "supers text"),
        (ListKind::Backlog, "spcbk"),
        (ListKind::Customers, "tide"),
        (ListKind::Customers, "C-3"),
        (ListKind::CheckIns, "pilot"),
        (ListKind::CheckIns, "K-4 call"),
        (ListKind::CheckIns, "kind=call pilot"),
        (ListKind::Activity, "check-in"),
    ] {
        for sort in 0..sorts_for(kind).len() {
            let query = ListQuery {
                filter: filter.into(),
                sort,
            };
            let ids = file.list_ids(kind, &query).expect("SQLite");
            assert_eq!(
                served.list_ids(kind, &query).expect("PostgreSQL"),
                ids,
                "{kind:?} {filter:?} sort {sort}"
            );
        }
    }
    // The grid's words: a name fuzzily, a segment as a substring, with
    // key=value filters, and a word nobody has.
    for (filter, rows) in [
        ("alder", 8 + 10 + 5), // Alder & Finch; fuzzily Halvorsen and Northgate Builders
        ("aldfn", 8),
        ("enterprise", 8),
        ("GC keystone", 9),
        ("segment=mid pine", 8),
        ("zzqx", 0),
        ("from=-8w sub", 6),
    ] {
        let query = GridQuery {
            filter: filter.into(),
            sort: GridSort::Newest,
        };
        let ids = file.grid_ids(&query).expect("SQLite");
        assert_eq!(ids.len(), rows, "grid {filter:?} on a file");
        assert_eq!(
            served.grid_ids(&query).expect("PostgreSQL"),
            ids,
            "grid {filter:?}"
        );
    }
    let all = |store: &Store, kind| {
        store
            .list_ids(kind, &ListQuery::default())
            .expect("all ids")
    };
    let ids = all(&file, ListKind::Backlog);
    assert_eq!(
        served.backlog_rows(&ids).expect("PostgreSQL"),
        file.backlog_rows(&ids).expect("SQLite")
    );
    let ids = all(&file, ListKind::Customers);
    assert_eq!(
        served.customer_rows(&ids).expect("PostgreSQL"),
        file.customer_rows(&ids).expect("SQLite")
    );
    let ids = all(&file, ListKind::CheckIns);
    assert_eq!(
        served.checkin_rows(&ids).expect("PostgreSQL"),
        file.checkin_rows(&ids).expect("SQLite")
    );
    let ids = all(&file, ListKind::Activity);
    assert_eq!(
        served.batch_rows(&ids).expect("PostgreSQL"),
        file.batch_rows(&ids).expect("SQLite")
    );
    let fields = file.fields().expect("fields");
    assert_eq!(served.fields().expect("PostgreSQL"), fields);
    for (kind, column) in [
        (crate::domain::RecordKind::Customer, "owner"),
        (crate::domain::RecordKind::CheckIn, "author"),
    ] {
        assert_eq!(
            served.distinct_values(kind, column).expect("PostgreSQL"),
            file.distinct_values(kind, column).expect("SQLite"),
        );
    }
    for sort in [
        GridSort::Newest,
        GridSort::Customer { descending: true },
        GridSort::Date { descending: false },
        GridSort::Field {
            id: fields[0].id,
            descending: true,
        },
    ] {
        let query = GridQuery {
            filter: "from=-8w".into(),
            sort,
        };
        let ids = file.grid_ids(&query).expect("SQLite");
        assert_eq!(
            served.grid_ids(&query).expect("PostgreSQL"),
            ids,
            "{sort:?}"
        );
        assert_eq!(
            served.grid_rows(&ids, &fields).expect("PostgreSQL"),
            file.grid_rows(&ids, &fields).expect("SQLite")
        );
    }
    for field in &fields {
        let mut a = file.grid_summary("", field).expect("SQLite");
        let mut b = served.grid_summary("", field).expect("PostgreSQL");
        // Sums of reals may differ in the last digits (summation order).
        let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
            (x, y) => x == y,
        };
        assert!(
            close(a.sum, b.sum) && close(a.mean, b.mean),
            "{}",
            field.key
        );
        (a.sum, a.mean, b.sum, b.mean) = (None, None, None, None);
        assert_eq!(b, a, "{}", field.key);
    }
    let (from, to) = (day() - chrono::Duration::days(27), day());
    let mut a = file.review_data(from, to).expect("SQLite");
    let mut b = served.review_data(from, to).expect("PostgreSQL");
    a.workspace.clear();
    b.workspace.clear();
    assert_eq!(format!("{b:?}"), format!("{a:?}"));
}

#[test]
fn writes_undo_and_the_change_log_agree_on_both_engines() {
    let Some((_dir, mut file, _scratch, mut served)) =
        both("writes_undo_and_the_change_log_agree_on_both_engines")
    else {
        return;
    };
    for store in [&mut file, &mut served] {
        let id = store
            .list_ids(ListKind::Customers, &ListQuery::default())
            .expect("ids")[0];
        let mut customer = store.customer(id).expect("customer");
        customer.notes = "moved to the server".into();
        store.save_customer(&customer).expect("save");
        let stale = store.save_customer(&customer).expect_err("stale rev");
        assert!(
            stale.to_string().contains("changed by someone else"),
            "{stale}"
        );
        let (batch, undo) = store.undo_latest().expect("undo");
        assert_eq!(store.changes(undo).expect("changes").len(), 1);
        assert!(store.undone_by(batch).expect("undone").is_some());
        let fields = store.fields().expect("fields");
        let optional = fields
            .iter()
            .position(|f| !f.required)
            .expect("an optional field");
        let entry = store.grid_ids(&GridQuery::default()).expect("grid")[0];
        let row = &store.grid_rows(&[entry], &fields).expect("row")[0];
        store
            .set_cell(entry, Some(row.rev), &fields[optional], None)
            .expect("clear a cell");
    }
    // Batch ids may differ: a rolled-back insert leaves a gap in a
    // server's sequence, where SQLite hands the id out again.
    let last = |store: &Store| {
        let batch = store.recent_batches(1).expect("batches")[0].clone();
        let changes = store.changes(batch.id).expect("changes");
        let changes: Vec<_> = changes
            .into_iter()
            .map(|c| (c.record, c.op, c.field, c.old, c.new))
            .collect();
        (batch.label, changes)
    };
    assert_eq!(last(&served), last(&file));
    assert_eq!(
        served.recent_batches(200).expect("PostgreSQL").len(),
        file.recent_batches(200).expect("SQLite").len()
    );
    // The interchange's reads run on the server's own connection too.
    let fields = |store: &Store| crate::store::fields::fields_in(store.db()).expect("fields");
    assert_eq!(fields(&served), fields(&file));
}
