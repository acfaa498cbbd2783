//! The import wizard behind `i`: pick a file and the kind of record it
//! holds, accept a Windows-1252 reading when the bytes are not UTF-8, read
//! the cell-level preview the store computes, settle conflicts per cell or
//! all at once, and apply it as one batch (which `u` undoes).
//!
//! ```text
//! File ──Enter──► (Encoding: not UTF-8, y accepts) ──► Preview ──a──► applied
//!  ▲ Esc cancels      │ Esc back                        │ Esc back
//! ```
//!
//! Nothing is written before `a` applies, and `a` applies only when the
//! preview has no error and no open conflict; otherwise the wizard says why.

mod entries;
mod files;
mod preview;

pub use entries::{Entry, Section};
pub use files::{FileList, Listed, Picked, resolve};
pub use preview::{blocked, summary};

use preview::{apply, preview, read, settle};

use super::action::{Action, Pane};
use super::state::{Mode, State, StatusLine};
use crate::sheet::{Decoded, Resolution};
use crate::store::Store;
use crate::store::interchange::{Kind, Preview};
use ratatui_textarea::{Input, Key};
use std::path::PathBuf;

/// Keys of the import wizard and the export prompt that no other mode has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WizardKey {
    /// The record kind the file holds: the next or previous one.
    NextKind,
    PrevKind,
    /// Tab-complete the typed path.
    Complete,
    /// Settle the conflict under the cursor.
    TakeFile,
    KeepWorkspace,
    /// Settle every conflict.
    TakeFileAll,
    KeepWorkspaceAll,
    /// Move to the next (open) conflict.
    NextConflict,
    /// Also delete records absent from the file.
    ToggleDeleteMissing,
    /// Read the file again (after fixing it in the spreadsheet).
    Reload,
    Apply,
    /// Export: UTF-8 with BOM and CRLF for Excel, or plain.
    ToggleExcel,
}

/// Where the wizard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    File,
    Encoding,
    Preview,
}

/// The wizard's whole state.
#[derive(Debug, Clone)]
pub struct Wizard {
    pub step: Step,
    pub kind: Kind,
    /// The columns `kind` has, as a file should head them.
    pub expected: Vec<String>,
    pub files: FileList,
    /// The file picked.
    pub path: Option<PathBuf>,
    pub decoded: Option<Decoded>,
    /// The user accepted reading this file as Windows-1252.
    pub accepted_encoding: bool,
    pub delete_missing: bool,
    pub preview: Option<Box<Preview>>,
    pub entries: Vec<Entry>,
    /// The preview line under the cursor, and the first one shown.
    pub cursor: usize,
    pub offset: usize,
    /// What happened, or why something cannot be done.
    pub note: StatusLine,
}

/// The kinds offered, in the order ←/→ steps through them.
pub const KINDS: [Kind; 7] = [
    Kind::Customers,
    Kind::Backlog,
    Kind::CheckIns,
    Kind::FollowUps,
    Kind::Evidence,
    Kind::Fields,
    Kind::Data,
];

/// The kind a pane's records are (customers from Activity).
pub fn default_kind(pane: Pane) -> Kind {
    match pane {
        Pane::Backlog => Kind::Backlog,
        Pane::CheckIns => Kind::CheckIns,
        Pane::Data => Kind::Data,
        Pane::Customers | Pane::Review | Pane::Activity => Kind::Customers,
    }
}

impl Wizard {
    fn new(kind: Kind, base: PathBuf, store: &Store) -> Self {
        let mut w = Wizard {
            step: Step::File,
            kind,
            expected: Vec::new(),
            files: FileList::new(base),
            path: None,
            decoded: None,
            accepted_encoding: false,
            delete_missing: false,
            preview: None,
            entries: Vec::new(),
            cursor: 0,
            offset: 0,
            note: StatusLine::default(),
        };
        w.set_kind(kind, store);
        w
    }

    fn set_kind(&mut self, kind: Kind, store: &Store) {
        self.kind = kind;
        self.expected = match store.sheet_schema(kind) {
            Ok(schema) => std::iter::once(crate::sheet::ID_COLUMN.to_owned())
                .chain(schema.columns.into_iter().map(|c| c.name))
                .chain(std::iter::once(crate::sheet::REV_COLUMN.to_owned()))
                .collect(),
            Err(e) => {
                self.error(e.to_string());
                Vec::new()
            }
        };
    }

    /// The picked file's name, as the preview and the batch label call it.
    pub fn file_name(&self) -> String {
        self.path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    }

    fn info(&mut self, text: impl Into<String>) {
        self.note = StatusLine {
            text: text.into(),
            error: false,
        };
    }

    fn error(&mut self, text: impl Into<String>) {
        self.note = StatusLine {
            text: text.into(),
            error: true,
        };
    }

    /// Moves the preview cursor to `to` (clamped), scrolling a body of
    /// `height` lines so it shows.
    fn go(&mut self, to: usize, height: usize) {
        let height = height.max(1);
        self.cursor = to.min(self.entries.len().saturating_sub(1));
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + height {
            self.offset = self.cursor + 1 - height;
        }
        self.offset = self.offset.min(self.entries.len().saturating_sub(height));
    }
}

