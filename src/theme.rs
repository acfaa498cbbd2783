//! Colours, limited to the 16 ANSI ones, and none at all under
//! `NO_COLOR`. Meaning never rests on colour alone: every status also has
//! a symbol.

use crate::domain::{Stage, Status};
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::default().fg(color)
        } else {
            Style::default()
        }
    }

    /// The `n`th line of a chart: 16-colour hues in turn (plain without
    /// colour, where markers and the legend tell lines apart).
    pub fn line(self, n: usize) -> Style {
        const HUES: [Color; 7] = [
            Color::Cyan,
            Color::Yellow,
            Color::Green,
            Color::Magenta,
            Color::Red,
            Color::Blue,
            Color::White,
        ];
        self.fg(HUES[n % HUES.len()])
    }

    pub fn title(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }

    pub fn selected(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn active_tab(self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn good(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn label(self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn status(self, status: Status) -> Style {
        match status {
            Status::Backlog => Style::default(),
            Status::Testing => self.fg(Color::Yellow),
            Status::Validated => self.fg(Color::Green),
            Status::Invalidated => self.fg(Color::Red),
            Status::Parked => self.dim(),
        }
    }

    pub fn stage(self, stage: Stage) -> Style {
        match stage {
            Stage::Active => self.fg(Color::Green),
            Stage::Onboarding | Stage::Invited => self.fg(Color::Cyan),
            Stage::Paused => self.fg(Color::Yellow),
            Stage::Dropped => self.fg(Color::Red),
            Stage::Prospect | Stage::Graduated => Style::default(),
        }
    }

    /// Health −2…+2: red to green.
    pub fn health(self, health: Option<i64>) -> Style {
        match health {
            Some(h) if h < 0 => self.fg(Color::Red),
            Some(h) if h > 0 => self.fg(Color::Green),
            _ => Style::default(),
        }
    }
}
