//! Exporting the current view (`x`): what a list pane shows, with its
//! filter and sort, to a CSV file in the working directory; the Data pane
//! exports live data wide. A prompt offers a dated file name and the Excel
//! variant (BOM + CRLF); the status line names the file, the row count and
//! any cell too long for a spreadsheet.

use super::action::{Action, Pane};
use super::state::{Mode, State, StatusLine};
use super::wizard::{WizardKey, resolve};
use crate::sheet::ExportOptions;
use crate::store::interchange::{ExportSummary, Kind, Layout};
use crate::store::{ListQuery, Store};
use ratatui_textarea::{Key, TextArea};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The open export prompt.
#[derive(Debug, Clone)]
pub struct ExportPrompt {
    pub kind: Kind,
    /// The pane's filter and sort; `None` exports every record.
    pub query: Option<ListQuery>,
    /// How many records the view lists.
    pub rows: usize,
    /// Where a relative file name goes.
    pub base: PathBuf,
    pub input: TextArea<'static>,
    pub excel: bool,
    /// The existing file Enter was pressed on once: Enter again replaces it.
    pub replace: Option<PathBuf>,
    pub note: StatusLine,
}

/// `x`: the export prompt for the current pane's view.
pub fn open(state: &mut State) {
    let (kind, query, rows) = match state.pane {
        Pane::Backlog => (
            Kind::Backlog,
            Some(state.backlog.query.clone()),
            state.backlog.ids.len(),
        ),
        Pane::Customers => (
            Kind::Customers,
            Some(state.customers.query.clone()),
            state.customers.ids.len(),
        ),
        Pane::CheckIns => (
            Kind::CheckIns,
            Some(state.checkins.query.clone()),
            state.checkins.ids.len(),
        ),
        // The grid's rows as its filter keeps them, newest first.
        Pane::Data => (
            Kind::Data,
            Some(ListQuery {
                filter: state.grid.query.filter.clone(),
                sort: 0,
            }),
            if state.grid.loaded {
                state.grid.ids.len()
            } else {
                usize::try_from(state.counts.entries).unwrap_or(0)
            },
        ),
        Pane::Activity => {
            return state.error(
                "Activity is the change log: it has no CSV export (concierge log prints it)",
            );
        }
        Pane::Review => {
            return state
                .error("the review exports as a report: concierge review --format md (or json)");
        }
    };
    open_view(state, kind, query, rows);
}

/// The prompt for exporting `kind` as `query` lists it (`None`: all of it,
/// in id order). Every pane goes through here.
pub fn open_view(state: &mut State, kind: Kind, query: Option<ListQuery>, rows: usize) {
    let name = format!("{}-{}.csv", kind.name(), state.today);
    state.status = StatusLine::default();
    state.mode = Mode::Export(Box::new(ExportPrompt {
        kind,
        query,
        rows,
        base: state.cwd.clone(),
        input: super::form::editor(&name),
        excel: false,
        replace: None,
        note: StatusLine::default(),
    }));
}

/// Keys while the prompt is open.
pub fn export_mode(state: &mut State, mut p: Box<ExportPrompt>, action: Action, store: &Store) {
    if action == Action::Accept && run(state, &mut p, store) {
        return;
    }
    match action {
        Action::Cancel => return state.info("export cancelled"),
        Action::Wizard(WizardKey::ToggleExcel) => p.excel = !p.excel,
        Action::Input(input) if !matches!(input.key, Key::Enter | Key::Tab) => {
            p.input.input(input);
            p.replace = None;
            p.note = StatusLine::default();
        }
        Action::Paste(text) => {
            p.input.insert_str(text.replace(['\n', '\r'], ""));
            p.replace = None;
        }
        _ => {}
    }
    state.mode = Mode::Export(p);
}

/// Writes the file; true when done (the status line says what was written).
fn run(state: &mut State, p: &mut ExportPrompt, store: &Store) -> bool {
    let typed = p.input.lines().join("").trim().to_owned();
    if typed.is_empty() {
        p.note = error("type a file name");
        return false;
    }
    let path = resolve(&p.base, &typed);
    if path.is_dir() {
        p.note = error(format!("{} is a folder: add a file name", path.display()));
        return false;
    }
    if path.exists() && p.replace.as_ref() != Some(&path) {
        p.note = error(format!(
            "{typed} exists: Enter again replaces it, or type another name"
        ));
        p.replace = Some(path);
        return false;
    }
    let options = ExportOptions { excel: p.excel };
    let query = p.query.as_ref();
    match store.export_to(
        p.kind,
        query,
        Layout::Wide,
        options,
        &path,
        &mut |_, _, _| {},
    ) {
        Ok(summary) => {
            state.info(wrote(&summary, &typed, p.excel));
            true
        }
        Err(e) => {
            p.note = error(format!("{e}; nothing written"));
            false
        }
    }
}

fn error(text: impl Into<String>) -> StatusLine {
    StatusLine {
        text: text.into(),
        error: true,
    }
}

/// "exported 12 rows of customers to customers-2026-11-21.csv", with the
/// spreadsheet warnings.
pub fn wrote(summary: &ExportSummary, name: &str, excel: bool) -> String {
    let mut text = format!(
        "exported {} row{} of {} to {name}{}",
        summary.rows,
        if summary.rows == 1 { "" } else { "s" },
        summary.kind,
        if excel { " for Excel" } else { "" }
    );
    match summary.warnings.as_slice() {
        [] => {}
        [only] => {
            let _ = write!(text, "; warning: {only}");
        }
        [first, rest @ ..] => {
            let _ = write!(
                text,
                "; warning: {} cells are too long for Excel (32,767 characters), first {} {} ({} characters)",
                rest.len() + 1,
                first.id,
                first.column,
                first.chars
            );
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::ExportWarning;

    #[test]
    fn the_status_names_rows_file_and_warnings() {
        let mut summary = ExportSummary {
            kind: Kind::CheckIns,
            rows: 1,
            path: None,
            warnings: Vec::new(),
        };
        assert_eq!(
            wrote(&summary, "k.csv", true),
            "exported 1 row of checkins to k.csv for Excel"
        );
        summary.warnings = vec![
            ExportWarning {
                id: "K-3".into(),
                column: "notes".into(),
                chars: 40_000,
            };
            2
        ];
        assert!(wrote(&summary, "k.csv", false).ends_with(
            "2 cells are too long for Excel (32,767 characters), first K-3 notes (40000 characters)"
        ));
    }
}
