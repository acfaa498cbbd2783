//! Every entry's place in the grid, in memory: (id, day, customer rank)
//! for all entries, 16 bytes each, read once per change of the data
//! (`Store::data_stamp`) in the grid's default order. A filter keystroke
//! then keeps the rows whose customer and day pass (the customer words are
//! matched against the customers in SQL first) and, for the other date
//! and customer orders, sorts integers.

use super::GridSort;
use crate::domain::dates::parse_iso;
use crate::store::db::args;
use crate::store::{DataStamp, Result, Store};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy)]
struct Place {
    id: i64,
    /// `yyyymmdd`, ordered as the ISO text is.
    day: u32,
    /// The customer's place in name order.
    rank: u32,
}

/// Every entry's id, day and customer.
const PLACES: &str = "SELECT id, recorded_on, customer_id FROM entries";

/// The grid's entries, newest day first, then customer name, then id.
#[derive(Debug)]
pub(crate) struct GridBase {
    pub stamp: DataStamp,
    places: Vec<Place>,
    /// Customer id → rank.
    ranks: HashMap<i64, u32>,
}

fn day_number(day: NaiveDate) -> u32 {
    let year = u32::try_from(day.year()).unwrap_or(0);
    year * 10_000 + day.month() * 100 + day.day()
}

/// `YYYY-MM-DD` as `yyyymmdd`, read digit by digit (100,000 of them per
/// load); `None` for any other shape.
fn iso_day_number(text: &str) -> Option<u32> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let mut n = 0u32;
    for &c in b[0..4].iter().chain(&b[5..7]).chain(&b[8..10]) {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

impl GridBase {
    /// Reads every entry's id, day and customer (a covering index scan).
    pub fn load(store: &Store, stamp: DataStamp) -> Result<Self> {
        let db = store.db();
        let sql = format!(
            "SELECT id FROM customers ORDER BY {}, id",
            db.dialect().nocase("name")
        );
        let mut ranks = HashMap::new();
        db.for_each(&sql, args![], |r| {
            let rank = u32::try_from(ranks.len()).unwrap_or(u32::MAX);
            ranks.insert(r.get::<i64>(0)?, rank);
            Ok(())
        })?;
        let mut places = Vec::new();
        let mut place = |id: i64, text: &str, customer: i64| {
            let day = iso_day_number(text)
                // A day that is not ISO text sorts first, as text would not.
                .unwrap_or_else(|| parse_iso(text).map_or(0, day_number));
            places.push(Place {
                id,
                day,
                rank: ranks.get(&customer).copied().unwrap_or(0),
            });
        };
        if let Some(conn) = db.sqlite() {
            // The day is read in place, not copied: 100,000 rows per load.
            let mut stmt = conn.prepare_cached(PLACES)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let text = row.get_ref(1)?.as_str().unwrap_or_default();
                place(row.get(0)?, text, row.get(2)?);
            }
        } else {
            db.for_each(PLACES, args![], |r| {
                place(r.get(0)?, &r.get::<String>(1)?, r.get(2)?);
                Ok(())
            })?;
        }
        places.sort_unstable_by(|a, b| {
            b.day
                .cmp(&a.day)
                .then(a.rank.cmp(&b.rank))
                .then(a.id.cmp(&b.id))
        });
        Ok(GridBase {
            stamp,
            places,
            ranks,
        })
    }

    /// The ids kept by `customers` (all when `None`) and the day bounds,
    /// in `sort`'s order (a field's order is not sorted here).
    pub fn select(
        &self,
        customers: Option<&[i64]>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        sort: GridSort,
    ) -> Vec<i64> {
        let allowed: Option<Vec<bool>> = customers.map(|ids| {
            let mut allowed = vec![false; self.ranks.len().max(1)];
            for id in ids {
                if let Some(&rank) = self.ranks.get(id) {
                    allowed[rank as usize] = true;
                }
            }
            allowed
        });
        let (from, to) = (from.map(day_number), to.map(day_number));
        let mut kept: Vec<Place> = self
            .places
            .iter()
            .filter(|p| {
                from.is_none_or(|f| p.day >= f)
                    && to.is_none_or(|t| p.day <= t)
                    && allowed
                        .as_ref()
                        .is_none_or(|a| a.get(p.rank as usize).copied().unwrap_or(false))
            })
            .copied()
            .collect();
        match sort {
            GridSort::Customer { descending } => kept.sort_unstable_by(|a, b| {
                let by_name = if descending {
                    b.rank.cmp(&a.rank)
                } else {
                    a.rank.cmp(&b.rank)
                };
                by_name.then(b.day.cmp(&a.day)).then(a.id.cmp(&b.id))
            }),
            GridSort::Date { descending: false } => kept.sort_unstable_by(|a, b| {
                a.day
                    .cmp(&b.day)
                    .then(a.rank.cmp(&b.rank))
                    .then(a.id.cmp(&b.id))
            }),
            GridSort::Newest | GridSort::Date { descending: true } | GridSort::Field { .. } => {}
        }
        kept.into_iter().map(|p| p.id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_by_hand_equal_the_parsed_ones() {
        for text in ["2026-11-21", "0999-01-31", "2024-02-29"] {
            let parsed = parse_iso(text).map(day_number);
            assert_eq!(iso_day_number(text), parsed, "{text}");
        }
        assert_eq!(iso_day_number("2026-1-21"), None);
        assert_eq!(iso_day_number("2026/11/21"), None);
    }
}
