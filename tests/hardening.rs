//! Hardening (issue #15): the faults a team meets — a folder it cannot
//! write, private files, huge cells, signals, a full disk, hostile input —
//! each named and survived. One module per fault; `support::bin`
//! runs the real binary, as an unprivileged user where it matters.

mod disk_full;
mod hostile;
mod lock_wait;
mod permissions;
mod read_only;
mod resize;
