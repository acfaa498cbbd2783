//! Checking a survey of the file's start against the whole file, during
//! the first read of its rows. The survey of a large file used to be one
//! more full read before the first row could be typed (0.2 s of the 1M-row
//! benchmark's import, on both cores); now the start is surveyed, the rows
//! are read and typed with what it found, and the same read tallies every
//! record as the survey would. When the whole file's tally reads the file
//! as its start did, the rows handed out are exactly the ones a whole
//! survey would have given. When it does not, the caller throws its work
//! away, surveys the whole file and reads again.
//!
//! The comparison is exact at the end of the file. Along the way, a column
//! that turns out not to be empty, a first id when the start had none, or
//! a reading that differs at one of the regular checks after the start,
//! stops the read early, so a file that changes its ways is not read to
//! its end for nothing. The early stops only cost a second read; the
//! verdict itself is always the end-of-file one or "differs".

use std::ops::ControlFlow;

use super::SheetStream;
use super::survey::{Layout, Tally};
use crate::sheet::records::RawRecord;

/// What a survey of the start leaves for the first full read to confirm.
#[derive(Debug)]
pub(super) struct Check {
    pub head: RawRecord<'static>,
    pub layout: Layout,
    /// Data records in the part surveyed, and of those with an id.
    pub records: usize,
    pub with_id: usize,
}

/// What the first full read of a stream surveyed only at its start found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The whole file reads as its start did.
    Same { records: usize, with_id: usize },
    /// It does not, or the read met bytes the survey never saw that stop
    /// it (not UTF-8, a quote left open): survey the whole file and read
    /// again.
    Differs,
}

/// How often, in records past the surveyed start, the running tally's
/// reading is compared with the start's.
const EVERY: usize = 1 << 16;

/// The tally of one full read, compared as it goes.
pub(super) struct Checker<'s> {
    stream: &'s SheetStream,
    check: &'s Check,
    tally: Tally,
    /// The non-empty columns at the last comparison.
    nonempty: Vec<bool>,
    /// Whether the read has passed the surveyed start (before that, the
    /// running tally is only part of what the start's survey saw).
    passed_start: bool,
}

impl<'s> Checker<'s> {
    pub fn new(stream: &'s SheetStream, check: &'s Check) -> Self {
        Checker {
            stream,
            check,
            tally: Tally::new(&check.head, &check.layout, &stream.schema),
            nonempty: Vec::new(),
            passed_start: false,
        }
    }

    /// Counts one record after the header; breaks as soon as the file
    /// reads differently from its start.
    pub fn add(&mut self, record: &RawRecord<'_>) -> ControlFlow<()> {
        self.tally
            .add(record, &self.check.layout, &self.stream.schema);
        if self.check.with_id == 0 && self.tally.with_id > 0 {
            return ControlFlow::Break(());
        }
        let records = self.tally.records;
        if records < self.check.records {
            return ControlFlow::Continue(());
        }
        let first = !self.passed_start;
        let new_column = self.tally.nonempty != self.nonempty;
        let due = (records - self.check.records).is_multiple_of(EVERY);
        if first || new_column || due {
            self.passed_start = true;
            self.nonempty.clone_from(&self.tally.nonempty);
            if !self.reads_same() {
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    }

    /// Whether the tally so far reads the file as the surveyed start did.
    fn reads_same(&self) -> bool {
        self.stream
            .reads_as(&self.stream.surveyed_as(&self.check.head, &self.tally))
    }

    /// The verdict once every record was counted.
    pub fn finish(self) -> Verdict {
        let ids_alike = (self.tally.with_id > 0) == (self.check.with_id > 0);
        if ids_alike && self.reads_same() {
            Verdict::Same {
                records: self.tally.records,
                with_id: self.tally.with_id,
            }
        } else {
            Verdict::Differs
        }
    }
}

#[cfg(test)]
mod tests;
