//! The shared CSV corpus (`../shared/csv-corpus`, read-only): its folder
//! and the logical columns its `INDEX.md` gives.

use concierge::sheet::{Column, ColumnType, Schema};
use std::path::PathBuf;

/// The shared corpus folder, beside the repository.
pub fn shared_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/csv-corpus"))
}

/// The corpus's logical columns (INDEX.md), plus `active` for file 42.
pub fn schema() -> Schema {
    Schema::new(
        "C-",
        vec![
            Column::new("name", ColumnType::Text).required(),
            Column::new("segment", ColumnType::Text),
            Column::new("stage", ColumnType::Text),
            Column::new("date", ColumnType::Date),
            Column::new("value", ColumnType::Decimal),
            Column::new("notes", ColumnType::MultilineText),
            Column::new("active", ColumnType::Boolean),
        ],
    )
}
