//! The chart view over the whole pane: a field by week, the aggregate as
//! the first line, per-customer or per-segment lines after it, the target
//! from an item's criterion as a flat line. A week without a value breaks
//! a line (its runs are separate datasets), never drops it to zero. Lines
//! differ by marker as well as colour, so `NO_COLOR` keeps them apart.

use super::text::one_line;
use super::theme::Theme;
use crate::app::chart::ChartView;
use crate::review::Aggregate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Clear, Dataset, GraphType, Paragraph};

/// Markers in turn, so lines differ without colour, and how the legend
/// shows each.
const MARKERS: [Marker; 4] = [Marker::Braille, Marker::Dot, Marker::Block, Marker::Bar];
const SYMBOLS: [&str; 4] = ["⣿", "•", "▄", "█"];

pub fn render(view: &ChartView, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    frame.render_widget(Clear, area);
    let aggregate = match view.aggregate {
        Aggregate::Sum => "sum",
        Aggregate::Mean => "mean",
        Aggregate::ShareTrue => "share yes",
        Aggregate::Count => "values entered",
    };
    let title = format!(
        " {} · {aggregate} by week · {} · {} ",
        one_line(&view.field.label),
        view.split.label(),
        view.range.label()
    );
    let target: Vec<(f64, f64)> = view
        .target
        .as_ref()
        .map(|(_, t)| vec![(0.0, *t), (view.weeks.len().saturating_sub(1) as f64, *t)])
        .unwrap_or_default();
    let mut datasets = Vec::new();
    // The legend is drawn beside the chart, never over the lines.
    let mut legend: Vec<Line<'_>> = Vec::new();
    if let Some((key, t)) = &view.target {
        legend.push(Line::styled(
            format!("··· {key} target {}", view.show(*t)),
            theme.warn(),
        ));
        datasets.push(
            Dataset::default()
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(theme.warn())
                .data(&target),
        );
    }
    for (n, line) in view.lines.iter().enumerate() {
        let marker = MARKERS[n % MARKERS.len()];
        legend.push(Line::styled(
            format!(
                "{} {} ({}/{} weeks)",
                SYMBOLS[n % SYMBOLS.len()],
                one_line(&line.name),
                line.filled,
                view.weeks.len()
            ),
            theme.line(n),
        ));
        for run in &line.runs {
            let set = Dataset::default()
                .marker(marker)
                .graph_type(if run.len() == 1 {
                    GraphType::Scatter
                } else {
                    GraphType::Line
                })
                .style(theme.line(n))
                .data(run);
            datasets.push(set);
        }
    }
    let last = view.weeks.len().saturating_sub(1);
    let x_labels: Vec<Span<'_>> = match view.weeks.as_slice() {
        [] => Vec::new(),
        [only] => vec![Span::raw(only.as_str())],
        weeks => vec![
            Span::raw(weeks[0].as_str()),
            Span::raw(weeks[last / 2].as_str()),
            Span::raw(weeks[last].as_str()),
        ],
    };
    let (lo, hi) = view.y;
    let y_labels: Vec<Span<'_>> = [lo, f64::midpoint(lo, hi), hi]
        .into_iter()
        .map(|v| Span::raw(view.show(v)))
        .collect();
    let empty = view.lines.iter().all(|l| l.filled == 0);
    let block = Block::bordered().title(Line::styled(title, theme.title()));
    let block = if empty {
        block.title_bottom(Line::styled(
            " no values in these weeks: r widens the range ",
            theme.dim(),
        ))
    } else {
        block.title_bottom(Line::styled(
            " a gap is a week with no entry · a aggregate · p per customer/segment · r range · Esc back ",
            theme.dim(),
        ))
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (plot, key) = if inner.width >= 100 {
        let [plot, key] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(40)]).areas(inner);
        (plot, key)
    } else {
        let rows = u16::try_from(legend.len())
            .unwrap_or(u16::MAX)
            .min(inner.height / 3);
        let [plot, key] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(rows)]).areas(inner);
        (plot, key)
    };
    frame.render_widget(Paragraph::new(legend), key);
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .title("week")
                .bounds([0.0, last.max(1) as f64])
                .labels(x_labels)
                .style(theme.dim()),
        )
        .y_axis(
            Axis::default()
                .title(one_line(&view.field.unit))
                .bounds([lo, hi])
                .labels(y_labels)
                .style(theme.dim()),
        )
        .legend_position(None);
    frame.render_widget(chart, plot);
}
