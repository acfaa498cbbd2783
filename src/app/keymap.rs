//! The one keymap: (keys, context, action, description). Dispatch, the
//! footer hints, the `?` help and the `:` palette all read this table, so
//! they cannot drift apart.

use super::action::{Action, Pane};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Normal mode, any pane.
    Global,
    /// Normal mode on a list pane.
    List,
    /// Normal mode on one pane.
    On(Pane),
    Filter,
    Form,
    Confirm,
    Choose,
    Prompt,
    Help,
    Palette,
    Pick,
    /// The Review pane while a walkthrough runs.
    Walkthrough,
}

/// A key with its modifiers, written as people write it: `n`, `G`,
/// `Ctrl-s`, `PgDn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

impl Key {
    /// How the key is shown in help and hints.
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }

    fn matches(self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b && self.ctrl == ctrl,
            (a, b) => a == b && self.ctrl == ctrl,
        }
    }
}

/// One row of the keymap.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub context: Context,
    pub action: Action,
    pub description: &'static str,
    /// A short label for the footer when its context is active.
    pub hint: Option<&'static str>,
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

/// The whole keymap, in the order help lists it.
pub fn bindings() -> Vec<Binding> {
    use Context::{Choose, Confirm, Filter, Form, Global, Help, List, Palette, Prompt};
    let backlog = Context::On(Pane::Backlog);
    let customers = Context::On(Pane::Customers);
    let review = Context::On(Pane::Review);
    let walk = Context::Walkthrough;
    let checkins = Context::On(Pane::CheckIns);
    let activity = Context::On(Pane::Activity);
    vec![
        b(
            &[k('?')],
            Global,
            Action::Help,
            "show the keys of this pane",
            Some("help"),
        ),
        b(
            &[k(':')],
            Global,
            Action::Palette,
            "command palette",
            Some("commands"),
        ),
        b(
            &[k('q'), ctrl('c')],
            Global,
            Action::Quit,
            "quit",
            Some("quit"),
        ),
        b(
            &[k('1')],
            Global,
            Action::Pane(Pane::Backlog),
            "go to Backlog",
            None,
        ),
        b(
            &[k('2')],
            Global,
            Action::Pane(Pane::Customers),
            "go to Customers",
            None,
        ),
        b(
            &[k('3')],
            Global,
            Action::Pane(Pane::CheckIns),
            "go to Check-ins",
            None,
        ),
        b(
            &[k('4')],
            Global,
            Action::Pane(Pane::Data),
            "go to Data",
            None,
        ),
        b(
            &[k('5')],
            Global,
            Action::Pane(Pane::Review),
            "go to Review",
            None,
        ),
        b(
            &[k('6')],
            Global,
            Action::Pane(Pane::Activity),
            "go to Activity",
            None,
        ),
        b(
            &[code(KeyCode::Tab)],
            Global,
            Action::NextPane,
            "next pane",
            None,
        ),
        b(
            &[code(KeyCode::BackTab)],
            Global,
            Action::PrevPane,
            "previous pane",
            None,
        ),
        // Activity's own keys come before the general list keys so `u`
        // there undoes the selected batch.
        b(
            &[k('u')],
            activity,
            Action::UndoSelected,
            "undo the selected batch (undo an undo to redo)",
            Some("undo batch"),
        ),
        b(
            &[k('n')],
            backlog,
            Action::New,
            "new backlog item",
            Some("new"),
        ),
        b(
            &[k('[')],
            review,
            Action::PrevWeek,
            "previous week",
            Some("prev week"),
        ),
        b(
            &[k(']')],
            review,
            Action::NextWeek,
            "next week",
            Some("next week"),
        ),
        b(
            &[k('.')],
            review,
            Action::ThisWeek,
            "back to this week",
            None,
        ),
        b(
            &[k('w')],
            review,
            Action::StartWalkthrough,
            "walk through what needs a decision",
            Some("walkthrough"),
        ),
        b(
            &[k('j'), code(KeyCode::Down)],
            review,
            Action::Down,
            "scroll down",
            None,
        ),
        b(
            &[k('k'), code(KeyCode::Up)],
            review,
            Action::Up,
            "scroll up",
            None,
        ),
        b(
            &[code(KeyCode::PageDown), ctrl('d')],
            review,
            Action::PageDown,
            "page down",
            None,
        ),
        b(
            &[code(KeyCode::PageUp), ctrl('u')],
            review,
            Action::PageUp,
            "page up",
            None,
        ),
        b(
            &[k('n'), code(KeyCode::Right), k(' ')],
            walk,
            Action::WalkNext,
            "skip to the next item",
            Some("next"),
        ),
        b(
            &[k('b'), code(KeyCode::Left)],
            walk,
            Action::WalkBack,
            "back to the previous item",
            None,
        ),
        b(
            &[k('d')],
            walk,
            Action::WalkDecide,
            "decide this test (choose its status)",
            Some("decide"),
        ),
        b(
            &[k('p')],
            walk,
            Action::WalkPark,
            "park this test",
            Some("park"),
        ),
        b(
            &[k('c')],
            walk,
            Action::WalkCheckIn,
            "schedule a check-in with this customer",
            Some("check-in"),
        ),
        b(
            &[k('x')],
            walk,
            Action::WalkDone,
            "mark this follow-up done",
            Some("done"),
        ),
        b(
            &[k('f')],
            walk,
            Action::WalkFinish,
            "finish: record the review",
            Some("finish"),
        ),
        b(
            &[code(KeyCode::Esc)],
            walk,
            Action::WalkEnd,
            "leave the walkthrough",
            None,
        ),
        b(
            &[k('l')],
            backlog,
            Action::LinkEvidence,
            "link a check-in as evidence",
            None,
        ),
        b(
            &[k('n')],
            customers,
            Action::New,
            "new customer",
            Some("new"),
        ),
        b(
            &[k('e'), code(KeyCode::Enter)],
            customers,
            Action::Edit,
            "edit the selected customer",
            Some("edit"),
        ),
        b(
            &[k('s')],
            customers,
            Action::ChangeStatus,
            "change stage",
            Some("stage"),
        ),
        b(
            &[k('c')],
            customers,
            Action::LogCheckIn,
            "log a check-in for this customer",
            Some("check-in"),
        ),
        b(
            &[k('f')],
            customers,
            Action::NewFollowUp,
            "add a follow-up",
            None,
        ),
        b(
            &[k('t')],
            customers,
            Action::ToggleFollowUp,
            "mark a follow-up done / open",
            None,
        ),
        b(
            &[k('d')],
            customers,
            Action::Delete,
            "delete the selected customer",
            None,
        ),
        b(
            &[k('n')],
            checkins,
            Action::New,
            "log a check-in",
            Some("new"),
        ),
        b(
            &[k('e'), code(KeyCode::Enter)],
            checkins,
            Action::Edit,
            "edit the selected check-in",
            Some("edit"),
        ),
        b(
            &[k('l')],
            checkins,
            Action::LinkEvidence,
            "link to a backlog item as evidence",
            Some("link"),
        ),
        b(
            &[k('f')],
            checkins,
            Action::NewFollowUp,
            "add a follow-up",
            None,
        ),
        b(
            &[k('t')],
            checkins,
            Action::ToggleFollowUp,
            "mark a follow-up done / open",
            None,
        ),
        b(
            &[k('d')],
            checkins,
            Action::Delete,
            "delete the selected check-in",
            None,
        ),
        b(
            &[k('e'), code(KeyCode::Enter)],
            backlog,
            Action::Edit,
            "edit the selected item",
            Some("edit"),
        ),
        b(
            &[k('s')],
            backlog,
            Action::ChangeStatus,
            "change status",
            Some("status"),
        ),
        b(
            &[k('d')],
            backlog,
            Action::Delete,
            "delete the selected item",
            None,
        ),
        b(
            &[k('j'), code(KeyCode::Down)],
            List,
            Action::Down,
            "move down",
            None,
        ),
        b(
            &[k('k'), code(KeyCode::Up)],
            List,
            Action::Up,
            "move up",
            None,
        ),
        b(
            &[k('g'), code(KeyCode::Home)],
            List,
            Action::Top,
            "jump to the first row",
            None,
        ),
        b(
            &[k('G'), code(KeyCode::End)],
            List,
            Action::Bottom,
            "jump to the last row",
            None,
        ),
        b(
            &[code(KeyCode::PageDown), ctrl('d')],
            List,
            Action::PageDown,
            "page down",
            None,
        ),
        b(
            &[code(KeyCode::PageUp), ctrl('u')],
            List,
            Action::PageUp,
            "page up",
            None,
        ),
        b(
            &[k('/')],
            List,
            Action::StartFilter,
            "filter: words, or key=value",
            Some("filter"),
        ),
        b(
            &[code(KeyCode::Esc)],
            List,
            Action::ClearFilter,
            "clear the filter",
            None,
        ),
        b(
            &[k('o')],
            List,
            Action::CycleSort,
            "cycle the sort order",
            None,
        ),
        b(
            &[k('u')],
            List,
            Action::Undo,
            "undo your last change",
            Some("undo"),
        ),
        b(
            &[code(KeyCode::Enter)],
            Filter,
            Action::Accept,
            "keep the filter",
            Some("keep"),
        ),
        b(
            &[code(KeyCode::Esc)],
            Filter,
            Action::Cancel,
            "clear the filter",
            Some("clear"),
        ),
        b(&[ctrl('s')], Form, Action::Save, "save", Some("save")),
        b(
            &[code(KeyCode::Esc)],
            Form,
            Action::Cancel,
            "cancel",
            Some("cancel"),
        ),
        b(
            &[code(KeyCode::Tab)],
            Form,
            Action::NextField,
            "next field",
            Some("next field"),
        ),
        b(
            &[code(KeyCode::BackTab)],
            Form,
            Action::PrevField,
            "previous field",
            None,
        ),
        b(
            &[code(KeyCode::Enter)],
            Form,
            Action::FormEnter,
            "next field (new line in notes)",
            None,
        ),
        b(&[k('y')], Confirm, Action::Yes, "yes", Some("yes")),
        b(
            &[k('n'), code(KeyCode::Esc)],
            Confirm,
            Action::No,
            "no",
            Some("no"),
        ),
        b(
            &[k('j'), code(KeyCode::Down)],
            Choose,
            Action::Down,
            "move down",
            None,
        ),
        b(
            &[k('k'), code(KeyCode::Up)],
            Choose,
            Action::Up,
            "move up",
            None,
        ),
        b(
            &[code(KeyCode::Enter)],
            Choose,
            Action::Accept,
            "choose",
            Some("choose"),
        ),
        b(
            &[code(KeyCode::Esc)],
            Choose,
            Action::Cancel,
            "cancel",
            Some("cancel"),
        ),
        b(
            &[code(KeyCode::Enter)],
            Prompt,
            Action::Accept,
            "confirm",
            Some("confirm"),
        ),
        b(
            &[code(KeyCode::Esc)],
            Prompt,
            Action::Cancel,
            "cancel",
            Some("cancel"),
        ),
        b(
            &[code(KeyCode::Esc), k('?'), k('q')],
            Help,
            Action::Cancel,
            "close help",
            Some("close"),
        ),
        b(
            &[code(KeyCode::Enter)],
            Palette,
            Action::Accept,
            "run the command",
            Some("run"),
        ),
        b(
            &[code(KeyCode::Enter)],
            Context::Pick,
            Action::Accept,
            "pick",
            Some("pick"),
        ),
        b(
            &[code(KeyCode::Esc)],
            Context::Pick,
            Action::Cancel,
            "cancel",
            Some("cancel"),
        ),
        b(
            &[code(KeyCode::Down), ctrl('n')],
            Context::Pick,
            Action::Down,
            "next match",
            None,
        ),
        b(
            &[code(KeyCode::Up), ctrl('p')],
            Context::Pick,
            Action::Up,
            "previous match",
            None,
        ),
        b(
            &[code(KeyCode::Esc)],
            Palette,
            Action::Cancel,
            "close",
            Some("close"),
        ),
        b(
            &[code(KeyCode::Down), ctrl('n')],
            Palette,
            Action::Down,
            "next match",
            None,
        ),
        b(
            &[code(KeyCode::Up), ctrl('p')],
            Palette,
            Action::Up,
            "previous match",
            None,
        ),
    ]
}

