//! The `:` command palette: fuzzy-finds every command of the keymap that
//! applies where the user is.

use super::action::Action;
use super::keymap::{Binding, Context, active, keys_label};

#[derive(Debug, Clone, Default)]
pub struct PaletteState {
    pub query: String,
    pub selected: usize,
}

/// One palette line: what it does, its keys, the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub description: &'static str,
    pub keys: String,
    pub action: Action,
}

/// Commands matching `query` on `pane`, best first.
pub fn matches(keymap: &[Binding], contexts: &[Context], query: &str) -> Vec<Command> {
    let typing = contexts.contains(&Context::Typing);
    let mut scored: Vec<(i64, Command)> = active(keymap, contexts)
        .into_iter()
        .filter(|b| !matches!(b.action, Action::Palette))
        .filter_map(|b| {
            score(b.description, query).map(|s| {
                (
                    s,
                    Command {
                        description: b.description,
                        keys: keys_label(b, typing),
                        action: b.action.clone(),
                    },
                )
            })
        })
        .collect();
    scored.sort_by_key(|(s, _)| -s);
    scored.into_iter().map(|(_, c)| c).collect()
}

/// Letters of `query` in order within `text`; contiguous and word-start
/// matches score higher. `None` when they do not all appear.
pub fn score(text: &str, query: &str) -> Option<i64> {
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let mut score = 0;
    let mut pos = 0;
    let mut last: Option<usize> = None;
    for q in query.to_lowercase().chars().filter(|c| !c.is_whitespace()) {
        let found = (pos..text.len()).find(|i| text[*i] == q)?;
        score += 1;
        if last.is_some_and(|l| l + 1 == found) {
            score += 3;
        }
        if found == 0 || text[found - 1] == ' ' {
            score += 2;
        }
        last = Some(found);
        pos = found + 1;
    }
    Some(score * 100 - text.len() as i64)
}

/// Typing into a search line (palette, picker): a character or a paste
/// adds, Backspace removes; the selection goes back to the best match.
/// False when the action is not typing.
pub fn edit_query(query: &mut String, selected: &mut usize, action: &Action) -> bool {
    use ratatui_textarea::{Input, Key};
    match action {
        Action::Input(Input {
            key: Key::Backspace,
            ..
        }) => {
            query.pop();
        }
        Action::Input(Input {
            key: Key::Char(c),
            ctrl: false,
            ..
        }) => query.push(*c),
        Action::Paste(text) => query.push_str(&text.replace(['\n', '\r'], " ")),
        _ => return false,
    }
    *selected = 0;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::Pane;
    use crate::app::keymap::{bindings, normal_contexts};

    #[test]
    fn palette_finds_commands_fuzzily() {
        let map = bindings();
        let found = matches(&map, &normal_contexts(Pane::Backlog), "new");
        assert_eq!(found.first().map(|c| &c.action), Some(&Action::New));
        let found = matches(&map, &normal_contexts(Pane::Backlog), "chst");
        assert_eq!(
            found.first().map(|c| &c.action),
            Some(&Action::ChangeStatus)
        );
        assert!(matches(&map, &normal_contexts(Pane::Backlog), "zzz").is_empty());
    }
}
