//! The chart view: one field by week over the whole pane, opened from a
//! Data grid column (`Alt-c`) or a backlog item with a metric field (`c`).
//! Everything drawn is computed here, in `update`: the weeks, each line's
//! points split at the weeks without a value (a gap is never drawn as a
//! zero), the y range and the criterion's target. Drawing only reads it.

use crate::domain::{Field, FieldType, value};
use crate::review::{Aggregate, Week, aggregate_for, weekly_series_as};
use crate::store::{Result, Store};
use chrono::NaiveDate;

/// How many weeks back the chart reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    Weeks(usize),
    /// From the field's first entry.
    All,
}

impl Range {
    const CYCLE: [Range; 4] = [
        Range::Weeks(8),
        Range::Weeks(16),
        Range::Weeks(52),
        Range::All,
    ];

    pub fn label(self) -> String {
        match self {
            Range::Weeks(n) => format!("{n} weeks"),
            Range::All => "all weeks".into(),
        }
    }
}

/// The lines drawn besides the aggregate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// The aggregate over every customer only.
    None,
    /// One line per customer (with values in the range).
    Customers,
    /// One line per segment.
    Segments,
}

impl Split {
    pub fn label(self) -> &'static str {
        match self {
            Split::None => "all customers",
            Split::Customers => "per customer",
            Split::Segments => "per segment",
        }
    }
}

/// One drawn line: its runs of consecutive weeks with a value, as
/// `(week index, value)` points.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub name: String,
    pub runs: Vec<Vec<(f64, f64)>>,
    /// The weeks with a value, of all weeks shown.
    pub filled: usize,
}

/// What the chart view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartView {
    pub field: Field,
    pub aggregate: Aggregate,
    pub range: Range,
    pub split: Split,
    /// The item whose criterion gave the target, and that target.
    pub target: Option<(String, f64)>,
    /// The weeks along the x axis, oldest first (`2026-W40`).
    pub weeks: Vec<String>,
    /// The aggregate first, then one line per customer or segment.
    pub lines: Vec<Line>,
    /// The y axis: lowest and highest value drawn (the target included).
    pub y: (f64, f64),
    /// Where the view was opened, for `Esc`.
    pub until: NaiveDate,
}

/// The most lines besides the aggregate (colours and a legend stay
/// readable); the customers or segments with the most weeks win.
const MOST_LINES: usize = 8;

impl ChartView {
    /// The chart of `field` by week up to `until`'s week: 16 weeks of its
    /// type's aggregate, with `target` from an item's criterion.
    pub fn open(
        store: &Store,
        field: Field,
        target: Option<(String, f64)>,
        until: NaiveDate,
    ) -> Result<Self> {
        let mut view = ChartView {
            aggregate: aggregate_for(field.field_type),
            field,
            range: Range::Weeks(16),
            split: Split::None,
            target,
            weeks: Vec::new(),
            lines: Vec::new(),
            y: (0.0, 1.0),
            until,
        };
        view.read(store)?;
        Ok(view)
    }

