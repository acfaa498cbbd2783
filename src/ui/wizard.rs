//! The import wizard's screens (choose a file, accept an encoding, the
//! preview) and the export prompt. The wizard covers the panes between the
//! header and the footer; its keys line is read from the keymap.

mod preview;

use super::layout::{self, centered};
use super::text::one_line;
use super::theme::Theme;
use crate::app::State;
use crate::app::export::ExportPrompt;
use crate::app::keymap::{self, Context};
use crate::app::wizard::{Step, Wizard};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// `text` word-wrapped to `width`, at most `max` lines (the last ends in
/// `…` when text is left over; a word wider than a line is cut).
pub(super) fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let used = line.chars().count();
        if used > 0 && used + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    if lines.len() > max.max(1) {
        lines.truncate(max.max(1));
        if let Some(last) = lines.last_mut() {
            last.push_str(" …");
        }
    }
    lines.into_iter().map(|l| fit(&l, width)).collect()
}

/// Cuts `text` to `width` characters, ending in `…` when cut.
pub(super) fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

pub fn render(state: &State, w: &Wizard, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let outer = layout::wizard_area(area);
    if outer.height < 3 || outer.width < 4 {
        return;
    }
    frame.render_widget(Clear, outer);
    let step = match w.step {
        Step::File => "1 of 3 · choose the file",
        Step::Encoding => "2 of 3 · check the encoding",
        Step::Preview => "3 of 3 · preview, then apply",
    };
    let block = Block::bordered().title(Line::styled(
        format!(" Import {} · {step} ", w.kind),
        theme.title(),
    ));
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    let foot = layout::FOOT_ROWS.min(inner.height);
    let body = Rect {
        height: inner.height - foot,
        ..inner
    };
    let width = usize::from(inner.width);
    let lines = match w.step {
        Step::File => file_lines(w, theme, width, usize::from(body.height)),
        Step::Encoding => encoding_lines(w, theme, width, usize::from(body.height)),
        Step::Preview => preview::lines(w, theme, width, usize::from(body.height)),
    };
    frame.render_widget(Paragraph::new(lines), body);
    let mut foot_lines = vec![Line::styled(
        fit(&one_line(&w.note.text), width),
        if w.note.error {
            theme.error()
        } else {
            theme.good()
        },
    )];
    foot_lines.push(keys_line(state, crate::app::wizard::context(w.step), theme));
    let foot_area = Rect {
        y: body.bottom(),
        height: foot,
        ..inner
    };
    frame.render_widget(
        Paragraph::new(foot_lines).wrap(Wrap { trim: true }),
        foot_area,
    );
}

/// "Enter pick · Tab complete · …" from the keymap's hints.
fn keys_line(state: &State, context: Context, theme: Theme) -> Line<'static> {
    let keys: Vec<String> = keymap::active(&state.keymap, &[context])
        .into_iter()
        .filter_map(|b| {
            b.hint
                .map(|hint| format!("{} {hint}", keymap::hint_key(b, false)))
        })
        .collect();
    Line::styled(keys.join(" · "), theme.dim())
}

fn file_lines(w: &Wizard, theme: Theme, width: usize, height: usize) -> Vec<Line<'static>> {
    let files = &w.files;
    let label = |text: &str| Span::styled(format!("{text:<9}"), theme.label());
    let kinds: Vec<Span<'static>> = crate::app::wizard::KINDS
        .iter()
        .flat_map(|k| {
            let style = if *k == w.kind {
                theme.selected()
            } else {
                theme.dim()
            };
            [Span::styled(k.name().to_owned(), style), Span::raw(" ")]
        })
        .collect();
    let mut lines = vec![
        Line::styled(
            "Nothing is written until you apply the preview; Esc cancels.",
            theme.dim(),
        ),
        Line::from(""),
        Line::from(
            [
                vec![label("Kind"), Span::raw("◀ ")],
                kinds,
                vec![Span::raw("▶")],
            ]
            .concat(),
        ),
        Line::from(vec![
            label("Columns"),
            Span::raw(fit(&w.expected.join(", "), width.saturating_sub(9))),
        ]),
        Line::from(vec![
            label("Folder"),
            Span::raw(fit(
                &one_line(&files.folder.display().to_string()),
                width.saturating_sub(9),
            )),
        ]),
        Line::from(vec![
            label("File"),
            Span::raw(format!("{}▏", one_line(&files.typed))),
        ]),
        Line::from(""),
    ];
    if let Some(why) = &files.unreadable {
        lines.push(Line::styled(fit(&one_line(why), width), theme.error()));
        return lines;
    }
    let found = files.matches();
    if found.is_empty() {
        lines.push(Line::styled(
            "no CSV file or folder here matches: Enter takes the typed path as it is",
            theme.dim(),
        ));
        return lines;
    }
    let room = height.saturating_sub(lines.len()).max(1);
    let start = files.selected.saturating_sub(room - 1);
    for (i, entry) in found.iter().enumerate().skip(start).take(room) {
        let name = if entry.folder {
            format!("{}/", one_line(&entry.name))
        } else {
            one_line(&entry.name)
        };
        let size = if entry.folder {
            "folder".to_owned()
        } else {
            bytes(entry.size)
        };
        let name_width = width.saturating_sub(14).max(1);
        let text = format!("  {:<name_width$} {size:>10}", fit(&name, name_width));
        let line = Line::from(fit(&text, width));
        lines.push(if i == files.selected {
            line.style(theme.selected())
        } else {
            line
        });
    }
    lines
}

