//! The Review pane's state and actions: which week is shown, its computed
//! review, and the walkthrough — a guided pass over the items that need a
//! decision, each with one-key actions, ending in a recorded review.

use super::forms::{self, Suggestions};
use super::review_text;
use super::state::{Choose, Mode, Pending, Prompt, State};
use crate::review::{self, AgendaItem, Review, Week};
use crate::store::Store;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// What the Review pane shows.
#[derive(Debug, Clone, Default)]
pub struct ReviewPane {
    /// The week shown; `None` until first loaded (then this week).
    pub week: Option<Week>,
    pub review: Option<Box<Review>>,
    /// Lines scrolled down (logical lines: a wrapped line scrolls as one).
    pub scroll: u16,
    /// How far the week's text can scroll at the current size (the first
    /// line of its last full page), so `G` goes to the end and `j` stops
    /// there; computed with the text in [`lay_out`].
    pub max_scroll: u16,
    /// The pane's text laid out for drawing, and the terminal size
    /// `max_scroll` was measured for.
    pub text: Option<crate::app::review_text::LaidOut>,
    pub measured_at: (u16, u16),
    pub walkthrough: Option<Walkthrough>,
    /// What `review` was computed from: the week, the day, and the
    /// workspace's data stamp. Showing the pane again with the same three
    /// reuses it (on *large* a review takes a few hundred ms to compute).
    pub computed_from: Option<(Week, chrono::NaiveDate, crate::store::DataStamp)>,
    /// Tells this computed review from the ones before it, so the text
    /// laid out from it is kept until the review changes.
    pub computed_id: u64,
}

/// The main column of the pane and the side one (when the screen has
/// room for two): two equal columns over the list and detail areas, as
/// the trend lines need the room.
pub fn columns(left: Rect, right: Option<Rect>) -> (Rect, Option<Rect>) {
    match right {
        Some(r) => {
            let [l, r] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(left.union(r));
            (l, Some(r))
        }
        None => (left, None),
    }
}

/// Lays the pane's text out again when what it shows changed (the
/// review, the walkthrough, the colours, one or two columns), and
/// measures how far it scrolls at the current size. Called after every
/// action while the pane shows; otherwise a comparison.
pub fn lay_out(state: &mut State) {
    let Some(review) = state.review.review.as_deref() else {
        state.review.text = None;
        return;
    };
    let areas = crate::app::layout::areas(Rect::new(0, 0, state.size.0, state.size.1));
    let (main, side) = columns(areas.list, areas.detail);
    let theme = crate::theme::Theme { color: state.color };
    let fresh = state.review.text.as_ref().is_some_and(|t| {
        t.key.review == state.review.computed_id
            && t.key.walkthrough == state.review.walkthrough
            && t.key.theme == theme
            && t.key.two_columns == side.is_some()
    });
    if !fresh {
        let key = review_text::Key {
            review: state.review.computed_id,
            walkthrough: state.review.walkthrough.clone(),
            theme,
            two_columns: side.is_some(),
        };
        let text = review_text::lay_out(review, state.review.walkthrough.as_ref(), theme, key);
        state.review.text = Some(text);
        state.review.measured_at = (0, 0);
    }
    if state.review.measured_at != state.size {
        let lines = state.review.text.as_ref().map_or(&[][..], |t| &t.main[..]);
        state.review.max_scroll = last_page(lines, Block::bordered().inner(main));
        state.review.measured_at = state.size;
        state.review.scroll = state.review.scroll.min(state.review.max_scroll);
    }
}

/// The first logical line of the last page that fills `inner`.
fn last_page(lines: &[ratatui::text::Line<'static>], inner: Rect) -> u16 {
    let (mut rows, mut first) = (0, lines.len());
    while let Some(line) = first.checked_sub(1).and_then(|i| lines.get(i)) {
        let height = Paragraph::new(line.clone())
            .wrap(Wrap { trim: false })
            .line_count(inner.width);
        if rows + height > usize::from(inner.height) {
            break;
        }
        rows += height;
        first -= 1;
    }
    u16::try_from(first.min(lines.len().saturating_sub(1))).unwrap_or(u16::MAX)
}

/// A guided pass over the agenda of the review it started from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walkthrough {
    pub week: String,
    pub agenda: Vec<AgendaItem>,
    pub index: usize,
    /// What was done, one line per action (shown, and kept in the notes).
    pub done: Vec<String>,
    /// The agenda item whose action (`d`, `p`, `c`, `x`) is under way: its
    /// write completes the step. Cleared when the action ends without one.
    pub acting: Option<usize>,
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
            state.review.computed_id += 1;
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
        acting: None,
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

/// After a write: when it is the one the current step's action made,
/// note it and move on; any other write leaves the walkthrough where it is.
pub fn wrote(state: &mut State, text: &str) {
    if let Some(w) = &mut state.review.walkthrough
        && w.acting.take() == Some(w.index)
    {
        w.done.push(text.to_string());
        w.index += 1;
    }
}

/// Once no dialog is open, an action begun from the walkthrough is over
/// (it wrote, or was cancelled): nothing is under way any more.
pub fn settle(state: &mut State) {
    if matches!(state.mode, Mode::Normal)
        && let Some(w) = &mut state.review.walkthrough
    {
        w.acting = None;
    }
}

/// Notes that the current step's action begins.
fn act(state: &mut State) {
    if let Some(w) = &mut state.review.walkthrough {
        w.acting = Some(w.index);
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
    act(state);
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
    act(state);
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
    act(state);
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
