//! The field schema editor (`F` on the Data pane): every field with its
//! type, unit, bounds and how many values it holds; add, edit, reorder,
//! archive and delete, each one batch that `u` undoes.

use super::action::Action;
use super::state::{Confirm, Mode, Pending, State};
use super::update::after_write;
use crate::domain::{Field, RecordKey, RecordKind};
use crate::store::Store;

/// The editor's list.
#[derive(Debug, Clone, Default)]
pub struct FieldsView {
    pub fields: Vec<Field>,
    /// How many values each field holds.
    pub values: Vec<i64>,
    pub selected: usize,
}

impl FieldsView {
    pub fn selected_field(&self) -> Option<&Field> {
        self.fields.get(self.selected)
    }
}

/// Opens (or re-reads) the editor, the cursor on field `on` if given.
pub fn open(state: &mut State, store: &Store, on: Option<i64>) {
    let fields = match store.fields() {
        Ok(f) => f,
        Err(err) => return state.error(err.to_string()),
    };
    let values = fields
        .iter()
        .map(|f| store.field_value_count(f).unwrap_or(0))
        .collect();
    let selected = match (&state.mode, on) {
        (_, Some(id)) => fields.iter().position(|f| f.id == id),
        (Mode::Fields(view), None) => Some(view.selected),
        _ => None,
    }
    .unwrap_or(0)
    .min(fields.len().saturating_sub(1));
    state.mode = Mode::Fields(FieldsView {
        fields,
        values,
        selected,
    });
}

/// Keys while the editor is open.
pub fn mode(state: &mut State, mut view: FieldsView, action: Action, store: &mut Store) {
    let selected = view.selected_field().cloned();
    if let Err(refusal) = super::permit::fields(state, &action) {
        state.error(refusal);
        state.mode = Mode::Fields(view);
        return;
    }
    let up = matches!(action, Action::MoveFieldUp);
    match (action, selected) {
        (Action::Cancel, _) => return close(state, store),
        (Action::Down, _) => {
            view.selected = (view.selected + 1).min(view.fields.len().saturating_sub(1));
        }
        (Action::Up, _) => view.selected = view.selected.saturating_sub(1),
        (Action::New, _) => {
            let blank = Field::new("", "", crate::domain::FieldType::Integer);
            state.mode = Mode::Form(Box::new(super::forms::field::form(&blank)));
            return;
        }
        (Action::Edit, Some(f)) => {
            state.mode = Mode::Form(Box::new(super::forms::field::form(&f)));
            return;
        }
        (Action::MoveFieldUp | Action::MoveFieldDown, Some(f)) => {
            let step = if up { -1 } else { 1 };
            let result = store.move_field(f.id, step);
            return wrote(
                state,
                store,
                f.id,
                result.map(|b| batch_text("moved", &f, b)),
            );
        }
        (Action::ArchiveField, Some(f)) => {
            let result = store.set_field_archived(f.id, f.meta.rev, !f.archived);
            let verb = if f.archived { "restored" } else { "archived" };
            return wrote(state, store, f.id, result.map(|b| batch_text(verb, &f, b)));
        }
        (Action::Delete, Some(f)) => {
            let n = view.values.get(view.selected).copied().unwrap_or(0);
            state.mode = Mode::Confirm(Confirm {
                question: format!(
                    "Delete field {} and its {n} value(s)? Ctrl-z on the grid undoes, values included",
                    f.label
                ),
                on_yes: Pending::DeleteField {
                    id: f.id,
                    rev: f.meta.rev,
                },
            });
            return;
        }
        _ => {}
    }
    state.mode = Mode::Fields(view);
}

fn batch_text(verb: &str, f: &Field, batch: Option<i64>) -> String {
    match batch {
        Some(b) => format!(
            "{verb} field {} (batch {b}); Ctrl-z on the grid undoes",
            f.key
        ),
        None => format!("field {} unchanged", f.key),
    }
}

/// Reports a schema write and shows the editor again on field `id`.
pub fn wrote(
    state: &mut State,
    store: &Store,
    id: i64,
    result: Result<String, crate::store::StoreError>,
) {
    after_write(state, store, result);
    let status = state.status.clone();
    open(state, store, Some(id));
    state.status = status;
}

/// Leaves the editor for the grid, re-read with the new columns.
fn close(state: &mut State, store: &Store) {
    state.mode = Mode::Normal;
    let size = state.size;
    if let Err(err) = super::grid::reload(&mut state.grid, store, size) {
        state.error(err.to_string());
    }
}

/// A field deleted from the editor (after the confirmation).
pub fn delete(state: &mut State, store: &mut Store, id: i64, rev: i64) {
    let key = RecordKey::new(RecordKind::Field, id);
    let result = store.delete_field(id, rev).map(|b| {
        format!(
            "deleted {key} and its values (batch {}); Ctrl-z on the grid undoes",
            b.unwrap_or_default()
        )
    });
    after_write(state, store, result);
    let status = state.status.clone();
    open(state, store, None);
    state.status = status;
}
