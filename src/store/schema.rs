//! The schema, as an append-only list of migrations: `MIGRATIONS[i]`
//! takes a workspace from `user_version` i to i + 1. Never edit an entry
//! that has shipped; add a new one.
//!
//! `entries` gets one typed column per live-data field (`f_<field id>`),
//! added and dropped at run time by the field store: those columns are
//! data, not schema versions.

use rusqlite::Connection;
use std::fmt::Write as _;

/// One schema step: SQL, or code where the SQL depends on the workspace
/// (the `entries` columns of its fields).
pub enum Migration {
    Sql(&'static str),
    Code(fn(&Connection) -> rusqlite::Result<()>),
}

pub const MIGRATIONS: &[Migration] = &[
    // 1: every record of SPEC §2 and the change log.
    Migration::Sql(
        r"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    label TEXT NOT NULL,
    undoes INTEGER REFERENCES batches(id)
);
CREATE INDEX batches_actor ON batches(actor, id);
CREATE INDEX batches_undoes ON batches(undoes);

CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    tbl TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
    field TEXT NOT NULL,
    old ANY,
    new ANY,
    rev INTEGER NOT NULL
);
CREATE INDEX changes_batch ON changes(batch_id);
CREATE INDEX changes_record ON changes(tbl, record_id, rev);

CREATE TABLE fields (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('integer','decimal','percent','text','date','boolean','choice')),
    options TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '',
    required INTEGER NOT NULL DEFAULT 0,
    min REAL,
    max REAL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE backlog_items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('hypothesis','risk','opportunity')),
    statement TEXT NOT NULL,
    category TEXT CHECK (category IN ('desirability','viability','feasibility','usability')),
    test TEXT NOT NULL DEFAULT '',
    metric TEXT NOT NULL DEFAULT '',
    metric_field_id INTEGER REFERENCES fields(id),
    criterion TEXT NOT NULL DEFAULT '',
    impact INTEGER NOT NULL DEFAULT 3 CHECK (impact BETWEEN 1 AND 5),
    uncertainty INTEGER NOT NULL DEFAULT 3 CHECK (uncertainty BETWEEN 1 AND 5),
    status TEXT NOT NULL DEFAULT 'backlog'
        CHECK (status IN ('backlog','testing','validated','invalidated','parked')),
    status_reason TEXT NOT NULL DEFAULT '',
    status_since TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    learning TEXT NOT NULL DEFAULT '',
    decision TEXT CHECK (decision IN ('persevere','pivot','kill','retest')),
    decided_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX backlog_status ON backlog_items(status);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    company TEXT NOT NULL DEFAULT '',
    segment TEXT NOT NULL DEFAULT '',
    icp_fit TEXT NOT NULL DEFAULT 'unknown' CHECK (icp_fit IN ('strong','partial','weak','unknown')),
    stage TEXT NOT NULL DEFAULT 'prospect'
        CHECK (stage IN ('prospect','invited','onboarding','active','paused','graduated','dropped')),
    agreement_signed_on TEXT,
    contact_name TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    cadence_days INTEGER NOT NULL DEFAULT 7 CHECK (cadence_days > 0),
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    occurred_on TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('call','visit','email','chat','survey','workshop')),
    author TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    health INTEGER CHECK (health BETWEEN -2 AND 2),
    effort_minutes INTEGER CHECK (effort_minutes >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX checkins_customer ON checkins(customer_id, occurred_on);
CREATE INDEX checkins_occurred ON checkins(occurred_on, id);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES backlog_items(id),
    checkin_id INTEGER REFERENCES checkins(id),
    field_id INTEGER REFERENCES fields(id),
    stance TEXT NOT NULL CHECK (stance IN ('supports','refutes','informs')),
    strength TEXT NOT NULL CHECK (strength IN ('said','did','paid')),
    quote TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1,
    CHECK (checkin_id IS NOT NULL OR field_id IS NOT NULL)
);
CREATE INDEX evidence_item ON evidence(item_id);
CREATE INDEX evidence_checkin ON evidence(checkin_id);

CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    checkin_id INTEGER REFERENCES checkins(id),
    text TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due_on TEXT,
    done_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX followups_customer ON followups(customer_id);
CREATE INDEX followups_checkin ON followups(checkin_id);

CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    recorded_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1,
    UNIQUE (customer_id, recorded_on)
);
CREATE INDEX entries_recorded ON entries(recorded_on, customer_id);
",
    ),
    // 2: recorded weekly reviews (`R-`), so the next review can show what
    // changed since this one.
    Migration::Sql(
        r"
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    week TEXT NOT NULL,
    held_at TEXT NOT NULL,
    attendees TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reviews_week ON reviews(week, id);
",
    ),
    // 3: the change log keeps values exactly as written. Migration 1
    // declared `old`/`new` as ANY, which outside a STRICT table means
    // numeric affinity: the text "007" was logged as the integer 7, so
    // undo restored "7" (or refused, seeing "1.50" ≠ 1.5). Columns with
    // no declared type store every value as given.
    Migration::Sql(
        r"
CREATE TABLE changes_exact (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    tbl TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('create', 'update', 'delete')),
    field TEXT NOT NULL,
    old,
    new,
    rev INTEGER NOT NULL
);
INSERT INTO changes_exact (id, batch_id, tbl, record_id, op, field, old, new, rev)
    SELECT id, batch_id, tbl, record_id, op, field, old, new, rev FROM changes;
