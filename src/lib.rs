//! concierge: a keyboard-first terminal workbench for running a concierge
//! MVP. See ARCHITECTURE.md for the map of this crate.

pub mod app;
pub mod cli;
pub mod clock;
pub mod demo;
pub mod domain;
pub mod fixture;
pub mod interchange;
pub mod review;
pub mod search;
pub mod sheet;
pub mod store;
pub mod text;
pub mod theme;
pub mod tui;
pub mod ui;
