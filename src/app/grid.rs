//! The Data grid's state: the ordered entry ids the filter keeps, the
//! cell cursor (row and field column), the horizontal scroll, and the rows
//! of the visible window only. Moving reads one window (a keyed `IN`
//! query), whatever the depth; ids are re-read only when the filter, the
//! sort or the set of rows changes.

use crate::app::layout::{columns_that_fit, grid_split};
use crate::domain::entry::CellValue;
use crate::domain::{Field, FieldType, value};
use crate::review::{Week, weekly_series};
use crate::store::{ColumnSummary, GridQuery, GridRow, Result, Store};

/// Weeks the selected customer's sparkline covers.
pub const SPARK_WEEKS: usize = 16;
/// Widest a field column grows to fit its content.
const WIDEST_COLUMN: usize = 24;
/// Widest the frozen customer column grows.
pub const CUSTOMER_WIDTH: u16 = 20;
/// The frozen date column.
pub const DATE_WIDTH: u16 = 10;

/// The selected customer's weekly values of the selected field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spark {
    pub customer: String,
    /// The day of the row it was read for (its last week is that row's).
    pub until: Option<chrono::NaiveDate>,
    pub field: String,
    pub first_week: String,
    pub last_week: String,
    pub series: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Default)]
pub struct GridPane {
    pub query: GridQuery,
    /// The fields shown as columns: every field not archived, in order.
    pub fields: Vec<Field>,
    pub ids: Vec<i64>,
    pub row: usize,
    pub offset: usize,
    /// The cursor's field column, and the first field column shown.
    pub col: usize,
    pub col_offset: usize,
    pub window: Vec<GridRow>,
    /// Each field's summary, read when its column is first shown (and
    /// again after the filter or its values change).
    pub summaries: Vec<Option<ColumnSummary>>,
    pub widths: Vec<u16>,
    pub spark: Spark,
    /// Whether `ids` are read (the grid loads when first shown).
    pub loaded: bool,
    /// The row (or the week's rows) being entered as one batch.
    pub session: Option<super::grid_entry::Session>,
    /// The column a run of `Tab`s began in: `Enter` goes back to it on
    /// the next row, as in a spreadsheet.
    pub tab_from: Option<usize>,
}

impl GridPane {
    pub fn selected_row(&self) -> Option<&GridRow> {
        self.row
            .checked_sub(self.offset)
            .and_then(|i| self.window.get(i))
    }

    pub fn selected_field(&self) -> Option<&Field> {
        self.fields.get(self.col)
    }

    /// The value under the cursor.
    pub fn selected_value(&self) -> Option<&CellValue> {
        self.selected_row()
            .and_then(|r| r.values.get(self.col))
            .and_then(Option::as_ref)
    }

    /// The value in the cursor's column one row up, if that row is shown.
    pub fn value_above(&self) -> Option<Option<CellValue>> {
        let i = self.row.checked_sub(self.offset)?.checked_sub(1)?;
        self.window
            .get(i)
            .and_then(|r| r.values.get(self.col).cloned())
    }

    /// Moves the cell cursor (clamped) and scrolls both ways so it shows.
    pub fn go(&mut self, row: usize, col: usize, size: (u16, u16)) {
        let height = grid_split(size.1).data_rows;
        self.row = row.min(self.ids.len().saturating_sub(1));
        if self.row < self.offset {
            self.offset = self.row;
        } else if self.row >= self.offset + height {
            self.offset = self.row + 1 - height;
        }
        self.offset = self.offset.min(self.ids.len().saturating_sub(height));
        self.col = col.min(self.fields.len().saturating_sub(1));
        let room = field_room(size.0);
        if self.col < self.col_offset {
            self.col_offset = self.col;
        }
        while self.col_offset < self.col
            && self.col >= self.col_offset + columns_that_fit(&self.widths, self.col_offset, room)
        {
            self.col_offset += 1;
        }
    }

    fn window_ids(&self, height: usize) -> &[i64] {
        let end = (self.offset + height).min(self.ids.len());
        &self.ids[self.offset.min(end)..end]
    }
}

/// Cells left for field columns beside the frozen customer and date.
pub fn field_room(width: u16) -> u16 {
    width.saturating_sub(2 + CUSTOMER_WIDTH + 1 + DATE_WIDTH + 1)
}

/// A column's width: its label, and its widest value as the summary saw it.
fn width(field: &Field, summary: Option<&ColumnSummary>) -> u16 {
    let shown = |v: &Option<CellValue>| {
        v.as_ref()
            .map_or(0, |v| value::display(field.field_type, v).chars().count())
    };
    let content = match field.field_type {
        FieldType::Boolean => 3,
        FieldType::Date => 10,
        FieldType::Choice => field
            .options
            .iter()
            .map(|o| o.chars().count())
            .max()
            .unwrap_or(4),
        FieldType::Text => summary.map_or(8, |s| s.widest),
        FieldType::Integer | FieldType::Decimal | FieldType::Percent => {
            summary.map_or(4, |s| shown(&s.min).max(shown(&s.max)).max(4))
        }
    };
    let label = field.label.chars().count();
    u16::try_from(content.max(label).clamp(3, WIDEST_COLUMN)).unwrap_or(8)
}

