//! Data before the grid lands: an honest panel that says what will be
//! here and what the workspace already holds.

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
        _ => (" Review ", Vec::new()),
    };
    let block = Block::bordered().title(Line::styled(title, theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
