//! The weekly review: the report through the store and the command line
//! (Markdown, JSON, HTML) and the Review pane that shows it.

mod figures;
mod html;
mod pane;
mod report;
