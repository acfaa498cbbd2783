//! A full disk is named, with the folder; a failed open leaves no stray
//! `-wal`/`-shm`; `--read-only` still reads; a save keeps its form open
//! until space is freed. Runs on a 1 MiB tmpfs, skipped where mounting
//! one is not permitted.

use crate::support::bin::{names, run, text};
use crate::support::{self, act, start, type_text};
use concierge::app::Action;
use concierge::app::state::Mode;
use concierge::store::{OpenMode, Store};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small tmpfs mounted on a temp folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount() -> Option<Tmpfs> {
        let dir = tempfile::tempdir().expect("tempdir");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
            .arg(dir.path())
            .output();
        match mounted {
            Ok(out) if out.status.success() => Some(Tmpfs { dir }),
            _ => {
                eprintln!("skipped: cannot mount a tmpfs here (needs root)");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills what is left of the disk.
    fn fill(&self) -> PathBuf {
        let path = self.path().join("fill");
        let mut file = std::fs::File::create(&path).expect("fill");
        let block = vec![0u8; 4096];
        while file
            .write_all(&block)
            .and_then(|()| file.sync_all())
            .is_ok()
        {}
        path
    }
}

impl Drop for Tmpfs {
    /// Unmounts, retrying while a child process another test is starting
    /// still holds an inherited file of it (between its fork and exec),
    /// then lazily.
    fn drop(&mut self) {
        for _ in 0..20 {
            let done = Command::new("umount").arg(self.dir.path()).status();
            if done.is_ok_and(|s| s.success()) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// The demo workspace, closed, copied onto `disk` as `w.db`.
fn demo_on(disk: &Tmpfs) -> PathBuf {
    let (_dir, store) = support::demo_file();
    let from = store.path().to_path_buf();
    drop(store);
    let to = disk.path().join("w.db");
    std::fs::copy(from, &to).expect("copy");
    to
}

#[test]
fn a_full_disk_is_named_with_its_folder_and_leaves_no_side_files() {
    let Some(disk) = Tmpfs::mount() else { return };
    demo_on(&disk);
    disk.fill();
    let dir = disk.path().display().to_string();
    let full = format!("concierge: the disk is full (no space left in {dir})");
    for args in [&["log"][..], &["check"], &["undo"], &[]] {
        let out = run(disk.path(), &[&["--db", "w.db"][..], args].concat());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            text(&out.stderr).starts_with(&full),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(names(disk.path()), ["fill", "w.db"], "{args:?}");
    }
    let out = run(disk.path(), &["--db", "w.db", "--read-only", "review"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("# Weekly review"));
    assert_eq!(names(disk.path()), ["fill", "w.db"]);
}

#[test]
fn a_save_on_a_full_disk_keeps_the_form_until_space_is_freed() {
    let Some(disk) = Tmpfs::mount() else { return };
    let path = demo_on(&disk);
    let mut store =
        Store::open(&path, OpenMode::ReadWrite, "dana", support::clock()).expect("open");
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::New]);
    type_text(&mut state, &mut store, "Written when the disk is full");
    let fill = disk.fill();
    act(&mut state, &mut store, &[Action::Save]);
    assert!(state.status.error, "{:?}", state.status);
    assert!(
        state
            .status
            .text
            .starts_with("not saved: the disk is full (no space left in"),
        "{:?}",
        state.status
    );
    let Mode::Form(form) = &state.mode else {
        panic!("the form closed: {:?}", state.status)
    };
    assert_eq!(form.value("statement"), "Written when the disk is full");

    std::fs::remove_file(fill).expect("free space");
    act(&mut state, &mut store, &[Action::Save]);
    assert!(matches!(state.mode, Mode::Normal), "{:?}", state.status);
    assert!(
        state.status.text.starts_with("saved H-"),
        "{:?}",
        state.status
    );
}