DROP TABLE changes;
ALTER TABLE changes_exact RENAME TO changes;
CREATE INDEX changes_batch ON changes(batch_id);
CREATE INDEX changes_record ON changes(tbl, record_id, rev);
",
    ),
    // 4: indexes that keep *large* fast. A customer's check-in figures
    // (last date, count, effort) come from an index alone, where a
    // Customers window used to read every check-in row, long notes and
    // all, of every customer shown; it replaces the index on
    // (customer_id, occurred_on), its prefix. And the Check-ins list's
    // ordered ids (joined to their customers) come from an index alone,
    // where opening the pane read all 20,000 rows; it replaces the index
    // on (occurred_on, id).
    Migration::Sql(
        r"
CREATE INDEX checkins_customer_effort ON checkins(customer_id, occurred_on, effort_minutes);
DROP INDEX checkins_customer;
CREATE INDEX checkins_occurred_customer ON checkins(occurred_on, id, customer_id);
DROP INDEX checkins_occurred;
",
    ),
    // 5: filtering Check-ins without reading every note. `checkin_notes`
    // is a trigram full-text index of each check-in's notes as the filter
    // compares them: ASCII letters lowercased (SQLite's `lower` folds
    // ASCII only, like the filter's byte search) and the Kelvin sign
    // written as `k` (the one non-ASCII character that lowercases to an
    // ASCII letter). Contentless: the notes stay in `checkins` alone. A
    // filter word of three or more ASCII characters is a phrase query on
    // it, which is an exact substring test. The triggers only note which
    // check-ins changed (`checkin_notes_stale`, plain SQL, so any SQLite
    // can write check-ins); concierge re-indexes those in one statement
    // when it commits a write (an FTS5 table writes its pending entries at
    // every statement, which row by row costs 0.2 ms a check-in), and a
    // filter reads the notes of any still listed. `checkins_search` holds
    // every other column a filter word, a pair or a sort reads, so those
    // never read the 13 MB of rows.
    Migration::Sql(
        r"
CREATE VIRTUAL TABLE checkin_notes USING fts5(
    notes, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1'
);
INSERT INTO checkin_notes (rowid, notes)
    SELECT id, replace(lower(notes), char(8490), 'k') FROM checkins;
CREATE TABLE checkin_notes_stale (id INTEGER PRIMARY KEY);
CREATE TRIGGER checkin_notes_insert AFTER INSERT ON checkins BEGIN
    INSERT OR IGNORE INTO checkin_notes_stale (id) VALUES (new.id);
END;
CREATE TRIGGER checkin_notes_delete AFTER DELETE ON checkins BEGIN
    INSERT OR IGNORE INTO checkin_notes_stale (id) VALUES (old.id);
END;
CREATE TRIGGER checkin_notes_update AFTER UPDATE OF id, notes ON checkins BEGIN
    INSERT OR IGNORE INTO checkin_notes_stale (id) VALUES (old.id);
    INSERT OR IGNORE INTO checkin_notes_stale (id) VALUES (new.id);
END;
CREATE INDEX checkins_search ON checkins(
    occurred_on, id, customer_id, kind, author, health, summary
);
",
    ),
    // 6: one index on entries, (recorded_on, customer_id), which is both
    // the one-entry-per-customer-per-day rule and the grid's order. The
    // UNIQUE (customer_id, recorded_on) of migration 1 cost more than the
    // rest of a large import together: rows arrive day by day, so every
    // insert landed in the middle of that index (SPEC §6; BENCHMARKS.md).
    // A customer's own entries are found through the date index, as few
    // of them are read at a time (the latest two, one day).
    Migration::Code(one_entries_index),
    // 7: entries keep created_at/updated_at as Unix seconds (INTEGER)
    // instead of RFC 3339 text: 4 bytes instead of 20 each, a fifth of an
    // imported row. Nothing shows an entry's stamps; a million-row import
    // writes two million of them (SPEC §6; BENCHMARKS.md). A stamp that is
    // not RFC 3339 is kept as it was.
    Migration::Code(entry_stamps_in_seconds),
];

/// The version a workspace has after every migration.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Migration 6: rebuilds `entries` (its fields' columns as they are) with
/// one UNIQUE index on (recorded_on, customer_id). SQLite cannot drop a
/// table constraint, hence the copy.
fn one_entries_index(conn: &Connection) -> rusqlite::Result<()> {
    rebuild_entries(conn, "TEXT", "created_at", "updated_at")
}

/// Migration 7: rebuilds `entries` with INTEGER stamps, in Unix seconds.
fn entry_stamps_in_seconds(conn: &Connection) -> rusqlite::Result<()> {
    rebuild_entries(
        conn,
        "INTEGER",
        "coalesce(unixepoch(created_at), created_at)",
        "coalesce(unixepoch(updated_at), updated_at)",
    )
}

/// Copies `entries` into a new table (its fields' columns as they are)
/// whose stamps have type `stamp` and take the values `created` and
/// `updated` (SQL over the old row), with the one UNIQUE index on
/// (recorded_on, customer_id).
fn rebuild_entries(
    conn: &Connection,
    stamp: &str,
    created: &str,
    updated: &str,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT name, type FROM pragma_table_info('entries') WHERE name GLOB 'f_*' ORDER BY cid",
    )?;
    let fields = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let (mut defs, mut names) = (String::new(), String::new());
    for (name, ty) in &fields {
        let _ = write!(defs, ",\n    {name} {ty}");
        let _ = write!(names, ", {name}");
    }
    conn.execute_batch(&format!(
        "CREATE TABLE entries_next (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    recorded_on TEXT NOT NULL,
    created_at {stamp} NOT NULL,
    updated_at {stamp} NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1{defs}
);
INSERT INTO entries_next (id, customer_id, recorded_on, created_at, updated_at, rev{names})
    SELECT id, customer_id, recorded_on, {created}, {updated}, rev{names} FROM entries;
DROP TABLE entries;
ALTER TABLE entries_next RENAME TO entries;
CREATE UNIQUE INDEX entries_day ON entries(recorded_on, customer_id);"
    ))
}
