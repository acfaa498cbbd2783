//! `concierge copy`: a whole workspace moved between a file and a server
//! (SPEC §7), with its records, keys, revs and the full change log, so
//! history and undo survive the move. Each direction is one transaction on
//! the side written: all of it arrives, or none.
//!
//! Tables are copied in an order that keeps every reference valid, ids and
//! all; the live-data columns (`f_<field id>`) are made from the fields
//! first. The change log's values keep their type: SQLite stores them
//! untyped, the server as text with a type tag (`postgres/schema.sql`).

use super::db::pg::{client, store_error};
use super::team::Team;
use super::{Result, SCHEMA_VERSION, StoreError, StoredValue};
use crate::domain::FieldType;
use postgres::fallible_iterator::FallibleIterator;
use rusqlite::{Connection, OpenFlags, params_from_iter};
use std::io::Write as _;
use std::path::Path;

/// Record tables in an order that keeps references valid; `changes`
/// follows them (its values are converted on the way).
const TABLES: &[&str] = &[
    "meta",
    "fields",
    "customers",
    "backlog_items",
    "checkins",
    "evidence",
    "followups",
    "entries",
    "reviews",
    "batches",
];

/// The tables whose rows say a workspace is in use.
const HOLDS_RECORDS: &str =
    "SELECT (SELECT count(*) FROM fields) + (SELECT count(*) FROM customers)
     + (SELECT count(*) FROM backlog_items) + (SELECT count(*) FROM batches)";

/// What a copy moved, table by table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<(String, u64)>,
}

impl Copied {
    pub fn rows(&self, table: &str) -> u64 {
        self.tables
            .iter()
            .find(|(t, _)| t == table)
            .map_or(0, |(_, n)| *n)
    }
}

/// Copies the workspace file at `file` into the server at `url`: an empty
/// database (the schema and roles are loaded first, as `team init` does)
/// or one `team init` prepared and nobody has written to.
pub fn to_server(file: &Path, url: &str) -> Result<Copied> {
    let source = open_file(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let team = Team::connect(url)?;
    if !team.is_initialised()? {
        team.init()?;
    }
    drop(team);
    let mut server = client(url)?;
    let used: i64 = server
        .query_one(HOLDS_RECORDS, &[])
        .and_then(|r| r.try_get(0))
        .map_err(store_error)?;
    if used > 0 {
        return Err(StoreError::Refused(format!(
            "the workspace on {url} already holds records; copy into an empty one"
        )));
    }
    let mut tx = server.transaction().map_err(store_error)?;
    let mut copied = Copied::default();
    for table in TABLES {
        let columns = file_columns(&source, table)?;
        let n = copy_table_in(&source, &mut tx, table, &columns)?;
        copied.tables.push(((*table).to_owned(), n));
        if *table == "fields" {
            // The live-data columns, typed from the fields just written.
            let ids: Vec<i64> = source
                .prepare("SELECT id FROM fields ORDER BY id")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in ids {
                tx.execute("SELECT concierge_entries_add_column($1)", &[&id])
                    .map_err(store_error)?;
            }
        }
    }
    let n = copy_changes_in(&source, &mut tx)?;
    copied.tables.push(("changes".into(), n));
    // The workspace keeps its name on the server: the header and the
    // review's title say "submittals-mvp", not the database's name.
    let name = file.file_stem().map(|s| s.to_string_lossy().into_owned());
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('workspace_name', $1) ON CONFLICT (key) DO NOTHING",
        &[&name],
    )
    .map_err(store_error)?;
    tx.execute("SELECT concierge_sync_ids()", &[])
        .map_err(store_error)?;
    tx.commit().map_err(store_error)?;
    Ok(copied)
}

