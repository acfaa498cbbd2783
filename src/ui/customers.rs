//! The Customers list: stage, fit, owner, last check-in, next due with an
//! overdue marker.

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
    let list = &state.customers;
    let rows = list
        .window
        .iter()
        .map(|r| {
            let c = &r.customer;
            let due = match (r.next_due, r.overdue) {
                (Some(d), true) => Span::styled(format!("⚠ {}", d.format("%m-%d")), theme.error()),
                (Some(d), false) => Span::raw(format!("  {}", d.format("%m-%d"))),
                (None, _) => Span::styled("  –".to_string(), theme.dim()),
            };
            vec![
                Cell::from(format!("C-{}", c.id)),
                Cell::from(one_line(&c.name)),
                Cell::from(Span::styled(
                    format!("{} {}", c.stage.symbol(), c.stage),
                    theme.stage(c.stage),
                )),
                Cell::from(c.icp_fit.as_str()),
                Cell::from(one_line(&c.owner)),
                Cell::from(
                    r.last_checkin
                        .map_or("–".into(), |d| d.format("%m-%d").to_string()),
                ),
                Cell::from(due),
            ]
        })
        .collect();
    let title = table::title("Customers", list, matches!(state.mode, Mode::Filter));
    table::draw(
        frame,
        area,
        theme,
        title,
        list,
        &["key", "name", "stage", "icp", "owner", "last", "next due"],
        &[
            Constraint::Length(4),
            Constraint::Fill(1),
            Constraint::Length(12),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Length(5),
            Constraint::Length(8),
        ],
        rows,
        (
            "No customers yet: n adds the first one, i imports a CSV file.",
            "No customers match. Esc clears the filter.",
        ),
    );
}
