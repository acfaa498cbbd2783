//! Drawing. `render` reads the state and draws one frame; it never writes
//! to the state, the database or the disk.

mod activity;
mod backlog;
mod chart;
mod checkins;
mod customers;
mod detail;
mod fields;
mod grid;
pub use crate::app::layout;
pub mod pictures;
mod popups;
mod review;
mod table;
pub use crate::text;
pub use crate::theme;
pub mod wizard;

use crate::app::keymap::{self, Context};
use crate::app::state::Mode;
use crate::app::{Pane, State};
use layout::{areas, tab_label, tab_spans};
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use theme::Theme;

/// Draws the whole screen for `state`.
pub fn render(state: &State, frame: &mut Frame<'_>) {
    let area = frame.area();
    if area.width < 2 || area.height < 3 {
        frame.render_widget(Paragraph::new("concierge"), area);
        return;
    }
    let theme = Theme { color: state.color };
    let a = areas(area);
    header(state, theme, frame, a.header);
    match state.pane {
        Pane::Backlog => backlog::render(state, theme, frame, a.list),
        Pane::Customers => customers::render(state, theme, frame, a.list),
        Pane::CheckIns => checkins::render(state, theme, frame, a.list),
        Pane::Activity => activity::render(state, theme, frame, a.list),
        Pane::Data => grid::render(state, theme, frame, layout::grid_area(area)),
        Pane::Review => review::render(state, theme, frame, a.list, a.detail),
    }
    if let Some(detail_area) = a.detail.filter(|_| state.pane.is_list()) {
        detail::render(state, theme, frame, detail_area);
    }
    footer(state, theme, frame, a.footer);
    popups::render(state, theme, frame, area);
}

fn header(state: &State, theme: Theme, frame: &mut Frame<'_>, area: ratatui::layout::Rect) {
    let title = layout::title(state, area.width);
    let title_width = title.chars().count() as u16;
    let mut spans = vec![Span::styled(title, theme.title())];
    let mut x = title_width;
    for (pane, from, _) in tab_spans(area.width, title_width) {
        let gap = from.saturating_sub(x);
        spans.push(Span::raw(" ".repeat(usize::from(gap))));
        let style = if pane == state.pane {
            theme.active_tab()
        } else {
            theme.dim()
        };
        let label = tab_label(pane);
        x = from + label.chars().count() as u16;
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn mode_name(mode: &Mode) -> &'static str {
    match mode {
        Mode::Normal => "NORMAL",
        Mode::Filter => "FILTER",
        Mode::Help(_) => "HELP",
        Mode::Chart(_) => "CHART",
        Mode::Palette(_) => "COMMAND",
        Mode::Form(_) => "EDIT",
        Mode::Confirm(_) => "CONFIRM",
        Mode::Choose(_) => "CHOOSE",
        Mode::Prompt(_) => "INPUT",
        Mode::Pick(_) => "PICK",
        Mode::Import(_) => "IMPORT",
        Mode::Export(_) => "EXPORT",
        Mode::Cell(_) => "CELL",
        Mode::Fields(_) => "FIELDS",
    }
}

fn footer(state: &State, theme: Theme, frame: &mut Frame<'_>, area: ratatui::layout::Rect) {
    let contexts = crate::app::state::contexts(state);
    let typing = contexts.contains(&Context::Typing);
    let hints: Vec<String> = keymap::active(&state.keymap, &contexts)
        .into_iter()
        .filter_map(|b| {
            b.hint
                .map(|hint| format!("{} {hint}", keymap::hint_key(b, typing)))
        })
        .collect();
    let mode = format!(" {} ", mode_name(&state.mode));
    let status_style = if state.status.error {
        theme.error()
    } else {
        theme.good()
    };
    let status = text::one_line(&state.status.text);
    let used = mode.chars().count() + 1 + status.chars().count();
    // Two spaces keep the hints apart from the status text, one ends the line.
    let room = usize::from(area.width).saturating_sub(used + 3);
    // As many hints as fit, most important (first in the keymap) first.
    let mut shown = String::new();
    for hint in hints {
        let next = if shown.is_empty() {
            hint
        } else {
            format!("{shown}  {hint}")
        };
        if next.chars().count() > room {
            break;
        }
        shown = next;
    }
    let hints = format!("  {shown:>room$} ");
    let line = Line::from(vec![
        Span::styled(mode, theme.active_tab()),
        Span::raw(" "),
        Span::styled(status, status_style),
        Span::styled(hints, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
