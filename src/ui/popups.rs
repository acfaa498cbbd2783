//! Everything drawn over the panes: help, the command palette, forms,
//! confirmations, pickers and prompts.

use super::layout::centered;
use super::text::{one_line, visible};
use super::theme::Theme;
use crate::app::State;
use crate::app::form::{FieldInput, Form};
use crate::app::keymap;
use crate::app::palette;
use crate::app::state::Mode;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub fn render(state: &State, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    match &state.mode {
        Mode::Normal | Mode::Filter | Mode::Cell(_) => {}
        Mode::Fields(view) => super::fields::render(view, theme, frame, area),
        Mode::Help(scroll) => help(state, *scroll, theme, frame, area),
        Mode::Chart(view) => {
            // The whole pane: between the header and the footer.
            let body = Rect {
                y: area.y + 1,
                height: area.height.saturating_sub(2),
                ..area
            };
            super::chart::render(view, theme, frame, body);
        }
        Mode::Palette(p) => {
            let found = palette::matches(&state.keymap, &state.normal_contexts(), &p.query);
            let mut lines = vec![
                Line::from(format!(": {}▏", one_line(&p.query))),
                Line::from(""),
            ];
            lines.extend(found.iter().enumerate().map(|(i, c)| {
                let line = Line::from(format!("{:<48} {}", c.description, c.keys));
                if i == p.selected {
                    line.style(theme.selected())
                } else {
                    line
                }
            }));
            if found.is_empty() {
                lines.push(Line::styled("no command matches", theme.dim()));
            }
            boxed(frame, area, theme, " Commands ", lines, 64, 20);
        }
        Mode::Form(form) => form_popup(form, theme, frame, area),
        Mode::Import(w) => super::wizard::render(state, w, theme, frame, area),
        Mode::Export(p) => super::wizard::export(state, p, theme, frame, area),
        Mode::Pick(p) => {
            let found = p.matches();
            let evidence = p.then != crate::app::state::PickFor::RowCustomer;
            let hint = if evidence && p.options.iter().any(|o| o.2) {
                "★ mentioned in the notes: suggested, linked only when you pick it"
            } else {
                ""
            };
            let mut lines = vec![
                Line::from(format!("search: {}▏", one_line(&p.query))),
                Line::styled(hint, theme.dim()),
            ];
            let room = usize::from(area.height.saturating_sub(8)).max(1);
            let start = p.selected.saturating_sub(room.saturating_sub(1));
            lines.extend(found.iter().enumerate().skip(start).take(room).map(
                |(i, (_, label, suggested))| {
                    let mark = if *suggested { "★ " } else { "  " };
                    // One row per option (no wrapping), so scrolling stays exact.
                    let width = usize::from(area.width.min(100).saturating_sub(4));
                    let text: String = format!("{mark}{}", one_line(label))
                        .chars()
                        .take(width)
                        .collect();
                    let line = Line::from(text);
                    if i == p.selected {
                        line.style(theme.selected())
                    } else {
                        line
                    }
                },
            ));
            if found.is_empty() {
                lines.push(Line::styled("nothing matches", theme.dim()));
            }
            let title = format!(" {} ", one_line(&p.title));
            boxed(
                frame,
                area,
                theme,
                &title,
                lines,
                100,
                area.height.saturating_sub(4),
            );
        }
        Mode::Confirm(c) => {
            let lines = vec![
                Line::from(one_line(&c.question)),
                Line::from(""),
                Line::styled("y yes   n/Esc no", theme.dim()),
            ];
            boxed(frame, area, theme, " Confirm ", lines, 70, 7);
        }
        Mode::Choose(c) => {
            let width = area.width.min(100);
            let inner = usize::from(width.saturating_sub(4));
            let title = one_line(&c.title);
            // A long title (a conflict's field-by-field differences) goes in
            // the body, wrapped; option rows stay one line each.
            let (heading, mut lines) = if title.chars().count() + 2 > inner {
                (
                    " Choose ".to_string(),
                    vec![Line::from(title.clone()), Line::from("")],
                )
            } else {
                (format!(" {title} "), Vec::new())
            };
            let body_rows = lines.len() as u16 + (title.chars().count() / inner.max(1)) as u16;
            lines.extend(c.options.iter().enumerate().map(|(i, (name, note))| {
                let label: String = format!(" {name:<14}")
                    .chars()
                    .take(inner.saturating_sub(note.chars().count() + 1))
                    .collect();
                let line = Line::from(vec![
                    Span::raw(format!("{label} ")),
                    Span::styled(note.clone(), theme.dim()),
                ]);
                if i == c.selected {
                    line.style(theme.selected())
                } else {
                    line
                }
            }));
            lines.push(Line::from(""));
            lines.push(Line::styled("Enter choose   Esc cancel", theme.dim()));
            let height = c.options.len() as u16 + 4 + body_rows;
            boxed(frame, area, theme, &heading, lines, width, height);
        }
        Mode::Prompt(p) => {
            let outer = centered(area, 70, 5);
            frame.render_widget(Clear, outer);
            let block = Block::bordered().title(Line::styled(
                format!(" {} ", one_line(&p.title)),
                theme.title(),
            ));
            let inner = block.inner(outer);
            frame.render_widget(block, outer);
            frame.render_widget(&p.input, Rect { height: 1, ..inner });
            if inner.height > 2 {
                let hint = Rect {
                    y: inner.y + 2,
                    height: 1,
                    ..inner
                };
                frame.render_widget(Paragraph::new(one_line(&p.hint)).style(theme.dim()), hint);
            }
        }
    }
}

