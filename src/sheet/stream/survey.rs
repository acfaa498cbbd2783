//! The survey: one read of the whole file before any row is typed, for
//! what only the whole file tells — the header's mapping (which columns
//! are empty throughout), each column's decimal separator and day/month
//! order (votes of every value), and how many rows carry an id.
//!
//! A large file is surveyed in two halves on two threads. The second half
//! starts after the first line break past the middle, which is a record
//! boundary unless a quoted field spans it; the first half's reader checks
//! that a record does start there, and if not (or if the second half
//! failed) simply reads on to the end itself, so the result is always the
//! sequential one.

use super::input::Reader;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::ControlFlow;

use super::SheetStream;
use super::check::Check;
use super::chunks::{ChunkError, each_record, each_record_until};
use crate::sheet::cell::ContextVotes;
use crate::sheet::parse::header::{self, Target};
use crate::sheet::records::RawRecord;
use crate::sheet::schema::Schema;

/// Files with more data than this are surveyed in two halves.
pub(super) const SPLIT_BYTES: u64 = 8 << 20;

/// Context votes of each schema column, split by how many fields a record
/// had: rows may omit trailing empty columns, and only the end of the file
/// tells which widths were allowed.
pub(super) struct Votes {
    /// Index `w - lowest` holds the votes of records with `w` fields.
    pub by_width: Vec<Vec<ContextVotes>>,
    pub lowest: usize,
}

/// The header record, owned, so it outlives the chunk it was read from.
fn owned(record: &RawRecord<'_>) -> RawRecord<'static> {
    RawRecord {
        fields: record
            .fields
            .iter()
            .map(|f| std::borrow::Cow::Owned(f.to_string()))
            .collect(),
        line: record.line,
        problems: record.problems.clone(),
        empty_line: record.empty_line,
    }
}

/// What the header says about the records after it.
#[derive(Debug)]
pub(super) struct Layout {
    targets: Vec<Target>,
    id_field: Option<usize>,
    width: usize,
}

/// What the data records of (part of) a file add up to.
pub(super) struct Tally {
    pub nonempty: Vec<bool>,
    pub votes: Votes,
    pub records: usize,
    pub with_id: usize,
}

impl Tally {
    pub(super) fn new(head: &RawRecord<'_>, layout: &Layout, schema: &Schema) -> Self {
        // Trailing empty-headed columns may be left out by rows.
        let optional = head
            .fields
            .iter()
            .rev()
            .take_while(|f| header::normalize(f).is_empty())
            .count();
        Tally {
            nonempty: Vec::new(),
            votes: Votes {
                by_width: vec![vec![ContextVotes::default(); schema.columns.len()]; optional + 1],
                lowest: layout.width - optional,
            },
            records: 0,
            with_id: 0,
        }
    }

    pub(super) fn add(&mut self, record: &RawRecord<'_>, layout: &Layout, schema: &Schema) {
        if self.nonempty.len() < record.fields.len() {
            self.nonempty.resize(record.fields.len(), false);
        }
        for (i, f) in record.fields.iter().enumerate() {
            if !self.nonempty[i] && !f.trim().is_empty() {
                self.nonempty[i] = true;
            }
        }
        if record.is_blank() || record.is_broken() {
            return;
        }
        self.records += 1;
        if layout
            .id_field
            .and_then(|i| record.fields.get(i))
            .is_some_and(|f| !f.trim().is_empty())
        {
            self.with_id += 1;
        }
        let found = record.fields.len();
        let extra = record
            .fields
            .iter()
            .skip(layout.width)
            .any(|f| !f.trim().is_empty());
        if extra || found < self.votes.lowest {
            return;
        }
        let tally = &mut self.votes.by_width[found.min(layout.width) - self.votes.lowest];
        for (field, target) in layout.targets.iter().enumerate() {
            let Target::Column(c) = *target else {
                continue;
            };
            let value = record.fields.get(field).map_or("", |f| f.trim());
            if !value.is_empty() {
                tally[c].observe(&schema.columns[c].ty, value);
            }
        }
    }

    fn merge(&mut self, other: Tally) {
        if self.nonempty.len() < other.nonempty.len() {
            self.nonempty.resize(other.nonempty.len(), false);
        }
        for (mine, theirs) in self.nonempty.iter_mut().zip(other.nonempty) {
            *mine |= theirs;
        }
        for (mine, theirs) in self.votes.by_width.iter_mut().zip(other.votes.by_width) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.add(t);
            }
        }
        self.records += other.records;
        self.with_id += other.with_id;
    }
}

