//! The Backlog list: priority, status, evidence tally, statement.

use super::table;
use super::text::one_line;
use super::theme::Theme;
use crate::app::State;
use crate::app::state::Mode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::Cell;

pub fn render(state: &State, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let list = &state.backlog;
    let rows = list
        .window
        .iter()
        .map(|r| {
            let it = &r.item;
            let status = format!("{} {}", it.status.symbol(), it.status);
            let (plus, minus) = r.tally;
            let evidence = if r.evidence_count == 0 {
                "–".to_string()
            } else {
                format!("+{plus} −{minus}")
            };
            vec![
                Cell::from(format!("H-{}", it.id)),
                Cell::from(format!("{:>2}", it.priority())),
                Cell::from(Span::styled(status, theme.status(it.status))),
                Cell::from(evidence),
                Cell::from(one_line(short_statement(&it.statement))),
            ]
        })
        .collect();
    let title = table::title("Backlog", list, matches!(state.mode, Mode::Filter));
    table::draw(
        frame,
        area,
        theme,
        title,
        list,
        &["key", "pri", "status", "evidence", "statement"],
        &[
            Constraint::Length(5),
            Constraint::Length(3),
            Constraint::Length(13),
            Constraint::Length(8),
            Constraint::Fill(1),
        ],
        rows,
        (
            "No backlog items yet: n adds the first hypothesis, risk or opportunity, i imports a CSV file.",
            "No backlog items match. n adds one; Esc clears the filter.",
        ),
    );
}

/// The statement without the "We believe that" every hypothesis starts
/// with, so the list shows what differs.
fn short_statement(statement: &str) -> &str {
    let prefix = "we believe that ";
    match statement.get(..prefix.len()) {
        Some(head) if head.eq_ignore_ascii_case(prefix) => &statement[prefix.len()..],
        _ => statement,
    }
}
