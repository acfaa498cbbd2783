//! The list block every list pane draws: a titled border, a column
//! header, and only the rows of the visible window, the selected one
//! highlighted.

use super::theme::Theme;
use crate::app::state::ListPane;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

/// The pane title: "Backlog (18 · filter: status=testing · sort: priority)".
pub fn title<R>(name: &str, list: &ListPane<R>, filtering: bool) -> String {
    let mut parts = vec![list.ids.len().to_string()];
    if !list.query.filter.is_empty() || filtering {
        let cursor = if filtering { "▏" } else { "" };
        parts.push(format!(
            "filter: {}{cursor}",
            super::text::one_line(&list.query.filter)
        ));
    }
    let sorts = crate::store::sorts_for(list.kind);
    if list.query.sort > 0 {
        parts.push(format!(
            "sort: {}",
            sorts.get(list.query.sort).copied().unwrap_or_default()
        ));
    }
    format!(" {name} ({}) ", parts.join(" · "))
}

/// Draws `rows` (the window) under `header` with column `widths`. An empty
/// list says `empty.0` (how to start) when nothing is filtered, else
/// `empty.1` (nothing matches the filter).
#[allow(clippy::too_many_arguments)]
pub fn draw<R>(
    frame: &mut Frame<'_>,
    area: Rect,
    theme: Theme,
    title: String,
    list: &ListPane<R>,
    header: &[&str],
    widths: &[Constraint],
    rows: Vec<Vec<Cell<'static>>>,
    empty: (&str, &str),
) {
    let block = Block::bordered().title(Line::styled(title, theme.title()));
    if list.ids.is_empty() {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let text = if list.query.filter.trim().is_empty() {
            empty.0
        } else {
            empty.1
        };
        let paragraph = Paragraph::new(text.to_string())
            .style(theme.dim())
            .wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(paragraph, inner);
        return;
    }
    let selected = list.selected.saturating_sub(list.offset);
    let rows: Vec<Row<'static>> = rows
        .into_iter()
        .enumerate()
        .map(|(i, cells)| {
            let row = Row::new(cells);
            if i == selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(header.iter().map(|h| Cell::from(h.to_string()))).style(theme.label());
    let table = Table::new(rows, widths.to_vec())
        .header(header)
        .block(block)
        .column_spacing(1);
    frame.render_widget(table, area);
}