/// The first record boundary candidate past the middle of `start..len`:
/// just after a line break.
fn middle(file: &mut Reader, start: u64, len: u64) -> io::Result<Option<u64>> {
    let mid = start + (len - start) / 2;
    file.seek(SeekFrom::Start(mid))?;
    let mut buf = vec![0u8; 1 << 16];
    let n = file.read(&mut buf)?;
    Ok(buf[..n]
        .iter()
        .position(|b| *b == b'\n')
        .map(|i| mid + i as u64 + 1))
}

impl SheetStream {
    /// Reads up to the header and maps it as far as the header alone
    /// tells; `None` when there is no sound header (the survey is then
    /// finished, with the error).
    fn header(
        &mut self,
        file: &mut Reader,
    ) -> Result<Option<(RawRecord<'static>, Layout)>, ChunkError> {
        let (start, first_line, delimiter) = (self.start, self.first_line, self.delimiter);
        let mut head: Option<RawRecord<'static>> = None;
        each_record(file, start, first_line, delimiter, &mut |record| {
            if record.is_blank() {
                return ControlFlow::Continue(());
            }
            head = Some(owned(record));
            ControlFlow::Break(())
        })?;
        let head = match head {
            Some(head) if !head.is_broken() => head,
            other => {
                self.finish_survey(
                    other,
                    &[],
                    &Votes {
                        by_width: Vec::new(),
                        lowest: 0,
                    },
                );
                return Ok(None);
            }
        };
        let map = header::map_header(&head, &|_| false, &self.schema);
        let targets: Vec<Target> = map.columns.iter().map(|c| c.target).collect();
        let layout = Layout {
            id_field: targets.iter().position(|t| *t == Target::Id),
            width: targets.len(),
            targets,
        };
        Ok(Some((head, layout)))
    }

    /// The survey of the records that start before byte `end` only; when
    /// the file goes on past it, the stream keeps what its first full read
    /// must confirm (see `check`) and `records` is an estimate from the
    /// bytes surveyed.
    pub(super) fn survey_start(&mut self, file: &mut Reader, end: u64) -> Result<(), ChunkError> {
        let Some((head, layout)) = self.header(file)? else {
            return Ok(());
        };
        let schema = self.schema.clone();
        let mut tally = Tally::new(&head, &layout, &schema);
        let mut seen_header = false;
        let read = each_record_until(
            file,
            self.start,
            self.first_line,
            self.delimiter,
            end,
            &mut |record| {
                if seen_header {
                    tally.add(record, &layout, &schema);
                } else {
                    seen_header = !record.is_blank();
                }
                ControlFlow::Continue(())
            },
        );
        let stopped = read.map_err(|e| e.at_row(tally.records + 1, &head))?;
        if stopped.is_some() && !seen_header {
            // The start held no more than blank lines: survey it all.
            return self.survey(file, SPLIT_BYTES);
        }
        self.records = tally.records;
        self.with_id = tally.with_id;
        self.finish_survey(Some(head.clone()), &tally.nonempty, &tally.votes);
        if let Some((at, _)) = stopped {
            let len = file.len()?;
            let share = (len - self.start) as f64 / (at - self.start) as f64;
            self.records = (tally.records as f64 * share).round() as usize;
            self.check = Some(std::sync::Arc::new(Check {
                head,
                layout,
                records: tally.records,
                with_id: tally.with_id,
            }));
        }
        Ok(())
    }

