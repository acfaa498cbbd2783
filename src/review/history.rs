//! Records through time, rebuilt from the change log: a customer's stage or
//! an item's status as it stood at the end of a day, and what moved within
//! a week. Reviewing a past week then shows that week as it was, not as the
//! workspace stands today.

use super::week::Week;
use crate::domain::{RecordKey, RecordKind};
use crate::store::review::LoggedValue;
use chrono::NaiveDate;
use std::collections::HashMap;

/// A field's value at the end of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Logged<'a> {
    /// The log holds nothing for this field: use the record as it is now.
    Unlogged,
    /// The record did not exist that day (created later, or deleted).
    Absent,
    Value(&'a str),
}

/// One record's moves within a week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Moved<'a> {
    pub id: i64,
    /// The value before the week's first change; `None` if created in it.
    pub from: Option<&'a str>,
    /// The value after the last change; `None` if deleted.
    pub to: Option<&'a str>,
    /// Every value it took in the week, in order.
    pub steps: Vec<&'a str>,
}

/// The logged values of each (record, field), in batch order.
pub(crate) struct Timeline<'a> {
    values: HashMap<(RecordKey, &'a str), Vec<&'a LoggedValue>>,
}

impl<'a> Timeline<'a> {
    pub fn new(history: &'a [LoggedValue]) -> Self {
        let mut values: HashMap<(RecordKey, &'a str), Vec<&'a LoggedValue>> = HashMap::new();
        for logged in history {
            values
                .entry((logged.record, logged.field.as_str()))
                .or_default()
                .push(logged);
        }
        for list in values.values_mut() {
            list.sort_by_key(|l| l.batch);
        }
        Self { values }
    }

    /// `field` of `record` at the end of `day`.
    pub fn on(&self, record: RecordKey, field: &'static str, day: NaiveDate) -> Logged<'a> {
        let Some(list) = self.values.get(&(record, field)) else {
            return Logged::Unlogged;
        };
        match list.iter().rev().find(|l| l.day <= day) {
            Some(LoggedValue { new: Some(v), .. }) => Logged::Value(v.as_str()),
            _ => Logged::Absent,
        }
    }

    /// Records of `kind` whose `field` changed during `week`, in the order
    /// of their first change.
    pub fn moves(&self, kind: RecordKind, field: &'static str, week: &Week) -> Vec<Moved<'a>> {
        let mut moved: Vec<(i64, Moved<'a>)> = Vec::new();
        for ((record, f), list) in &self.values {
            if record.kind != kind || *f != field {
                continue;
            }
            let in_week: Vec<&&LoggedValue> =
                list.iter().filter(|l| week.contains(l.day)).collect();
            let (Some(first), Some(last)) = (in_week.first(), in_week.last()) else {
                continue;
            };
            moved.push((
                first.batch,
                Moved {
                    id: record.id,
                    from: first.old.as_deref(),
                    to: last.new.as_deref(),
                    steps: in_week.iter().filter_map(|l| l.new.as_deref()).collect(),
                },
            ));
        }
        moved.sort_by_key(|(batch, m)| (*batch, m.id));
        moved.into_iter().map(|(_, m)| m).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("valid test date")
    }

    fn logged(id: i64, batch: i64, on: u32, old: Option<&str>, new: Option<&str>) -> LoggedValue {
        LoggedValue {
            record: RecordKey::new(RecordKind::Backlog, id),
            field: "status".into(),
            batch,
            day: day(on),
            old: old.map(str::to_string),
            new: new.map(str::to_string),
        }
    }

    #[test]
    fn values_stand_as_of_the_end_of_a_day() {
        let history = [
            logged(1, 1, 2, None, Some("backlog")),
            logged(1, 5, 10, Some("backlog"), Some("testing")),
            logged(1, 6, 10, Some("testing"), None),
        ];
        let timeline = Timeline::new(&history);
        let h1 = RecordKey::new(RecordKind::Backlog, 1);
        assert_eq!(timeline.on(h1, "status", day(1)), Logged::Absent);
        assert_eq!(timeline.on(h1, "status", day(9)), Logged::Value("backlog"));
        assert_eq!(
            timeline.on(h1, "status", day(10)),
            Logged::Absent,
            "deleted"
        );
        let h2 = RecordKey::new(RecordKind::Backlog, 2);
        assert_eq!(timeline.on(h2, "status", day(9)), Logged::Unlogged);
    }

    #[test]
    fn an_item_that_moved_twice_is_one_move_with_two_steps() {
        let week = Week::containing(day(18), Weekday::Mon);
        let history = [
            logged(1, 1, 2, None, Some("testing")),
            logged(1, 7, 17, Some("testing"), Some("validated")),
            logged(2, 8, 18, None, Some("backlog")),
            logged(1, 9, 19, Some("validated"), Some("testing")),
            logged(3, 10, 23, Some("backlog"), Some("testing")),
        ];
        let moves = Timeline::new(&history).moves(RecordKind::Backlog, "status", &week);
        assert_eq!(
            moves,
            vec![
                Moved {
                    id: 1,
                    from: Some("testing"),
                    to: Some("testing"),
                    steps: vec!["validated", "testing"],
                },
                Moved {
                    id: 2,
                    from: None,
                    to: Some("backlog"),
                    steps: vec!["backlog"],
                },
            ]
        );
    }
}
