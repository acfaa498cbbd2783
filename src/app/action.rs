//! What the user means, independent of which key they pressed. Key codes
//! never reach `update`; tests speak in these.

/// The six panes of SPEC §3, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Backlog,
    Customers,
    CheckIns,
    Data,
    Review,
    Activity,
}

impl Pane {
    pub const ALL: [Pane; 6] = [
        Pane::Backlog,
        Pane::Customers,
        Pane::CheckIns,
        Pane::Data,
        Pane::Review,
        Pane::Activity,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Backlog => "Backlog",
            Pane::Customers => "Customers",
            Pane::CheckIns => "Check-ins",
            Pane::Data => "Data",
            Pane::Review => "Review",
            Pane::Activity => "Activity",
        }
    }

    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    /// Whether the pane is a list with a detail view.
    pub fn is_list(self) -> bool {
        !matches!(self, Pane::Data | Pane::Review)
    }
}

/// A user intent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    Pane(Pane),
    NextPane,
    PrevPane,
    Help,
    Palette,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    /// Mouse: select the nth visible row of the current list.
    ClickRow(usize),
    ScrollUp,
    ScrollDown,
    StartFilter,
    ClearFilter,
    CycleSort,
    New,
    Edit,
    ChangeStatus,
    Delete,
    /// Link evidence between a check-in and a backlog item.
    LinkEvidence,
    /// Log a check-in for the selected customer.
    LogCheckIn,
    NewFollowUp,
    /// Mark one of the selected record's follow-ups done (or open again).
    ToggleFollowUp,
    /// Undo the actor's newest batch still in effect.
    Undo,
    /// Undo the batch selected in Activity (undoing an undo redoes).
    UndoSelected,
    /// Open the import wizard (CSV into the workspace).
    Import,
    /// Export the current view to a CSV file.
    Export,
    /// A key of the import wizard or the export prompt.
    Wizard(super::wizard::WizardKey),
    /// Enter in a filter, picker, prompt or palette.
    Accept,
    /// Esc anywhere but normal mode.
    Cancel,
    NextField,
    PrevField,
    Save,
    /// Enter in a form: next field, or a new line in a multi-line field.
    FormEnter,
    Yes,
    No,
    /// Review: the previous, next or current week.
    PrevWeek,
    NextWeek,
    ThisWeek,
    /// Review walkthrough: start, move, act, finish, leave.
    StartWalkthrough,
    WalkNext,
    WalkBack,
    WalkDecide,
    WalkPark,
    WalkCheckIn,
    WalkDone,
    WalkFinish,
    WalkEnd,
    /// Data grid: move the cell cursor sideways, to the first or last
    /// column; edit, type into, clear, fill down or toggle the cell.
    Left,
    Right,
    FirstColumn,
    LastColumn,
    EditCell,
    TypeInCell(char),
    ClearCell,
    FillDown,
    ToggleCell,
    /// The chart of the grid column's field, or of a backlog item's metric.
    OpenChart,
    /// In the chart: the next aggregate, range, or per-customer/segment lines.
    ChartAggregate,
    ChartRange,
    ChartSplit,
    /// Data grid: add this period's row for every active customer without
    /// one and put the cursor in the first empty cell.
    EnterWeek,
    /// Data grid: sort rows by date or customer (the frozen columns).
    SortRows,
    /// Data grid: open the field schema editor.
    OpenFields,
    /// Cell editor: commit and move down, up, right or left.
    CommitDown,
    CommitUp,
    CommitRight,
    CommitLeft,
    /// Field schema editor: move a field, archive (or restore) it.
    MoveFieldUp,
    MoveFieldDown,
    ArchiveField,
    /// Text typed into whatever has the cursor.
    Input(ratatui_textarea::Input),
    Paste(String),
    /// No input for a moment: time for deferred reads (grid summaries).
    Idle,
    /// The terminal's new size.
    Resize(u16, u16),
}
