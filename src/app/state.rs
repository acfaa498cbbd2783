//! Everything the screen shows, and nothing it does not need. `update`
//! changes it; `ui::render` only reads it.

use super::action::Pane;
use super::form::Form;
use super::keymap::{Binding, bindings};
use super::palette::PaletteState;
use crate::domain::{Batch, Change, Status};
use crate::store::{
    BacklogRow, CheckInRow, CustomerRow, EvidenceRow, FollowUpRow, ListKind, ListQuery,
};
use chrono::NaiveDate;

/// One list pane: the ordered ids of everything that matches, the cursor,
/// and full rows only for the visible window.
#[derive(Debug, Clone)]
pub struct ListPane<R> {
    pub kind: ListKind,
    pub query: ListQuery,
    pub ids: Vec<i64>,
    pub selected: usize,
    pub offset: usize,
    /// Rows for `ids[offset..offset + window.len()]`.
    pub window: Vec<R>,
    /// What `window` was read for: (offset, rows, the data stamp). A move
    /// that keeps the same window over unchanged data reads nothing.
    pub window_from: Option<(usize, usize, crate::store::DataStamp)>,
}

impl<R> ListPane<R> {
    pub fn new(kind: ListKind) -> Self {
        Self {
            kind,
            query: ListQuery::default(),
            ids: Vec::new(),
            selected: 0,
            offset: 0,
            window: Vec::new(),
            window_from: None,
        }
    }

    pub fn selected_id(&self) -> Option<i64> {
        self.ids.get(self.selected).copied()
    }

    /// The selected row, if it is in the window (it always is after a
    /// refresh).
    pub fn selected_row(&self) -> Option<&R> {
        self.selected
            .checked_sub(self.offset)
            .and_then(|i| self.window.get(i))
    }

    /// Moves the cursor to `index` (clamped) and scrolls so it shows in a
    /// window of `height` rows.
    pub fn select(&mut self, index: usize, height: usize) {
        let height = height.max(1);
        self.selected = index.min(self.ids.len().saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.ids.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    /// The ids of the visible window.
    pub fn window_ids(&self, height: usize) -> &[i64] {
        let end = (self.offset + height).min(self.ids.len());
        &self.ids[self.offset.min(end)..end]
    }
}

/// What the detail pane shows for the selected record.
#[derive(Debug, Clone, Default)]
pub enum Detail {
    #[default]
    None,
    Backlog {
        row: Box<BacklogRow>,
        evidence: Vec<EvidenceRow>,
        /// The weekly trend of the item's metric field, if it has one.
        trend: Option<super::grid::Spark>,
    },
    Customer {
        row: Box<CustomerRow>,
        checkins: Vec<CheckInRow>,
        followups: Vec<FollowUpRow>,
    },
    CheckIn {
        row: Box<CheckInRow>,
        evidence: Vec<EvidenceRow>,
        followups: Vec<FollowUpRow>,
    },
    Batch {
        batch: Batch,
        changes: Vec<Change>,
        undone_by: Option<i64>,
    },
}

/// A yes/no question about to do something destructive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub question: String,
    pub on_yes: Pending,
}

/// What a confirmation, choice or prompt will do when answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    DeleteBacklog {
        id: i64,
        rev: i64,
    },
    DeleteCustomer {
        id: i64,
        rev: i64,
    },
    DeleteCheckIn {
        id: i64,
        rev: i64,
    },
    /// Choose the stage a customer moves to.
    CustomerStage {
        id: i64,
        rev: i64,
    },
    /// Ask the agreement date a move to active needs.
    CustomerAgreement {
        id: i64,
        rev: i64,
    },
    /// Choose a follow-up to mark done (or open again).
    ToggleFollowUp,
    /// Someone else saved the record the suspended form edits.
    Conflict,
    /// Choose the status a backlog item moves to.
    BacklogStatus {
        id: i64,
        rev: i64,
    },
    /// Ask the reason a move to `to` needs.
    BacklogStatusReason {
        id: i64,
        rev: i64,
        to: Status,
    },
    /// Leave a changed form without saving.
    DiscardForm,
    /// Write the HTML report of a recorded week next to the workspace.
    WriteReport {
        week: String,
        path: std::path::PathBuf,
    },
    /// A value picked for a choice cell of the Data grid.
    GridChoice {
        entry: i64,
        rev: i64,
        field: i64,
    },
    /// The date of a new Data row for `customer`.
    GridRowDate {
        customer: i64,
    },
    DeleteEntry {
        id: i64,
        rev: i64,
    },
    DeleteField {
        id: i64,
        rev: i64,
    },
}

