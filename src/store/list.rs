//! Lists for the panes: a filter and a sort turn into the ordered ids of
//! the whole result (cheap: integers only), and each pane then fetches
//! full rows for just the window it shows. Scrolling therefore costs the
//! same at any depth, and a filter is evaluated once per keystroke.
//!
//! Filter syntax: words match text (substring anywhere, or fuzzy — letters
//! in order — on the title); `key=value` matches a field by prefix,
//! case-insensitively, e.g. `status=testing owner=dana`.
//!
//! Check-ins filtered by words take a faster road that reads no notes
//! ([`checkin_filter`]); every other list matches words on every row in
//! SQL (`concierge_match`).

mod checkin_filter;
mod notes;

#[cfg(test)]
mod tests;

pub(crate) use checkin_filter::FilterCache;
pub(crate) use notes::{index_notes_written_elsewhere, index_stale, index_stale_notes};

use super::db::{Arg, Dialect, IntoArg};
use super::{Result, Store, StoreError};
use crate::domain::matching::{contains_folded, contains_folded_bytes, fuzzy};
use crate::domain::{Kinds, RecordKind};
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use std::fmt::Write as _;

/// What a pane asks for: its filter text and the index of its sort.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub filter: String,
    pub sort: usize,
}

struct ListSpec {
    from: &'static str,
    /// A short text matched fuzzily (the record's title).
    title: &'static str,
    /// All other searchable text, matched by substring: SQL expressions
    /// separated by commas (each passed to the match function as is).
    body: &'static str,
    fields: &'static [(&'static str, &'static str)],
    sorts: &'static [(&'static str, &'static str)],
}

const BACKLOG: ListSpec = ListSpec {
    from: "backlog_items b",
    title: "b.statement",
    body: "'H-' || b.id, b.kind, b.owner, b.tags, b.test, b.metric, b.criterion, b.learning",
    fields: &[
        ("status", "b.status"),
        ("kind", "b.kind"),
        ("category", "b.category"),
        ("owner", "b.owner"),
        ("tag", "b.tags"),
        ("decision", "b.decision"),
        ("priority", "b.impact * b.uncertainty"),
    ],
    sorts: &[
        ("priority", "b.impact * b.uncertainty DESC, b.id"),
        ("newest", "b.id DESC"),
        (
            "status",
            "CASE b.status WHEN 'testing' THEN 0 WHEN 'backlog' THEN 1 WHEN 'validated' THEN 2 WHEN 'invalidated' THEN 3 ELSE 4 END, b.impact * b.uncertainty DESC, b.id",
        ),
        ("updated", "b.updated_at DESC, b.id DESC"),
    ],
};

const CUSTOMERS: ListSpec = ListSpec {
    from: "customers c",
    title: "c.name",
    body: "'C-' || c.id, c.company, c.segment, c.owner, c.contact_name, c.contact_email, c.notes",
    fields: &[
        ("stage", "c.stage"),
        ("icp", "c.icp_fit"),
        ("owner", "c.owner"),
        ("segment", "c.segment"),
        ("company", "c.company"),
        ("name", "c.name"),
    ],
    sorts: &[
        ("name", "c.name COLLATE NOCASE, c.id"),
        (
            "stage",
            "CASE c.stage WHEN 'active' THEN 0 WHEN 'onboarding' THEN 1 WHEN 'invited' THEN 2 WHEN 'prospect' THEN 3 WHEN 'paused' THEN 4 WHEN 'graduated' THEN 5 ELSE 6 END, c.name COLLATE NOCASE",
        ),
        (
            "next due",
            "(SELECT date(coalesce(max(k.occurred_on), c.agreement_signed_on), '+' || c.cadence_days || ' days') FROM checkins k WHERE k.customer_id = c.id AND k.occurred_on <= concierge_today()) IS NULL, (SELECT date(coalesce(max(k.occurred_on), c.agreement_signed_on), '+' || c.cadence_days || ' days') FROM checkins k WHERE k.customer_id = c.id AND k.occurred_on <= concierge_today()), c.name COLLATE NOCASE",
        ),
        ("newest", "c.id DESC"),
    ],
};

