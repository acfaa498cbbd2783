//! The Data grid: frozen customer and date columns, the field columns
//! that fit from the horizontal scroll on, the cell cursor (or the cell
//! editor), per-column summary rows, and the selected customer's weekly
//! sparkline for the selected field.

use super::layout::{GridSplit, columns_that_fit, grid_split};
use super::text::one_line;
use super::theme::Theme;
use crate::app::State;
use crate::app::grid::{CUSTOMER_WIDTH, DATE_WIDTH, GridPane, field_room};
use crate::app::grid_edit::CellEdit;
use crate::app::state::Mode;
use crate::domain::entry::CellValue;
use crate::domain::{Field, FieldType, value};
use crate::store::{ColumnSummary, GridSort};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn render(state: &State, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let g = &state.grid;
    let filtering = matches!(state.mode, Mode::Filter);
    let block = Block::bordered().title(Line::styled(title(g, filtering), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let split = grid_split(state.size.1);
    let editing = match &state.mode {
        Mode::Cell(edit) => Some(edit.as_ref()),
        _ => None,
    };
    let mut lines = Vec::new();
    if g.fields.is_empty() || g.ids.is_empty() {
        lines.push(Line::styled(empty_message(g), theme.dim()));
    } else {
        let count = columns_that_fit(&g.widths, g.col_offset, field_room(area.width));
        let shown: Vec<usize> = (g.col_offset..g.col_offset + count)
            .filter(|i| *i < g.fields.len())
            .collect();
        lines.push(header(g, &shown, theme));
        for (i, row) in g.window.iter().enumerate() {
            let selected = g.offset + i == g.row;
            let mut spans = vec![
                Span::styled(
                    pad(&one_line(&row.customer), CUSTOMER_WIDTH, false),
                    if selected {
                        theme.label()
                    } else {
                        Style::default()
                    },
                ),
                Span::raw(" "),
                Span::styled(row.recorded_on.to_string(), theme.dim()),
            ];
            for &c in &shown {
                let field = &g.fields[c];
                let width = g.widths[c];
                spans.push(Span::raw(" "));
                let cursor = selected && c == g.col;
                let text = match (cursor, editing) {
                    (true, Some(edit)) => editor_text(edit, width),
                    _ => cell_text(field, row.values.get(c).and_then(Option::as_ref), width),
                };
                let style = if cursor {
                    theme.selected()
                } else {
                    Style::default()
                };
                spans.push(Span::styled(text, style));
            }
            lines.push(Line::from(spans));
        }
        while lines.len() < 1 + split.data_rows {
            lines.push(Line::from(""));
        }
        lines.extend(summary_lines(g, &shown, split, theme));
    }
    lines.truncate(usize::from(inner.height).saturating_sub(split.info_rows));
    while lines.len() + split.info_rows < usize::from(inner.height) {
        lines.push(Line::from(""));
    }
    lines.extend(info_lines(g, editing, split, theme));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn title(g: &GridPane, filtering: bool) -> String {
    let mut parts = vec![
        format!("{} rows", g.ids.len()),
        format!("{} fields", g.fields.len()),
    ];
    if !g.query.filter.is_empty() || filtering {
        let cursor = if filtering { "▏" } else { "" };
        parts.push(format!("filter: {}{cursor}", one_line(&g.query.filter)));
    }
    let sort = match g.query.sort {
        GridSort::Newest => None,
        GridSort::Customer { descending } => Some(format!("customer {}", arrow(descending))),
        GridSort::Date { descending } => Some(format!("date {}", arrow(descending))),
        GridSort::Field { id, descending } => g
            .fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| format!("{} {}", one_line(&f.label), arrow(descending))),
    };
    if let Some(sort) = sort {
        parts.push(format!("sort: {sort}"));
    }
    if !g.ids.is_empty() {
        parts.push(format!("row {} of {}", g.row + 1, g.ids.len()));
    }
    format!(" Data ({}) ", parts.join(" · "))
}

fn arrow(descending: bool) -> &'static str {
    if descending { "↓" } else { "↑" }
}

fn empty_message(g: &GridPane) -> String {
    if g.fields.is_empty() {
        "No data fields yet. F opens the field editor: add the columns of your sheet.".into()
    } else if g.query.filter.is_empty() {
        "No rows yet. n adds a row for a customer; its date defaults to the next period.".into()
    } else {
        "No row matches the filter. Esc clears it.".into()
    }
}

fn header(g: &GridPane, shown: &[usize], theme: Theme) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!(
            "{} {}",
            pad("customer", CUSTOMER_WIDTH, false),
            pad("date", DATE_WIDTH, false)
        ),
        theme.label(),
    )];
    for &c in shown {
        let field = &g.fields[c];
        let style = if c == g.col {
            theme.title()
        } else {
            theme.label()
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            pad(&one_line(&field.label), g.widths[c], right_aligned(field)),
            style,
        ));
    }
    Line::from(spans)
}

fn right_aligned(field: &Field) -> bool {
    matches!(
        field.field_type,
        FieldType::Integer | FieldType::Decimal | FieldType::Percent
    )
}

fn cell_text(field: &Field, v: Option<&CellValue>, width: u16) -> String {
    let text = v.map_or_else(String::new, |v| {
        one_line(&value::display(field.field_type, v))
    });
    pad(&text, width, right_aligned(field))
}

/// The cell editor in its cell: the end of the typed text and a cursor.
fn editor_text(edit: &CellEdit, width: u16) -> String {
    let typed = one_line(&edit.input.lines().join(" "));
    let room = usize::from(width).saturating_sub(1);
    let count = typed.chars().count();
    let tail: String = typed.chars().skip(count.saturating_sub(room)).collect();
    pad(&format!("{tail}▏"), width, false)
}

