//! Reading what the panes show from the store: the ordered ids of each
//! list, the rows of its visible window, and the selected record's detail.
//! Called after every action that can change them, never while drawing;
//! after a write, only what reads a kind of record it touched.

use super::action::Pane;
use super::state::{Detail, ListPane, State};
use crate::domain::{Kinds, RecordKind};
use crate::store::{GRID_READS, ListKind, Result, Store};

/// Re-reads every pane (another program wrote, the day changed, or the
/// user dropped their edits).
pub fn all(state: &mut State, store: &Store) {
    store.take_touched();
    changed(state, store, Kinds::ALL);
}

/// After a write: re-reads what it could have changed — the panes that
/// read a kind of record the store says it touched — plus Activity (the
/// new batch) and the selected record's detail.
pub fn after_write(state: &mut State, store: &Store) {
    let touched = store.take_touched();
    changed(state, store, touched);
}

/// The counts in the tab bar and footers read these kinds.
const COUNTS_READ: Kinds = Kinds::of(&[RecordKind::Field, RecordKind::Entry, RecordKind::CheckIn]);

fn changed(state: &mut State, store: &Store, touched: Kinds) {
    lists(state, store, touched);
    if !touched.meets(GRID_READS) {
        return;
    }
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
    store.take_touched();
    if let Err(err) = reload_list(state, store, ListKind::Activity) {
        state.error(err.to_string());
    }
    if let Err(err) = super::grid::window(&mut state.grid, store, state.size) {
        state.error(err.to_string());
    }
}

/// The list panes that read a kind in `touched`, the detail, the counts
/// and the Review pane.
fn lists(state: &mut State, store: &Store, touched: Kinds) {
    let mut result = Ok(());
    for kind in [
        ListKind::Backlog,
        ListKind::Customers,
        ListKind::CheckIns,
        ListKind::Activity,
    ] {
        if touched.meets(kind.reads()) {
            result = result.and_then(|()| reload_list(state, store, kind));
        }
    }
    let result = result.and_then(|()| detail(state, store)).and_then(|()| {
        if touched.meets(COUNTS_READ) {
            state.counts.fields = store.field_count()?;
            state.counts.entries = store.entry_count()?;
            state.counts.planned = store.planned_checkin_count()?;
        }
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
    match state.pane {
        Pane::Backlog => reload_list(state, store, ListKind::Backlog)?,
        Pane::Customers => reload_list(state, store, ListKind::Customers)?,
        Pane::CheckIns => reload_list(state, store, ListKind::CheckIns)?,
        Pane::Activity => reload_list(state, store, ListKind::Activity)?,
        Pane::Data => {
            state.grid.row = 0;
            super::grid::reload(&mut state.grid, store, state.size)?;
        }
        Pane::Review => {}
    }
    detail(state, store)
}

/// Re-reads one list's ids and window.
fn reload_list(state: &mut State, store: &Store, kind: ListKind) -> Result<()> {
    let height = state.list_height();
    let ids = |q: Query<'_>| store.list_ids(q.0, q.1);
    match kind {
        ListKind::Backlog => reload(&mut state.backlog, height, ids, |ids| {
            store.backlog_rows(ids)
        }),
        ListKind::Customers => reload(&mut state.customers, height, ids, |ids| {
            store.customer_rows(ids)
        }),
        ListKind::CheckIns => reload(&mut state.checkins, height, ids, |ids| {
            store.checkin_rows(ids)
        }),
        ListKind::Activity => reload(&mut state.activity, height, ids, |ids| {
            store.batch_rows(ids)
        }),
    }
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