    /// The aggregates this field's type allows, in the order `a` cycles.
    pub fn aggregates(field_type: FieldType) -> &'static [Aggregate] {
        match field_type {
            FieldType::Integer | FieldType::Decimal | FieldType::Percent => {
                &[Aggregate::Sum, Aggregate::Mean, Aggregate::Count]
            }
            FieldType::Boolean => &[Aggregate::ShareTrue, Aggregate::Count],
            FieldType::Text | FieldType::Date | FieldType::Choice => &[Aggregate::Count],
        }
    }

    pub fn next_aggregate(&mut self, store: &Store) -> Result<()> {
        self.aggregate = next(Self::aggregates(self.field.field_type), self.aggregate);
        self.read(store)
    }

    pub fn next_range(&mut self, store: &Store) -> Result<()> {
        self.range = next(&Range::CYCLE, self.range);
        self.read(store)
    }

    pub fn next_split(&mut self, store: &Store) -> Result<()> {
        self.split = next(
            &[Split::None, Split::Customers, Split::Segments],
            self.split,
        );
        self.read(store)
    }

    /// How a value on the y axis reads: `78%` for a percent mean, `3` for
    /// a count, with the field's unit for sums and means.
    pub fn show(&self, y: f64) -> String {
        match self.aggregate {
            Aggregate::ShareTrue => format!("{}%", (y * 100.0).round()),
            Aggregate::Count => format!("{}", y.round()),
            Aggregate::Sum | Aggregate::Mean => {
                let shown = value::display_number(self.field.field_type, y);
                if self.field.unit.is_empty() || self.field.field_type == FieldType::Percent {
                    shown
                } else {
                    format!("{shown} {}", self.field.unit)
                }
            }
        }
    }

    /// Reads the weeks and lines for the current settings.
    fn read(&mut self, store: &Store) -> Result<()> {
        let last = Week::containing(self.until, store.week_start()?);
        // Only the weeks shown are read; "all" reads from the beginning.
        let from = match self.range {
            Range::Weeks(n) => last.shifted(1 - i64::try_from(n).unwrap_or(1)).start(),
            Range::All => NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(self.until),
        };
        let facts = store.field_facts(&self.field, None, from, last.end())?;
        let count = match self.range {
            Range::Weeks(n) => n,
            Range::All => facts.first().map_or(1, |f| {
                let first = Week::containing(f.recorded_on, last.start_day());
                usize::try_from((last.start() - first.start()).num_weeks() + 1).unwrap_or(1)
            }),
        };
        let weeks: Vec<Week> = (0..i64::try_from(count).unwrap_or(1))
            .rev()
            .map(|back| last.shifted(-back))
            .collect();
        let series = |facts: &[crate::store::review::EntryFact]| {
            weekly_series_as(&self.field, self.aggregate, facts, &weeks)
        };
        let mut lines = vec![line("all customers", &series(&facts))];
        let groups: Vec<(String, Vec<i64>)> = match self.split {
            Split::None => Vec::new(),
            Split::Customers => store
                .customer_names()?
                .into_iter()
                .map(|(id, name)| (name, vec![id]))
                .collect(),
            Split::Segments => segments(store.customer_segments()?),
        };
        // Each customer's facts, gathered in one pass.
        let mut by_customer: std::collections::HashMap<i64, Vec<crate::store::review::EntryFact>> =
            std::collections::HashMap::new();
        if !groups.is_empty() {
            for f in &facts {
                by_customer
                    .entry(f.customer_id)
                    .or_default()
                    .push(f.clone());
            }
        }
        let mut split: Vec<Line> = groups
            .into_iter()
            .map(|(name, ids)| {
                let theirs: Vec<_> = ids
                    .iter()
                    .filter_map(|id| by_customer.get(id))
                    .flatten()
                    .cloned()
                    .collect();
                line(&name, &series(&theirs))
            })
            .filter(|l| l.filled > 0)
            .collect();
        split.sort_by(|a, b| b.filled.cmp(&a.filled).then_with(|| a.name.cmp(&b.name)));
        split.truncate(MOST_LINES);
        lines.extend(split);
        self.y = y_range(&lines, self.target.as_ref().map(|t| t.1));
        self.weeks = weeks.iter().map(Week::label).collect();
        self.lines = lines;
        Ok(())
    }
}

fn next<T: Copy + PartialEq>(cycle: &[T], now: T) -> T {
    let at = cycle.iter().position(|c| *c == now).unwrap_or(0);
    cycle
        .get((at + 1) % cycle.len().max(1))
        .copied()
        .unwrap_or(now)
}

/// Customers grouped by segment (an empty segment is "no segment").
fn segments(customers: Vec<(i64, String, String)>) -> Vec<(String, Vec<i64>)> {
    let mut groups: Vec<(String, Vec<i64>)> = Vec::new();
    for (id, _, segment) in customers {
        let name = if segment.trim().is_empty() {
            "no segment".to_string()
        } else {
            segment.trim().to_string()
        };
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, ids)) => ids.push(id),
            None => groups.push((name, vec![id])),
        }
    }
    groups
}

/// A series as runs of consecutive weeks with values.
fn line(name: &str, series: &[Option<f64>]) -> Line {
    Line {
        name: name.to_string(),
        filled: series.iter().flatten().count(),
        runs: crate::review::runs(series),
    }
}

/// The y axis's bounds: every value drawn and the target, a little room
/// above and below, and zero when the values sit close to it.
fn y_range(lines: &[Line], target: Option<f64>) -> (f64, f64) {
    let values: Vec<f64> = lines
        .iter()
        .flat_map(|l| l.runs.iter().flatten().map(|p| p.1))
        .chain(target)
        .collect();
    let (Some(lo), Some(hi)) = (
        values.iter().copied().reduce(f64::min),
        values.iter().copied().reduce(f64::max),
    ) else {
        return (0.0, 1.0);
    };
    let lo = if lo >= 0.0 && lo <= (hi - lo) {
        0.0
    } else {
        lo
    };
    let pad = ((hi - lo) * 0.08).max(if hi.abs() > 0.0 { hi.abs() * 0.05 } else { 1.0 });
    (lo - if lo == 0.0 { 0.0 } else { pad }, hi + pad)
}

