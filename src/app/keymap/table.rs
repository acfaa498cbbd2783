//! The keymap's rows: every key, where it applies, what it does, and the
//! words help, hints and the palette show for it.

use super::{Binding, Context, Key};
use crate::app::action::{Action, Pane};
use crate::app::wizard::WizardKey;
use crossterm::event::KeyCode;

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
        alt: false,
    }
}

const fn alt(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
        alt: true,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
        alt: false,
    }
}

const fn ctrl_code(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: true,
        alt: false,
    }
}

const fn code(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: false,
        alt: false,
    }
}

fn b(
    keys: &[Key],
    context: Context,
    action: Action,
    description: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        keys: keys.to_vec(),
        context,
        action,
        description,
        hint,
    }
}

/// The whole keymap, in the order help lists it: one row per binding.
#[rustfmt::skip]
pub fn bindings() -> Vec<Binding> {
    use Context::{Cell, Choose, Confirm, Fields, Filter, Form, Global, Help, List, Palette, Prompt};
    let data = Context::On(Pane::Data);
    let backlog = Context::On(Pane::Backlog);
    let customers = Context::On(Pane::Customers);
    let review = Context::On(Pane::Review);
    let walk = Context::Walkthrough;
    let checkins = Context::On(Pane::CheckIns);
    let activity = Context::On(Pane::Activity);
    let (file, encoding, preview, export) =
        (Context::ImportFile, Context::ImportEncoding, Context::ImportPreview, Context::Export);
    let wiz = Action::Wizard;
    vec![
        // Alt-1…6, F1, Ctrl-p and Ctrl-q work on every pane, the grid
        // included (where the plain keys type into the cell).
        b(&[k('?'), code(KeyCode::F(1))], Global, Action::Help, "show the keys of this pane", Some("help")),
        b(&[k(':'), ctrl('p')], Global, Action::Palette, "command palette", Some("commands")),
        b(&[k('q'), ctrl('q'), ctrl('c')], Global, Action::Quit, "quit", Some("quit")),
        b(&[alt('1'), k('1')], Global, Action::Pane(Pane::Backlog), "go to Backlog", None),
        b(&[alt('2'), k('2')], Global, Action::Pane(Pane::Customers), "go to Customers", None),
        b(&[alt('3'), k('3')], Global, Action::Pane(Pane::CheckIns), "go to Check-ins", None),
        b(&[alt('4'), k('4')], Global, Action::Pane(Pane::Data), "go to Data", None),
        b(&[alt('5'), k('5')], Global, Action::Pane(Pane::Review), "go to Review", None),
        b(&[alt('6'), k('6')], Global, Action::Pane(Pane::Activity), "go to Activity", None),
        b(&[code(KeyCode::Tab)], Global, Action::NextPane, "next pane", None),
        b(&[code(KeyCode::BackTab)], Global, Action::PrevPane, "previous pane", None),
        // Activity's own keys come before the general list keys so `u`
        // there undoes the selected batch.
        b(&[k('u')], activity, Action::UndoSelected, "undo the selected batch (undo an undo to redo)", Some("undo batch")),
        b(&[k('x')], activity, Action::Export, "export: the change log has no CSV (concierge log prints it)", None),
        b(&[k('n')], backlog, Action::New, "new backlog item", Some("new")),
        b(&[k('[')], review, Action::PrevWeek, "previous week", Some("prev week")),
        b(&[k(']')], review, Action::NextWeek, "next week", Some("next week")),
        b(&[k('.')], review, Action::ThisWeek, "back to this week", None),
        b(&[k('w')], review, Action::StartWalkthrough, "walk through what needs a decision", Some("walkthrough")),
        b(&[k('j'), code(KeyCode::Down)], review, Action::Down, "scroll down", None),
        b(&[k('k'), code(KeyCode::Up)], review, Action::Up, "scroll up", None),
        b(&[code(KeyCode::PageDown), ctrl('d')], review, Action::PageDown, "page down", None),
        b(&[code(KeyCode::PageUp), ctrl('u')], review, Action::PageUp, "page up", None),
        b(&[k('g'), code(KeyCode::Home)], review, Action::Top, "back to the top", None),
        b(&[k('G'), code(KeyCode::End)], review, Action::Bottom, "to the end", None),
        b(&[k('n'), code(KeyCode::Right), k(' ')], walk, Action::WalkNext, "skip to the next item", Some("next")),
        b(&[k('b'), code(KeyCode::Left)], walk, Action::WalkBack, "back to the previous item", None),
        b(&[k('d')], walk, Action::WalkDecide, "decide this test (choose its status)", Some("decide")),
        b(&[k('p')], walk, Action::WalkPark, "park this test", Some("park")),
        b(&[k('c')], walk, Action::WalkCheckIn, "schedule a check-in with this customer", Some("check-in")),
        b(&[k('x')], walk, Action::WalkDone, "mark this follow-up done", Some("done")),
        b(&[k('f')], walk, Action::WalkFinish, "finish: record the review", Some("finish")),
        b(&[code(KeyCode::Esc)], walk, Action::WalkEnd, "leave the walkthrough", None),
        b(&[k('l')], backlog, Action::LinkEvidence, "link a check-in as evidence", None),
        b(&[k('c')], backlog, Action::OpenChart, "chart the item's metric field by week, with its criterion", None),
        b(&[k('a')], Context::Chart, Action::ChartAggregate, "next aggregate: sum, mean, share or count", Some("aggregate")),
        b(&[k('p')], Context::Chart, Action::ChartSplit, "lines per customer, per segment, or none", Some("per customer/segment")),
        b(&[k('r')], Context::Chart, Action::ChartRange, "range: 8, 16, 52 weeks or all", Some("range")),
        b(&[code(KeyCode::Esc), k('q')], Context::Chart, Action::Cancel, "back", Some("back")),
        // The Data grid: every printable key types into the cell, so its
        // commands are chords, function keys and editing keys only.
        b(&[code(KeyCode::Enter), code(KeyCode::F(2))], data, Action::EditCell, "edit the cell (typing anything starts editing too)", Some("edit")),
        b(&[code(KeyCode::Down)], data, Action::Down, "cell below", None),
        b(&[code(KeyCode::Up)], data, Action::Up, "cell above", None),
        b(&[code(KeyCode::Left), code(KeyCode::BackTab)], data, Action::Left, "cell to the left", None),
        b(&[code(KeyCode::Right), code(KeyCode::Tab)], data, Action::Right, "cell to the right", None),
        b(&[ctrl_code(KeyCode::Home)], data, Action::Top, "first row", None),
        b(&[ctrl_code(KeyCode::End)], data, Action::Bottom, "last row", None),
        b(&[code(KeyCode::Home)], data, Action::FirstColumn, "first column", None),
        b(&[code(KeyCode::End)], data, Action::LastColumn, "last column", None),
        b(&[code(KeyCode::PageDown)], data, Action::PageDown, "page down", None),
        b(&[code(KeyCode::PageUp)], data, Action::PageUp, "page up", None),
        b(&[k(' ')], data, Action::ToggleCell, "yes/no and choice cells: toggle, or pick from the list", None),
        b(&[code(KeyCode::Delete), code(KeyCode::Backspace)], data, Action::ClearCell, "clear the cell", None),
        b(&[alt('w')], data, Action::EnterWeek, "enter this week: a row for every active customer without one", Some("week")),
        b(&[ctrl('n')], data, Action::New, "new row (customer, then date)", Some("new row")),
        b(&[ctrl('d')], data, Action::FillDown, "fill down: copy the value above", Some("fill")),
        b(&[ctrl('z')], data, Action::Undo, "undo your last change (a row or a week entered is one)", Some("undo")),
        b(&[ctrl('f')], data, Action::StartFilter, "filter: customer words, segment=, from=, to=", Some("filter")),
        b(&[code(KeyCode::Esc)], data, Action::ClearFilter, "clear the filter", None),
        b(&[alt('c')], data, Action::OpenChart, "chart this column's field by week", Some("chart")),
        b(&[alt('d')], data, Action::Delete, "delete the row (asks first)", None),
        b(&[alt('s')], data, Action::CycleSort, "sort by this column (again: reverse, then newest first)", None),
        b(&[alt('S')], data, Action::SortRows, "sort by date or customer: newest, oldest, customer A–Z, Z–A", None),
        b(&[alt('f')], data, Action::OpenFields, "edit the fields (columns)", None),
        b(&[alt('i')], data, Action::Import, "import a CSV file of live data (preview first)", None),
        b(&[alt('x')], data, Action::Export, "export live data to a CSV file", None),
        b(&[code(KeyCode::Enter), code(KeyCode::Down)], Cell, Action::CommitDown, "store the value, go down", Some("store")),
        b(&[code(KeyCode::Up)], Cell, Action::CommitUp, "store the value, go up", None),
        b(&[code(KeyCode::Tab)], Cell, Action::CommitRight, "store the value, go right", Some("store →")),
        b(&[code(KeyCode::BackTab)], Cell, Action::CommitLeft, "store the value, go left", None),
        b(&[code(KeyCode::Esc)], Cell, Action::Cancel, "cancel: keep the cell as it was", Some("cancel")),
        b(&[k('j'), code(KeyCode::Down)], Fields, Action::Down, "next field", None),
        b(&[k('k'), code(KeyCode::Up)], Fields, Action::Up, "previous field", None),
        b(&[k('n')], Fields, Action::New, "new field", Some("new")),
        b(&[k('e'), code(KeyCode::Enter)], Fields, Action::Edit, "edit the field (type changes convert every value)", Some("edit")),
        b(&[k('K')], Fields, Action::MoveFieldUp, "move the field left (up)", Some("move ↑")),
        b(&[k('J')], Fields, Action::MoveFieldDown, "move the field right (down)", Some("move ↓")),
        b(&[k('a')], Fields, Action::ArchiveField, "archive the field (or restore it)", Some("archive")),
        b(&[k('d')], Fields, Action::Delete, "delete the field and its values", None),
        b(&[code(KeyCode::Esc), k('q')], Fields, Action::Cancel, "back to the grid", Some("close")),
        b(&[k('n')], customers, Action::New, "new customer", Some("new")),
        b(&[k('e'), code(KeyCode::Enter)], customers, Action::Edit, "edit the selected customer", Some("edit")),
        b(&[k('s')], customers, Action::ChangeStatus, "change stage", Some("stage")),
        b(&[k('c')], customers, Action::LogCheckIn, "log a check-in for this customer", Some("check-in")),
        b(&[k('f')], customers, Action::NewFollowUp, "add a follow-up", None),
        b(&[k('t')], customers, Action::ToggleFollowUp, "mark a follow-up done / open", None),
        b(&[k('d')], customers, Action::Delete, "delete the selected customer", None),
        b(&[k('n')], checkins, Action::New, "log a check-in", Some("new")),
        b(&[k('e'), code(KeyCode::Enter)], checkins, Action::Edit, "edit the selected check-in", Some("edit")),
        b(&[k('l')], checkins, Action::LinkEvidence, "link to a backlog item as evidence", Some("link")),
        b(&[k('f')], checkins, Action::NewFollowUp, "add a follow-up", None),
        b(&[k('t')], checkins, Action::ToggleFollowUp, "mark a follow-up done / open", None),
        b(&[k('d')], checkins, Action::Delete, "delete the selected check-in", None),
        b(&[k('e'), code(KeyCode::Enter)], backlog, Action::Edit, "edit the selected item", Some("edit")),
        b(&[k('s')], backlog, Action::ChangeStatus, "change status", Some("status")),
        b(&[k('d')], backlog, Action::Delete, "delete the selected item", None),
        b(&[k('j'), code(KeyCode::Down)], List, Action::Down, "move down", None),
        b(&[k('k'), code(KeyCode::Up)], List, Action::Up, "move up", None),
        b(&[k('g'), code(KeyCode::Home)], List, Action::Top, "jump to the first row", None),
        b(&[k('G'), code(KeyCode::End)], List, Action::Bottom, "jump to the last row", None),
        b(&[code(KeyCode::PageDown), ctrl('d')], List, Action::PageDown, "page down", None),
        b(&[code(KeyCode::PageUp), ctrl('u')], List, Action::PageUp, "page up", None),
        b(&[k('/')], List, Action::StartFilter, "filter: words, or key=value", Some("filter")),
        b(&[code(KeyCode::Esc)], List, Action::ClearFilter, "clear the filter", None),
        b(&[k('o')], List, Action::CycleSort, "cycle the sort order", None),
        b(&[k('u')], List, Action::Undo, "undo your last change", Some("undo")),
        b(&[k('i')], List, Action::Import, "import a CSV file (preview first)", Some("import")),
        b(&[k('x')], List, Action::Export, "export this view to a CSV file", Some("export")),
        b(&[code(KeyCode::Enter)], file, Action::Accept, "pick the file (or open the folder)", Some("pick")),
        b(&[code(KeyCode::Esc)], file, Action::Cancel, "cancel the import", Some("cancel")),
        b(&[code(KeyCode::Tab)], file, wiz(WizardKey::Complete), "complete the path", Some("complete")),
        b(&[code(KeyCode::Right)], file, wiz(WizardKey::NextKind), "next record kind", Some("kind")),
        b(&[code(KeyCode::Left)], file, wiz(WizardKey::PrevKind), "previous record kind", None),
        b(&[code(KeyCode::Down), ctrl('n')], file, Action::Down, "next file", None),
        b(&[code(KeyCode::Up), ctrl('p')], file, Action::Up, "previous file", None),
        b(&[k('y'), code(KeyCode::Enter)], encoding, Action::Yes, "read the file as Windows-1252", Some("accept")),
        b(&[k('n'), code(KeyCode::Esc)], encoding, Action::No, "back: choose another file", Some("back")),
        b(&[k('a')], preview, wiz(WizardKey::Apply), "apply the import as one batch", Some("apply")),
        b(&[code(KeyCode::Tab)], preview, wiz(WizardKey::NextConflict), "next open conflict", Some("next conflict")),
        b(&[k('f')], preview, wiz(WizardKey::TakeFile), "conflict: take the file's value", Some("take file")),
        b(&[k('w')], preview, wiz(WizardKey::KeepWorkspace), "conflict: keep the workspace's value", Some("keep workspace")),
        b(&[k('F')], preview, wiz(WizardKey::TakeFileAll), "every conflict: take the file's value", Some("take all")),
        b(&[k('W')], preview, wiz(WizardKey::KeepWorkspaceAll), "every conflict: keep the workspace's value", Some("keep all")),
        b(&[k('d')], preview, wiz(WizardKey::ToggleDeleteMissing), "delete records missing from the file: on/off", Some("delete missing")),
        b(&[k('r')], preview, wiz(WizardKey::Reload), "read the file again", Some("reload")),
        b(&[code(KeyCode::Esc)], preview, Action::Cancel, "back: choose another file", Some("back")),
        b(&[k('j'), code(KeyCode::Down)], preview, Action::Down, "move down", None),
        b(&[k('k'), code(KeyCode::Up)], preview, Action::Up, "move up", None),
        b(&[code(KeyCode::PageDown), ctrl('d')], preview, Action::PageDown, "page down", None),
        b(&[code(KeyCode::PageUp), ctrl('u')], preview, Action::PageUp, "page up", None),
        b(&[k('g'), code(KeyCode::Home)], preview, Action::Top, "first line", None),
        b(&[k('G'), code(KeyCode::End)], preview, Action::Bottom, "last line", None),
        b(&[code(KeyCode::Enter)], export, Action::Accept, "write the file", Some("export")),
        b(&[code(KeyCode::Tab)], export, wiz(WizardKey::ToggleExcel), "Excel: UTF-8 with BOM and CRLF, on/off", Some("Excel")),
        b(&[code(KeyCode::Esc)], export, Action::Cancel, "cancel the export", Some("cancel")),
        b(&[code(KeyCode::Enter)], Filter, Action::Accept, "keep the filter", Some("keep")),
        b(&[code(KeyCode::Esc)], Filter, Action::Cancel, "clear the filter", Some("clear")),
        b(&[ctrl('s')], Form, Action::Save, "save", Some("save")),
        b(&[code(KeyCode::Esc)], Form, Action::Cancel, "cancel", Some("cancel")),
        b(&[code(KeyCode::Tab)], Form, Action::NextField, "next field", Some("next field")),
        b(&[code(KeyCode::BackTab)], Form, Action::PrevField, "previous field", None),
        b(&[code(KeyCode::Enter)], Form, Action::FormEnter, "next field (new line in notes)", None),
        b(&[k('y')], Confirm, Action::Yes, "yes", Some("yes")),
        b(&[k('n'), code(KeyCode::Esc)], Confirm, Action::No, "no", Some("no")),
        b(&[k('j'), code(KeyCode::Down)], Choose, Action::Down, "move down", None),
        b(&[k('k'), code(KeyCode::Up)], Choose, Action::Up, "move up", None),
        b(&[code(KeyCode::Enter)], Choose, Action::Accept, "choose", Some("choose")),
        b(&[code(KeyCode::Esc)], Choose, Action::Cancel, "cancel", Some("cancel")),
        b(&[code(KeyCode::Enter)], Prompt, Action::Accept, "confirm", Some("confirm")),
        b(&[code(KeyCode::Esc)], Prompt, Action::Cancel, "cancel", Some("cancel")),
        b(&[code(KeyCode::Esc), k('?'), k('q'), code(KeyCode::F(1))], Help, Action::Cancel, "close help", Some("close")),
        b(&[k('j'), code(KeyCode::Down)], Help, Action::Down, "scroll down", None),
        b(&[k('k'), code(KeyCode::Up)], Help, Action::Up, "scroll up", None),
        b(&[code(KeyCode::PageDown), k(' ')], Help, Action::PageDown, "page down", Some("more")),
        b(&[code(KeyCode::PageUp)], Help, Action::PageUp, "page up", None),
        b(&[code(KeyCode::Enter)], Palette, Action::Accept, "run the command", Some("run")),
        b(&[code(KeyCode::Enter)], Context::Pick, Action::Accept, "pick", Some("pick")),
        b(&[code(KeyCode::Esc)], Context::Pick, Action::Cancel, "cancel", Some("cancel")),
        b(&[code(KeyCode::Down), ctrl('n')], Context::Pick, Action::Down, "next match", None),
        b(&[code(KeyCode::Up), ctrl('p')], Context::Pick, Action::Up, "previous match", None),
        b(&[code(KeyCode::Esc)], Palette, Action::Cancel, "close", Some("close")),
        b(&[code(KeyCode::Down), ctrl('n')], Palette, Action::Down, "next match", None),
        b(&[code(KeyCode::Up), ctrl('p')], Palette, Action::Up, "previous match", None),
    ]
}
