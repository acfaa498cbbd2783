//! The field schema editor, drawn over the grid: one line per field with
//! its key, type, unit, bounds, flags and how many values it holds.

use super::text::one_line;
use super::theme::Theme;
use crate::app::fields_editor::FieldsView;
use crate::domain::value::display_number;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn render(view: &FieldsView, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let height = u16::try_from(view.fields.len() + 6).unwrap_or(u16::MAX);
    let outer = super::layout::centered(area, 110, height.max(8));
    frame.render_widget(Clear, outer);
    let block = Block::bordered().title(Line::styled(
        format!(
            " Fields ({}) — the grid's columns, in order ",
            view.fields.len()
        ),
        theme.title(),
    ));
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    let mut lines = vec![Line::styled(
        format!(
            "{:<3} {:<22} {:<22} {:<8} {:<7} {:<13} {:>7}  flags",
            "#", "key", "label", "type", "unit", "range", "values"
        ),
        theme.label(),
    )];
    if view.fields.is_empty() {
        lines.push(Line::styled(
            "No fields yet: n adds the first column of your sheet.",
            theme.dim(),
        ));
    }
    let room = usize::from(inner.height).saturating_sub(3).max(1);
    let start = view.selected.saturating_sub(room.saturating_sub(1));
    for (i, f) in view.fields.iter().enumerate().skip(start).take(room) {
        let bound = |b: Option<f64>| b.map_or(String::new(), |v| display_number(f.field_type, v));
        let range = match (f.min, f.max) {
            (None, None) => String::new(),
            _ => format!("{}–{}", bound(f.min), bound(f.max)),
        };
        let mut flags = Vec::new();
        if f.required {
            flags.push("required");
        }
        if f.archived {
            flags.push("archived (hidden)");
        }
        let text = format!(
            "{:<3} {:<22} {:<22} {:<8} {:<7} {:<13} {:>7}  {}",
            i + 1,
            cut(&f.key, 22),
            cut(&f.label, 22),
            f.field_type.as_str(),
            cut(&f.unit, 7),
            cut(&range, 13),
            view.values.get(i).copied().unwrap_or(0),
            flags.join(", ")
        );
        let line = if i == view.selected {
            Line::styled(text, theme.selected())
        } else if f.archived {
            Line::styled(text, theme.dim())
        } else {
            Line::from(text)
        };
        lines.push(line);
    }
    lines.push(Line::from(""));
    if let Some(f) = view.selected_field().filter(|f| !f.description.is_empty()) {
        lines.push(Line::styled(one_line(&f.description), theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn cut(text: &str, width: usize) -> String {
    let text = one_line(text);
    if text.chars().count() > width {
        let head: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{head}…")
    } else {
        text
    }
}
