//! Entering values on the Data grid: where a stored value goes, where the
//! cursor goes next, and how a row (or the week's rows) entered cell by
//! cell becomes one batch. Invariants: every stored value shows at once
//! (its column summary and the customer's sparkline are brought up to
//! date before the next frame), and the cursor stays on the rows being
//! filled — it never wanders into an older row by itself.

use super::grid::{self, GridPane};
use super::state::State;
use super::update::after_write;
use crate::domain::entry::CellValue;
use crate::domain::{Field, FieldType, RecordKey, RecordKind, value};
use crate::review::Week;
use crate::store::{ColumnSummary, Store, StoreError};

/// Values being entered as one batch: one row, or the week's rows added
/// by [`enter_week`]. Cells stored on these rows join `batch` (the store
/// opens a new one if anything else was written since).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    pub batch: Option<i64>,
    /// The entry ids being filled.
    pub rows: Vec<i64>,
    /// The label a new batch for these rows gets.
    pub label: String,
}

/// Where the cursor goes after a value is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// `Enter`/`↓`: down; while the week's rows are filled, the next of
    /// them at the column the row was begun in.
    Down,
    Up,
    /// `Tab` (and a picked choice): right; from the last field, the next
    /// row being filled, else stay.
    Right,
    Left,
    /// Stay on the cell.
    Stay,
}

/// Why a value was not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotStored {
    /// Refused, with the reason (already on the status line).
    Refused(String),
    /// Another program holds the workspace's lock and the caller asked
    /// not to wait (so it can say it is waiting first).
    Locked,
}

/// Stores one cell (its value already checked against the field) as part
/// of the row or week being entered, then moves the cursor as `then`
/// says. On a refusal, says why and returns it (the editor stays open).
/// With `wait` false a lock held by another program is not waited for:
/// `NotStored::Locked` comes back at once and nothing is said.
pub fn store_or_wait(
    state: &mut State,
    store: &mut Store,
    at: (i64, i64),
    field: &Field,
    new: Option<&CellValue>,
    then: Then,
    wait: bool,
) -> Result<(), NotStored> {
    let (entry, rev) = at;
    let key = RecordKey::new(RecordKind::Entry, entry);
    let old = old_value(&state.grid, entry, field.id);
    let (into, label) = batch_for(&state.grid, entry);
    let shown = new.map_or_else(
        || "empty".to_string(),
        |v| value::display(field.field_type, v),
    );
    let written = store
        .wait_for_locks(wait)
        .and_then(|()| store.set_cell_into(into, &label, entry, Some(rev), field, new));
    if !wait {
        let _ = store.wait_for_locks(true);
    }
    match written {
        Ok(batch) => {
            let text = match batch {
                Some(b) => format!("{key} {} = {shown} (batch {b}); Ctrl-z undoes", field.label),
                None => format!("{key} {} unchanged", field.label),
            };
            if let Some(b) = batch {
                joined(&mut state.grid, entry, b, label);
            }
            shown_at_once(&mut state.grid, field, old.as_ref(), new);
            super::update::after_cell_write(state, store, Ok(text));
            go_on(state, store, entry, then);
            Ok(())
        }
        Err(StoreError::Locked) if !wait => Err(NotStored::Locked),
        Err(err) => {
            let reason = match err {
                StoreError::Conflict { .. } => {
                    "someone else changed this row since; it is re-read: Enter again overwrites"
                        .to_string()
                }
                other => other.to_string(),
            };
            after_write(state, store, Err(StoreError::Refused(reason.clone())));
            if let Err(e) = grid::reload(&mut state.grid, store, state.size) {
                state.error(e.to_string());
            }
            Err(NotStored::Refused(reason))
        }
    }
}

/// [`store_or_wait`], waiting for another program's lock as long as the
/// store's busy timeout allows.
pub fn store(
    state: &mut State,
    store: &mut Store,
    at: (i64, i64),
    field: &Field,
    new: Option<&CellValue>,
    then: Then,
) -> Result<(), NotStored> {
    store_or_wait(state, store, at, field, new, then, true)
}

/// The batch a value stored on `entry` joins, and the label a new one
/// gets: the session's while the entry is one of its rows.
fn batch_for(g: &GridPane, entry: i64) -> (Option<i64>, String) {
    match &g.session {
        Some(s) if s.rows.contains(&entry) => (s.batch, s.label.clone()),
        _ => {
            let day = g
                .window
                .iter()
                .find(|r| r.id == entry)
                .map(|r| r.recorded_on.to_string())
                .unwrap_or_default();
            (None, format!("enter data for {day}"))
        }
    }
}

