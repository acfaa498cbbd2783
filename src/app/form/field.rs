//! One form field: a one-line editor, a multi-line editor
//! (ratatui-textarea: undo, word movement, paste) or a closed choice.
//! One-line fields can offer completions from existing values, and date
//! fields show the day a shorthand like `-3d` stands for.

use crate::domain::dates::parse_date_input;
use chrono::NaiveDate;
use ratatui_textarea::{CursorMove, Input, Key, TextArea};

/// The editor behind a form field.
#[derive(Debug, Clone)]
pub enum FieldInput {
    Line(TextArea<'static>),
    Lines(TextArea<'static>),
    /// A closed list; `←`/`→`/Space cycle it, a letter jumps.
    Choice {
        options: Vec<String>,
        index: usize,
    },
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub name: &'static str,
    pub label: &'static str,
    pub input: FieldInput,
    pub required: bool,
    pub error: Option<String>,
    /// Existing values offered as completions (`→` at the end accepts).
    pub suggestions: Vec<String>,
    /// The value must be one of `suggestions`; leaving the field completes
    /// a partial entry to the best match.
    pub strict: bool,
    /// A date field: shorthands are shown resolved against this day.
    pub date_today: Option<NaiveDate>,
    /// Completion applies to the word being typed (tags), not the whole text.
    pub words: bool,
}

impl FormField {
    pub fn line(name: &'static str, label: &'static str, value: &str) -> Self {
        Self {
            name,
            label,
            input: FieldInput::Line(editor(value)),
            required: false,
            error: None,
            suggestions: Vec::new(),
            strict: false,
            date_today: None,
            words: false,
        }
    }

    pub fn lines(name: &'static str, label: &'static str, value: &str) -> Self {
        Self {
            input: FieldInput::Lines(editor(value)),
            ..Self::line(name, label, "")
        }
    }

    pub fn choice(
        name: &'static str,
        label: &'static str,
        options: Vec<String>,
        value: &str,
    ) -> Self {
        let index = options.iter().position(|o| o == value).unwrap_or(0);
        Self {
            input: FieldInput::Choice { options, index },
            ..Self::line(name, label, "")
        }
    }

    /// A date typed as `today`, `-3d`, `+1w`, `2026-11-20` or `11/20`.
    pub fn date(
        name: &'static str,
        label: &'static str,
        value: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Self {
        Self {
            date_today: Some(today),
            ..Self::line(
                name,
                label,
                &value.map(|d| d.to_string()).unwrap_or_default(),
            )
        }
    }

    #[must_use]
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Offers `values` as completions; `strict` makes them the only choices.
    #[must_use]
    pub fn suggest(mut self, values: Vec<String>, strict: bool) -> Self {
        self.suggestions = values;
        self.strict = strict;
        self
    }

    /// Offers `values` as completions of the last word typed (tags).
    #[must_use]
    pub fn suggest_words(mut self, values: Vec<String>) -> Self {
        self.suggestions = values;
        self.words = true;
        self
    }

    /// The text completion applies to: all of it, or its last word.
    fn completing(&self) -> (String, String) {
        let text = self.value();
        if !self.words {
            return (String::new(), text.trim().to_string());
        }
        let cut = text.rfind([' ', ',']).map_or(0, |i| i + 1);
        (text[..cut].to_string(), text[cut..].to_string())
    }

    /// The field's current text.
    pub fn value(&self) -> String {
        match &self.input {
            FieldInput::Line(t) | FieldInput::Lines(t) => t.lines().join("\n"),
            FieldInput::Choice { options, index } => {
                options.get(*index).cloned().unwrap_or_default()
            }
        }
    }

    pub fn is_multiline(&self) -> bool {
        matches!(self.input, FieldInput::Lines(_))
    }

    /// Rows the field takes on screen (editor and error line).
    pub fn height(&self) -> u16 {
        let editor = if self.is_multiline() { 5 } else { 1 };
        editor + u16::from(self.error.is_some())
    }

    /// The suggestion the typed text would complete to: the first that
    /// starts with it (ignoring case), or for strict fields the first that
    /// contains its letters in order.
    pub fn completion(&self) -> Option<&str> {
        let (_, typed) = self.completing();
        let typed = typed.trim();
        if typed.is_empty()
            || self
                .suggestions
                .iter()
                .any(|s| s.eq_ignore_ascii_case(typed))
        {
            return None;
        }
        let lower = typed.to_lowercase();
        self.suggestions
            .iter()
            .find(|s| s.to_lowercase().starts_with(&lower))
            .or_else(|| {
                self.strict
                    .then(|| {
                        self.suggestions
                            .iter()
                            .find(|s| crate::domain::matching::fuzzy(s, typed))
                    })
                    .flatten()
            })
            .map(String::as_str)
    }

    /// Replaces the text with its completion, if there is one.
    pub fn complete(&mut self) {
        if let (Some(done), FieldInput::Line(_)) =
            (self.completion().map(str::to_string), &self.input)
        {
            let (head, _) = self.completing();
            self.input = FieldInput::Line(editor(&format!("{head}{done}")));
        }
    }

    /// What a date field's text stands for, or why it is not a date.
    pub fn date_hint(&self) -> Option<Result<NaiveDate, String>> {
        let today = self.date_today?;
        let text = self.value();
        if text.trim().is_empty() {
            return None;
        }
        Some(
            parse_date_input(&text, today)
                .ok_or_else(|| "not a date: try today, -3d, +1w, 2026-11-20, 11/20".into()),
        )
    }

    pub(super) fn input(&mut self, input: Input) {
        let completes =
            matches!(input.key, Key::Right) && self.at_line_end() && self.completion().is_some();
        match &mut self.input {
            FieldInput::Line(_) if completes => self.complete(),
            FieldInput::Line(t) => {
                if !matches!(input.key, Key::Enter) {
                    t.input(input);
                }
            }
            FieldInput::Lines(t) => {
                t.input(input);
            }
            FieldInput::Choice { options, index } => cycle(options, index, &input),
        }
    }

    fn at_line_end(&self) -> bool {
        match &self.input {
            FieldInput::Line(t) => {
                t.cursor().1 == t.lines().first().map_or(0, |l| l.chars().count())
            }
            _ => false,
        }
    }

    /// Moves the editor's view back to the top left, keeping the cursor;
    /// the next draw scrolls only as far as the cursor needs.
    pub(super) fn unscroll(&mut self) {
        if let FieldInput::Line(t) | FieldInput::Lines(t) = &mut self.input {
            let ratatui_textarea::DataCursor(row, col) = t.cursor();
            let (top, left) = t.scroll_offset();
            let back = |n: u16| -i16::try_from(n).unwrap_or(i16::MAX);
            t.scroll((back(top), back(left)));
            let jump = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
            t.move_cursor(CursorMove::Jump(jump(row), jump(col)));
        }
    }

    pub(super) fn paste(&mut self, text: &str) {
        match &mut self.input {
            FieldInput::Line(t) => {
                t.insert_str(text.replace(['\r', '\n'], " "));
            }
            FieldInput::Lines(t) => {
                t.insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
            }
            FieldInput::Choice { .. } => {}
        }
    }
}

fn cycle(options: &[String], index: &mut usize, input: &Input) {
    let n = options.len().max(1);
    match input.key {
        Key::Right | Key::Char(' ') => *index = (*index + 1) % n,
        Key::Left => *index = (*index + n - 1) % n,
        Key::Char(c) => {
            // Typing a letter jumps to the next option starting with it.
            let start = *index + 1;
            if let Some(found) = (0..n).map(|i| (start + i) % n).find(|i| {
                options[*i]
                    .to_lowercase()
                    .starts_with(c.to_ascii_lowercase())
            }) {
                *index = found;
            }
        }
        _ => {}
    }
}

/// A new editor holding `value`, cursor at the end.
pub fn editor(value: &str) -> TextArea<'static> {
    let lines: Vec<String> = if value.is_empty() {
        vec![String::new()]
    } else {
        value.split('\n').map(str::to_string).collect()
    };
    let mut t = TextArea::new(lines);
    t.set_cursor_line_style(ratatui::style::Style::default());
    t.move_cursor(CursorMove::Bottom);
    t.move_cursor(CursorMove::End);
    t
}
