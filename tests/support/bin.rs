//! Running the real binary, and running it as an unprivileged user to
//! meet the permission faults root never meets.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_concierge");

/// `setpriv` switching to user and group 65534 (nobody), no other groups.
const AS_NOBODY: [&str; 3] = ["--reuid=65534", "--regid=65534", "--clear-groups"];

/// `concierge ARGS` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("CONCIERGE_TODAY", "2026-11-21")
        .output()
        .expect("run concierge")
}

/// `concierge ARGS` in `dir` as user `nobody` (65534), or `None` with a
/// printed reason when this test cannot switch users (not root, no
/// `setpriv`).
pub fn run_as_nobody(dir: &Path, args: &[&str]) -> Option<Output> {
    let root = std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    });
    if !root {
        eprintln!("skipped: switching to an unprivileged user needs root");
        return None;
    }
    // Can this machine switch users, and may nobody run the binary?
    let probe = Command::new("setpriv")
        .args(AS_NOBODY)
        .args([BIN, "--version"])
        .output();
    match probe {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            eprintln!(
                "skipped: setpriv could not run concierge as nobody: {}",
                text(&out.stderr)
            );
            return None;
        }
        Err(e) => {
            eprintln!("skipped: no setpriv ({e})");
            return None;
        }
    }
    let output = Command::new("setpriv")
        .args(AS_NOBODY)
        .arg(BIN)
        .args(args)
        .current_dir(dir)
        .env("CONCIERGE_TODAY", "2026-11-21")
        .output()
        .expect("setpriv ran a moment ago");
    Some(output)
}

pub fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// The names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