/// The contexts active in normal mode on `pane`, most specific first.
pub fn normal_contexts(pane: Pane) -> Vec<Context> {
    pane_contexts(pane, false)
}

/// [`normal_contexts`], with the walkthrough's keys first while one runs.
pub fn pane_contexts(pane: Pane, walking: bool) -> Vec<Context> {
    let mut contexts = if walking && pane == Pane::Review {
        vec![Context::Walkthrough]
    } else {
        Vec::new()
    };
    contexts.push(Context::On(pane));
    if pane.is_list() {
        contexts.push(Context::List);
    }
    contexts.push(Context::Global);
    contexts
}

/// The action bound to `event` in the first context that binds it.
pub fn lookup(keymap: &[Binding], contexts: &[Context], event: &KeyEvent) -> Option<Action> {
    contexts.iter().find_map(|context| {
        keymap
            .iter()
            .find(|b| b.context == *context && b.keys.iter().any(|key| key.matches(event)))
            .map(|b| b.action.clone())
    })
}

/// The bindings that apply in `contexts`, first one per action (what the
/// help popup and the palette list).
pub fn active<'a>(keymap: &'a [Binding], contexts: &[Context]) -> Vec<&'a Binding> {
    let mut seen: Vec<&Action> = Vec::new();
    let mut out = Vec::new();
    for context in contexts {
        for binding in keymap.iter().filter(|b| b.context == *context) {
            if !seen.contains(&&binding.action) {
                seen.push(&binding.action);
                out.push(binding);
            }
        }
    }
    out
}