/// Copies the workspace on the server at `url` into a new workspace file at
/// `file` (created; an existing file must hold no records).
pub fn from_server(url: &str, file: &Path) -> Result<Copied> {
    let mut server = client(url)?;
    // Make (or migrate) the file with this build's schema.
    drop(super::Store::open(
        file,
        super::OpenMode::ReadWrite,
        "copy",
        crate::clock::Clock::System,
    )?);
    let mut target = open_file(file, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let used: i64 = target.query_row(HOLDS_RECORDS, [], |r| r.get(0))?;
    if used > 0 {
        return Err(StoreError::Refused(format!(
            "{} already holds records; copy into a new file",
            file.display()
        )));
    }
    // One snapshot of the server for the whole read.
    let mut read = server
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(store_error)?;
    let tx = target.transaction()?;
    let mut copied = Copied::default();
    for table in TABLES {
        if *table == "entries" {
            let fields: Vec<(i64, String)> = tx
                .prepare("SELECT id, type FROM fields ORDER BY id")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (id, ty) in fields {
                let ty = FieldType::parse(&ty).unwrap_or(FieldType::Text);
                tx.execute_batch(&format!(
                    "ALTER TABLE entries ADD COLUMN f_{id} {}",
                    super::fields::sql_type(ty)
                ))?;
            }
        }
        let columns = file_columns(&tx, table)?;
        let n = copy_table_out(&mut read, &tx, table, &columns)?;
        copied.tables.push(((*table).to_owned(), n));
    }
    let n = copy_changes_out(&mut read, &tx)?;
    copied.tables.push(("changes".into(), n));
    read.commit().map_err(store_error)?;
    super::list::index_stale(&tx)?;
    tx.commit()?;
    Ok(copied)
}

fn open_file(file: &Path, flags: OpenFlags) -> Result<Connection> {
    if !file.exists() {
        return Err(StoreError::Refused(format!(
            "there is no workspace file {}",
            file.display()
        )));
    }
    let conn = Connection::open_with_flags(file, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(super::open::BUSY_TIMEOUT)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version != SCHEMA_VERSION {
        return Err(StoreError::Refused(format!(
            "{} has schema version {version}, this concierge {SCHEMA_VERSION}: open it once with this concierge, then copy",
            file.display()
        )));
    }
    Ok(conn)
}

/// The columns of `table` in the file, in table order.
fn file_columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let names = stmt.query_map([], |r| r.get::<_, String>(1))?;
    Ok(names.collect::<rusqlite::Result<_>>()?)
}

/// One value in `COPY … FROM STDIN`'s text format.
fn copy_text(out: &mut Vec<u8>, value: &StoredValue) {
    match value {
        StoredValue::Null => out.extend_from_slice(b"\\N"),
        StoredValue::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        StoredValue::Real(r) => {
            let _ = write!(out, "{}", real_text(*r));
        }
        StoredValue::Text(t) => copy_escaped(out, t),
        StoredValue::Blob(b) => copy_escaped(out, &String::from_utf8_lossy(b)),
    }
}

/// A real as text that reads back to the same f64 (`1.5`, `3.0`, `1e300`).
fn real_text(r: f64) -> String {
    if r.is_nan() {
        "NaN".into()
    } else if r.is_infinite() {
        if r > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else {
        format!("{r:?}")
    }
}

/// Text in `COPY`'s text format (shared with the import's `COPY` of new
/// entries).
pub(crate) fn copy_escaped(out: &mut Vec<u8>, text: &str) {
    for b in text.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b => out.push(b),
        }
    }
}

/// Streams `table`'s rows from the file into the server with `COPY`.
fn copy_table_in(
    source: &Connection,
    tx: &mut postgres::Transaction<'_>,
    table: &str,
    columns: &[String],
) -> Result<u64> {
    let list = columns.join(", ");
    let order = if table == "meta" { "key" } else { "id" };
    let mut stmt = source.prepare(&format!("SELECT {list} FROM {table} ORDER BY {order}"))?;
    let mut rows = stmt.query([])?;
    let mut writer = tx
        .copy_in(&format!("COPY {table} ({list}) FROM STDIN"))
        .map_err(store_error)?;
    let mut line = Vec::new();
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        line.clear();
        for i in 0..columns.len() {
            if i > 0 {
                line.push(b'\t');
            }
            copy_text(&mut line, &row.get::<_, StoredValue>(i)?);
        }
        line.push(b'\n');
        writer.write_all(&line)?;
        n += 1;
    }
    writer.finish().map_err(store_error)?;
    Ok(n)
}

/// The change log into the server: each untyped value as text + its type.
fn copy_changes_in(source: &Connection, tx: &mut postgres::Transaction<'_>) -> Result<u64> {
    let mut stmt = source.prepare(
        "SELECT id, batch_id, tbl, record_id, op, field, old, new, rev FROM changes ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut writer = tx
        .copy_in(
            "COPY changes (id, batch_id, tbl, record_id, op, field, old, old_type, new, new_type, rev)
             FROM STDIN",
        )
        .map_err(store_error)?;
    let mut line = Vec::new();
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        line.clear();
        for i in 0..6 {
            copy_text(&mut line, &row.get::<_, StoredValue>(i)?);
            line.push(b'\t');
        }
        for i in [6, 7] {
            let value: StoredValue = row.get(i)?;
            let (text, tag) = match &value {
                StoredValue::Null => (StoredValue::Null, StoredValue::Null),
                StoredValue::Integer(_) => (value.clone(), StoredValue::Text("i".into())),
                StoredValue::Real(r) => (
                    StoredValue::Text(real_text(*r)),
                    StoredValue::Text("r".into()),
                ),
                StoredValue::Text(_) | StoredValue::Blob(_) => {
                    (value.clone(), StoredValue::Text("t".into()))
                }
            };
            copy_text(&mut line, &text);
            line.push(b'\t');
            copy_text(&mut line, &tag);
            line.push(b'\t');
        }
        copy_text(&mut line, &row.get::<_, StoredValue>(8)?);
        line.push(b'\n');
        writer.write_all(&line)?;
        n += 1;
    }
    writer.finish().map_err(store_error)?;
    Ok(n)
}

