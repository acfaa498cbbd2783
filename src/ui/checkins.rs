//! The Check-ins list, newest first; planned (future) ones are marked.

use super::table;
use super::text::one_line;
use super::theme::Theme;
use crate::app::State;
use crate::app::state::Mode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::Cell;

/// Health as a signed number with a symbol, so it reads without colour.
pub fn health(h: Option<i64>) -> String {
    match h {
        Some(h) if h > 0 => format!("▲+{h}"),
        Some(h) if h < 0 => format!("▼{h}"),
        Some(_) => "■ 0".into(),
        None => "–".into(),
    }
}

pub fn render(state: &State, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let list = &state.checkins;
    let rows = list
        .window
        .iter()
        .map(|r| {
            let k = &r.checkin;
            let date = if k.is_planned(state.today) {
                Span::styled(
                    format!("{} ◷", k.occurred_on.format("%m-%d")),
                    theme.label(),
                )
            } else {
                Span::raw(k.occurred_on.format("%m-%d").to_string())
            };
            vec![
                Cell::from(format!("K-{}", k.id)),
                Cell::from(date),
                Cell::from(one_line(&r.customer)),
                Cell::from(k.kind.as_str()),
                Cell::from(Span::styled(health(k.health), theme.health(k.health))),
                Cell::from(one_line(&k.summary)),
            ]
        })
        .collect();
    let mut title = table::title("Check-ins", list, matches!(state.mode, Mode::Filter));
    if state.counts.planned > 0 {
        // Planned (future) check-ins lead the newest-first list, marked ◷.
        let count = format!("({}", list.ids.len());
        title = title.replacen(
            &count,
            &format!("{count} · {} planned ◷", state.counts.planned),
            1,
        );
    }
    table::draw(
        frame,
        area,
        theme,
        title,
        list,
        &["key", "date", "customer", "kind", "health", "summary"],
        &[
            Constraint::Length(5),
            Constraint::Length(7),
            Constraint::Length(18),
            Constraint::Length(8),
            Constraint::Length(6),
            Constraint::Fill(1),
        ],
        rows,
        (
            "No check-ins yet: n logs the first one, i imports a CSV file.",
            "No check-ins match. Esc clears the filter.",
        ),
    );
}
