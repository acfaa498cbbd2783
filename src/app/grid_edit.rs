//! What the keys do on the Data grid: move the cell cursor, edit a cell in
//! place (typing starts it; `Enter` commits and moves down, `Tab` right),
//! clear, fill down, toggle, pick a choice, add and delete rows, sort by a
//! column. Every committed cell is one store call, so one batch.

use super::action::Action;
use super::grid::{self, GridPane};
use super::grid_entry::{self, Then};
use super::state::{Choose, Confirm, Mode, Pending, Pick, PickFor, Prompt, State};
use super::update::after_write;
use crate::domain::entry::CellValue;
use crate::domain::{Field, FieldType, RecordKey, RecordKind, value};
use crate::store::{GridSort, Store};
use ratatui_textarea::{Key, TextArea};

/// A cell being edited: the text typed so far and, after a refused
/// commit, why.
#[derive(Debug, Clone)]
pub struct CellEdit {
    pub entry: i64,
    pub rev: i64,
    pub field: Field,
    pub input: TextArea<'static>,
    pub error: Option<String>,
    /// How the text typed so far will be read ("reads as 50%").
    pub reading: String,
    /// A store held back by another program's lock, to try again (and
    /// then wait) once the status line has said so.
    pub waiting: Option<Then>,
}

/// Shown in a choice cell's list for "no value".
const EMPTY_CHOICE: &str = "(empty)";

/// Keys in normal mode on the Data pane; false when the action is not
/// the grid's (the caller handles it).
pub fn normal(state: &mut State, action: &Action, store: &mut Store) -> bool {
    let g = &state.grid;
    let (row, col) = (g.row, g.col);
    let page = crate::app::layout::grid_split(state.size.1)
        .data_rows
        .saturating_sub(1)
        .max(1);
    let to = match action {
        Action::Up => Some((row.saturating_sub(1), col)),
        Action::Down => Some((row + 1, col)),
        Action::Left | Action::PrevField => Some((row, col.saturating_sub(1))),
        Action::Right | Action::NextField => Some((row, col + 1)),
        Action::Top => Some((0, col)),
        Action::Bottom => Some((g.ids.len().saturating_sub(1), col)),
        Action::FirstColumn => Some((row, 0)),
        Action::LastColumn => Some((row, g.fields.len().saturating_sub(1))),
        Action::PageUp => Some((row.saturating_sub(page), col)),
        Action::PageDown => Some((row + page, col)),
        Action::ScrollUp => Some((row.saturating_sub(3), col)),
        Action::ScrollDown => Some((row + 3, col)),
        Action::ClickRow(n) => Some((g.offset + n, col)),
        _ => None,
    };
    if let Some((row, col)) = to {
        move_to(state, store, row, col);
        return true;
    }
    if let Err(refusal) = super::permit::grid(state, action) {
        state.error(refusal);
        return true;
    }
    match action {
        Action::EditCell => edit(state, None),
        Action::TypeInCell(c) => edit(state, Some(*c)),
        Action::ToggleCell => toggle(state, store),
        Action::ClearCell => clear(state, store),
        Action::FillDown => fill_down(state, store),
        Action::New => new_row(state, store),
        Action::EnterWeek => grid_entry::enter_week(state, store),
        Action::Undo => {
            // The next value stored opens a batch of its own.
            state.grid.session = None;
            return false;
        }
        Action::Delete => delete_row(state),
        Action::CycleSort => sort(state, store),
        Action::SortRows => sort_rows(state, store),
        _ => return false,
    }
    true
}

/// A move by the user: the row or week being entered ends when the
/// cursor leaves its rows.
fn move_to(state: &mut State, store: &Store, row: usize, col: usize) {
    grid::go_and_read(state, store, row, col);
    grid_entry::left_rows(&mut state.grid);
}

/// Opens the cell editor: with the typed character replacing the value,
/// or (Enter) with the value to change. Booleans toggle and choices open
/// their list instead.
fn edit(state: &mut State, typed: Option<char>) {
    let g = &state.grid;
    let (Some(row), Some(field)) = (g.selected_row(), g.selected_field()) else {
        return state.error(no_cell(g));
    };
    if typed.is_none() {
        match field.field_type {
            FieldType::Boolean => return state.error("a yes/no cell: Space toggles it"),
            FieldType::Choice => return choose(state),
            _ => {}
        }
    }
    let text = match typed {
        Some(c) => c.to_string(),
        None => g
            .selected_value()
            .map(|v| value::edit_text(field.field_type, v))
            .unwrap_or_default(),
    };
    let mut input = super::form::editor(&text);
    input.move_cursor(ratatui_textarea::CursorMove::End);
    let reading = grid_entry::reading(field, &text, state.today);
    state.mode = Mode::Cell(Box::new(CellEdit {
        entry: row.id,
        rev: row.rev,
        field: field.clone(),
        input,
        error: None,
        reading,
        waiting: None,
    }));
}

