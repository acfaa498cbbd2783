//! CSV round-trips on a real workspace (SPEC §4): exporting and importing
//! every record kind through the store, the spreadsheet's re-rendering,
//! stale files and their conflicts, whole-workspace moves, atomicity, the
//! `concierge export`/`import` command line, large streamed files and the
//! importer fuzzed with the corpus; the same on a PostgreSQL server.

mod bulk;
mod command_line;
mod error_values;
mod fuzz;
mod moves;
mod preview_text;
mod round_trip;
mod server;