const CHECKINS: ListSpec = ListSpec {
    from: "checkins k JOIN customers c ON c.id = k.customer_id",
    title: "k.summary",
    body: "'K-' || k.id, c.name, k.kind, k.author, k.notes",
    fields: &[
        ("customer", "c.name"),
        ("kind", "k.kind"),
        ("author", "k.author"),
        ("health", "k.health"),
        ("on", "k.occurred_on"),
    ],
    sorts: &[
        ("newest", "k.occurred_on DESC, k.id DESC"),
        ("oldest", "k.occurred_on, k.id"),
        // Ties fall back on the newest first, as in "newest", so a list
        // keeps one order however it is read (scanned or from an index).
        (
            "customer",
            "c.name COLLATE NOCASE, k.occurred_on DESC, k.id DESC",
        ),
        (
            "health",
            "k.health IS NULL, k.health, k.occurred_on DESC, k.id DESC",
        ),
    ],
};

const ACTIVITY: ListSpec = ListSpec {
    from: "batches a",
    title: "a.label",
    body: "a.actor, a.label",
    fields: &[
        ("actor", "a.actor"),
        ("batch", "a.id"),
        ("label", "a.label"),
    ],
    sorts: &[("newest", "a.id DESC"), ("oldest", "a.id")],
};

/// Which list a pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Backlog,
    Customers,
    CheckIns,
    Activity,
}

impl ListKind {
    /// The kinds of record the list and its rows read (its SQL above and
    /// the row readers: evidence tallies, last check-ins, customer names);
    /// a write touching none of them leaves it as it was. Activity lists
    /// batches, which every write adds.
    pub fn reads(self) -> Kinds {
        use RecordKind::{Backlog, CheckIn, Customer, Evidence, FollowUp};
        match self {
            ListKind::Backlog => Kinds::of(&[Backlog, Evidence]),
            ListKind::Customers => Kinds::of(&[Customer, CheckIn, FollowUp]),
            ListKind::CheckIns => Kinds::of(&[CheckIn, Customer, Evidence]),
            ListKind::Activity => Kinds::ALL,
        }
    }
}

fn spec(kind: ListKind) -> &'static ListSpec {
    match kind {
        ListKind::Backlog => &BACKLOG,
        ListKind::Customers => &CUSTOMERS,
        ListKind::CheckIns => &CHECKINS,
        ListKind::Activity => &ACTIVITY,
    }
}

/// The sort names of a list, in cycle order.
pub fn sorts_for(kind: ListKind) -> Vec<&'static str> {
    spec(kind).sorts.iter().map(|(name, _)| *name).collect()
}

/// The `key=` names a list's filter understands.
pub fn filter_keys(kind: ListKind) -> Vec<&'static str> {
    let mut keys: Vec<&str> = spec(kind).fields.iter().map(|(k, _)| *k).collect();
    if kind == ListKind::Activity {
        keys.push("record");
    }
    keys
}

/// Columns whose existing values are offered as completions.
pub(super) fn is_completable(kind: RecordKind, column: &str) -> bool {
    matches!(
        (kind, column),
        (RecordKind::Backlog | RecordKind::FollowUp, "owner")
            | (RecordKind::Customer, "owner" | "segment")
            | (RecordKind::CheckIn, "author")
    )
}

/// A filter's free words and its `key=value` pairs.
type Filter = (Vec<String>, Vec<(String, String)>);

