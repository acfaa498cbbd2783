//! Data and Review before their capabilities land: an honest panel that
//! says what will be here and what the workspace already holds.

use super::theme::Theme;
use crate::app::{Pane, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn render(state: &State, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let (title, lines) = match state.pane {
        Pane::Data => (
            " Data ",
            vec![
                Line::from("The live-data grid comes with the Live data grid capability."),
                Line::from(""),
                Line::from(format!(
                    "This workspace already holds {} data fields and {} entries; they are kept,",
                    state.counts.fields, state.counts.entries
                )),
                Line::from("logged and undoable, and the grid will open straight onto them."),
            ],
        ),
        _ => (
            " Review ",
            vec![
                Line::from("The weekly review comes with the Weekly review capability."),
                Line::from(""),
                Line::from("Until then: Check-ins (3) shows who you talked to, Customers (2)"),
                Line::from("marks overdue customers with ⚠, and Activity (6) shows what changed."),
            ],
        ),
    };
    let block = Block::bordered().title(Line::styled(title, theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
