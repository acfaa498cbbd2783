//! Where everything goes, as pure functions of the terminal size, so that
//! drawing and mouse hit-testing agree without render writing any state.

use crate::app::{Action, Pane, State};
use ratatui::layout::{Constraint, Layout, Rect};

/// The screen's regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub list: Rect,
    pub detail: Option<Rect>,
    pub footer: Rect,
}

/// Side by side when wide, stacked when tall, list only when small.
pub fn areas(area: Rect) -> Areas {
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (list, detail) = if body.width >= 100 {
        let [l, d] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
            .areas(body);
        (l, Some(d))
    } else if body.height >= 24 {
        let [l, d] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
        (l, Some(d))
    } else {
        (body, None)
    };
    Areas {
        header,
        list,
        detail,
        footer,
    }
}

/// Data rows a list shows: its block minus borders and the column header.
pub fn list_rows(width: u16, height: u16) -> usize {
    let list = areas(Rect::new(0, 0, width, height)).list;
    usize::from(list.height.saturating_sub(3)).max(1)
}

/// How the Data grid splits its bordered block: the column header, the
/// data rows, the summary rows under them and the info lines at the
/// bottom (sparkline, field). Small terminals drop summary and info first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GridSplit {
    pub data_rows: usize,
    pub summary_rows: usize,
    pub info_rows: usize,
}

/// [`GridSplit`] for a terminal `height` lines tall.
pub fn grid_split(height: u16) -> GridSplit {
    // The body is the screen minus header and footer; the block's borders
    // take two more lines.
    let inner = usize::from(height.saturating_sub(4));
    let (summary_rows, info_rows) = match inner {
        20.. => (4, 2),
        10.. => (1, 1),
        _ => (0, 0),
    };
    GridSplit {
        data_rows: inner.saturating_sub(1 + summary_rows + info_rows).max(1),
        summary_rows,
        info_rows,
    }
}

/// The Data grid's area: the whole body (it has no detail pane).
pub fn grid_area(area: Rect) -> Rect {
    let a = areas(area);
    match a.detail {
        Some(d) => a.list.union(d),
        None => a.list,
    }
}

/// How many columns of `widths`, from `first` on, fit in `room` cells
/// (with one space between columns); at least one.
pub fn columns_that_fit(widths: &[u16], first: usize, room: u16) -> usize {
    let mut used = 0u16;
    let mut n = 0;
    for w in widths.iter().skip(first) {
        let need = if n == 0 { *w } else { w + 1 };
        if n > 0 && used + need > room {
            break;
        }
        used = used.saturating_add(need);
        n += 1;
    }
    n.max(1).min(widths.len().saturating_sub(first).max(1))
}

/// The tab labels, "1 Backlog", as drawn.
pub fn tab_label(pane: Pane) -> String {
    format!("{} {}", pane.index() + 1, pane.title())
}

/// The x-ranges of the tabs in a header of `width` that starts with a
/// title of `title_width` columns: right-aligned when they fit.
pub fn tab_spans(width: u16, title_width: u16) -> Vec<(Pane, u16, u16)> {
    let total: u16 = Pane::ALL
        .iter()
        .map(|p| tab_label(*p).chars().count() as u16 + 2)
        .sum();
    let mut x = if title_width + total < width {
        width - total
    } else {
        title_width
    };
    Pane::ALL
        .iter()
        .map(|p| {
            let w = tab_label(*p).chars().count() as u16;
            let span = (*p, x + 1, x + 1 + w);
            x += w + 2;
            span
        })
        .collect()
}

/// The action a left click at (x, y) means, if any.
pub fn click(
    width: u16,
    height: u16,
    title_width: u16,
    pane: Pane,
    x: u16,
    y: u16,
) -> Option<Action> {
    let areas = areas(Rect::new(0, 0, width, height));
    if y == areas.header.y {
        return tab_spans(width, title_width)
            .into_iter()
            .find(|(_, from, to)| (*from..*to).contains(&x))
            .map(|(p, _, _)| Action::Pane(p));
    }
    let list = areas.list;
    let first_row = list.y + 2;
    let inside = x > list.x && x < list.right().saturating_sub(1);
    if pane.is_list() && inside && y >= first_row && y < list.bottom().saturating_sub(1) {
        return Some(Action::ClickRow(usize::from(y - first_row)));
    }
    None
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Lines under the box's top border taken by the preview's summary (more
/// when a narrow screen wraps its counts or verdict).
pub const SUMMARY_ROWS: u16 = 6;
/// Lines at the bottom of the box: the note and two of keys.
pub const FOOT_ROWS: u16 = 3;

/// The import wizard's box on a `width`×`height` screen: everything between the
/// header and the footer.
pub fn wizard_area(area: Rect) -> Rect {
    Rect {
        y: area.y + 1.min(area.height),
        height: area.height.saturating_sub(2),
        ..area
    }
}

/// Preview lines shown at once on a `width`×`height` screen (for paging).
pub fn wizard_body_rows(width: u16, height: u16) -> usize {
    let inner = wizard_area(Rect::new(0, 0, width, height)).height;
    usize::from(inner.saturating_sub(2 + SUMMARY_ROWS + FOOT_ROWS)).max(1)
}

/// The header's left part for a terminal `width` wide: "concierge ·
/// WORKSPACE · ACTOR" when the tabs still fit beside it, else shorter, so
/// the tabs are never cut.
pub fn title(state: &State, width: u16) -> String {
    let ro = if state.read_only { " · read-only" } else { "" };
    let tabs: usize = Pane::ALL
        .iter()
        .map(|p| tab_label(*p).chars().count() + 2)
        .sum();
    let room = usize::from(width).saturating_sub(tabs);
    let full = format!(
        " concierge · {} · {}{ro} ",
        crate::text::one_line(&state.workspace),
        crate::text::one_line(&state.actor)
    );
    let short = format!(" concierge{ro} ");
    [full, short]
        .into_iter()
        .find(|t| t.chars().count() < room)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_hit_tabs_and_rows() {
        let spans = tab_spans(120, 40);
        let (pane, from, _) = spans[2];
        assert_eq!(
            click(120, 40, 40, Pane::Backlog, from, 0),
            Some(Action::Pane(pane))
        );
        assert_eq!(
            click(120, 40, 40, Pane::Backlog, 5, 2),
            None,
            "the column header"
        );
        assert_eq!(
            click(120, 40, 40, Pane::Backlog, 5, 3),
            Some(Action::ClickRow(0))
        );
        assert_eq!(
            click(120, 40, 40, Pane::Backlog, 5, 7),
            Some(Action::ClickRow(4))
        );
        assert_eq!(click(120, 40, 40, Pane::Data, 5, 7), None);
    }
}
