//! Which check-ins' notes contain a filter word, without reading the
//! notes on each keystroke: a word of one or two characters is looked up
//! in [`Grams`] (every note read once per change of the workspace), a
//! longer ASCII word in the trigram index: on SQLite a phrase query on
//! `checkin_notes` (migration 5), on a server `LIKE` on the stored folded
//! notes (`checkins.notes_folded`, pg_trgm-indexed; schema.sql), so no
//! notes cross the network. Each answers exactly what
//! [`crate::domain::matching::contains_folded_bytes`] answers on the
//! notes; a word none can answer (one with a non-ASCII character) is left
//! to the caller, which then reads the notes.
//!
//! On SQLite, check-ins written since the index was last brought up to
//! date are listed in `checkin_notes_stale` by triggers;
//! [`index_stale_notes`] re-indexes them when concierge commits a write,
//! and until then a word is looked for in their notes directly. A server
//! keeps its index current itself.

use super::checkin_filter::{Lazy, Plain};
use crate::domain::matching::contains_folded_bytes;
use crate::search::{BUDGET, Grams, GramsBuilder};
use crate::store::Result;
use crate::store::db::{Db, args};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

/// Reads every check-in's notes once into [`Grams`]. `None` when the
/// index would outgrow [`BUDGET`], or a note is not valid UTF-8 (the
/// units would not be characters).
fn grams_of(db: &Db) -> Result<Option<Grams>> {
    let mut grams = GramsBuilder::new(BUDGET);
    let mut usable = true;
    db.for_each(
        "SELECT id, notes FROM checkins ORDER BY id",
        args![],
        |row| {
            if usable {
                usable = match row.get::<Plain>(1)?.0 {
                    Some(notes) => grams.push(row.get(0)?, &notes),
                    None => false,
                };
            }
            Ok(())
        },
    )?;
    Ok(if usable { grams.finish() } else { None })
}

/// The ids of the check-ins whose notes contain `word`, ascending, or
/// `None` when the indexes cannot tell (see the module). `grams` is the
/// caller's cache of the in-memory index, built here on first need.
pub(super) fn notes_containing(
    db: &Db,
    grams: &mut Lazy<Grams>,
    word: &str,
) -> Result<Option<Vec<i64>>> {
    if !word.is_ascii() {
        return Ok(None);
    }
    let word = word.to_ascii_lowercase();
    if word.len() < 3 {
        return Ok(grams
            .get(|| grams_of(db))?
            .and_then(|grams| grams.ids_containing(&word)));
    }
    if let Some(conn) = db.sqlite() {
        return Ok(Some(indexed_on_sqlite(conn, &word)?));
    }
    let pattern = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Ok(Some(db.query_map(
        "SELECT id FROM checkins
          WHERE notes_folded LIKE '%' || ?1 || '%' ESCAPE '\\'
          ORDER BY id",
        args![pattern],
        |r| r.get(0),
    )?))
}

/// The check-ins whose notes contain `word` (folded, three or more ASCII
/// characters) by SQLite's trigram index, and by reading the notes of
/// those the index has not seen yet.
fn indexed_on_sqlite(conn: &Connection, word: &str) -> rusqlite::Result<Vec<i64>> {
    let phrase = format!("\"{}\"", word.replace('"', "\"\""));
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM checkin_notes WHERE checkin_notes MATCH ?1 ORDER BY rowid",
    )?;
    let ids = stmt.query_map([phrase], |r| r.get(0))?;
    let mut ids: Vec<i64> = ids.collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached("SELECT id FROM checkin_notes_stale ORDER BY id")?;
    let stale = stmt.query_map([], |r| r.get(0))?;
    let stale: Vec<i64> = stale.collect::<rusqlite::Result<_>>()?;
    if !stale.is_empty() {
        ids.retain(|id| stale.binary_search(id).is_err());
        let mut stmt = conn.prepare_cached("SELECT notes FROM checkins WHERE id = ?1")?;
        for id in stale {
            let found = stmt
                .query_row([id], |r| {
                    Ok(matches!(r.get_ref(0)?, ValueRef::Text(t) if contains_folded_bytes(t, word)))
                })
                .optional()?;
            if found == Some(true) {
                ids.push(id);
            }
        }
        ids.sort_unstable();
    }
    Ok(ids)
}

/// Brings `checkin_notes` up to date with the check-ins the triggers
/// listed as changed, in one statement each way (see migration 5). Runs
/// inside the caller's write transaction. Nothing to do on PostgreSQL,
/// whose notes index is kept current by the server (schema.sql).
pub(crate) fn index_stale_notes(db: &Db) -> crate::store::Result<()> {
    match db.sqlite() {
        Some(conn) => Ok(index_stale(conn)?),
        None => Ok(()),
    }
}

/// [`index_stale_notes`] on SQLite.
pub(crate) fn index_stale(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM checkin_notes_stale)")?;
    if !stmt.query_row([], |r| r.get::<_, bool>(0))? {
        return Ok(());
    }
    conn.execute_batch(
        "DELETE FROM checkin_notes WHERE rowid IN (SELECT id FROM checkin_notes_stale);
         INSERT INTO checkin_notes (rowid, notes)
             SELECT k.id, replace(lower(k.notes), char(8490), 'k')
             FROM checkin_notes_stale s JOIN checkins k ON k.id = s.id;
         DELETE FROM checkin_notes_stale;",
    )
}

/// At open: indexes check-ins another program wrote (a sqlite3 shell,
/// say). Best effort: if another process holds the write lock, the
/// filter keeps reading those notes directly until the next write.
pub(crate) fn index_notes_written_elsewhere(conn: &Connection) {
    let stale = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM checkin_notes_stale)",
        [],
        |r| r.get::<_, bool>(0),
    );
    if stale != Ok(true) {
        return;
    }
    let indexed = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
        .and_then(|tx| index_stale(&tx).and_then(|()| tx.commit()));
    drop(indexed);
}
