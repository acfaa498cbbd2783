//! The Review pane: the week's numbers on the left (check-ins, overdue
//! customers, backlog bar chart, what moved, stale and ready tests,
//! follow-ups) and live data, effort and history on the right — or the
//! walkthrough card while one runs. Every number comes from `review`; the
//! text was laid out in `update` (`app::review_text`), so drawing only
//! takes a screenful of it.

use super::theme::Theme;
use crate::app::State;
use crate::app::review_pane::columns;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn render(state: &State, theme: Theme, frame: &mut Frame<'_>, left: Rect, right: Option<Rect>) {
    let (Some(review), Some(text)) = (state.review.review.as_deref(), state.review.text.as_ref())
    else {
        let block = Block::bordered().title(" Review ");
        frame.render_widget(Paragraph::new("No review loaded.").block(block), left);
        return;
    };
    let w = &review.week;
    let title = format!(
        " Review · {} ({} – {}) ",
        w.label,
        w.start.format("%a %d %b"),
        w.end.format("%a %d %b")
    );
    let side_title = if state.review.walkthrough.is_some() {
        " Walkthrough "
    } else {
        " Data, effort, history "
    };
    let scroll = state.review.scroll.min(state.review.max_scroll);
    let (main, side) = columns(left, right);
    draw(frame, main, &title, &text.main, scroll, theme);
    if let Some(side) = side {
        draw(frame, side, side_title, &text.side, 0, theme);
    }
}

/// Draws `lines` from logical line `first` on. Scrolling by logical lines
/// means only the lines shown are wrapped: a week on *large* runs to
/// thousands of wrapped rows, and wrapping them all every frame took
/// 8–15 ms.
fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    lines: &[Line<'static>],
    first: u16,
    theme: Theme,
) {
    let block = Block::bordered().title(Line::styled(title.to_string(), theme.title()));
    let inner = block.inner(area);
    let first = usize::from(first).min(lines.len());
    // Every line takes a row at least: no more than a screenful is drawn.
    let shown: Vec<Line<'static>> = lines[first..]
        .iter()
        .take(usize::from(inner.height))
        .cloned()
        .collect();
    let p = Paragraph::new(shown)
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(p, area);
}
