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
    /// The chart view.
    Chart,
    /// Listed first where a printable key types text (the Data grid in
    /// normal mode): no binding lives here, and it hides every binding of
    /// the later contexts that a typed character would trigger.
    Typing,
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
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        match (self.ctrl, self.alt) {
            (true, _) => format!("Ctrl-{base}"),
            (false, true) => format!("Alt-{base}"),
            (false, false) => base,
        }
    }

    /// Whether typing text produces this key (a character without Ctrl
    /// or Alt), so it can never be a command where text is typed.
    pub fn is_text(self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.ctrl && !self.alt
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
    } else if pane == Pane::Data {
        vec![Context::Typing]
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
    if contexts.contains(&Context::Typing) && is_typed(event) {
        return None;
    }
    contexts.iter().find_map(|context| {
        keymap
            .iter()
            .find(|b| b.context == *context && b.keys.iter().any(|key| key.matches(event)))
            .map(|b| b.action.clone())
    })
}

/// Whether `event` is a character typed as text (no Ctrl, no Alt).
pub fn is_typed(event: &KeyEvent) -> bool {
    matches!(event.code, KeyCode::Char(_))
        && !event
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// The bindings that apply in `contexts`, first one per action (what the
/// help popup and the palette list).
pub fn active<'a>(keymap: &'a [Binding], contexts: &[Context]) -> Vec<&'a Binding> {
    let mut seen: Vec<&Action> = Vec::new();
    let mut taken: Vec<Key> = Vec::new();
    let typing = contexts.contains(&Context::Typing);
    let mut out = Vec::new();
    for context in contexts {
        let bindings: Vec<&Binding> = keymap.iter().filter(|b| b.context == *context).collect();
        for binding in &bindings {
            // A binding whose every key a more specific context took
            // (Tab on the grid moves right) is not reachable here.
            // Where text is typed, a plain character is never a command.
            let shadowed = binding
                .keys
                .iter()
                .all(|k| taken.contains(k) || (typing && k.is_text()));
            if !shadowed && !seen.contains(&&binding.action) {
                seen.push(&binding.action);
                out.push(*binding);
            }
        }
        taken.extend(bindings.iter().flat_map(|b| b.keys.iter().copied()));
    }
    out
}

/// The keys of a binding joined for display: `j/↓`; where text is typed
/// (`typing`), only the keys that are not text.
pub fn keys_label(binding: &Binding, typing: bool) -> String {
    binding
        .keys
        .iter()
        .filter(|k| !(typing && k.is_text()))
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join("/")
}

/// The key a footer hint shows for `binding`: its first, or where text
/// is typed its first that is not text.
pub fn hint_key(binding: &Binding, typing: bool) -> String {
    binding
        .keys
        .iter()
        .find(|k| !(typing && k.is_text()))
        .map(|k| k.label())
        .unwrap_or_default()
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
        // On the grid a typed character is text, never a command.
        assert_eq!(
            lookup(&map, &normal_contexts(Pane::Data), &press('n')),
            None
        );
        assert_eq!(
            lookup(
                &map,
                &normal_contexts(Pane::Data),
                &KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL)
            ),
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
    fn no_grid_command_is_a_key_that_typing_produces() {
        let map = bindings();
        let grid = normal_contexts(Pane::Data);
        for binding in active(&map, &grid) {
            assert!(
                binding.keys.iter().any(|k| !k.is_text()),
                "{:?} on the grid has only text keys",
                binding.action
            );
        }
        for c in (' '..='~').chain("éßü€–".chars()) {
            assert_eq!(lookup(&map, &grid, &press(c)), None, "{c:?} is a command");
        }
        let alt = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT);
        for (n, pane) in Pane::ALL.iter().enumerate() {
            let digit = char::from(b'1' + u8::try_from(n).expect("six panes"));
            for on in Pane::ALL {
                assert_eq!(
                    lookup(&map, &normal_contexts(on), &alt(digit)),
                    Some(Action::Pane(*pane)),
                    "Alt-{digit} on {on:?}"
                );
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