fn no_cell(g: &GridPane) -> &'static str {
    if g.fields.is_empty() {
        "no fields yet: F opens the field editor to add one"
    } else {
        "no rows yet: n adds one"
    }
}

/// Keys while a cell is being edited.
pub fn cell_mode(state: &mut State, mut edit: Box<CellEdit>, action: Action, store: &mut Store) {
    let then = match action {
        Action::Cancel => return state.info("cancelled; the cell is unchanged"),
        Action::CommitDown => Then::Down,
        Action::CommitUp => Then::Up,
        Action::CommitRight => Then::Right,
        Action::CommitLeft => Then::Left,
        Action::Input(input) => {
            if !matches!(input.key, Key::Enter) {
                edit.input.input(input);
                edit.error = None;
            }
            edit.reading =
                grid_entry::reading(&edit.field, &edit.input.lines().join(" "), state.today);
            state.mode = Mode::Cell(edit);
            return;
        }
        Action::Paste(text) => {
            edit.input.insert_str(text.replace(['\n', '\r'], " "));
            edit.reading =
                grid_entry::reading(&edit.field, &edit.input.lines().join(" "), state.today);
            state.mode = Mode::Cell(edit);
            return;
        }
        _ => {
            state.mode = Mode::Cell(edit);
            return;
        }
    };
    let text = edit.input.lines().join(" ");
    let parsed = value::parse_typed(&edit.field, &text, state.today);
    let new = match parsed {
        Ok(v) => v,
        Err(reason) => {
            // The text stays in the editor with the reason; nothing stored.
            state.error(format!("{}: {reason}", edit.field.label));
            edit.error = Some(reason);
            state.mode = Mode::Cell(edit);
            return;
        }
    };
    commit(state, edit, new.as_ref(), then, store, false);
}

/// Stores the editor's value; a lock held by another program is first
/// reported ("waiting"), and the store tried again, waiting, at the next
/// idle moment (`retry_cell`), the editor kept open meanwhile.
fn commit(
    state: &mut State,
    mut edit: Box<CellEdit>,
    new: Option<&CellValue>,
    then: Then,
    store: &mut Store,
    wait: bool,
) {
    match grid_entry::store_or_wait(
        state,
        store,
        (edit.entry, edit.rev),
        &edit.field,
        new,
        then,
        wait,
    ) {
        Ok(()) => {}
        Err(grid_entry::NotStored::Locked) => {
            state.info("storing: waiting for another program to finish writing (up to 3 seconds)…");
            edit.waiting = Some(then);
            state.save_waiting = true;
            state.busy = true;
            state.mode = Mode::Cell(edit);
        }
        Err(grid_entry::NotStored::Refused(reason)) => {
            edit.error = Some(reason);
            if let Some(row) = state.grid.selected_row() {
                edit.rev = row.rev;
            }
            state.mode = Mode::Cell(edit);
        }
    }
}

/// The cell store a lock held back: tried again, now waiting for it.
pub fn retry_cell(state: &mut State, mut edit: Box<CellEdit>, store: &mut Store) {
    let Some(then) = edit.waiting.take() else {
        state.mode = Mode::Cell(edit);
        return;
    };
    let text = edit.input.lines().join(" ");
    match value::parse_typed(&edit.field, &text, state.today) {
        Ok(new) => commit(state, edit, new.as_ref(), then, store, true),
        Err(_) => state.mode = Mode::Cell(edit),
    }
}

fn toggle(state: &mut State, store: &mut Store) {
    let g = &state.grid;
    let (Some(row), Some(field)) = (g.selected_row(), g.selected_field()) else {
        return state.error(no_cell(g));
    };
    match field.field_type {
        FieldType::Boolean => {
            let now = matches!(g.selected_value(), Some(CellValue::Boolean(true)));
            let (entry, rev, field) = (row.id, row.rev, field.clone());
            let _ = grid_entry::store(
                state,
                store,
                (entry, rev),
                &field,
                Some(&CellValue::Boolean(!now)),
                Then::Stay,
            );
        }
        FieldType::Choice => choose(state),
        _ => edit(state, None),
    }
}

