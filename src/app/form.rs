//! A form: one field per line (see [`FormField`]), validation messages
//! under their field, focus on the first required text field.

mod field;
mod merge;

pub use field::{FieldInput, FormField, editor};
pub use merge::Merged;
use ratatui_textarea::{Input, Key};

/// Which record a form saves; `id` 0 is a new record. `rev` is the rev
/// the record had when the form opened (a conflict if it moved since).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormTarget {
    Backlog {
        id: i64,
        rev: i64,
    },
    Customer {
        id: i64,
        rev: i64,
    },
    CheckIn {
        id: i64,
        rev: i64,
    },
    FollowUp {
        id: i64,
        rev: i64,
        customer_id: i64,
        checkin_id: Option<i64>,
    },
    Evidence {
        item_id: i64,
        checkin_id: i64,
        /// The existing link (id, rev) being edited; `None` for a new one.
        link: Option<(i64, i64)>,
    },
    /// A live-data field (the schema editor).
    Field {
        id: i64,
        rev: i64,
    },
    /// The weekly review being recorded (the walkthrough's week).
    Review,
    /// Fields a status change needs, saved together with the move.
    BacklogMove {
        id: i64,
        rev: i64,
        to: crate::domain::Status,
    },
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

    pub fn field(&self, name: &str) -> Option<&FormField> {
        self.fields.iter().find(|f| f.name == name)
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

    /// Leaves the focused field (completing a strict one) for the next.
    pub fn next(&mut self) {
        self.complete_focused();
        self.focus = (self.focus + 1) % self.fields.len().max(1);
        self.select_focused();
    }

    pub fn prev(&mut self) {
        self.complete_focused();
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
        self.select_focused();
    }

    /// Entering a one-line field selects its text, so typing replaces it
    /// (as in a spreadsheet) while arrows keep it.
    fn select_focused(&mut self) {
        if let Some(FormField {
            input: FieldInput::Line(t),
            ..
        }) = self.fields.get_mut(self.focus)
        {
            t.select_all();
        }
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

    fn complete_focused(&mut self) {
        if let Some(field) = self.fields.get_mut(self.focus)
            && field.strict
        {
            field.complete();
        }
    }

    pub fn input(&mut self, input: Input) {
        if let Some(field) = self.fields.get_mut(self.focus) {
            field.input(input);
        }
    }

    /// After a resize: every text field's view starts again from its first
    /// column, so a field narrowed and widened again shows its whole text
    /// (the editor's view only ever scrolls to keep the cursor in sight).
    pub fn unscroll(&mut self) {
        for field in &mut self.fields {
            field.unscroll();
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(field) = self.fields.get_mut(self.focus) {
            field.paste(text);
        }
    }

    /// "required" for each required field left empty.
    pub fn missing_required(&self) -> crate::domain::Invalid {
        let mut errors = crate::domain::Invalid::default();
        for field in self
            .fields
            .iter()
            .filter(|f| f.required && f.value().trim().is_empty())
        {
            errors.push(field.name, "required");
        }
        errors
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
            FormTarget::Backlog { id: 0, rev: 0 },
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
            FormTarget::Backlog { id: 0, rev: 0 },
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

    #[test]
    fn tags_complete_the_word_being_typed_and_owners_the_whole_text() {
        let mut tags = FormField::line("tags", "Tags", "pricing fi")
            .suggest_words(vec!["field-ops".into(), "pricing".into()]);
        assert_eq!(tags.completion(), Some("field-ops"));
        tags.complete();
        assert_eq!(tags.value(), "pricing field-ops");
        let owner = FormField::line("owner", "Owner", "mig").suggest(vec!["miguel".into()], false);
        assert_eq!(owner.completion(), Some("miguel"));
        let exact =
            FormField::line("owner", "Owner", "Miguel").suggest(vec!["miguel".into()], false);
        assert_eq!(exact.completion(), None);
    }
}
