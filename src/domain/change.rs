//! The change log's records: a batch is one user action (a save, an
//! import, an undo) and holds one change row per field it touched.

use super::ids::RecordKey;

named_enum!(
    /// What a change row did to its record.
    ChangeOp { Create => "create", Update => "update", Delete => "delete" }
);

/// One user action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub id: i64,
    pub actor: String,
    /// UTC, RFC 3339.
    pub at: String,
    /// What the user did, in words: "create H-21", "undo batch 12".
    pub label: String,
    /// The batch this one undid, if it is an undo.
    pub undoes: Option<i64>,
    pub change_count: i64,
}

/// One field of one record changed within a batch; values are shown as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub batch_id: i64,
    pub record: RecordKey,
    pub op: ChangeOp,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}
