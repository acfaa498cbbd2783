//! End to end: the real binary in a pseudo-terminal, its screen read with
//! vt100 (`support::pty`).

mod app;
mod faults;
mod wizard;