/// `text` cut or padded to `width` cells, numbers to the right.
fn pad(text: &str, width: u16, right: bool) -> String {
    let width = usize::from(width);
    let count = text.chars().count();
    if count > width {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        return format!("{cut}…");
    }
    if right {
        format!("{text:>width$}")
    } else {
        format!("{text:<width$}")
    }
}

/// The summary rows: count, sum or mean (by type), min, max; one row
/// (the type's main figure) when there is little room.
fn summary_lines(
    g: &GridPane,
    shown: &[usize],
    split: GridSplit,
    theme: Theme,
) -> Vec<Line<'static>> {
    type Pick = fn(&Field, &ColumnSummary) -> String;
    let rows: &[(&str, Pick)] = match split.summary_rows {
        0 => &[],
        1 => &[("Σ sum · x̄ mean · n", main_figure)],
        _ => &[
            ("count", |_, s| s.count.to_string()),
            ("Σ sum · x̄ mean", sum_or_mean),
            ("min", |f, s| extreme(f, s.min.as_ref())),
            ("max", |f, s| extreme(f, s.max.as_ref())),
        ],
    };
    rows.iter()
        .map(|(label, pick)| {
            let mut spans = vec![Span::styled(
                format!(
                    "{} {}",
                    pad(label, CUSTOMER_WIDTH, false),
                    pad("", DATE_WIDTH, false)
                ),
                theme.label(),
            )];
            for &c in shown {
                let field = &g.fields[c];
                let text = g
                    .summaries
                    .get(c)
                    .and_then(Option::as_ref)
                    .map(|s| pick(field, s))
                    .unwrap_or_default();
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    pad(&one_line(&text), g.widths[c], right_aligned(field)),
                    theme.dim(),
                ));
            }
            Line::from(spans)
        })
        .collect()
}

fn sum_or_mean(f: &Field, s: &ColumnSummary) -> String {
    match f.field_type {
        FieldType::Integer => s
            .sum
            .map(|v| format!("Σ {}", value::display_number(FieldType::Decimal, v))),
        FieldType::Decimal | FieldType::Percent => s
            .mean
            .map(|v| format!("x̄ {}", value::display_number(f.field_type, v))),
        FieldType::Boolean => s
            .mean
            .map(|v| format!("{} yes", value::display_number(FieldType::Percent, v))),
        FieldType::Text | FieldType::Date | FieldType::Choice => None,
    }
    .unwrap_or_default()
}

fn main_figure(f: &Field, s: &ColumnSummary) -> String {
    let figure = sum_or_mean(f, s);
    if figure.is_empty() {
        format!("n {}", s.count)
    } else {
        figure
    }
}

fn extreme(f: &Field, v: Option<&CellValue>) -> String {
    match f.field_type {
        FieldType::Text | FieldType::Choice | FieldType::Boolean => String::new(),
        _ => v
            .map(|v| value::display(f.field_type, v))
            .unwrap_or_default(),
    }
}

/// The bottom lines: the cell editor's state or the selected field, and
/// the selected customer's sparkline.
fn info_lines(
    g: &GridPane,
    editing: Option<&CellEdit>,
    split: GridSplit,
    theme: Theme,
) -> Vec<Line<'static>> {
    let about = match editing {
        Some(edit) => match &edit.error {
            Some(reason) => Line::styled(
                format!(
                    "✗ {}: {}  (fix it, or Esc to cancel)",
                    edit.field.label,
                    one_line(reason)
                ),
                theme.error(),
            ),
            None => Line::styled(
                format!(
                    "✎ {}: {} · {} · Enter stores ↓ · Tab stores → · Esc cancels",
                    edit.field.label,
                    one_line(&edit.reading),
                    describe(&edit.field)
                ),
                theme.label(),
            ),
        },
        None => Line::styled(
            g.selected_field()
                .map(|f| {
                    format!(
                        "{} · {}  {}",
                        one_line(&f.label),
                        describe(f),
                        one_line(&f.description)
                    )
                })
                .unwrap_or_default(),
            theme.dim(),
        ),
    };
    let spark = &g.spark;
    let sparkline = if spark.series.is_empty() {
        Line::from("")
    } else {
        Line::from(vec![
            Span::styled(
                format!(
                    "{} · {} by week {}…{}: ",
                    one_line(&spark.customer),
                    one_line(&spark.field),
                    spark.first_week,
                    spark.last_week
                ),
                theme.label(),
            ),
            Span::styled(
                crate::review::markdown::sparkline(&spark.series),
                theme.good(),
            ),
            Span::styled("  (· a week with no entry)", theme.dim()),
        ])
    };
    match split.info_rows {
        0 => Vec::new(),
        1 if editing.is_some() => vec![about],
        1 => vec![sparkline],
        _ => vec![sparkline, about],
    }
}

/// `integer · pkgs · 0–200 · required`.
fn describe(f: &Field) -> String {
    let mut parts = vec![f.field_type.as_str().to_string()];
    if !f.unit.is_empty() {
        parts.push(one_line(&f.unit));
    }
    if f.field_type == FieldType::Choice {
        parts.push(one_line(&f.options.join(" / ")));
    }
    let bound = |b: Option<f64>| b.map(|v| value::display_number(f.field_type, v));
    match (bound(f.min), bound(f.max)) {
        (Some(lo), Some(hi)) => parts.push(format!("{lo}–{hi}")),
        (Some(lo), None) => parts.push(format!("≥ {lo}")),
        (None, Some(hi)) => parts.push(format!("≤ {hi}")),
        (None, None) => {}
    }
    if f.required {
        parts.push("required".into());
    }
    parts.join(" · ")
}