/// A filter split into its parts, or the first unknown `key=`.
fn parse_filter(kind: ListKind, filter: &str) -> Result<Filter, String> {
    let mut words = Vec::new();
    let mut pairs = Vec::new();
    for token in filter.split_whitespace() {
        match token.split_once('=') {
            Some((key, value)) if !key.is_empty() => {
                let key = key.to_ascii_lowercase();
                if !filter_keys(kind).contains(&key.as_str()) {
                    return Err(format!(
                        "no field “{key}” to filter on; try {}",
                        filter_keys(kind).join(", ")
                    ));
                }
                pairs.push((key, value.to_string()));
            }
            _ => words.push(token.to_string()),
        }
    }
    Ok((words, pairs))
}

impl Store {
    /// The ids of every record the query matches, in its sort order. A
    /// filter naming an unknown field is refused with the known ones.
    pub fn list_ids(&self, kind: ListKind, query: &ListQuery) -> Result<Vec<i64>> {
        let (words, pairs) = parse_filter(kind, &query.filter).map_err(StoreError::Refused)?;
        if kind == ListKind::CheckIns
            && !words.is_empty()
            && let Some(ids) = self.checkin_ids(&words, &pairs, query.sort)?
        {
            return Ok(ids);
        }
        self.scanned_ids(kind, &words, &pairs, query.sort)
    }

    /// [`Store::list_ids`] by SQL alone, matching words on every row.
    fn scanned_ids(
        &self,
        kind: ListKind,
        words: &[String],
        pairs: &[(String, String)],
        sort: usize,
    ) -> Result<Vec<i64>> {
        let spec = spec(kind);
        let id_col = spec.from.split_whitespace().nth(1).unwrap_or("x");
        // Words are matched on every row: read the table in storage order
        // and sort the matches, rather than walk the sort's index and look
        // each row up (on *large*, 20,000 B-tree searches per keystroke).
        let dialect = self.db().dialect();
        // On a server the words are matched here, row by row, by the same
        // functions as SQLite's `concierge_match` (see `row_matches`).
        let match_here = !words.is_empty() && dialect == Dialect::Postgres;
        let from = match spec.from.split_once(' ') {
            Some((table, rest)) if !words.is_empty() && dialect == Dialect::Sqlite => {
                let (alias, joins) = rest.split_once(' ').unwrap_or((rest, ""));
                format!("{table} {alias} NOT INDEXED {joins}")
            }
            _ => spec.from.to_string(),
        };
        let select = if match_here {
            format!("{id_col}.id, {}, {}", spec.title, spec.body)
        } else {
            format!("{id_col}.id")
        };
        let mut sql = format!("SELECT {select} FROM {from} WHERE TRUE");
        let mut args: Vec<String> = Vec::new();
        for word in words.iter().filter(|_| !match_here) {
            let _ = write!(
                sql,
                " AND concierge_match(?, {}, {})",
                spec.title, spec.body
            );
            args.push(word.clone());
        }
        for (key, value) in pairs {
            if key == "record" {
                // A range row (records created in bulk) names its first
                // and last id.
                let _ = write!(
                    sql,
                    " AND EXISTS (SELECT 1 FROM changes ch WHERE ch.batch_id = a.id
                       AND (ch.tbl || ch.record_id = ?
                            OR (ch.field = '*range' AND ch.tbl = ?
                                AND CAST(? AS INTEGER) BETWEEN ch.record_id AND {})))",
                    dialect.integer("ch.new")
                );
                let key = crate::domain::RecordKey::parse(value);
                let record = key.map_or(value.clone(), |k| format!("{}{}", k.kind.table(), k.id));
                args.push(record);
                args.push(key.map_or_else(String::new, |k| k.kind.table().to_owned()));
                args.push(key.map_or_else(|| "0".to_owned(), |k| k.id.to_string()));
                continue;
            }
            let expr = spec
                .fields
                .iter()
                .find(|(k, _)| k == key)
                .map_or("NULL", |(_, e)| e);
            if key == "batch" {
                sql.push_str(" AND a.id = CAST(? AS INTEGER)");
            } else if key == "tag" {
                let find = match dialect {
                    Dialect::Sqlite => "instr",
                    Dialect::Postgres => "strpos",
                };
                let _ = write!(
                    sql,
                    " AND {find}(' ' || lower({expr}) || ' ', ' ' || lower(?) || ' ') > 0"
                );
            } else {
                let _ = write!(sql, " AND lower(CAST({expr} AS TEXT)) LIKE lower(?) || '%'");
            }
            args.push(value.clone());
        }
        let order = spec.sorts.get(sort).unwrap_or(&spec.sorts[0]).1;
        match dialect {
            Dialect::Sqlite => {
                let _ = write!(sql, " ORDER BY {order}");
            }
            Dialect::Postgres => {
                let order = postgres_order(order, self.clock.today());
                let _ = write!(sql, " ORDER BY {order}");
            }
        }
        let args: Vec<Arg<'_>> = args.iter().map(IntoArg::arg).collect();
        if !match_here {
            return self.db().query_map(&sql, &args, |r| r.get(0));
        }
        let texts = 1 + spec.body.split(", ").count();
        let mut ids = Vec::new();
        let mut cells = Vec::with_capacity(texts);
        self.db().for_each(&sql, &args, |r| {
            cells.clear();
            for i in 1..=texts {
                cells.push(r.get::<crate::store::StoredValue>(i)?);
            }
            if words.iter().all(|w| row_matches(w, &cells)) {
                ids.push(r.get(0)?);
            }
            Ok(())
        })?;
        Ok(ids)
    }
}

