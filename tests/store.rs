//! The store on real temp files, the benchmark fixture, and the rule that
//! one piece of evidence counts once.

mod evidence;
mod files;
mod fixture;
