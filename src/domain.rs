//! Records, ids, enums, state machines and validation of SPEC §2.
//!
//! Nothing in here does IO or knows about the terminal: the store persists
//! these types and the app edits them, but the rules live here so both the
//! TUI and the CLI obey the same ones.

#[macro_use]
mod names;
pub mod arrival;
pub mod backlog;
pub mod change;
pub mod checkin;
pub mod customer;
pub mod dates;
pub mod entry;
pub mod evidence;
pub mod field;
pub mod followup;
pub mod ids;
pub mod matching;
pub mod role;
pub mod validation;
pub mod value;
pub mod words;

pub use backlog::{BacklogItem, Category, Decision, ItemKind, Status};
pub use change::{Batch, Change, ChangeOp};
pub use checkin::{CheckIn, CheckInKind};
pub use customer::{Customer, IcpFit, Stage};
pub use evidence::{EvidenceLink, Stance, Strength};
pub use field::{Field, FieldType};
pub use followup::FollowUp;
pub use ids::{Kinds, RecordKey, RecordKind};
pub use role::{Act, Role};
pub use validation::{FieldError, Invalid};

/// Bookkeeping every stored record carries (SPEC §2: `created_at`,
/// `updated_at` in UTC and a `rev` that grows on every write).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    pub created_at: String,
    pub updated_at: String,
    pub rev: i64,
}