fn boxed(
    frame: &mut Frame<'_>,
    area: Rect,
    theme: Theme,
    title: &str,
    lines: Vec<Line<'static>>,
    w: u16,
    h: u16,
) {
    let outer = centered(area, w, h);
    frame.render_widget(Clear, outer);
    let block = Block::bordered().title(Line::styled(title.to_string(), theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        outer,
    );
}

/// The keys of the current pane, read from the keymap.
fn help(state: &State, scroll: u16, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let mut lines = vec![
        Line::styled(format!("Keys in {}", state.pane.title()), theme.title()),
        Line::from(""),
    ];
    let contexts = state.normal_contexts();
    let typing = contexts.contains(&keymap::Context::Typing);
    if typing {
        lines.push(Line::styled(
            "Typing anything (letters, digits, signs) starts editing the cell.",
            theme.dim(),
        ));
    }
    for b in keymap::active(&state.keymap, &contexts) {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<17} ", keymap::keys_label(b, typing)),
                theme.label(),
            ),
            Span::raw(b.description),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "In forms: Tab/Shift-Tab move, Ctrl-s saves, Esc cancels.",
        theme.dim(),
    ));
    let h = lines.len() as u16 + 2;
    let outer = centered(area, 78, h);
    let shown = usize::from(outer.height.saturating_sub(2));
    let title = if lines.len() > shown {
        " Help — ↑/↓ PgUp/PgDn scroll for more · Esc closes "
    } else {
        " Help — Esc closes "
    };
    frame.render_widget(Clear, outer);
    let block = Block::bordered().title(Line::styled(title, theme.title()));
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        outer,
    );
}

