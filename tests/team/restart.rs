//! SPEC §7's faults: the server restarting mid-session never loses what
//! the user typed. A private cluster (the shared test cluster serves other
//! tests and must stay up) is stopped under an open form and started
//! again; the form, the status line and the store are read at each step.

use crate::support::{act, bin::BIN, clock, screen, start, type_text};
use concierge::app::state::Mode;
use concierge::app::{Action, Pane, State};
use concierge::store::Store;
use std::path::{Path, PathBuf};
use std::process::Command;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pg-throwaway.sh");

/// A throw-away cluster of this test's own (`scripts/pg-throwaway.sh
/// start --fast`), stopped and removed when dropped.
pub struct Private {
    pub dir: PathBuf,
    pub url: String,
    bin: PathBuf,
}

impl Private {
    /// A new cluster, or `None` (after saying why) when no PostgreSQL is
    /// meant to be there, as `server::fresh` decides.
    pub fn start(test: &str) -> Option<Self> {
        if std::env::var("CONCIERGE_TEST_PG").is_ok_and(|u| !u.is_empty()) {
            // A test server is running, so PostgreSQL is installed.
        } else {
            assert!(
                std::env::var_os("CONCIERGE_PG_REQUIRED").is_none(),
                "{test}: CONCIERGE_PG_REQUIRED is set but CONCIERGE_TEST_PG is not"
            );
            eprintln!("skipped {test} on PostgreSQL: CONCIERGE_TEST_PG is not set");
            return None;
        }
        // Directly under /tmp: run as root, the server runs as another
        // user, who must be able to reach the folder.
        let dir = PathBuf::from(format!("/tmp/cpg-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = Command::new(SCRIPT)
            .args(["start", "--fast"])
            .arg(&dir)
            .output()
            .expect("run pg-throwaway.sh");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let url = stdout.lines().next().expect("the URL").to_owned();
        let bin = pg_bin().expect("pg_ctl, found as the script finds it");
        Some(Private { dir, url, bin })
    }

    /// `pg_ctl ACTION` on the cluster, as the user owning its files.
    pub fn pg_ctl(&self, action: &str) {
        let data = self.dir.join("data");
        let log = self.dir.join("postgres.log");
        let owner = Command::new("stat")
            .args(["-c", "%U"])
            .arg(&data)
            .output()
            .expect("stat");
        let owner = String::from_utf8_lossy(&owner.stdout).trim().to_owned();
        let me = Command::new("id").arg("-un").output().expect("id");
        let mut cmd = if String::from_utf8_lossy(&me.stdout).trim() == owner {
            Command::new(self.bin.join("pg_ctl"))
        } else {
            let mut c = Command::new("runuser");
            c.args(["-u", &owner, "--"]).arg(self.bin.join("pg_ctl"));
            c
        };
        cmd.current_dir(&self.dir)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(&log)
            .args(["-m", "fast", "-w", "-t", "60", action]);
        let out = cmd.output().expect("pg_ctl");
        assert!(
            out.status.success(),
            "pg_ctl {action}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Private {
    fn drop(&mut self) {
        // `stop` stops the server if it runs, and removes the folder.
        let _ = Command::new(SCRIPT).arg("stop").arg(&self.dir).output();
    }
}

/// The folder of initdb, pg_ctl and postgres, looked for where
/// `pg-throwaway.sh` looks: version 15, then PATH, then any version.
fn pg_bin() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut others: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| d.flatten().map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    others.sort();
    std::iter::once(PathBuf::from("/usr/lib/postgresql/15/bin"))
        .chain(on_path.into_iter().filter(|d| d.join("initdb").exists()))
        .chain(others)
        .find(|d| {
            ["initdb", "pg_ctl", "postgres"]
                .iter()
                .all(|b| d.join(b).exists())
        })
        .map(|d| std::fs::canonicalize(&d).unwrap_or(d))
}

/// The demo copied up into the cluster at `url` (`copy --to` makes the
/// team workspace first).
pub fn demo_at(url: &str) {
    let (_dir, store) = crate::support::demo_file();
    let file = store.path().to_path_buf();
    drop(store);
    copy_up(&file, url);
}

/// `concierge --db FILE copy --to URL`.
pub fn copy_up(file: &Path, url: &str) {
    let copied = Command::new(BIN)
        .arg("--db")
        .arg(file)
        .args(["copy", "--to", url])
        .output()
        .expect("copy");
    assert!(
        copied.status.success(),
        "{}",
        String::from_utf8_lossy(&copied.stderr)
    );
}

/// A private cluster holding the demo, the app open on it at the
/// Customers pane, and the first customer's id.
fn customers_on(test: &str) -> Option<(Private, Store, State, i64)> {
    let pg = Private::start(test)?;
    demo_at(&pg.url);
    let mut store = Store::open_server(&pg.url, false, clock()).expect("open on the server");
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::Pane(Pane::Customers)]);
    let id = state.customers.ids[0];
    Some((pg, store, state, id))
}

#[test]
fn a_form_open_while_the_server_restarts_saves_once_it_is_back() {
    let Some((pg, mut store, mut state, id)) = customers_on("team_restart") else {
        return;
    };
    let before = store.customer(id).expect("the first customer");
    let batches = store.recent_batches(1).expect("log")[0].id;
    act(&mut state, &mut store, &[Action::Edit, Action::NextField]);
    assert!(matches!(state.mode, Mode::Form(_)), "{:?}", state.status);
    // Moving into a field selects it: typing replaces the company.
    let typed = "Alder Renovations Ltd";
    assert_ne!(before.company, typed);
    type_text(&mut state, &mut store, typed);
    assert!(screen(&state).contains(typed), "{}", screen(&state));

    pg.pg_ctl("stop");
    act(&mut state, &mut store, &[Action::Save]);
    let seen = screen(&state);
    assert!(
        state.status.text.contains("the server is unreachable"),
        "{}\n{seen}",
        state.status.text
    );
    assert!(seen.contains("the server is unreachable"), "{seen}");
    assert!(matches!(state.mode, Mode::Form(_)), "the form stays open");
    assert!(seen.contains(typed), "what was typed stays: {seen}");
    // Saving again while it is still down changes nothing either.
    act(&mut state, &mut store, &[Action::Save]);
    assert!(matches!(state.mode, Mode::Form(_)), "{}", state.status.text);

    pg.pg_ctl("start");
    act(&mut state, &mut store, &[Action::Save]);
    let seen = screen(&state);
    assert!(
        matches!(state.mode, Mode::Normal),
        "{:?}\n{seen}",
        state.mode
    );
    assert!(
        state.status.text.starts_with("saved C-"),
        "{}\n{seen}",
        state.status.text
    );
    assert!(seen.contains("saved C-"), "{seen}");
    let after = store.customer(id).expect("the customer");
    assert_eq!(after.company, typed);
    assert_eq!(after.meta.rev, before.meta.rev + 1, "saved exactly once");
    let new: Vec<_> = store
        .recent_batches(10)
        .expect("log")
        .into_iter()
        .filter(|b| b.id > batches)
        .collect();
    assert_eq!(new.len(), 1, "one new batch: {new:?}");
    let changes = store.changes(new[0].id).expect("its changes");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].field, "company");
}

#[test]
fn a_change_made_while_this_client_was_cut_off_shows_once_the_server_is_back() {
    let Some((pg, mut store, mut state, id)) = customers_on("team_restart_live") else {
        return;
    };
    pg.pg_ctl("stop");
    act(&mut state, &mut store, &[Action::Idle]);
    assert!(
        state.status.text.contains("the server is unreachable"),
        "{}",
        state.status.text
    );
    pg.pg_ctl("start");
    // Someone whose client reconnected first saves while this one has not
    // yet: its notice goes out before this client listens again.
    let mut other = Store::open_server(&pg.url, false, clock()).expect("another client");
    let mut theirs = other.customer(id).expect("the first customer");
    theirs.name = "Alder & Finch Renamed".into();
    other.save_customer(&theirs).expect("their save");
    for _ in 0..20 {
        act(&mut state, &mut store, &[Action::Idle]);
        if screen(&state).contains("Alder & Finch Renamed") {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!(
        "a change made while this client was cut off never showed:\n{}",
        screen(&state)
    );
}
