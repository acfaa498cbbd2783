//! Pictures of the real screen for README.md: the demo's panes, a form and
//! the chart view, drawn by the UI's own `render` into a test buffer and
//! written as SVG (one `<text>` per run of same-styled cells), so the
//! pictures can never drift from the UI unnoticed: `tests/pictures.rs`
//! draws them again and compares. `scripts/pictures.sh` (which runs
//! `concierge dev pictures docs/screens`) writes them.

use crate::app::{self, Action, Pane, State};
use crate::clock::Clock;
use crate::store::{OpenMode, Store, StoreError};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;

/// The day every picture is drawn on (the demo moves with the calendar).
pub const DAY: (i32, u32, u32) = (2026, 12, 4);
/// The terminal the pictures show.
pub const SIZE: (u16, u16) = (120, 40);

/// Each picture's file stem and how to reach it from the demo's start.
pub fn pictures() -> Vec<(&'static str, Vec<Action>)> {
    vec![
        ("backlog", vec![]),
        ("customers", vec![Action::Pane(Pane::Customers)]),
        ("checkins", vec![Action::Pane(Pane::CheckIns)]),
        ("data", vec![Action::Pane(Pane::Data)]),
        ("review", vec![Action::Pane(Pane::Review)]),
        ("activity", vec![Action::Pane(Pane::Activity)]),
        ("form", vec![Action::Edit]),
        (
            "chart",
            vec![
                Action::Pane(Pane::Data),
                Action::Right,
                Action::Right,
                Action::OpenChart,
                Action::ChartSplit,
            ],
        ),
    ]
}

/// Every picture as `(stem, svg)`, drawn on a fresh demo in `dir`.
pub fn draw_all(dir: &std::path::Path) -> Result<Vec<(&'static str, String)>, StoreError> {
    let day = chrono::NaiveDate::from_ymd_opt(DAY.0, DAY.1, DAY.2).unwrap_or_default();
    let mut out = Vec::new();
    for (stem, actions) in pictures() {
        let path = dir.join(format!("{stem}.db"));
        let _ = std::fs::remove_file(&path);
        let mut store = Store::open(&path, OpenMode::ReadWrite, "dana", Clock::fixed_day(day))?;
        crate::demo::load(&mut store)?;
        drop(store);
        // Named as the demo is, whatever the file is called here.
        let named = dir.join("submittals-mvp.db");
        std::fs::rename(&path, &named)?;
        let mut store = Store::open(&named, OpenMode::ReadWrite, "dana", Clock::fixed_day(day))?;
        let mut state = app::start(&store);
        state.color = true;
        app::update(&mut state, Action::Resize(SIZE.0, SIZE.1), &mut store);
        for action in actions {
            app::update(&mut state, action, &mut store);
            settle(&mut state, &mut store);
        }
        settle(&mut state, &mut store);
        out.push((stem, svg(&screen(&state))));
        drop(store);
        let _ = std::fs::remove_file(&named);
    }
    Ok(out)
}

/// Lets deferred reads finish, as idle moments in the terminal do.
fn settle(state: &mut State, store: &mut Store) {
    for _ in 0..200 {
        if !state.busy {
            return;
        }
        app::update(state, Action::Idle, store);
    }
}

fn screen(state: &State) -> Buffer {
    let backend = TestBackend::new(SIZE.0, SIZE.1);
    let mut terminal = match Terminal::new(backend) {
        Ok(t) => t,
        Err(never) => match never {},
    };
    let _ = terminal.draw(|frame| crate::ui::render(state, frame));
    terminal.backend().buffer().clone()
}

/// Cell size in the picture, in pixels.
const CELL_W: f64 = 8.4;
const CELL_H: f64 = 18.0;

/// A buffer as SVG: a dark terminal, each run of same-styled cells one
/// `<text>` (escaped), bold and reversed cells kept.
pub fn svg(buffer: &Buffer) -> String {
    let (w, h) = (buffer.area.width, buffer.area.height);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {:.0} {:.0}\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"14\">\n<rect width=\"100%\" height=\"100%\" fill=\"#1e1e1e\"/>\n",
        f64::from(w) * CELL_W,
        f64::from(h) * CELL_H
    );
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let style = style_at(buffer, x, y);
            let start = x;
            let mut text = String::new();
            while x < w && style_at(buffer, x, y) == style {
                text.push_str(buffer[(x, y)].symbol());
                x += 1;
            }
            let (fg, bg, bold) = style;
            let left = f64::from(start) * CELL_W;
            let top = f64::from(y) * CELL_H;
            if let Some(bg) = bg {
                let _ = writeln!(
                    out,
                    "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{CELL_H}\" fill=\"{bg}\"/>",
                    f64::from(x - start) * CELL_W
                );
            }
            if text.trim().is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "<text x=\"{left:.1}\" y=\"{:.1}\" fill=\"{fg}\"{} textLength=\"{:.1}\" xml:space=\"preserve\">{}</text>",
                top + CELL_H * 0.75,
                if bold { " font-weight=\"bold\"" } else { "" },
                f64::from(x - start) * CELL_W,
                escape(&text)
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

type CellStyle = (&'static str, Option<&'static str>, bool);

fn style_at(buffer: &Buffer, x: u16, y: u16) -> CellStyle {
    let cell = &buffer[(x, y)];
    let reversed = cell.modifier.contains(Modifier::REVERSED);
    let fg = hex(cell.fg).unwrap_or("#d4d4d4");
    let bg = hex(cell.bg);
    let (fg, bg) = if reversed {
        (bg.unwrap_or("#1e1e1e"), Some(fg))
    } else {
        (fg, bg)
    };
    (fg, bg, cell.modifier.contains(Modifier::BOLD))
}

/// The 16 ANSI colours as a dark terminal shows them.
fn hex(color: Color) -> Option<&'static str> {
    Some(match color {
        Color::Reset => return None,
        Color::Black => "#1e1e1e",
        Color::Red => "#f14c4c",
        Color::Green => "#23d18b",
        Color::Yellow => "#f5f543",
        Color::Blue => "#3b8eea",
        Color::Magenta => "#d670d6",
        Color::Cyan => "#29b8db",
        Color::Gray => "#a0a0a0",
        Color::DarkGray => "#6e6e6e",
        Color::LightRed => "#ff7b7b",
        Color::LightGreen => "#5fe3a9",
        Color::LightYellow => "#ffff80",
        Color::LightBlue => "#6fb1ff",
        Color::LightMagenta => "#e89be8",
        Color::LightCyan => "#7fd8ec",
        _ => "#e5e5e5",
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