/// The number a criterion sets as the target for `field`, if it states
/// one: the first number in "We are right if on-time stays ≥ 80%" is 0.8
/// for a percent field (80 for others).
pub fn target_of(criterion: &str, field: &Field) -> Option<f64> {
    let start = criterion.find(|c: char| c.is_ascii_digit())?;
    let rest = &criterion[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let number: f64 = rest[..end].trim_end_matches('.').parse().ok()?;
    let percent_sign = rest[end..].trim_start().starts_with('%');
    Some(
        if field.field_type == FieldType::Percent && (percent_sign || number > 1.0) {
            number / 100.0
        } else {
            number
        },
    )
}

/// `Alt-c` on the grid (the cursor's column) or `c` on a backlog item
/// (its metric field, with its criterion as the target): opens the view.
pub fn open(state: &mut super::state::State, store: &Store) {
    use super::action::Pane;
    let today = state.today;
    let (field, target) = match state.pane {
        Pane::Data => match state.grid.selected_field() {
            Some(f) => (f.clone(), None),
            None => return state.error("no fields yet: Alt-f opens the field editor"),
        },
        Pane::Backlog => {
            let Some(row) = state.backlog.selected_row() else {
                return state.error("no backlog item selected");
            };
            let key =
                crate::domain::RecordKey::new(crate::domain::RecordKind::Backlog, row.item.id);
            let Some(id) = row.item.metric_field else {
                return state.error(format!(
                    "{key} has no metric field to chart: e edits it to name one"
                ));
            };
            let field = match store.field(id) {
                Ok(f) => f,
                Err(err) => return state.error(err.to_string()),
            };
            let target = target_of(&row.item.criterion, &field).map(|t| (key.to_string(), t));
            (field, target)
        }
        _ => return,
    };
    match ChartView::open(store, field, target, today) {
        Ok(view) => state.mode = super::state::Mode::Chart(Box::new(view)),
        Err(err) => state.error(err.to_string()),
    }
}

/// Keys in the chart view.
pub fn mode(
    state: &mut super::state::State,
    mut view: Box<ChartView>,
    action: &super::action::Action,
    store: &Store,
) {
    use super::action::Action;
    let result = match action {
        Action::Cancel => return,
        Action::ChartAggregate => view.next_aggregate(store),
        Action::ChartRange => view.next_range(store),
        Action::ChartSplit => view.next_split(store),
        _ => Ok(()),
    };
    if let Err(err) = result {
        state.error(err.to_string());
    }
    state.mode = super::state::Mode::Chart(view);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_without_a_value_splits_the_line() {
        let l = line("x", &[Some(1.0), Some(2.0), None, Some(4.0), None, None]);
        assert_eq!(l.runs, vec![vec![(0.0, 1.0), (1.0, 2.0)], vec![(3.0, 4.0)]]);
        assert_eq!(l.filled, 3);
        assert!(line("x", &[None, None]).runs.is_empty());
    }

    #[test]
    fn a_criterion_gives_the_first_number_as_the_target() {
        let mut f = Field::new("on_time", "On-time", FieldType::Percent);
        assert_eq!(
            target_of("We are right if on-time reaches 80% by W50", &f),
            Some(0.8)
        );
        assert_eq!(target_of("at least 0.75", &f), Some(0.75));
        f.field_type = FieldType::Integer;
        assert_eq!(target_of("≥ 12 submittals a week", &f), Some(12.0));
        assert_eq!(target_of("supers like it", &f), None);
    }

    #[test]
    fn the_y_axis_holds_every_value_and_the_target() {
        let lines = vec![line("a", &[Some(10.0), Some(30.0)])];
        let (lo, hi) = y_range(&lines, Some(40.0));
        assert!(lo <= 0.0 && hi >= 40.0, "{lo}..{hi}");
        let (lo, hi) = y_range(&[line("b", &[Some(100.0), Some(104.0)])], None);
        assert!(lo > 0.0 && lo < 100.0 && hi > 104.0, "{lo}..{hi}");
    }
}