/// A server cell as the file stores it.
fn server_value(row: &postgres::Row, index: usize) -> Result<StoredValue> {
    use postgres::types::Type;
    let ty = row.columns()[index].type_().clone();
    let value = match ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(index)?
            .map(StoredValue::Integer),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(index)?.map(StoredValue::Real),
        Type::TEXT | Type::VARCHAR => row
            .try_get::<_, Option<String>>(index)?
            .map(StoredValue::Text),
        other => {
            return Err(StoreError::Refused(format!(
                "cannot copy a {other} column ({}) into a file",
                row.columns()[index].name()
            )));
        }
    };
    Ok(value.unwrap_or(StoredValue::Null))
}

/// Streams `table`'s rows from the server into the file.
fn copy_table_out(
    read: &mut postgres::Transaction<'_>,
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    columns: &[String],
) -> Result<u64> {
    let list = columns.join(", ");
    // A file's name is its own: the server's name for the workspace
    // (see `to_server`) stays there.
    let (order, only) = if table == "meta" {
        ("key", " WHERE key <> 'workspace_name'")
    } else {
        ("id", "")
    };
    let marks = vec!["?"; columns.len()].join(", ");
    let mut insert = tx.prepare(&format!("INSERT INTO {table} ({list}) VALUES ({marks})"))?;
    let sql = format!("SELECT {list} FROM {table}{only} ORDER BY {order}");
    let mut rows = read
        .query_raw(sql.as_str(), std::iter::empty::<i64>())
        .map_err(store_error)?;
    let mut values = Vec::with_capacity(columns.len());
    let mut n = 0u64;
    while let Some(row) = rows.next().map_err(store_error)? {
        values.clear();
        for i in 0..columns.len() {
            values.push(server_value(&row, i)?);
        }
        insert.execute(params_from_iter(values.iter()))?;
        n += 1;
    }
    Ok(n)
}

/// The change log into the file: each value back to its own type.
fn copy_changes_out(
    read: &mut postgres::Transaction<'_>,
    tx: &rusqlite::Transaction<'_>,
) -> Result<u64> {
    let mut insert = tx.prepare(
        "INSERT INTO changes (id, batch_id, tbl, record_id, op, field, old, new, rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut rows = read
        .query_raw(
            "SELECT id, batch_id, tbl, record_id, op, field, old, old_type, new, new_type, rev
             FROM changes ORDER BY id",
            std::iter::empty::<i64>(),
        )
        .map_err(store_error)?;
    let mut n = 0u64;
    while let Some(row) = rows.next().map_err(store_error)? {
        let mut values = Vec::with_capacity(9);
        for i in 0..6 {
            values.push(server_value(&row, i)?);
        }
        for (text, tag) in [(6, 7), (8, 9)] {
            let text: Option<String> = row.try_get(text)?;
            let tag: Option<String> = row.try_get(tag)?;
            values.push(typed(text, tag.as_deref())?);
        }
        values.push(server_value(&row, 10)?);
        insert.execute(params_from_iter(values.iter()))?;
        n += 1;
    }
    Ok(n)
}

/// A change-log value from its text and type tag.
fn typed(text: Option<String>, tag: Option<&str>) -> Result<StoredValue> {
    let bad = |t: &str| {
        StoreError::Refused(format!(
            "a change-log value {t:?} does not read as its type"
        ))
    };
    Ok(match (text, tag) {
        (None, _) => StoredValue::Null,
        (Some(t), Some("i")) => StoredValue::Integer(t.parse().map_err(|_| bad(&t))?),
        (Some(t), Some("r")) => StoredValue::Real(match t.as_str() {
            "Infinity" => f64::INFINITY,
            "-Infinity" => f64::NEG_INFINITY,
            _ => t.parse().map_err(|_| bad(&t))?,
        }),
        (Some(t), _) => StoredValue::Text(t),
    })
}