/// A short list to pick one entry from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choose {
    pub title: String,
    pub options: Vec<(String, String)>,
    /// A record id per option, where options stand for records.
    pub ids: Vec<(i64, i64)>,
    pub selected: usize,
    pub then: Pending,
}

/// A prompt's hint when it needs no more than its keys.
pub const PROMPT_KEYS: &str = "Enter confirm   Esc cancel";

/// One line of text to type (a reason).
#[derive(Debug, Clone)]
pub struct Prompt {
    pub title: String,
    /// The line under the input: what may be typed, and the keys.
    pub hint: String,
    pub input: ratatui_textarea::TextArea<'static>,
    pub then: Pending,
}

/// A list to fuzzy-search and pick one entry from (evidence links).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub title: String,
    pub query: String,
    /// `(id, label, suggested)`; suggested ones are listed first.
    pub options: Vec<(i64, String, bool)>,
    pub selected: usize,
    pub then: PickFor,
}

/// What a pick is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickFor {
    /// The backlog item a check-in is evidence for.
    ItemForCheckIn { checkin_id: i64 },
    /// The check-in that is evidence for a backlog item.
    CheckInForItem { item_id: i64 },
    /// The customer of a new Data row.
    RowCustomer,
}

impl Pick {
    /// Options matching the query, best first (suggestions lead).
    pub fn matches(&self) -> Vec<&(i64, String, bool)> {
        if self.query.trim().is_empty() {
            let (mut first, rest): (Vec<_>, Vec<_>) = self.options.iter().partition(|o| o.2);
            first.extend(rest);
            return first;
        }
        let mut scored: Vec<(i64, &(i64, String, bool))> = self
            .options
            .iter()
            .filter_map(|o| {
                super::palette::score(&o.1, &self.query)
                    .map(|s| (s + if o.2 { 1_000_000 } else { 0 }, o))
            })
            .collect();
        scored.sort_by_key(|(s, _)| -s);
        scored.into_iter().map(|(_, o)| o).collect()
    }
}

/// What has the keyboard.
#[derive(Debug, Clone, Default)]
pub enum Mode {
    #[default]
    Normal,
    Filter,
    /// The keys of the pane; the first line shown (it scrolls).
    Help(u16),
    /// A field by week over the whole pane.
    Chart(Box<super::chart::ChartView>),
    Palette(PaletteState),
    Form(Box<Form>),
    Confirm(Confirm),
    Choose(Choose),
    Prompt(Box<Prompt>),
    Pick(Pick),
    /// The import wizard (`i`).
    Import(Box<super::wizard::Wizard>),
    /// Exporting the current view (`x`).
    Export(Box<super::export::ExportPrompt>),
    /// A Data grid cell being edited.
    Cell(Box<super::grid_edit::CellEdit>),
    /// The field schema editor.
    Fields(super::fields_editor::FieldsView),
}

/// The message on the status line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusLine {
    pub text: String,
    pub error: bool,
}

/// The whole app state.
#[allow(clippy::struct_excessive_bools)]
pub struct State {
    pub pane: Pane,
    pub mode: Mode,
    /// A form left open underneath a confirmation (cancel → "discard?").
    pub suspended_form: Option<Box<Form>>,
    pub backlog: ListPane<BacklogRow>,
    pub customers: ListPane<CustomerRow>,
    pub checkins: ListPane<CheckInRow>,
    pub activity: ListPane<Batch>,
    pub grid: super::grid::GridPane,
    pub detail: Detail,
    pub review: super::review_pane::ReviewPane,
    pub status: StatusLine,
    pub workspace: String,
    pub actor: String,
    pub read_only: bool,
    /// The member's role on a team workspace; `None` on a file, which has
    /// no roles (see `app::permit`).
    pub role: Option<crate::domain::Role>,
    pub today: NaiveDate,
    /// Terminal size, for paging and mouse hit-testing.
    pub size: (u16, u16),
    pub keymap: Vec<Binding>,
    pub quit: bool,
    /// Deferred reads remain: the terminal loop sends `Idle` again soon.
    pub busy: bool,
    /// A form's save found the workspace locked: the status line says it
    /// is waiting, and the next `Idle` saves again, waiting for the lock.
    pub save_waiting: bool,
    /// Colour on, unless `NO_COLOR` is set.
    pub color: bool,
    /// Workspace-wide counts shown on panes that are not lists.
    pub counts: Counts,
    /// The store's [`others_version`](crate::store::Store::others_version)
    /// when the panes were last read.
    pub seen_version: i64,
    /// The folder the import wizard lists and exports are written to
    /// (the working directory the app started in).
    pub cwd: std::path::PathBuf,
}

