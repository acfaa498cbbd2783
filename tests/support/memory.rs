//! An in-memory workspace for tests: current rows plus rev snapshots.

use std::collections::HashMap;

use concierge::sheet::{Existing, Value};

/// Rows by id in insertion order, with optional older snapshots.
#[derive(Debug, Default, Clone)]
pub struct Memory {
    pub order: Vec<String>,
    pub rows: HashMap<String, (i64, Vec<Value>)>,
    pub snapshots: HashMap<(String, i64), Vec<Value>>,
}

impl Memory {
    pub fn insert(&mut self, id: &str, rev: i64, values: Vec<Value>) {
        if !self.rows.contains_key(id) {
            self.order.push(id.to_owned());
        }
        self.rows.insert(id.to_owned(), (rev, values));
    }

    pub fn snapshot(&mut self, id: &str, rev: i64, values: Vec<Value>) {
        self.snapshots.insert((id.to_owned(), rev), values);
    }

    /// Rows as `write_csv` takes them.
    pub fn export_rows(&self) -> Vec<(String, Vec<Value>, i64)> {
        self.order
            .iter()
            .filter_map(|id| {
                let (rev, values) = self.rows.get(id)?;
                Some((id.clone(), values.clone(), *rev))
            })
            .collect()
    }
}

impl Existing for Memory {
    fn current(&self, id: &str) -> Option<(i64, Vec<Value>)> {
        self.rows.get(id).cloned()
    }

    fn at_rev(&self, id: &str, rev: i64) -> Option<Vec<Value>> {
        match self.rows.get(id) {
            Some((current, values)) if *current == rev => Some(values.clone()),
            _ => self.snapshots.get(&(id.to_owned(), rev)).cloned(),
        }
    }

    fn ids(&self) -> Vec<String> {
        self.order.clone()
    }
}
