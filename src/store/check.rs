//! `concierge check`: what can go wrong with a workspace under concierge's
//! feet, looked for. A file: SQLite's page integrity and foreign keys. A
//! server keeps its own pages and enforces foreign keys as it writes;
//! what can drift there is what concierge arranges itself: the id
//! sequences (behind the copied or imported ids, the next key would
//! collide), the live-data columns (one per field), and constraints left
//! unvalidated.

use super::db::{Db, args};
use super::{Result, Store};

/// The tables whose keys the server draws (as `concierge_sync_ids()`).
const KEYED: [&str; 10] = [
    "batches",
    "changes",
    "fields",
    "backlog_items",
    "customers",
    "checkins",
    "evidence",
    "followups",
    "entries",
    "reviews",
];

impl Store {
    /// What [`Store::check`] checks here, for its report.
    pub fn checks(&self) -> &'static str {
        match self.db() {
            Db::Sqlite(_) => "integrity and foreign-key checks",
            Db::Postgres(_) => "its key, live-data column and constraint checks",
        }
    }

    /// The problems found, if any.
    pub fn check(&self) -> Result<Vec<String>> {
        match self.db() {
            Db::Sqlite(_) => file_problems(self.db()),
            Db::Postgres(_) => server_problems(self.db()),
        }
    }
}

fn file_problems(db: &Db) -> Result<Vec<String>> {
    let mut problems: Vec<String> = db
        .query_map("PRAGMA integrity_check", args![], |r| r.get(0))?
        .into_iter()
        .filter(|row: &String| row != "ok")
        .collect();
    problems.extend(db.query_map("PRAGMA foreign_key_check", args![], |r| {
        Ok(format!(
            "{} row {} points to a missing {}",
            r.get::<String>(0)?,
            r.get::<i64>(1)?,
            r.get::<String>(2)?
        ))
    })?);
    Ok(problems)
}

fn server_problems(db: &Db) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for table in KEYED {
        let (top, next): (Option<i64>, Option<i64>) = db.query_row(
            &format!(
                "SELECT (SELECT max(id) FROM {table}),
                        pg_sequence_last_value(pg_get_serial_sequence('public.{table}', 'id')::regclass)"
            ),
            args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if let Some(top) = top
            && next.unwrap_or(0) < top
        {
            problems.push(format!(
                "{table}: the largest id is {top} but the server would hand out {} next (run SELECT concierge_sync_ids() as the owner)",
                next.unwrap_or(0) + 1
            ));
        }
    }
    let columns: Vec<String> = db.query_map(
        "SELECT 'f_' || id FROM fields
         EXCEPT SELECT column_name::text FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name = 'entries'
         ORDER BY 1",
        args![],
        |r| r.get(0),
    )?;
    problems.extend(
        columns
            .into_iter()
            .map(|c| format!("field D-{} has no live-data column", &c[2..])),
    );
    let strays: Vec<String> = db.query_map(
        "SELECT column_name::text FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = 'entries'
            AND column_name LIKE 'f\\_%'
            AND substr(column_name, 3) NOT IN (SELECT id::text FROM fields)
          ORDER BY 1",
        args![],
        |r| r.get(0),
    )?;
    problems.extend(
        strays
            .into_iter()
            .map(|c| format!("live-data column {c} belongs to no field")),
    );
    problems.extend(db.query_map(
        "SELECT conrelid::regclass::text || ': constraint ' || conname || ' is not validated'
           FROM pg_constraint
          WHERE connamespace = 'public'::regnamespace AND NOT convalidated
          ORDER BY 1",
        args![],
        |r| r.get(0),
    )?);
    Ok(problems)
}
