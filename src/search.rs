//! The check-in filter's in-memory indexes, independent of the engine that
//! stores the check-ins: [`Grams`] answers which notes hold a one- or
//! two-character word, [`Texts`] holds every check-in's short searchable
//! text. The store reads the rows into their builders and keeps the
//! results until the data changes (`store/list/checkin_filter.rs`).

mod grams;
mod texts;

pub use grams::{BUDGET, Grams, GramsBuilder};
pub use texts::{Texts, TextsBuilder};