/// The keys of a binding joined for display: `j/↓`.
pub fn keys_label(binding: &Binding) -> String {
    binding
        .keys
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn pane_keys_shadow_list_keys() {
        let map = bindings();
        let activity = normal_contexts(Pane::Activity);
        let backlog = normal_contexts(Pane::Backlog);
        assert_eq!(
            lookup(&map, &activity, &press('u')),
            Some(Action::UndoSelected)
        );
        assert_eq!(lookup(&map, &backlog, &press('u')), Some(Action::Undo));
        assert_eq!(lookup(&map, &backlog, &press('n')), Some(Action::New));
        assert_eq!(
            lookup(&map, &normal_contexts(Pane::Data), &press('n')),
            None
        );
        assert_eq!(
            lookup(&map, &normal_contexts(Pane::Customers), &press('c')),
            Some(Action::LogCheckIn)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        let map = bindings();
        for (i, a) in map.iter().enumerate() {
            for other in &map[i + 1..] {
                if a.context == other.context {
                    for key in &a.keys {
                        assert!(
                            !other.keys.contains(key),
                            "{key:?} twice in {:?}",
                            a.context
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn ctrl_keys_need_ctrl() {
        let map = bindings();
        let ctx = [Context::Form];
        let plain = press('s');
        let held = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&map, &ctx, &plain), None);
        assert_eq!(lookup(&map, &ctx, &held), Some(Action::Save));
    }
}
