//! Hardening (issue #15): the faults a team meets — a folder it cannot
//! write, private files, huge cells, signals, a full disk, hostile input —
//! each named and survived. One module per fault; `hardening/support.rs`
//! runs the real binary, as an unprivileged user where it matters.

mod common;
#[path = "hardening/disk_full.rs"]
mod disk_full;
#[path = "hardening/hostile.rs"]
mod hostile;
#[path = "hardening/lock_wait.rs"]
mod lock_wait;
#[path = "hardening/permissions.rs"]
mod permissions;
#[path = "hardening/read_only.rs"]
mod read_only;
#[path = "hardening/resize.rs"]
mod resize;
#[path = "hardening/support.rs"]
mod support;
