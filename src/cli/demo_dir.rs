//! The `--demo` workspace's temporary folder, and sweeping up the folders
//! of demos whose process was killed before it could remove its own.
//!
//! Each folder is `$TMPDIR/concierge-demo-XXXXXX` and holds a `pid` file
//! naming the process that uses it. At the next `--demo` start a folder
//! whose process no longer runs (checked in `/proc`) is removed; a folder
//! without a `pid` file is left alone for ten minutes (it may be starting
//! right now). Where there is no `/proc`, nothing is swept: better a
//! leftover than removing a running demo's workspace.

use std::path::Path;
use std::time::{Duration, SystemTime};

const PREFIX: &str = "concierge-demo-";
const PID_FILE: &str = "pid";
const STARTING: Duration = Duration::from_secs(600);

/// A fresh demo folder (removed when dropped), after sweeping up the ones
/// killed demos left in `std::env::temp_dir()`.
pub fn create() -> std::io::Result<tempfile::TempDir> {
    let temp = std::env::temp_dir();
    sweep(&temp);
    let dir = tempfile::Builder::new().prefix(PREFIX).tempdir_in(&temp)?;
    std::fs::write(dir.path().join(PID_FILE), std::process::id().to_string())?;
    Ok(dir)
}

/// Removes the demo folders under `temp` whose process is gone; returns
/// how many.
pub fn sweep(temp: &Path) -> usize {
    if !Path::new("/proc/self").exists() {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir(temp) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let is_demo = entry.file_name().to_string_lossy().starts_with(PREFIX)
            && entry.file_type().is_ok_and(|t| t.is_dir());
        if is_demo && abandoned(&entry.path()) && std::fs::remove_dir_all(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

fn abandoned(dir: &Path) -> bool {
    match std::fs::read_to_string(dir.join(PID_FILE)) {
        Ok(pid) => match pid.trim().parse::<u32>() {
            Ok(pid) => pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists(),
            Err(_) => older_than_starting(dir),
        },
        Err(_) => older_than_starting(dir),
    }
}

fn older_than_starting(dir: &Path) -> bool {
    std::fs::metadata(dir)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > STARTING)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_demos_folder_is_swept_and_a_live_or_starting_one_kept() {
        let temp = tempfile::tempdir().expect("tempdir");
        let make = |name: &str, pid: Option<&str>| {
            let dir = temp.path().join(name);
            std::fs::create_dir(&dir).expect("mkdir");
            std::fs::write(dir.join("submittals-mvp.db"), "db").expect("db");
            if let Some(pid) = pid {
                std::fs::write(dir.join(PID_FILE), pid).expect("pid");
            }
        };
        // No process has a pid this large (pid_max is at most 2^22).
        make("concierge-demo-dead", Some("4294967"));
        make("concierge-demo-live", Some(&std::process::id().to_string()));
        make("concierge-demo-starting", None);
        make("other-dead", Some("4294967"));
        if !Path::new("/proc/self").exists() {
            eprintln!("skipped: no /proc");
            return;
        }
        assert_eq!(sweep(temp.path()), 1);
        let mut left: Vec<String> = std::fs::read_dir(temp.path())
            .expect("read")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "concierge-demo-live",
                "concierge-demo-starting",
                "other-dead"
            ]
        );
    }
}
