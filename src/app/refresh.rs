//! Reading what the panes show from the store: the ordered ids of each
//! list, the rows of its visible window, and the selected record's detail.
//! Called after every action that can change them, never while drawing.

use super::action::Pane;
use super::state::{Detail, ListPane, State};
use crate::store::{Result, Store};

/// Re-reads every list (after a write, which may touch any of them).
pub fn all(state: &mut State, store: &Store) {
    lists(state, store);
    if state.pane == Pane::Data {
        if let Err(err) = super::grid::reload(&mut state.grid, store, state.size) {
            state.error(err.to_string());
        }
    } else {
        // Re-read when next shown (it may hold 100,000 rows).
        state.grid.loaded = false;
    }
}

/// In idle time: when another program committed to the workspace, or the
/// day changed, every pane is read again, so what others entered shows
/// within a second without a key press. Open forms and cell editors keep
/// what is typed in them (a save then meets the usual conflict rule).
pub fn if_changed_elsewhere(state: &mut State, store: &Store) {
    let today = store.clock().today();
    let version = match store.others_version() {
        Ok(v) => v,
        Err(err) => return state.error(err.to_string()),
    };
    if version == state.seen_version && today == state.today {
        return;
    }
    state.seen_version = version;
    state.today = today;
    all(state, store);
}

/// After one grid cell was stored: its rows and their order stay, and no
/// other list shows entry values, so only the window and Activity (the new
/// batch) are read again; the column's summary was brought up to date by
/// the caller.
pub fn after_cell(state: &mut State, store: &Store) {
    let height = state.list_height();
    if let Err(err) = reload(
        &mut state.activity,
        height,
        |q| store.list_ids(q.0, q.1),
        |ids| store.batch_rows(ids),
    ) {
        state.error(err.to_string());
    }
    if let Err(err) = super::grid::window(&mut state.grid, store, state.size) {
        state.error(err.to_string());
    }
}

/// Every list pane, the detail, the counts and the Review pane.
fn lists(state: &mut State, store: &Store) {
    let height = state.list_height();
    let result = reload(
        &mut state.backlog,
        height,
        |q| store.list_ids(q.0, q.1),
        |ids| store.backlog_rows(ids),
    )
    .and_then(|()| {
        reload(
            &mut state.customers,
            height,
            |q| store.list_ids(q.0, q.1),
            |ids| store.customer_rows(ids),
        )
    })
    .and_then(|()| {
        reload(
            &mut state.checkins,
            height,
            |q| store.list_ids(q.0, q.1),
            |ids| store.checkin_rows(ids),
        )
    })
    .and_then(|()| {
        reload(
            &mut state.activity,
            height,
            |q| store.list_ids(q.0, q.1),
            |ids| store.batch_rows(ids),
        )
    })
    .and_then(|()| detail(state, store))
    .and_then(|()| {
        state.counts.fields = store.field_count()?;
        state.counts.entries = store.entry_count()?;
        state.counts.planned = store.planned_checkin_count()?;
        Ok(())
    });
    if let Err(err) = result {
        state.error(err.to_string());
    }
    if state.pane == Pane::Review {
        super::review_pane::load(state, store);
    }
}

/// Re-reads the current pane's list (after its filter or sort changed).
pub fn current(state: &mut State, store: &Store) -> Result<()> {
    let height = state.list_height();
    match state.pane {
        Pane::Backlog => reload(
            &mut state.backlog,
            height,
            |q| store.list_ids(q.0, q.1),
            |ids| store.backlog_rows(ids),
        )?,
        Pane::Customers => reload(
            &mut state.customers,
            height,
            |q| store.list_ids(q.0, q.1),
            |ids| store.customer_rows(ids),
        )?,
        Pane::CheckIns => reload(
            &mut state.checkins,
            height,
            |q| store.list_ids(q.0, q.1),
            |ids| store.checkin_rows(ids),
        )?,
        Pane::Activity => reload(
            &mut state.activity,
            height,
            |q| store.list_ids(q.0, q.1),
            |ids| store.batch_rows(ids),
        )?,
        Pane::Data => {
            state.grid.row = 0;
            super::grid::reload(&mut state.grid, store, state.size)?;
        }
        Pane::Review => {}
    }
    detail(state, store)
}

