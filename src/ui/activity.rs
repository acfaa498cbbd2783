//! The Activity list: the change log's batches, newest first.

use super::table;
use super::text::{count, one_line};
use super::theme::Theme;
use crate::app::State;
use crate::app::state::Mode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

pub fn render(state: &State, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let list = &state.activity;
    let rows = list
        .window
        .iter()
        .map(|b| {
            let when = b.at.replace('T', " ");
            let when = when.get(..16).unwrap_or(&when).to_string();
            vec![
                Cell::from(format!("#{}", b.id)),
                Cell::from(when),
                Cell::from(one_line(&b.actor)),
                Cell::from(count(b.change_count)),
                Cell::from(one_line(&b.label)),
            ]
        })
        .collect();
    let title = table::title("Activity", list, matches!(state.mode, Mode::Filter));
    table::draw(
        frame,
        area,
        theme,
        title,
        list,
        &["batch", "when (UTC)", "actor", "chg", "what"],
        &[
            Constraint::Length(6),
            Constraint::Length(16),
            Constraint::Length(8),
            Constraint::Length(4),
            Constraint::Fill(1),
        ],
        rows,
        (
            "No changes yet: every save, import and undo shows here.",
            "No changes match. Esc clears the filter.",
        ),
    );
}