/// `i`: opens the wizard on the current pane's kind.
pub fn open(state: &mut State, store: &Store) {
    let kind = default_kind(state.pane);
    let wizard = Wizard::new(kind, state.cwd.clone(), store);
    state.status = StatusLine::default();
    state.mode = Mode::Import(Box::new(wizard));
}

/// Keys while the wizard is open.
pub fn wizard_mode(state: &mut State, mut w: Box<Wizard>, action: Action, store: &mut Store) {
    let done = match w.step {
        Step::File => file_step(&mut w, action, store),
        Step::Encoding => encoding_step(&mut w, action, store),
        Step::Preview => preview_step(state, &mut w, action, store),
    };
    match done {
        Some(Closed::Cancelled) => state.info("import cancelled: nothing written"),
        Some(Closed::Finished) => {}
        None => state.mode = Mode::Import(w),
    }
}

/// How the wizard closed.
pub(super) enum Closed {
    Cancelled,
    /// Applied, or found nothing to apply; the status line says which.
    Finished,
}

fn file_step(w: &mut Wizard, action: Action, store: &mut Store) -> Option<Closed> {
    w.note = StatusLine::default();
    match action {
        Action::Cancel => return Some(Closed::Cancelled),
        Action::Accept => match w.files.pick() {
            Picked::File(path) => {
                if w.path.as_ref() != Some(&path) {
                    w.cursor = 0;
                    w.offset = 0;
                }
                w.path = Some(path);
                w.accepted_encoding = false;
                read(w, store);
            }
            Picked::Folder => {}
            Picked::Nothing(why) => w.error(why),
        },
        Action::Up => w.files.move_selection(-1),
        Action::Down => w.files.move_selection(1),
        Action::Wizard(WizardKey::NextKind | WizardKey::PrevKind) => {
            let at = KINDS.iter().position(|k| *k == w.kind).unwrap_or(0);
            let step = if action == Action::Wizard(WizardKey::NextKind) {
                1
            } else {
                KINDS.len() - 1
            };
            w.set_kind(KINDS[(at + step) % KINDS.len()], store);
        }
        Action::Wizard(WizardKey::Complete) => {
            if w.files.complete() {
                return None;
            }
            w.error("nothing here starts with that");
        }
        Action::Input(Input {
            key: Key::Backspace,
            ..
        }) => w.files.pop(),
        Action::Input(Input {
            key: Key::Char('u'),
            ctrl: true,
            ..
        }) => w.files.set_typed(String::new()),
        Action::Input(Input {
            key: Key::Char(c),
            ctrl: false,
            alt: false,
            ..
        }) => w.files.push(c),
        Action::Paste(text) => {
            let typed = format!("{}{}", w.files.typed, text.replace(['\n', '\r'], ""));
            w.files.set_typed(typed);
        }
        _ => {}
    }
    None
}

fn encoding_step(w: &mut Wizard, action: Action, store: &mut Store) -> Option<Closed> {
    match action {
        Action::Yes | Action::Accept => {
            w.accepted_encoding = true;
            preview(w, store);
        }
        Action::No | Action::Cancel => back_to_file(w),
        _ => {}
    }
    None
}

fn preview_step(
    state: &mut State,
    w: &mut Wizard,
    action: Action,
    store: &mut Store,
) -> Option<Closed> {
    let height = crate::app::layout::wizard_body_rows(state.size.0, state.size.1);
    let page = height.saturating_sub(1).max(1);
    match action {
        Action::Cancel => back_to_file(w),
        Action::Up => w.go(w.cursor.saturating_sub(1), height),
        Action::Down => w.go(w.cursor + 1, height),
        Action::PageUp => w.go(w.cursor.saturating_sub(page), height),
        Action::PageDown => w.go(w.cursor + page, height),
        Action::Top => w.go(0, height),
        Action::Bottom => w.go(usize::MAX, height),
        Action::Wizard(key) => match key {
            WizardKey::TakeFile => settle(w, false, Resolution::TakeFile, height),
            WizardKey::KeepWorkspace => settle(w, false, Resolution::KeepWorkspace, height),
            WizardKey::TakeFileAll => settle(w, true, Resolution::TakeFile, height),
            WizardKey::KeepWorkspaceAll => settle(w, true, Resolution::KeepWorkspace, height),
            WizardKey::NextConflict => {
                let found = w
                    .preview
                    .as_deref()
                    .and_then(|p| entries::next_conflict(p, &w.entries, w.cursor));
                match found {
                    Some(line) => w.go(line, height),
                    None => w.info("no conflicts in this file"),
                }
            }
            WizardKey::ToggleDeleteMissing => {
                w.delete_missing = !w.delete_missing;
                preview(w, store);
            }
            WizardKey::Reload => read(w, store),
            WizardKey::Apply => return apply(state, w, store),
            _ => {}
        },
        _ => {}
    }
    None
}

fn back_to_file(w: &mut Wizard) {
    w.step = Step::File;
    w.decoded = None;
    w.preview = None;
    w.entries.clear();
    w.note = StatusLine::default();
}

/// The keymap context of a wizard step.
pub fn context(step: Step) -> super::keymap::Context {
    match step {
        Step::File => super::keymap::Context::ImportFile,
        Step::Encoding => super::keymap::Context::ImportEncoding,
        Step::Preview => super::keymap::Context::ImportPreview,
    }
}