/// Re-reads the current pane's window rows (after the cursor moved).
pub fn window(state: &mut State, store: &Store) {
    let height = state.list_height();
    let stamp = store.data_stamp().ok();
    let result = match state.pane {
        Pane::Backlog => fetch(&mut state.backlog, height, stamp, |ids| {
            store.backlog_rows(ids)
        }),
        Pane::Customers => fetch(&mut state.customers, height, stamp, |ids| {
            store.customer_rows(ids)
        }),
        Pane::CheckIns => fetch(&mut state.checkins, height, stamp, |ids| {
            store.checkin_rows(ids)
        }),
        Pane::Activity => fetch(&mut state.activity, height, stamp, |ids| {
            store.batch_rows(ids)
        }),
        Pane::Data if !state.grid.loaded => super::grid::reload(&mut state.grid, store, state.size),
        Pane::Data => super::grid::window(&mut state.grid, store, state.size),
        Pane::Review => Ok(()),
    }
    .and_then(|()| detail(state, store));
    if state.pane == Pane::Review {
        super::review_pane::load(state, store);
    }
    if let Err(err) = result {
        state.error(err.to_string());
    }
}

type Query<'a> = (crate::store::ListKind, &'a crate::store::ListQuery);

fn reload<R>(
    list: &mut ListPane<R>,
    height: usize,
    ids: impl Fn(Query<'_>) -> Result<Vec<i64>>,
    rows: impl Fn(&[i64]) -> Result<Vec<R>>,
) -> Result<()> {
    // The top row stays the top row (Activity's newest batch, a list's
    // first item); elsewhere the cursor stays on the record it was on.
    let keep = list.selected_id().filter(|_| list.selected > 0);
    list.ids = ids((list.kind, &list.query))?;
    let index = keep
        .and_then(|id| list.ids.iter().position(|x| *x == id))
        .unwrap_or(list.selected);
    list.select(index, height);
    // The ids may have changed under the same window: always read.
    fetch(list, height, None, rows)
}

/// Reads the window's rows, unless the same window was last read from
/// the same data (`stamp`; `None` always reads).
fn fetch<R>(
    list: &mut ListPane<R>,
    height: usize,
    stamp: Option<crate::store::DataStamp>,
    rows: impl Fn(&[i64]) -> Result<Vec<R>>,
) -> Result<()> {
    list.select(list.selected, height);
    let ids = list.window_ids(height);
    let from = stamp.map(|s| (list.offset, ids.len(), s));
    if from.is_some() && from == list.window_from {
        return Ok(());
    }
    list.window = rows(ids)?;
    list.window_from = from;
    Ok(())
}

/// Loads the detail of the selected record of the current pane.
pub fn detail(state: &mut State, store: &Store) -> Result<()> {
    state.detail = match state.pane {
        Pane::Backlog => match state.backlog.selected_row() {
            Some(row) => Detail::Backlog {
                evidence: store.evidence_for_item(row.item.id)?,
                trend: match row.item.metric_field {
                    Some(id) => Some(super::grid::series(
                        store,
                        &store.field(id)?,
                        None,
                        state.today,
                    )?),
                    None => None,
                },
                row: Box::new(row.clone()),
            },
            None => Detail::None,
        },
        Pane::Customers => match state.customers.selected_row() {
            Some(row) => Detail::Customer {
                checkins: store.checkins_of(row.customer.id, 12)?,
                followups: store.followups_of(row.customer.id)?,
                row: Box::new(row.clone()),
            },
            None => Detail::None,
        },
        Pane::CheckIns => match state.checkins.selected_row() {
            Some(row) => Detail::CheckIn {
                evidence: store.evidence_for_checkin(row.checkin.id)?,
                followups: store.followups_of_checkin(row.checkin.id)?,
                row: Box::new(row.clone()),
            },
            None => Detail::None,
        },
        Pane::Activity => match state.activity.selected_row() {
            Some(batch) => Detail::Batch {
                changes: store.changes(batch.id)?,
                undone_by: store.undone_by(batch.id)?,
                batch: batch.clone(),
            },
            None => Detail::None,
        },
        Pane::Data | Pane::Review => Detail::None,
    };
    Ok(())
}
