//! Day/month order settled by the workspace: when the stored date of some
//! row equals exactly one reading of its ambiguous cell (an unedited date a
//! spreadsheet re-rendered), that reading's order holds for the column —
//! unless another row votes for the other order. One rule, counted here
//! for the whole-text planner and for the store's streamed engine alike.

use std::collections::HashMap;

use crate::sheet::cell::DateOrder;
use crate::sheet::parse::AmbiguousDate;
use crate::sheet::schema::Value;

/// Votes per schema column: (month first, day first).
#[derive(Debug, Default, Clone)]
pub struct DateVotes(HashMap<usize, (usize, usize)>);

impl DateVotes {
    /// Counts which reading of `a` the `stored` value of its record matches.
    pub fn add(&mut self, a: &AmbiguousDate, stored: Option<&Value>) {
        let entry = self.0.entry(a.column).or_default();
        match stored {
            Some(Value::Date(d)) if *d == a.month_first => entry.0 += 1,
            Some(Value::Date(d)) if *d == a.day_first => entry.1 += 1,
            _ => {}
        }
    }

    /// The order the votes settle `column` in, if they do.
    pub fn order(&self, column: usize) -> Option<DateOrder> {
        match self.0.get(&column) {
            Some(&(m, 0)) if m > 0 => Some(DateOrder::MonthFirst),
            Some(&(0, d)) if d > 0 => Some(DateOrder::DayFirst),
            _ => None,
        }
    }

    /// Every column the votes settle, and how.
    pub fn settled(&self) -> Vec<(usize, DateOrder)> {
        let mut out: Vec<(usize, DateOrder)> = self
            .0
            .keys()
            .filter_map(|&c| self.order(c).map(|o| (c, o)))
            .collect();
        out.sort_by_key(|(c, _)| *c);
        out
    }
}
