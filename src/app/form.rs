//! A form: one field per line, each a one-line editor, a multi-line
//! editor (ratatui-textarea, with undo, word movement and paste) or a
//! choice that cycles. Validation messages sit under their field.

use ratatui_textarea::{Input, Key, TextArea};

/// The editor behind a form field.
#[derive(Debug, Clone)]
pub enum FieldInput {
    Line(TextArea<'static>),
    Lines(TextArea<'static>),
    /// A closed list; `←`/`→`/Space cycle it.
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
}

impl FormField {
    pub fn line(name: &'static str, label: &'static str, value: &str) -> Self {
        Self {
            name,
            label,
            input: FieldInput::Line(editor(value)),
            required: false,
            error: None,
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

    #[must_use]
    pub fn required(mut self) -> Self {
        self.required = true;
        self
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

    /// Rows the field takes on screen (label line, editor, error line).
    pub fn height(&self) -> u16 {
        let editor = if self.is_multiline() { 5 } else { 1 };
        editor + u16::from(self.error.is_some())
    }

    fn input(&mut self, input: Input) {
        match &mut self.input {
            FieldInput::Line(t) => {
                if !matches!(input.key, Key::Enter) {
                    t.input(input);
                }
            }
            FieldInput::Lines(t) => {
                t.input(input);
            }
            FieldInput::Choice { options, index } => {
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
        }
    }

    fn paste(&mut self, text: &str) {
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

/// A new editor holding `value`.
pub fn editor(value: &str) -> TextArea<'static> {
    let lines: Vec<String> = if value.is_empty() {
        vec![String::new()]
    } else {
        value.split('\n').map(str::to_string).collect()
    };
    let mut t = TextArea::new(lines);
    t.set_cursor_line_style(ratatui::style::Style::default());
    t.move_cursor(ratatui_textarea::CursorMove::Bottom);
    t.move_cursor(ratatui_textarea::CursorMove::End);
    t
}

/// Which record a form saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormTarget {
    NewBacklog,
    EditBacklog { id: i64, rev: i64 },
}

#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    pub target: FormTarget,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// The values when the form opened, to know if anything changed.
    original: Vec<String>,
}

impl Form {
    /// A form whose focus starts on the first required text field, so the
    /// user can type at once.
    pub fn new(title: String, target: FormTarget, fields: Vec<FormField>) -> Self {
        let original = fields.iter().map(FormField::value).collect();
        let focus = fields
            .iter()
            .position(|f| f.required && !matches!(f.input, FieldInput::Choice { .. }))
            .unwrap_or(0);
        Self {
            title,
            target,
            fields,
            focus,
            original,
        }
    }

    pub fn is_changed(&self) -> bool {
        self.fields
            .iter()
            .map(FormField::value)
            .ne(self.original.iter().cloned())
    }

    pub fn value(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(FormField::value)
            .unwrap_or_default()
    }

    pub fn focused(&self) -> Option<&FormField> {
        self.fields.get(self.focus)
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn prev(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    /// Enter: a new line in a multi-line field, otherwise the next field.
    pub fn enter(&mut self) {
        match self.fields.get_mut(self.focus) {
            Some(field) if field.is_multiline() => field.input(Input {
                key: Key::Enter,
                ..Input::default()
            }),
            _ => self.next(),
        }
    }

    pub fn input(&mut self, input: Input) {
        if let Some(field) = self.fields.get_mut(self.focus) {
            field.input(input);
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(field) = self.fields.get_mut(self.focus) {
            field.paste(text);
        }
    }

    /// Puts each message under its field and focuses the first bad one.
    pub fn show_errors(&mut self, errors: &crate::domain::Invalid) {
        for field in &mut self.fields {
            field.error = errors.message_for(field.name).map(str::to_string);
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(c: char) -> Input {
        Input {
            key: Key::Char(c),
            ..Input::default()
        }
    }

    #[test]
    fn focus_starts_on_the_first_required_text_field() {
        let form = Form::new(
            "t".into(),
            FormTarget::NewBacklog,
            vec![
                FormField::choice("kind", "Kind", vec!["a".into(), "b".into()], "a"),
                FormField::line("statement", "Statement", "").required(),
            ],
        );
        assert_eq!(form.focus, 1);
        assert!(!form.is_changed());
    }

    #[test]
    fn typing_edits_and_choices_cycle() {
        let mut form = Form::new(
            "t".into(),
            FormTarget::NewBacklog,
            vec![
                FormField::line("statement", "Statement", "").required(),
                FormField::choice(
                    "kind",
                    "Kind",
                    vec!["hypothesis".into(), "risk".into()],
                    "hypothesis",
                ),
                FormField::lines("learning", "Learning", ""),
            ],
        );
        form.input(typed('h'));
        form.input(typed('i'));
        form.enter();
        form.input(typed('r'));
        form.next();
        form.input(typed('a'));
        form.enter();
        form.input(typed('b'));
        form.paste("c\r\nd");
        assert_eq!(form.value("statement"), "hi");
        assert_eq!(form.value("kind"), "risk");
        assert_eq!(form.value("learning"), "a\nbc\nd");
        assert!(form.is_changed());
    }
}