fn form_popup(form: &Form, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let outer = centered(area, 100, area.height.saturating_sub(2).max(3));
    frame.render_widget(Clear, outer);
    let block = Block::bordered()
        .title(Line::styled(format!(" {} ", form.title), theme.title()))
        .title_bottom(Line::styled(
            " Ctrl-s save · Tab next · Shift-Tab back · Esc cancel ",
            theme.dim(),
        ));
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    let label_w = 34.min(inner.width / 2);
    // Scroll so the focused field is on screen.
    let mut start = 0;
    while start < form.focus {
        let used: u16 = form.fields[start..=form.focus]
            .iter()
            .map(|f| f.height() + u16::from(f.is_multiline()))
            .sum();
        if used <= inner.height {
            break;
        }
        start += 1;
    }
    let mut y = inner.y;
    for (i, f) in form.fields.iter().enumerate().skip(start) {
        let multi = f.is_multiline();
        let need = f.height() + u16::from(multi);
        if y + need > inner.bottom() {
            break;
        }
        let focused = i == form.focus;
        let mark = if f.required { "*" } else { " " };
        let label_style = if focused {
            theme.title()
        } else {
            theme.label()
        };
        let label = Paragraph::new(Line::styled(format!("{mark}{}", f.label), label_style));
        let (editor_area, next_y) = if multi {
            frame.render_widget(label, Rect::new(inner.x, y, inner.width, 1));
            (
                Rect::new(inner.x + 2, y + 1, inner.width.saturating_sub(2), 5),
                y + 6,
            )
        } else {
            frame.render_widget(label, Rect::new(inner.x, y, label_w, 1));
            (
                Rect::new(inner.x + label_w, y, inner.width.saturating_sub(label_w), 1),
                y + 1,
            )
        };
        // Completion and date hints sit at the right of one-line fields.
        let (editor_area, hint) = match hint(f, focused, theme) {
            Some(span) if !multi => {
                let w = (span.content.chars().count() as u16 + 1).min(editor_area.width / 2);
                let hint_area = Rect::new(editor_area.right() - w, editor_area.y, w, 1);
                (
                    Rect {
                        width: editor_area.width - w,
                        ..editor_area
                    },
                    Some((span, hint_area)),
                )
            }
            _ => (editor_area, None),
        };
        if let Some((span, area)) = hint {
            frame.render_widget(Paragraph::new(Line::from(span)), area);
        }
        match &f.input {
            FieldInput::Line(t) | FieldInput::Lines(t) if focused => {
                frame.render_widget(t, editor_area);
            }
            FieldInput::Line(_) | FieldInput::Lines(_) => {
                let text: Vec<Line<'static>> = visible(&f.value())
                    .lines()
                    .map(|l| Line::from(l.to_string()))
                    .collect();
                frame.render_widget(Paragraph::new(text).style(theme.dim()), editor_area);
            }
            FieldInput::Choice { options, index } => {
                let mut spans = vec![Span::raw("◀ ")];
                for (j, o) in options.iter().enumerate() {
                    let style = if j == *index {
                        theme.selected()
                    } else {
                        theme.dim()
                    };
                    spans.push(Span::styled(o.clone(), style));
                    spans.push(Span::raw(" "));
                }
                spans.push(Span::raw("▶"));
                frame.render_widget(Paragraph::new(Line::from(spans)), editor_area);
            }
        }
        y = next_y;
        if let Some(err) = &f.error {
            let x = if multi {
                inner.x + 2
            } else {
                inner.x + label_w
            };
            let err_area = Rect::new(x, y, inner.right().saturating_sub(x), 1);
            frame.render_widget(
                Paragraph::new(Line::styled(format!("↳ {err}"), theme.error())),
                err_area,
            );
            y += 1;
        }
    }
}

/// What a one-line field hints at: the completion `→` would take, or the
/// day a date shorthand stands for.
fn hint(f: &crate::app::form::FormField, focused: bool, theme: Theme) -> Option<Span<'static>> {
    if let Some(date) = f.date_hint() {
        return Some(match date {
            Ok(day) if day.to_string() == f.value().trim() => return None,
            Ok(day) => Span::styled(format!("= {day}"), theme.good()),
            Err(_) => Span::styled("not a date".to_string(), theme.error()),
        });
    }
    let completion = f.completion().filter(|_| focused)?;
    Some(Span::styled(
        format!("→ {}", one_line(completion)),
        theme.dim(),
    ))
}