/// How much the workspace holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub fields: i64,
    pub entries: i64,
    /// Check-ins dated after today.
    pub planned: i64,
}

impl State {
    pub fn new(workspace: String, actor: String, read_only: bool, today: NaiveDate) -> Self {
        Self {
            pane: Pane::Backlog,
            mode: Mode::Normal,
            suspended_form: None,
            backlog: ListPane::new(ListKind::Backlog),
            customers: ListPane::new(ListKind::Customers),
            checkins: ListPane::new(ListKind::CheckIns),
            activity: ListPane::new(ListKind::Activity),
            grid: super::grid::GridPane::default(),
            detail: Detail::None,
            review: super::review_pane::ReviewPane::default(),
            status: StatusLine::default(),
            workspace,
            actor,
            read_only,
            role: None,
            today,
            size: (120, 40),
            keymap: bindings(),
            quit: false,
            busy: true,
            save_waiting: false,
            color: true,
            counts: Counts::default(),
            seen_version: 0,
            cwd: std::path::PathBuf::from("."),
        }
    }

    /// Rows a list shows at the current size.
    pub fn list_height(&self) -> usize {
        crate::app::layout::list_rows(self.size.0, self.size.1)
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = StatusLine {
            text: text.into(),
            error: false,
        };
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = StatusLine {
            text: text.into(),
            error: true,
        };
    }

    /// The normal-mode key contexts right now (walkthrough keys first
    /// while one runs on the Review pane).
    pub fn normal_contexts(&self) -> Vec<super::keymap::Context> {
        super::keymap::pane_contexts(self.pane, self.review.walkthrough.is_some())
    }

    /// The key that undoes on the current pane, as help shows it (`u`, or
    /// `Ctrl-z` on the grid where `u` is text): for messages that say how.
    pub fn undo_key(&self) -> String {
        let contexts = self.normal_contexts();
        let typing = contexts.contains(&super::keymap::Context::Typing);
        super::keymap::active(&self.keymap, &contexts)
            .into_iter()
            .find(|b| b.action == super::action::Action::Undo)
            .map_or_else(|| "u".to_string(), |b| super::keymap::hint_key(b, typing))
    }

    /// Whether a yes/no question is open (its answer must come from keys
    /// pressed after it showed).
    pub fn asks(&self) -> bool {
        matches!(self.mode, Mode::Confirm(_))
    }

    /// Keys that were already queued when a question opened were thrown
    /// away: say so, so nobody wonders where their typing went.
    pub fn dropped_before_question(&mut self, keys: usize) {
        if keys > 0 {
            let s = if keys == 1 { "" } else { "s" };
            self.error(format!(
                "ignored {keys} key{s} typed before this question; answer it now"
            ));
        }
    }

    /// Lines the help popup holds: its heading, the pane's keys and the
    /// closing hint (what scrolling it is bounded by).
    pub fn help_lines(&self) -> usize {
        let contexts = self.normal_contexts();
        let typing = usize::from(contexts.contains(&super::keymap::Context::Typing));
        super::keymap::active(&self.keymap, &contexts).len() + typing + 4
    }

    /// The filter of the current list pane, if it is one.
    pub fn current_query(&self) -> Option<&ListQuery> {
        match self.pane {
            Pane::Backlog => Some(&self.backlog.query),
            Pane::Customers => Some(&self.customers.query),
            Pane::CheckIns => Some(&self.checkins.query),
            Pane::Activity => Some(&self.activity.query),
            Pane::Data | Pane::Review => None,
        }
    }
}

/// The contexts whose keys apply right now (help, hints, palette).
pub fn contexts(state: &State) -> Vec<super::keymap::Context> {
    match &state.mode {
        Mode::Normal => state.normal_contexts(),
        Mode::Filter => vec![super::keymap::Context::Filter],
        Mode::Help(_) => vec![super::keymap::Context::Help],
        Mode::Chart(_) => vec![super::keymap::Context::Chart],
        Mode::Palette(_) => vec![super::keymap::Context::Palette],
        Mode::Form(_) => vec![super::keymap::Context::Form],
        Mode::Confirm(_) => vec![super::keymap::Context::Confirm],
        Mode::Choose(_) => vec![super::keymap::Context::Choose],
        Mode::Prompt(_) => vec![super::keymap::Context::Prompt],
        Mode::Pick(_) => vec![super::keymap::Context::Pick],
        Mode::Import(w) => vec![super::wizard::context(w.step)],
        Mode::Export(_) => vec![super::keymap::Context::Export],
        Mode::Cell(_) => vec![super::keymap::Context::Cell],
        Mode::Fields(_) => vec![super::keymap::Context::Fields],
    }
}
