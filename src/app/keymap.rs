//! The one keymap: (keys, context, action, description). Dispatch, the
//! footer hints, the `?` help and the `:` palette all read this table, so
//! they cannot drift apart.

mod table;

pub use table::bindings;

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
    /// The import wizard's steps: choosing the file, accepting an
    /// encoding, reading the preview.
    ImportFile,
    ImportEncoding,
    ImportPreview,
    /// The export prompt.
    Export,
    /// A Data grid cell being edited.
    Cell,
    /// The field schema editor.
    Fields,
}

/// A key with its modifiers, written as people write it: `n`, `G`,
/// `Ctrl-s`, `PgDn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    /// Alt must be held (a key without it matches with or without Alt).
    pub alt: bool,
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
        match (self.ctrl, self.alt) {
            (true, _) => format!("Ctrl-{base}"),
            (false, true) => format!("Alt-{base}"),
            (false, false) => base,
        }
    }

    fn matches(self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt_ok = !self.alt || event.modifiers.contains(KeyModifiers::ALT);
        self.code == event.code && self.ctrl == ctrl && alt_ok
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
    let mut taken: Vec<Key> = Vec::new();
    let mut out = Vec::new();
    for context in contexts {
        let bindings: Vec<&Binding> = keymap.iter().filter(|b| b.context == *context).collect();
        for binding in &bindings {
            // A binding whose every key a more specific context took
            // (Tab on the grid moves right) is not reachable here.
            let shadowed = binding.keys.iter().all(|k| taken.contains(k));
            if !shadowed && !seen.contains(&&binding.action) {
                seen.push(&binding.action);
                out.push(*binding);
            }
        }
        taken.extend(bindings.iter().flat_map(|b| b.keys.iter().copied()));
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
            Some(Action::New)
        );
        assert_eq!(
            lookup(&map, &normal_contexts(Pane::Review), &press('n')),
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
