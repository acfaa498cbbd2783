//! The app driven by actions, as a person drives it, with the screen
//! read back as text (ratatui's `TestBackend`) and `insta` snapshots.

mod app;
mod chart;
mod form_merge;
mod grid;
mod hostile_text;
mod messages;
mod roles;
mod wizard;
mod workflows;
