//! New entries on a server: rows staged in `COPY`'s text format and sent
//! with one `COPY entries … FROM STDIN` per [`super::COPY_ROWS`] rows, or
//! one row written with an INSERT. Every row carries its own id (the
//! import's, contiguous, so the change log holds one range row for them).

use super::bound::Bound;
use crate::store::Result;
use crate::store::StoredValue;
use crate::store::db::{Arg, Db, IntoArg};

/// The rows staged for one `COPY`, and the one-row INSERT.
pub(super) struct Copy {
    /// `COPY entries (<columns>, created_at, updated_at, rev, id) FROM STDIN`.
    statement: String,
    /// The same columns' INSERT, `?N` placeholders.
    insert: String,
    /// The same without the id, the server drawing it.
    drawn: String,
    /// `\t<stamp>\t<stamp>\t1\t`: what ends every new row but its id.
    tail: Vec<u8>,
    stamp: StoredValue,
    /// The staged rows.
    data: Vec<u8>,
    /// The row being checked (kept only once every cell passed).
    line: Vec<u8>,
    /// The first staged row's id.
    first: Option<i64>,
    /// The one-row INSERT's cells.
    args: Vec<Arg<'static>>,
    /// The table is locked and ids are the import's own (see
    /// `EntryInserter::ids_from_server`).
    pub locked: bool,
}

impl Copy {
    pub fn new(names: &[&str], stamp: &StoredValue) -> Self {
        let list = names.join(", ");
        let marks: Vec<String> = (1..=names.len() + 4).map(|i| format!("?{i}")).collect();
        let mut tail = Vec::new();
        for _ in 0..2 {
            tail.push(b'\t');
            Bound::Sql(stamp.clone()).copy_text(&mut tail);
        }
        tail.extend_from_slice(b"\t1\t");
        Copy {
            statement: format!("COPY entries ({list}, created_at, updated_at, rev, id) FROM STDIN"),
            insert: format!(
                "INSERT INTO entries ({list}, created_at, updated_at, rev, id) VALUES ({}) RETURNING id",
                marks.join(", ")
            ),
            drawn: format!(
                "INSERT INTO entries ({list}, created_at, updated_at, rev) VALUES ({}) RETURNING id",
                marks[..marks.len() - 1].join(", ")
            ),
            tail,
            stamp: stamp.clone(),
            data: Vec::with_capacity(1 << 20),
            line: Vec::new(),
            first: None,
            args: Vec::new(),
            locked: false,
        }
    }

    /// Begins checking a row.
    pub fn start_row(&mut self) {
        self.line.clear();
        self.args.clear();
    }

    /// The cell of column `at` for the `COPY`.
    pub fn cell(&mut self, at: usize, bound: &Bound<'_>) {
        if at > 0 {
            self.line.push(b'\t');
        }
        bound.copy_text(&mut self.line);
    }

    /// The next cell for the one-row INSERT.
    pub fn arg(&mut self, bound: &Bound<'_>) {
        self.args.push(bound.arg());
    }

    /// Stages the row checked under `id`.
    pub fn end_row(&mut self, id: i64) {
        use std::io::Write as _;
        self.first.get_or_insert(id);
        self.data.extend_from_slice(&self.line);
        self.data.extend_from_slice(&self.tail);
        let _ = writeln!(self.data, "{id}");
    }

    /// The first staged row's id, when any row is staged.
    pub fn staged_from(&self) -> Option<i64> {
        self.first
    }

    /// Sends the staged rows (see `Pg::copy_in`): false when a unique
    /// index refused one and none was kept. Nothing is staged after.
    pub fn send(&mut self, db: &Db) -> Result<bool> {
        let sent = match db.postgres() {
            Some(pg) => pg.copy_in(&self.statement, &self.data)?,
            None => false,
        };
        self.data.clear();
        self.first = None;
        Ok(sent)
    }

    /// Writes the row checked under `id` (or one the server draws) and
    /// `rev` with one INSERT; the id.
    pub fn insert(&mut self, db: &Db, id: Option<i64>, rev: i64) -> Result<i64> {
        let stamp = self.stamp.arg();
        let mut args = std::mem::take(&mut self.args);
        args.extend([own(stamp.clone()), own(stamp), Arg::Int(rev)]);
        match id {
            Some(id) => {
                args.push(Arg::Int(id));
                db.value(&self.insert, &args)
            }
            None => db.value(&self.drawn, &args),
        }
    }
}

/// An argument that owns its text.
fn own(arg: Arg<'_>) -> Arg<'static> {
    match arg {
        Arg::Text(t) => Arg::Text(t.into_owned().into()),
        Arg::Null => Arg::Null,
        Arg::Int(i) => Arg::Int(i),
        Arg::Real(x) => Arg::Real(x),
    }
}