/// Re-reads everything the grid shows: fields, ids, summaries, window.
/// The cursor stays on its entry when it still shows.
pub fn reload(grid: &mut GridPane, store: &Store, size: (u16, u16)) -> Result<()> {
    let keep = grid.selected_row().map(|r| r.id);
    let field_id = grid.selected_field().map(|f| f.id);
    grid.fields = store
        .fields()?
        .into_iter()
        .filter(|f| !f.archived)
        .collect();
    grid.ids = store.grid_ids(&grid.query)?;
    grid.loaded = true;
    // Values may have changed: the sparkline and the summaries are read
    // again as they show.
    grid.spark = Spark::default();
    grid.summaries = vec![None; grid.fields.len()];
    let row = keep
        .and_then(|id| grid.ids.iter().position(|x| *x == id))
        .unwrap_or(grid.row);
    let col = field_id
        .and_then(|id| grid.fields.iter().position(|f| f.id == id))
        .unwrap_or(grid.col);
    grid.go(row, col, size);
    window(grid, store, size)
}

/// Sets the widths from the summaries read so far (a column's width can
/// change once, when its summary arrives).
fn set_widths(grid: &mut GridPane) {
    grid.summaries.resize(grid.fields.len(), None);
    grid.widths = grid
        .fields
        .iter()
        .zip(&grid.summaries)
        .map(|(f, s)| width(f, s.as_ref()))
        .collect();
}

/// Work for idle time: reads one column summary not read yet, the shown
/// columns first. A summary is a full scan (~30 ms on 100,000 rows), so it
/// is never read while a key waits: the terminal loop calls this when no
/// input came. Returns whether more remain.
pub fn summarize_one(grid: &mut GridPane, store: &Store, size: (u16, u16)) -> Result<bool> {
    if !grid.loaded || grid.ids.is_empty() {
        return Ok(false);
    }
    set_widths(grid);
    let shown = grid.col_offset
        ..grid.col_offset + columns_that_fit(&grid.widths, grid.col_offset, field_room(size.0));
    let missing = |g: &GridPane, i: usize| g.summaries.get(i).is_some_and(Option::is_none);
    let next = shown
        .clone()
        .find(|i| missing(grid, *i))
        .or_else(|| (0..grid.fields.len()).find(|i| missing(grid, *i)));
    let Some(next) = next else {
        return Ok(false);
    };
    grid.summaries[next] = Some(store.grid_summary(&grid.query.filter, &grid.fields[next])?);
    set_widths(grid);
    grid.go(grid.row, grid.col, size);
    Ok((0..grid.fields.len()).any(|i| missing(grid, i)))
}

/// Forgets one column's summary (its values changed), so it is read again.
pub fn forget_summary(grid: &mut GridPane, col: usize) {
    if let Some(s) = grid.summaries.get_mut(col) {
        *s = None;
    }
}

/// Moves the cursor to (`row`, `col`) and reads what then shows.
pub fn go_and_read(state: &mut super::state::State, store: &Store, row: usize, col: usize) {
    let size = state.size;
    state.grid.go(row, col, size);
    if let Err(err) = window(&mut state.grid, store, size) {
        state.error(err.to_string());
    }
}

/// Reads the rows of the visible window and the selected customer's
/// sparkline (after a move).
pub fn window(grid: &mut GridPane, store: &Store, size: (u16, u16)) -> Result<()> {
    let height = grid_split(size.1).data_rows;
    set_widths(grid);
    grid.go(grid.row, grid.col, size);
    grid.window = store.grid_rows(grid.window_ids(height), &grid.fields)?;
    spark(grid, store)
}

/// The sparkline of the selected customer and field, re-read only when
/// either changed.
fn spark(grid: &mut GridPane, store: &Store) -> Result<()> {
    let (Some(row), Some(field)) = (grid.selected_row(), grid.selected_field()) else {
        grid.spark = Spark::default();
        return Ok(());
    };
    if grid.spark.customer == row.customer
        && grid.spark.field == field.label
        && grid.spark.until == Some(row.recorded_on)
    {
        return Ok(());
    }
    let mut spark = series(store, field, Some(row.customer_id), row.recorded_on)?;
    spark.customer.clone_from(&row.customer);
    spark.until = Some(row.recorded_on);
    grid.spark = spark;
    Ok(())
}

/// A field's weekly values up to the week of `until` (of one customer, or
/// of everyone), a week with no value being a gap.
pub fn series(
    store: &Store,
    field: &Field,
    customer: Option<i64>,
    until: chrono::NaiveDate,
) -> Result<Spark> {
    let last = Week::containing(until, store.week_start()?);
    let weeks: Vec<Week> = (0..SPARK_WEEKS as i64)
        .rev()
        .map(|back| last.shifted(-back))
        .collect();
    let from = weeks.first().map_or(until, Week::start);
    let facts = store.field_facts(field, customer, from, last.end())?;
    Ok(Spark {
        customer: String::new(),
        until: None,
        field: field.label.clone(),
        first_week: weeks.first().map(Week::label).unwrap_or_default(),
        last_week: last.label(),
        series: weekly_series(field, &facts, &weeks),
    })
}
