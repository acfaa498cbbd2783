//! The architecture invariants of ARCHITECTURE.md that a scan can check.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn domain_store_sheet_and_review_never_import_the_terminal_crates() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for layer in ["domain", "store", "sheet", "review"] {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        let root = src.join(format!("{layer}.rs"));
        if root.exists() {
            files.push(root);
        }
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable source");
            for (n, line) in text.lines().enumerate() {
                if ["ratatui", "crossterm"]
                    .iter()
                    .any(|c| line.contains(&format!("{c}::")))
                {
                    offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "UI crates below the UI layer:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn app_never_imports_ui() {
    // `ui` reads `app` state; `app` never reaches into `ui`. The geometry
    // both need (mouse hits, paging, key contexts) lives in `app::layout`
    // and `app::state`, and text tidying in `crate::text`.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("app.rs")];
    rust_files(&src.join("app"), &mut files);
    let mut offenders = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if code.contains("crate::ui") || code.contains("super::ui") {
                offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "app imports ui:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn ui_and_app_keep_no_hidden_state() {
    // A cache is state computed in `update` and kept in `State`: no
    // thread-local or global state, and nothing a `&State` renderer could
    // write through (`Cell`, `RefCell`, atomics).
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("app.rs"), src.join("ui.rs")];
    rust_files(&src.join("app"), &mut files);
    rust_files(&src.join("ui"), &mut files);
    let mut offenders = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let global = code.contains("thread_local!")
                || code.contains("static mut")
                || (code.contains("static ")
                    && ["Atomic", "Mutex", "RefCell", "OnceLock", "LazyLock"]
                        .iter()
                        .any(|t| code.contains(t)));
            let interior = [
                "std::cell::Cell<",
                "RefCell<",
                "cell::Cell",
                "AtomicU",
                "AtomicBool",
            ]
            .iter()
            .any(|t| code.contains(t));
            if global || interior {
                offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "hidden UI state:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_ui_never_runs_sql() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join("ui"), &mut files);
    rust_files(&src.join("app"), &mut files);
    files.push(src.join("ui.rs"));
    files.push(src.join("app.rs"));
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        assert!(
            !text.contains("rusqlite"),
            "{} uses rusqlite",
            file.display()
        );
        for keyword in ["SELECT ", "INSERT ", "UPDATE ", "DELETE FROM"] {
            assert!(
                !text.contains(keyword),
                "{} has SQL ({keyword})",
                file.display()
            );
        }
    }
}

#[test]
fn migrations_are_only_appended() {
    // The first migration's text is pinned: editing a shipped migration
    // would leave existing workspaces on a schema the code does not expect.
    let schema =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/schema.rs"))
            .expect("schema.rs");
    // The SQL of migration 1: its raw string, however the list is laid out.
    let first = schema
        .split("// 1:")
        .nth(1)
        .and_then(|s| s.split_once("r\""))
        .and_then(|(_, sql)| sql.split("\n\"").next())
        .expect("migration 1");
    let digest = first.bytes().fold(0u64, |h, b| {
        h.wrapping_mul(1_099_511_628_211).wrapping_add(u64::from(b))
    });
    assert_eq!(
        digest, MIGRATION_1_DIGEST,
        "migration 1 changed: add a new migration instead"
    );
}

const MIGRATION_1_DIGEST: u64 = 3_925_533_303_136_042_507;

#[test]
fn the_integration_tests_are_one_crate_reached_without_path_attributes() {
    // Cargo.toml sets `autotests = false`, so a file under tests/ runs only
    // if a crate root (a `[[test]]` path) or its parent module declares it:
    // a file nobody declares would silently never run.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tests = root.join("tests");
    let cargo = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    let mut files = Vec::new();
    rust_files(&tests, &mut files);
    let mut offenders = Vec::new();
    // Spelled in two pieces so this line does not find itself.
    let path_attribute = format!("#[{}", "path");
    for file in &files {
        let relative = file.strip_prefix(root).expect("under the crate");
        let text = std::fs::read_to_string(file).expect("readable test");
        if text
            .lines()
            .any(|l| l.trim_start().starts_with(&path_attribute))
        {
            offenders.push(format!(
                "{}: wired with a path attribute",
                relative.display()
            ));
        }
        let crate_root = cargo.contains(&format!("path = \"{}\"", relative.display()));
        let stem = file.file_stem().and_then(|s| s.to_str()).expect("name");
        let parent = file.parent().expect("a folder");
        let module_file = if parent == tests {
            tests.join("tests.rs")
        } else {
            parent.with_extension("rs")
        };
        let declared = std::fs::read_to_string(&module_file).is_ok_and(|t| {
            t.lines()
                .any(|l| l.trim_start().trim_start_matches("pub ") == format!("mod {stem};"))
        });
        if !crate_root && !declared {
            offenders.push(format!(
                "{}: neither a [[test]] in Cargo.toml nor `mod {stem};` in {}",
                relative.display(),
                module_file
                    .strip_prefix(root)
                    .expect("under the crate")
                    .display()
            ));
        }
    }
    assert!(
        offenders.is_empty(),
        "tests not reached:\n{}",
        offenders.join("\n")
    );
}
