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
fn only_the_store_speaks_to_a_database_engine() {
    // The engine seam: everything outside `src/store` reaches the records
    // through `Store`, so a second engine reuses it unchanged.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !f.starts_with(src.join("store")) && *f != &src.join("store.rs"))
        .filter(|f| {
            let text = std::fs::read_to_string(f).expect("readable source");
            text.contains("rusqlite") || text.contains("postgres::")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "a database engine used outside src/store:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn migrations_are_only_appended() {
    // Every shipped migration is pinned, each step's entry and each
    // function a code step runs: editing one would leave existing
    // workspaces on a schema the code does not expect. Add a new one
    // instead, and pin it here.
    let schema =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/schema.rs"))
            .expect("schema.rs");
    let pieces = migration_pieces(&schema);
    assert!(pieces.len() >= PINNED.len(), "a migration was removed");
    let mut problems = Vec::new();
    for (name, text) in &pieces {
        let digest = text.bytes().fold(0u64, |h, b| {
            h.wrapping_mul(1_099_511_628_211).wrapping_add(u64::from(b))
        });
        match PINNED.iter().find(|(n, _)| n == name) {
            Some((_, pinned)) if *pinned == digest => {}
            Some(_) => problems.push(format!("{name} changed: add a new migration instead")),
            None => problems.push(format!("{name} is new: pin it as (\"{name}\", {digest})")),
        }
    }
    for (name, _) in PINNED {
        if !pieces.iter().any(|(n, _)| n == name) {
            problems.push(format!("{name} is gone"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// schema.rs cut into its migrations (`// N:` to the next) and the
/// functions after the list, each named (`7`, `fn rebuild_entries`).
fn migration_pieces(schema: &str) -> Vec<(String, String)> {
    let (list, functions) = schema
        .split_once("\n];\n")
        .expect("the MIGRATIONS list ends with `];`");
    let list = list
        .split_once("pub const MIGRATIONS")
        .expect("MIGRATIONS")
        .1;
    // A step starts at a line `    // N: …`; other comment lines go with it.
    let starts: Vec<usize> = list
        .match_indices("\n    // ")
        .map(|(at, _)| at + 1)
        .filter(|at| {
            let rest = &list[at + 7..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            digits > 0 && rest.as_bytes()[digits] == b':'
        })
        .collect();
    let mut pieces = Vec::new();
    for (i, at) in starts.iter().enumerate() {
        let step = &list[*at..starts.get(i + 1).copied().unwrap_or(list.len())];
        let number = step[7..].split(':').next().unwrap_or_default();
        pieces.push((number.to_string(), step.to_string()));
    }
    for function in functions.split("\nfn ").skip(1) {
        let name = function.split('(').next().unwrap_or_default();
        let body = function.split("\n}\n").next().unwrap_or_default();
        pieces.push((format!("fn {name}"), body.to_string()));
    }
    pieces
}

const PINNED: &[(&str, u64)] = &[
    ("1", 13_428_779_195_099_633_226),
    ("2", 1_411_692_498_847_783_187),
    ("3", 3_971_944_851_611_936_354),
    ("4", 9_876_471_085_370_669_562),
    ("5", 13_760_382_878_375_553_743),
    ("6", 15_887_790_738_963_775_216),
    ("7", 628_205_514_887_849_732),
    ("fn one_entries_index", 6_607_799_749_992_417_593),
    ("fn entry_stamps_in_seconds", 9_767_755_773_375_992_246),
    ("fn rebuild_entries", 16_399_664_996_754_466_062),
];

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
