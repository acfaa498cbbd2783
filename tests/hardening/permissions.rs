//! Files concierge writes keep the workspace private, and a file that
//! cannot be written is named as the user gave it.

use crate::support::bin::{chmod, mode, run, text};

#[test]
fn export_and_review_to_a_missing_folder_name_the_users_path() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let init = run(tmp.path(), &["--db", "w.db", "init", "--demo"]);
    assert!(init.status.success(), "{}", text(&init.stderr));
    let export = run(
        tmp.path(),
        &["--db", "w.db", "export", "customers", "-o", "nope/c.csv"],
    );
    assert_eq!(export.status.code(), Some(1));
    assert_eq!(
        text(&export.stderr),
        "concierge: cannot write nope/c.csv: the folder nope does not exist\n"
    );
    let review = run(tmp.path(), &["--db", "w.db", "review", "-o", "nope/r.md"]);
    assert_eq!(review.status.code(), Some(1));
    assert_eq!(
        text(&review.stderr),
        "concierge: cannot write nope/r.md: the folder nope does not exist\n"
    );
}

#[test]
fn exports_and_reports_take_the_workspaces_permissions() {
    for (workspace, expected, folder) in [(0o600, 0o600, 0o700), (0o644, 0o644, 0o755)] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let init = run(tmp.path(), &["--db", "w.db", "init", "--demo"]);
        assert!(init.status.success(), "{}", text(&init.stderr));
        chmod(&tmp.path().join("w.db"), workspace);
        for args in [
            &["export", "customers", "-o", "c.csv"][..],
            &["review", "-o", "r.md"],
            &["export", "all", "-o", "all"],
        ] {
            let out = run(tmp.path(), &[&["--db", "w.db"][..], args].concat());
            assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        }
        assert_eq!(mode(&tmp.path().join("all")), folder, "the export folder");
        for file in ["c.csv", "r.md", "all/customers.csv", "all/data.csv"] {
            assert_eq!(
                mode(&tmp.path().join(file)),
                expected,
                "{file} from a {workspace:o} workspace"
            );
        }
    }
}