    /// The survey, in two halves when the data is longer than `split_over`.
    pub(super) fn survey(&mut self, file: &mut Reader, split_over: u64) -> Result<(), ChunkError> {
        let schema = self.schema.clone();
        let (start, first_line, delimiter) = (self.start, self.first_line, self.delimiter);
        let Some((head, layout)) = self.header(file)? else {
            return Ok(());
        };
        let len = file.len()?;
        let split = if len - start > split_over {
            middle(file, start, len)?
        } else {
            None
        };
        let mut first = Tally::new(&head, &layout, &schema);
        let seen_header = std::cell::Cell::new(false);
        let mut tally_first = |record: &RawRecord<'_>| {
            if seen_header.get() {
                first.add(record, &layout, &schema);
            } else {
                seen_header.set(!record.is_blank());
            }
            ControlFlow::Continue(())
        };
        let Some(split) = split else {
            if let Err(e) = each_record(file, start, first_line, delimiter, &mut tally_first) {
                return Err(e.at_row(first.records + 1, &head));
            }
            self.records = first.records;
            self.with_id = first.with_id;
            self.finish_survey(Some(head), &first.nonempty, &first.votes);
            return Ok(());
        };
        let input = self.input.clone();
        let second = std::thread::scope(|scope| {
            let second = std::thread::Builder::new()
                .name("csv-survey".into())
                .spawn_scoped(scope, || -> Result<Tally, ChunkError> {
                    let mut file = input.open()?;
                    let mut tally = Tally::new(&head, &layout, &schema);
                    // Lines are not known from here; the survey only needs them
                    // for errors, and any error sends the first half on.
                    each_record(&mut file, split, 0, delimiter, &mut |record| {
                        tally.add(record, &layout, &schema);
                        ControlFlow::Continue(())
                    })?;
                    Ok(tally)
                })?;
            let stopped =
                each_record_until(file, start, first_line, delimiter, split, &mut tally_first);
            let second = second
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok::<_, ChunkError>(stopped.map(|stopped| (stopped, second)))
        })?;
        let (stopped, second) = match second {
            Ok(both) => both,
            Err(e) => return Err(e.at_row(first.records + 1, &head)),
        };
        match (stopped, second) {
            (Some((at, _)), Ok(second)) if at == split && seen_header.get() => {
                first.merge(second);
            }
            (Some((at, line)), _) => {
                if let Err(e) = each_record(file, at, line, delimiter, &mut tally_first) {
                    return Err(e.at_row(first.records + 1, &head));
                }
            }
            (None, _) => {}
        }
        self.records = first.records;
        self.with_id = first.with_id;
        self.finish_survey(Some(head), &first.nonempty, &first.votes);
        Ok(())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::{How, Opened, open_surveyed};
    use crate::sheet::schema::{Column, ColumnType, Schema};
    use std::fmt::Write as _;

    /// The columns the stream's tests read (`check` tests use it too).
    pub(in crate::sheet::stream) fn schema() -> Schema {
        Schema::new(
            "C-",
            vec![
                Column::new("name", ColumnType::Text).required(),
                Column::new("date", ColumnType::Date),
                Column::new("value", ColumnType::Decimal),
                Column::new("notes", ColumnType::MultilineText),
            ],
        )
    }

    /// What a survey found, comparable.
    fn surveyed(text: &str, split_over: u64) -> String {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("f.csv");
        std::fs::write(&path, text).expect("write");
        let Opened::Stream(stream) = open_surveyed(
            &super::super::Input::File(path),
            &schema(),
            How::Whole { split_over },
        )
        .expect("io") else {
            panic!("streams");
        };
        format!(
            "{} {} {:?} {:?} {:?} {:?}",
            stream.records,
            stream.with_id,
            stream.sheet.columns,
            stream.sheet.errors,
            stream.contexts,
            (stream.width, stream.min_width)
        )
    }

    /// A file whose middle falls `at` one of: a plain row, inside a quoted
    /// field that spans lines, between a CR and its LF.
    fn file(rows: usize, middle: &str) -> String {
        let mut text = String::from("id,name,date,value,notes,\r\n");
        for i in 0..rows {
            let id = if i % 3 == 0 {
                format!("C-{i}")
            } else {
                String::new()
            };
            let day = if i % 2 == 0 {
                "03/04/2026"
            } else {
                "05/06/2026"
            };
            let notes = if i == rows / 2 { middle } else { "plain" };
            let _ = write!(text, "{id},name {i},{day},\"1,5\",{notes},\r\n");
        }
        // The day/month order is settled only by a row at the very end.
        text.push_str(",last,13/04/2026,2,x,\r\n");
        text
    }

    #[test]
    fn two_halves_find_what_one_pass_finds() {
        // A quoted field of 100 KB of lines in the middle row: the middle of
        // the file falls inside it, so its first line break is no record
        // boundary and the first half must read on by itself.
        let spanning = format!("\"{}\"", "a line, \"\"quoted\"\"\r\n".repeat(4000));
        for middle in [
            "plain",
            "\"a note\r\nover\nthree\rlines\"",
            "\"quoted \"\"twice\"\" ,\n\"",
            spanning.as_str(),
        ] {
            let text = file(3000, middle);
            let one = surveyed(&text, u64::MAX);
            for split_over in [0, 1, 1000] {
                assert_eq!(surveyed(&text, split_over), one, "{middle:?}");
            }
        }
        // Nothing but a header, and a header alone past the middle.
        let header = "id,name,date,value,notes\n";
        assert_eq!(surveyed(header, 0), surveyed(header, u64::MAX));
        let late = format!("{}{header}a,b,01/02/2026,1,x\n", ",,,\n".repeat(5000));
        assert_eq!(surveyed(&late, 0), surveyed(&late, u64::MAX));
    }
}