/// A choice cell's options in a list, the current one selected.
fn choose(state: &mut State) {
    let g = &state.grid;
    let (Some(row), Some(field)) = (g.selected_row(), g.selected_field()) else {
        return;
    };
    let current = match g.selected_value() {
        Some(CellValue::Text(t)) => t.clone(),
        _ => String::new(),
    };
    let mut options: Vec<(String, String)> = field
        .options
        .iter()
        .map(|o| (o.clone(), String::new()))
        .collect();
    if !field.required {
        options.push((EMPTY_CHOICE.into(), "clear the cell".into()));
    }
    state.mode = Mode::Choose(Choose {
        title: format!(
            "{} for {} on {}",
            field.label, row.customer, row.recorded_on
        ),
        selected: options.iter().position(|o| o.0 == current).unwrap_or(0),
        options,
        ids: Vec::new(),
        then: Pending::GridChoice {
            entry: row.id,
            rev: row.rev,
            field: field.id,
        },
    });
}

/// A choice picked from a choice cell's list.
pub fn chose(state: &mut State, store: &mut Store, choice: &str, entry: i64, rev: i64, field: i64) {
    let Some(field) = state.grid.fields.iter().find(|f| f.id == field).cloned() else {
        return;
    };
    let new = (choice != EMPTY_CHOICE).then(|| CellValue::Text(choice.to_string()));
    // A picked choice goes on along the row, like a value stored with Tab.
    let _ = grid_entry::store(
        state,
        store,
        (entry, rev),
        &field,
        new.as_ref(),
        Then::Right,
    );
}

fn clear(state: &mut State, store: &mut Store) {
    let g = &state.grid;
    let (Some(row), Some(field)) = (g.selected_row(), g.selected_field()) else {
        return state.error(no_cell(g));
    };
    if g.selected_value().is_none() {
        return state.info("the cell is already empty");
    }
    let (entry, rev, field) = (row.id, row.rev, field.clone());
    let _ = grid_entry::store(state, store, (entry, rev), &field, None, Then::Stay);
}

/// Copies the value of the cell above into this one.
fn fill_down(state: &mut State, store: &mut Store) {
    let g = &state.grid;
    let (Some(row), Some(field)) = (g.selected_row(), g.selected_field()) else {
        return state.error(no_cell(g));
    };
    let Some(above_id) = g.row.checked_sub(1).and_then(|i| g.ids.get(i)) else {
        return state.error("no row above to copy from");
    };
    let above = match store.grid_rows(&[*above_id], std::slice::from_ref(field)) {
        Ok(rows) => rows
            .into_iter()
            .next()
            .and_then(|r| r.values.into_iter().next().flatten()),
        Err(err) => return state.error(err.to_string()),
    };
    let Some(above) = above else {
        return state.error("the cell above is empty; Del clears a cell");
    };
    let (entry, rev, field) = (row.id, row.rev, field.clone());
    let _ = grid_entry::store(
        state,
        store,
        (entry, rev),
        &field,
        Some(&above),
        Then::Right,
    );
}

/// `o`: sort by the cursor's column; again reverses; a third time goes
/// back to newest first.
fn sort(state: &mut State, store: &Store) {
    let Some(field) = state.grid.selected_field() else {
        return;
    };
    let id = field.id;
    let label = field.label.clone();
    let (sort, name) = match state.grid.query.sort {
        GridSort::Field {
            id: on,
            descending: false,
        } if on == id => (
            GridSort::Field {
                id,
                descending: true,
            },
            format!("{label} ↓"),
        ),
        GridSort::Field {
            id: on,
            descending: true,
        } if on == id => (GridSort::Newest, "newest first".to_string()),
        _ => (
            GridSort::Field {
                id,
                descending: false,
            },
            format!("{label} ↑"),
        ),
    };
    state.grid.query.sort = sort;
    state.grid.row = 0;
    match grid::reload(&mut state.grid, store, state.size) {
        Ok(()) => state.info(format!("sorted by {name}")),
        Err(err) => state.error(err.to_string()),
    }
}

