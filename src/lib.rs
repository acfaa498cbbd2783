//! concierge: a keyboard-first terminal workbench for running a concierge
//! MVP. See ARCHITECTURE.md for the map of this crate.

pub mod domain;
pub mod clock;
pub mod store;
pub mod app;
pub mod ui;
pub mod cli;
pub mod tui;