/// "812 B", "2.1 kB", "3.4 MB".
fn bytes(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} kB", n as f64 / 1e3),
        _ => format!("{:.1} MB", n as f64 / 1e6),
    }
}

/// The file's first lines as Windows-1252 reads them, lines with
/// non-ASCII characters marked, so the user can judge the reading.
fn encoding_lines(w: &Wizard, theme: Theme, width: usize, height: usize) -> Vec<Line<'static>> {
    let intro = format!(
        "{} is not UTF-8. Read as Windows-1252 (an old Excel “CSV” export), it says:",
        one_line(&w.file_name())
    );
    let mut lines: Vec<Line<'static>> =
        wrap(&intro, width, 2).into_iter().map(Line::from).collect();
    lines.push(Line::from(""));
    let Some(decoded) = &w.decoded else {
        return lines;
    };
    let room = height.saturating_sub(lines.len() + 3);
    let all: Vec<(usize, &str)> = decoded.text.lines().enumerate().collect();
    let mut shown: Vec<(usize, &str)> = all.iter().take(room).copied().collect();
    // Make sure some accented line is on screen: that is what to judge.
    if !shown.iter().any(|(_, l)| !l.is_ascii())
        && let Some(&accented) = all.iter().find(|(_, l)| !l.is_ascii())
        && let Some(last) = shown.last_mut()
    {
        *last = accented;
    }
    for (n, text) in shown {
        let mark = if text.is_ascii() { " " } else { "▸" };
        let style = if text.is_ascii() {
            theme.dim()
        } else {
            theme.warn()
        };
        lines.push(Line::styled(
            fit(&format!("{mark}{:>5} │ {}", n + 1, one_line(text)), width),
            style,
        ));
    }
    lines.push(Line::from(""));
    lines.extend(
        wrap(
            "If the ▸ lines read right, y accepts and shows the preview; n picks another file.",
            width,
            2,
        )
        .into_iter()
        .map(Line::from),
    );
    lines
}

/// The export prompt: what will be written, the file name, the Excel switch.
pub fn export(state: &State, p: &ExportPrompt, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let outer = centered(area, 84, 10);
    if outer.height < 3 || outer.width < 4 {
        return;
    }
    frame.render_widget(Clear, outer);
    let block =
        Block::bordered().title(Line::styled(format!(" Export {} ", p.kind), theme.title()));
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    let width = usize::from(inner.width);
    let what = match &p.query {
        Some(q) if !q.filter.trim().is_empty() => format!(
            "{} rows of {} as the pane lists them (filter “{}”)",
            p.rows,
            p.kind,
            one_line(q.filter.trim())
        ),
        Some(_) => format!("{} rows of {} as the pane lists them", p.rows, p.kind),
        None => format!(
            "all {} rows of {}, wide: one column per field",
            p.rows, p.kind
        ),
    };
    let label = |text: &str| Span::styled(format!("{text:<8}"), theme.label());
    let excel = if p.excel {
        "on: UTF-8 with BOM, CRLF, every cell quoted"
    } else {
        "off: plain UTF-8, LF (Tab switches)"
    };
    let lines = vec![
        Line::from(fit(&what, width)),
        Line::from(""),
        Line::from(vec![label("File")]),
        Line::from(vec![
            label("Folder"),
            Span::raw(fit(
                &one_line(&p.base.display().to_string()),
                width.saturating_sub(8),
            )),
        ]),
        Line::from(vec![label("Excel"), Span::raw(excel)]),
        Line::from(""),
        Line::styled(
            fit(&one_line(&p.note.text), width),
            if p.note.error {
                theme.error()
            } else {
                theme.good()
            },
        ),
        keys_line(state, Context::Export, theme),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    if inner.height > 2 && inner.width > 8 {
        let input = Rect {
            x: inner.x + 8,
            y: inner.y + 2,
            width: inner.width - 8,
            height: 1,
        };
        frame.render_widget(&p.input, input);
    }
}