/// Records that `batch` now holds values of `entry`.
fn joined(g: &mut GridPane, entry: i64, batch: i64, label: String) {
    match &mut g.session {
        Some(s) if s.rows.contains(&entry) => s.batch = Some(batch),
        _ => {
            g.session = Some(Session {
                batch: Some(batch),
                rows: vec![entry],
                label,
            });
        }
    }
}

fn old_value(g: &GridPane, entry: i64, field: i64) -> Option<CellValue> {
    let col = g.fields.iter().position(|f| f.id == field)?;
    g.window
        .iter()
        .find(|r| r.id == entry)
        .and_then(|r| r.values.get(col).cloned())
        .flatten()
}

/// Brings the column summary and the sparkline up to date with one
/// changed value. A summary is adjusted in place when that is exact; when
/// the old value was its minimum or maximum it is read again.
fn shown_at_once(
    g: &mut GridPane,
    field: &Field,
    old: Option<&CellValue>,
    new: Option<&CellValue>,
) {
    g.spark = grid::Spark::default();
    let Some(col) = g.fields.iter().position(|f| f.id == field.id) else {
        return;
    };
    let adjusted = g
        .summaries
        .get(col)
        .cloned()
        .flatten()
        .and_then(|s| summary_after(&s, field.field_type, old, new));
    match adjusted {
        Some(s) => g.summaries[col] = Some(s),
        None => grid::forget_summary(g, col),
    }
}

/// A column summary after one value changed from `old` to `new`, or
/// `None` when it cannot be known without reading the column again (the
/// value that left was the minimum or the maximum).
pub fn summary_after(
    s: &ColumnSummary,
    field_type: FieldType,
    old: Option<&CellValue>,
    new: Option<&CellValue>,
) -> Option<ColumnSummary> {
    if old == new {
        return Some(s.clone());
    }
    let mut out = s.clone();
    out.count = s.count - i64::from(old.is_some()) + i64::from(new.is_some());
    if field_type == FieldType::Text {
        let len = |v: Option<&CellValue>| match v {
            Some(CellValue::Text(t)) => t.chars().count(),
            _ => 0,
        };
        // Only the column width reads it: a shorter value leaves it wide.
        out.widest = s.widest.max(len(new));
        return Some(out);
    }
    if field_type == FieldType::Choice {
        return Some(out);
    }
    let rank = |v: &CellValue| match v {
        CellValue::Date(d) => Some(f64::from(chrono::Datelike::num_days_from_ce(d))),
        other => value::as_number(other),
    };
    if let Some(o) = old.and_then(rank) {
        let bound = |b: &Option<CellValue>| b.as_ref().and_then(rank) == Some(o);
        if bound(&s.min) || bound(&s.max) {
            return None;
        }
    }
    if let Some(n) = new.and_then(rank) {
        if s.min.as_ref().and_then(rank).is_none_or(|m| n < m) {
            out.min = new.cloned();
        }
        if s.max.as_ref().and_then(rank).is_none_or(|m| n > m) {
            out.max = new.cloned();
        }
    }
    if field_type != FieldType::Date {
        let sum = s.sum.unwrap_or(0.0) - old.and_then(value::as_number).unwrap_or(0.0)
            + new.and_then(value::as_number).unwrap_or(0.0);
        out.sum = (out.count > 0).then_some(sum);
        out.mean = out.sum.map(|sum| sum / out.count as f64);
    }
    Some(out)
}

/// Moves the cursor on from the stored cell of `entry`.
fn go_on(state: &mut State, store: &Store, entry: i64, then: Then) {
    let g = &state.grid;
    let Some(row) = g.ids.iter().position(|id| *id == entry) else {
        return;
    };
    let (col, last) = (g.col, g.fields.len().saturating_sub(1));
    let next_row = next_session_row(g, row);
    let (to, tab_from) = match then {
        Then::Stay => ((row, col), g.tab_from),
        Then::Up => ((row.saturating_sub(1), col), None),
        Then::Left => ((row, col.saturating_sub(1)), None),
        Then::Right if col < last => ((row, col + 1), Some(g.tab_from.unwrap_or(col))),
        Then::Right => {
            if let Some(next) = next_row {
                ((next, 0), None)
            } else {
                state.info(format!(
                    "{} stored: the last field of this row; ↓ or Ctrl-n for another",
                    RecordKey::new(RecordKind::Entry, entry)
                ));
                ((row, col), None)
            }
        }
        Then::Down => {
            let start = g.tab_from.unwrap_or(col);
            match (week_session(g), next_row) {
                (true, Some(next)) => ((next, start), None),
                (true, None) => ((row, col), None),
                (false, _) => ((row + 1, start), None),
            }
        }
    };
    grid::go_and_read(state, store, to.0, to.1);
    state.grid.tab_from = tab_from;
}

