//! Hostile input: a cell over the limit is named by row, line and column;
//! garbage (a sparse file, NULs, random bytes) is refused from its start;
//! peak memory stays under SPEC §6's 32 MB whatever the file.

use crate::support::bin::{run, text};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// SPEC §6: peak memory importing any file.
const LIMIT_KB: u64 = 32 * 1024;

fn workspace(dir: &Path) {
    let init = run(dir, &["--db", "w.db", "init", "--demo"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
}

fn write(path: &Path, parts: &[&[u8]]) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    for part in parts {
        file.write_all(part).expect("write");
    }
}

#[test]
fn a_cell_over_the_limit_is_named_by_row_line_and_column() {
    let tmp = tempfile::tempdir().expect("tempdir");
    workspace(tmp.path());
    let cell = vec![b'x'; 20 << 20];
    write(
        &tmp.path().join("big.csv"),
        &[b"id,name,notes\n,Ann,ok\n,Zed,", &cell, b"\n,Bob,ok\n"],
    );
    write(
        &tmp.path().join("quote.csv"),
        &[b"id,name,notes\n,Ann,ok\n,Zed,\"", &cell, b"\n,Bob,ok\n"],
    );
    write(
        &tmp.path().join("small.csv"),
        &[b"id,name,notes\n,Ann,ok\n,Zed,", &cell[..300_000], b"\n"],
    );
    let limit = "cell longer than the limit of 256 KiB (262144 bytes)";
    for (file, expected) in [
        (
            "big.csv",
            format!("data row 2 (line 3), column notes: {limit}\n"),
        ),
        (
            "quote.csv",
            format!(
                "data row 2 (line 3), column notes: {limit}; or a quote opened on line 3 is never closed\n"
            ),
        ),
        // A file small enough to be read whole is held to the same limit.
        (
            "small.csv",
            format!("data row 2 (line 3), column notes: {limit}\n"),
        ),
    ] {
        let out = run(
            tmp.path(),
            &["--db", "w.db", "import", "customers", file, "--dry-run"],
        );
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stdout = text(&out.stdout);
        assert!(stdout.contains(&expected), "{file}: {stdout}");
        assert!(!stdout.contains("header"), "{file}: {stdout}");
    }
}

/// Peak memory (KiB) and stderr of `concierge ARGS`, or `None` when
/// `/usr/bin/time` is missing.
fn peak(dir: &Path, args: &[&str]) -> Option<(u64, String)> {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("skipped: no /usr/bin/time to measure peak memory");
        return None;
    }
    let out = Command::new("/usr/bin/time")
        .args(["-f", "peak %M", crate::support::bin::BIN])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("time");
    let stderr = text(&out.stderr);
    let kb = stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("peak "))
        .and_then(|n| n.trim().parse().ok())
        .expect("peak line");
    Some((kb, stderr))
}

#[test]
fn memory_stays_flat_on_garbage_and_a_huge_cell() {
    let tmp = tempfile::tempdir().expect("tempdir");
    workspace(tmp.path());
    let dir = tmp.path();
    // A 1 GiB sparse file: all NULs, no disk used.
    std::fs::File::create(dir.join("sparse.csv"))
        .and_then(|f| f.set_len(1 << 30))
        .expect("sparse");
    write(
        &dir.join("nul.csv"),
        &[b"customer,recorded_on,hours_saved\n", &vec![0u8; 32 << 20]],
    );
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let random: Vec<u8> = (0..32 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    write(&dir.join("random.csv"), &[&random]);
    write(
        &dir.join("cell.csv"),
        &[
            b"customer,recorded_on,notes\nHarbor,2026-11-02,",
            &vec![b'x'; 50 << 20],
            b"\n",
        ],
    );
    // `import all` reads its files whole: garbage is refused first.
    std::fs::create_dir(dir.join("all")).expect("mkdir");
    std::fs::File::create(dir.join("all/customers.csv"))
        .and_then(|f| f.set_len(1 << 30))
        .expect("sparse");
    for (kind, file, says) in [
        ("data", "sparse.csv", "contains a NUL byte"),
        ("data", "nul.csv", "contains a NUL byte"),
        ("data", "random.csv", "invalid UTF-8"),
        ("data", "cell.csv", "cell longer than the limit"),
        ("all", "all", "contains a NUL byte"),
    ] {
        let args = ["--db", "w.db", "import", kind, file, "--dry-run"];
        let Some((kb, stderr)) = peak(dir, &args) else {
            return;
        };
        let out = run(dir, &args);
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(said.contains(says), "{file}: {said}");
        assert!(kb < LIMIT_KB, "{file}: peak {kb} KiB\n{stderr}");
    }
}