/// `O`: the frozen columns' orders in turn: newest first, oldest first,
/// customer A–Z, customer Z–A.
fn sort_rows(state: &mut State, store: &Store) {
    let (sort, name) = match state.grid.query.sort {
        GridSort::Newest => (GridSort::Date { descending: false }, "oldest first"),
        GridSort::Date { descending: false } => {
            (GridSort::Customer { descending: false }, "customer A–Z")
        }
        GridSort::Customer { descending: false } => {
            (GridSort::Customer { descending: true }, "customer Z–A")
        }
        _ => (GridSort::Newest, "newest first"),
    };
    state.grid.query.sort = sort;
    state.grid.row = 0;
    match grid::reload(&mut state.grid, store, state.size) {
        Ok(()) => state.info(format!("sorted by {name}")),
        Err(err) => state.error(err.to_string()),
    }
}

/// `n`: pick the customer, then the date (the next period by default).
fn new_row(state: &mut State, store: &Store) {
    let customers = match store.customer_names() {
        Ok(c) => c,
        Err(err) => return state.error(err.to_string()),
    };
    if customers.is_empty() {
        return state.error("no customers yet: add one on the Customers pane first");
    }
    let current = state.grid.selected_row().map(|r| r.customer_id);
    state.mode = Mode::Pick(Pick {
        title: "New data row: which customer?".into(),
        query: String::new(),
        options: customers
            .into_iter()
            .map(|(id, name)| (id, name, Some(id) == current))
            .collect(),
        selected: 0,
        then: PickFor::RowCustomer,
    });
}

/// The customer of a new row is picked: ask the date, prefilled with the
/// current period's day and selected, so typing replaces it.
pub fn picked_customer(state: &mut State, store: &Store, customer: i64, name: &str) {
    let day = store
        .new_row_day(customer)
        .unwrap_or(state.today)
        .to_string();
    let mut input = super::form::editor(&day);
    input.select_all();
    state.mode = Mode::Prompt(Box::new(Prompt {
        title: format!(
            "Date of {}'s new row",
            name.chars().take(30).collect::<String>()
        ),
        hint: "today, -3d, 2026-11-20 · Enter adds the row · Esc cancels".into(),
        input,
        then: Pending::GridRowDate { customer },
    }));
}

/// The date of a new row is typed: add it, or jump to the row that
/// already has that customer and date.
pub fn add_row(state: &mut State, store: &mut Store, customer: i64, text: &str) {
    let Some(day) = crate::domain::dates::parse_date_input(text, state.today) else {
        return state.error(format!(
            "“{text}” is not a date: try today, -3d, 2026-11-20"
        ));
    };
    match store.entry_on(customer, day) {
        Ok(Some(existing)) => {
            show_entry(state, store, existing);
            return state.info(format!(
                "{} already has this customer on {day}: the cursor is on it",
                RecordKey::new(RecordKind::Entry, existing)
            ));
        }
        Ok(None) => {}
        Err(err) => return state.error(err.to_string()),
    }
    let result = store.add_grid_row(customer, day);
    let added = result.as_ref().ok().copied();
    after_write(
        state,
        store,
        result.map(|(id, batch)| {
            format!(
                "added {} on {day} (batch {}); type its values, Tab between them",
                RecordKey::new(RecordKind::Entry, id),
                batch.unwrap_or_default()
            )
        }),
    );
    if let Some((id, batch)) = added {
        state.grid.col = 0;
        show_entry(state, store, id);
        // The row and the values typed into it are one batch.
        state.grid.session = Some(grid_entry::Session {
            batch,
            rows: vec![id],
            label: format!("enter data for {day}"),
        });
    }
}

/// Puts the cursor on entry `id`, clearing a filter that hides it.
fn show_entry(state: &mut State, store: &Store, id: i64) {
    let size = state.size;
    if !state.grid.ids.contains(&id) {
        state.grid.query.filter.clear();
        if let Err(err) = grid::reload(&mut state.grid, store, size) {
            return state.error(err.to_string());
        }
    }
    if let Some(at) = state.grid.ids.iter().position(|x| *x == id) {
        let col = state.grid.col;
        move_to(state, store, at, col);
    }
}

fn delete_row(state: &mut State) {
    let Some(row) = state.grid.selected_row() else {
        return state.error("no row to delete");
    };
    state.mode = Mode::Confirm(Confirm {
        question: format!(
            "Delete {} ({} on {}) and its values? Ctrl-z undoes",
            RecordKey::new(RecordKind::Entry, row.id),
            row.customer,
            row.recorded_on
        ),
        on_yes: Pending::DeleteEntry {
            id: row.id,
            rev: row.rev,
        },
    });
}