/// Whether a row's texts (its title first) match `word`, as SQLite's
/// `concierge_match` does ([`cell_matches`]).
pub(super) fn row_matches(word: &str, cells: &[crate::store::StoredValue]) -> bool {
    cells
        .iter()
        .enumerate()
        .any(|(i, cell)| cell_matches(word, cell.into(), i == 0))
}

/// A sort of the specs above as PostgreSQL spells it: the name order
/// ignoring ASCII case (`concierge_nocase`), day arithmetic, and the
/// clock's today (SQLite's registered `concierge_today()`) as a literal.
fn postgres_order(order: &str, today: NaiveDate) -> String {
    const SQLITE_DUE: &str = "date(coalesce(max(k.occurred_on), c.agreement_signed_on), '+' || c.cadence_days || ' days')";
    let due = Dialect::Postgres.add_days(
        "coalesce(max(k.occurred_on), c.agreement_signed_on)",
        "c.cadence_days",
    );
    order
        .replace("c.name COLLATE NOCASE", &Dialect::Postgres.nocase("c.name"))
        .replace(SQLITE_DUE, &due)
        .replace("concierge_today()", &format!("'{today}'"))
}

/// Registers `concierge_match(word, title, text…)` on a connection: the
/// word is in the title (as a substring or fuzzily) or in any of the other
/// texts (as a substring). Texts are read in place, never copied: this
/// runs once per row per keystroke over notes of any length.
pub(super) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "concierge_match",
        -1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let word = ctx.get_raw(0).as_str().map_err(|e| {
                rusqlite::Error::UserFunctionError(format!("concierge_match: {e}").into())
            })?;
            Ok((1..ctx.len()).any(|i| cell_matches(word, ctx.get_raw(i), i == 1)))
        },
    )
}

/// Whether one of a row's texts matches `word`: as a substring, and in the
/// row's title also fuzzily; a number as its decimal text. The one rule
/// behind `concierge_match` (SQLite) and [`row_matches`] (a server).
fn cell_matches(word: &str, cell: ValueRef<'_>, title: bool) -> bool {
    match cell {
        ValueRef::Text(text) => {
            contains_folded_bytes(text, word)
                || (title && std::str::from_utf8(text).is_ok_and(|t| fuzzy(t, word)))
        }
        ValueRef::Integer(n) => contains_folded(&n.to_string(), word),
        ValueRef::Real(x) => contains_folded(&x.to_string(), word),
        ValueRef::Null | ValueRef::Blob(_) => false,
    }
}
