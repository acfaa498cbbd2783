//! The Review pane's state and actions: which week is shown, its computed
//! review, and the walkthrough — a guided pass over the items that need a
//! decision, each with one-key actions, ending in a recorded review.

use super::forms::{self, Suggestions};
use super::state::{Choose, Mode, Pending, Prompt, State};
use crate::review::{self, AgendaItem, Review, Week};
use crate::store::Store;

/// What the Review pane shows.
#[derive(Debug, Clone, Default)]
pub struct ReviewPane {
    /// The week shown; `None` until first loaded (then this week).
    pub week: Option<Week>,
    pub review: Option<Box<Review>>,
    /// Lines scrolled down (logical lines: a wrapped line scrolls as one).
    pub scroll: u16,
    /// How far the week's text can scroll at the size it was last drawn
    /// (the first line of its last full page): the renderer sets it, so
    /// `G` goes to the end and `j` stops there.
    pub max_scroll: std::cell::Cell<u16>,
    pub walkthrough: Option<Walkthrough>,
    /// What `review` was computed from: the week, the day, and the
    /// workspace's data stamp. Showing the pane again with the same three
    /// reuses it (on *large* a review takes a few hundred ms to compute).
    pub computed_from: Option<(Week, chrono::NaiveDate, crate::store::DataStamp)>,
    /// Tells this computed review from every other one (in any state), so
    /// the renderer can keep the text it laid out from it.
    pub computed_id: u64,
}

/// A new [`ReviewPane::computed_id`].
fn next_review_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A guided pass over the agenda of the review it started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walkthrough {
    pub week: String,
    pub agenda: Vec<AgendaItem>,
    pub index: usize,
    /// What was done, one line per action (shown, and kept in the notes).
    pub done: Vec<String>,
}

impl Walkthrough {
    pub fn current(&self) -> Option<AgendaItem> {
        self.agenda.get(self.index).copied()
    }
}

/// (Re)computes the shown week's review, unless nothing it depends on
/// changed since it was last computed.
pub fn load(state: &mut State, store: &Store) {
    let week = match state.review.week {
        Some(week) => week,
        None => match review::current_week(store) {
            Ok(week) => week,
            Err(err) => return state.error(err.to_string()),
        },
    };
    state.review.week = Some(week);
    let from = store
        .data_stamp()
        .ok()
        .map(|stamp| (week, store.clock().today(), stamp));
    if from.is_some() && from == state.review.computed_from && state.review.review.is_some() {
        return;
    }
    match review::load(store, week) {
        Ok(review) => {
            state.review.review = Some(Box::new(review));
            state.review.computed_from = from;
            state.review.computed_id = next_review_id();
        }
        Err(err) => {
            state.review.computed_from = None;
            state.error(err.to_string());
        }
    }
}

/// Steps the shown week by `n` (0: back to this week).
pub fn step_week(state: &mut State, store: &Store, n: i64) {
    state.review.week = if n == 0 {
        None
    } else {
        state.review.week.map(|w| w.shifted(n))
    };
    state.review.scroll = 0;
    load(state, store);
}

pub fn start_walkthrough(state: &mut State) {
    let Some(review) = &state.review.review else {
        return;
    };
    let agenda = review.agenda();
    state.review.walkthrough = Some(Walkthrough {
        week: review.week.label.clone(),
        agenda,
        index: 0,
        done: Vec::new(),
    });
    if state
        .review
        .walkthrough
        .as_ref()
        .is_some_and(|w| w.agenda.is_empty())
    {
        state.info("nothing needs a decision this week: f records the review");
    }
}

/// After a write made from the walkthrough: note it and move on.
pub fn wrote(state: &mut State, text: &str) {
    if state.pane != super::action::Pane::Review {
        return;
    }
    if let Some(w) = &mut state.review.walkthrough
        && w.current().is_some()
    {
        w.done.push(text.to_string());
        w.index += 1;
    }
}

pub fn walk(state: &mut State, delta: i64) {
    if let Some(w) = &mut state.review.walkthrough {
        let last = w.agenda.len() as i64;
        w.index = (w.index as i64 + delta).clamp(0, last) as usize;
    }
}

/// `d`: decide a test (choose its next status); `p`: park it.
pub fn decide(state: &mut State, store: &Store, park: bool) {
    let Some(AgendaItem::StaleTest(key) | AgendaItem::ReadyToDecide(key)) = current(state) else {
        return state.error("d and p act on tests; this item is not one");
    };
    let item = match store.backlog_item(key.id) {
        Ok(item) => item,
        Err(err) => return state.error(err.to_string()),
    };
    if park {
        state.mode = Mode::Prompt(Box::new(Prompt {
            title: format!("Why park {key}?"),
            hint: super::state::PROMPT_KEYS.into(),
            input: super::form::editor(""),
            then: Pending::BacklogStatusReason {
                id: item.id,
                rev: item.meta.rev,
                to: crate::domain::Status::Parked,
            },
        }));
        return;
    }
    let options = item
        .status
        .next_statuses()
        .iter()
        .map(|to| (to.as_str().to_string(), String::new()))
        .collect();
    state.mode = Mode::Choose(Choose {
        title: format!("Decide {key}: move from {} to…", item.status),
        options,
        ids: Vec::new(),
        selected: 0,
        then: Pending::BacklogStatus {
            id: item.id,
            rev: item.meta.rev,
        },
    });
}

/// `c`: schedule a check-in with the overdue customer.
pub fn schedule_checkin(state: &mut State, store: &Store) {
    let Some(AgendaItem::OverdueCustomer(key)) = current(state) else {
        return state
            .error("c schedules a check-in with an overdue customer; this item is not one");
    };
    let customer = match store.customer(key.id) {
        Ok(c) => c,
        Err(err) => return state.error(err.to_string()),
    };
    let mut checkin = super::save::new_checkin(store, state.today);
    checkin.customer_id = customer.id;
    checkin.occurred_on = state.today.succ_opt().unwrap_or(state.today);
    let form = forms::checkin::form(
        &checkin,
        &customer.name,
        &Suggestions::read(store),
        state.today,
    );
    state.mode = Mode::Form(Box::new(form));
}

/// `x`: mark the overdue follow-up done.
pub fn followup_done(state: &mut State, store: &mut Store) {
    let Some(AgendaItem::OverdueFollowUp(key)) = current(state) else {
        return state.error("x marks an overdue follow-up done; this item is not one");
    };
    let result = store
        .followup_row(key.id)
        .and_then(|f| store.toggle_followup(key.id, f.followup.meta.rev));
    match result {
        Ok(_) => super::update::after_write(state, store, Ok(format!("{key} done"))),
        Err(err) => state.error(err.to_string()),
    }
}

fn current(state: &State) -> Option<AgendaItem> {
    state
        .review
        .walkthrough
        .as_ref()
        .and_then(Walkthrough::current)
}

/// `f`: the form that records the review (attendees, notes).
pub fn finish(state: &mut State) {
    let Some(w) = &state.review.walkthrough else {
        return;
    };
    let notes = w.done.join("\n");
    state.mode = Mode::Form(Box::new(forms::review::form(&w.week, &state.actor, &notes)));
}