/// Whether the session fills several rows (the week), so `Enter` stays
/// among them.
fn week_session(g: &GridPane) -> bool {
    g.session.as_ref().is_some_and(|s| s.rows.len() > 1)
}

/// The next row down that the session fills, by position in the grid.
fn next_session_row(g: &GridPane, row: usize) -> Option<usize> {
    let session = g.session.as_ref()?;
    g.ids
        .iter()
        .enumerate()
        .skip(row + 1)
        .find(|(_, id)| session.rows.contains(id))
        .map(|(i, _)| i)
}

/// Ends the session when the cursor left its rows (the next value stored
/// elsewhere opens a batch of its own).
pub fn left_rows(g: &mut GridPane) {
    let on = g.selected_row().map(|r| r.id);
    if let Some(s) = &g.session
        && !on.is_some_and(|id| s.rows.contains(&id))
    {
        g.session = None;
    }
    g.tab_from = None;
}

/// `Alt-w`: adds this period's row for every active customer who has none
/// this week, as one batch that the values typed into them join, and
/// puts the cursor in the first empty cell.
pub fn enter_week(state: &mut State, store: &mut Store) {
    let today = state.today;
    let week = match store.week_start() {
        Ok(start) => Week::containing(today, start),
        Err(err) => return state.error(err.to_string()),
    };
    let missing = match store.active_without_entry(week.start(), week.end()) {
        Ok(m) => m,
        Err(err) => return state.error(err.to_string()),
    };
    let mut rows = Vec::new();
    for (customer, _) in &missing {
        match store.new_row_day(*customer) {
            Ok(day) => rows.push((*customer, day.max(week.start()).min(today))),
            Err(err) => return state.error(err.to_string()),
        }
    }
    let label = format!("enter data for {today}");
    let (ids, batch) = if rows.is_empty() {
        (Vec::new(), None)
    } else {
        match store.add_grid_rows(None, &label, &rows) {
            Ok(added) => added,
            Err(err) => return after_write(state, store, Err(err)),
        }
    };
    let filled = match store.active_entries_between(week.start(), week.end()) {
        Ok(all) => all,
        Err(err) => return state.error(err.to_string()),
    };
    let message = if ids.is_empty() {
        format!(
            "every active customer has a row in {}: the cursor is on the first empty cell",
            week.label()
        )
    } else {
        let s = if ids.len() == 1 { "" } else { "s" };
        format!(
            "added {} row{s} for {} (batch {}): type the values, Tab between them; Ctrl-z undoes the week",
            ids.len(),
            week.label(),
            batch.unwrap_or_default()
        )
    };
    after_write(state, store, Ok(message.clone()));
    state.grid.query.filter.clear();
    if let Err(err) = grid::reload(&mut state.grid, store, state.size) {
        return state.error(err.to_string());
    }
    state.grid.session = Some(Session {
        batch,
        rows: filled,
        label,
    });
    first_empty(state, store);
    state.info(message);
}

/// Puts the cursor in the first empty cell of the session's rows, in grid
/// order (the first cell of its first row when all are full).
fn first_empty(state: &mut State, store: &Store) {
    let Some(session) = state.grid.session.clone() else {
        return;
    };
    let rows: Vec<usize> = (0..state.grid.ids.len())
        .filter(|i| session.rows.contains(&state.grid.ids[*i]))
        .collect();
    let Some(first) = rows.first().copied() else {
        return;
    };
    for row in &rows {
        grid::go_and_read(state, store, *row, 0);
        if let Some(col) = state
            .grid
            .selected_row()
            .and_then(|r| r.values.iter().position(Option::is_none))
        {
            grid::go_and_read(state, store, *row, col);
            state.grid.session = Some(session);
            return;
        }
    }
    grid::go_and_read(state, store, first, 0);
    state.grid.session = Some(session);
}

/// How the text in a cell editor will be read, shown before it is stored:
/// `1` → `reads as 1%`, `0.5` → `reads as 50%`, `1,5` → `reads as 1.5`.
pub fn reading(field: &Field, text: &str, today: chrono::NaiveDate) -> String {
    match value::parse_typed(field, text, today) {
        Ok(Some(v)) => format!("reads as {}", value::display(field.field_type, &v)),
        Ok(None) => "empty: stores no value".to_string(),
        Err(reason) => format!("not yet: {reason}"),
    }
}
