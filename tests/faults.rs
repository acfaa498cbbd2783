//! Faults a workspace meets in real use: another writer's lock, older and
//! newer files, a process killed during an import. (Issue #15's faults are
//! in `hardening`; the real binary's in a terminal in `pty::faults`.)

mod crash;
mod workspace;
