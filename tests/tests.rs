//! The integration tests, one crate with a module per area (as ripgrep's
//! `tests/tests.rs`) and one support module. `render_props.rs` is the only
//! other test crate: it moves its process into a temp folder.
//!
//! `cargo test --test tests -- AREA::` runs one area, for example
//! `cargo test --test tests -- pty::`.

mod support;

mod architecture;
mod cli;
mod copy;
mod faults;
mod hardening;
mod interchange;
mod pictures;
mod pty;
mod review;
mod sheet;
mod store;
mod team;
mod tui;
