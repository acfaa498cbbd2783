//! The command line (SPEC §5): clap definitions and the subcommands that
//! run without the TUI. Exit codes: 0 ok, 1 error (one line on stderr),
//! 2 usage (clap's own).

use crate::clock::Clock;
use crate::store::{OpenMode, Store, StoreError, default_path};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "concierge",
    version,
    about = "A keyboard-first workbench for running a concierge MVP"
)]
pub struct Cli {
    /// Workspace file (default: the platform data dir; env CONCIERGE_DB).
    #[arg(long, global = true, env = "CONCIERGE_DB")]
    pub db: Option<PathBuf>,
    /// Who is making changes (env CONCIERGE_USER, else the OS user).
    #[arg(
        long = "as",
        global = true,
        value_name = "NAME",
        env = "CONCIERGE_USER"
    )]
    pub actor: Option<String>,
    /// Open read-only: browse, never write.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Open a fresh temporary copy of the demo workspace.
    #[arg(long)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a workspace (with --demo: filled with the demo data).
    Init {
        #[arg(long)]
        demo: bool,
    },
    /// Show the change log, newest batch first.
    Log {
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Undo a batch (default: your newest change still in effect).
    Undo { batch: Option<i64> },
    /// Check the workspace's integrity and foreign keys.
    Check,
}

/// The actor: `--as`, `CONCIERGE_USER`, else the OS user name.
pub fn actor(cli: &Cli) -> String {
    cli.actor
        .clone()
        .filter(|a| !a.trim().is_empty())
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "me".into())
}

pub fn db_path(cli: &Cli) -> PathBuf {
    cli.db.clone().unwrap_or_else(default_path)
}

fn mode(cli: &Cli) -> OpenMode {
    if cli.read_only {
        OpenMode::ReadOnly
    } else {
        OpenMode::ReadWrite
    }
}

/// Opens the workspace the command line names.
pub fn open(cli: &Cli) -> Result<Store, StoreError> {
    Store::open(&db_path(cli), mode(cli), &actor(cli), Clock::System)
}

/// A fresh demo workspace in `dir`, named like the demo's project.
pub fn open_demo(cli: &Cli, dir: &std::path::Path) -> Result<Store, StoreError> {
    let path = dir.join("submittals-mvp.db");
    {
        let mut store = Store::open(&path, OpenMode::ReadWrite, &actor(cli), Clock::System)?;
        crate::store::demo::load(&mut store)?;
    }
    Store::open(&path, mode(cli), &actor(cli), Clock::System)
}

/// Runs a non-TUI subcommand, printing its result.
pub fn run(cli: &Cli, command: &Command) -> Result<(), StoreError> {
    match command {
        Command::Init { demo } => {
            let path = db_path(cli);
            let mut store = Store::open(&path, OpenMode::ReadWrite, &actor(cli), Clock::System)?;
            if *demo {
                if store.backlog_count()? > 0 || store.entry_count()? > 0 {
                    return Err(StoreError::Refused(format!(
                        "{} already holds data; --demo fills only an empty workspace",
                        path.display()
                    )));
                }
                crate::store::demo::load(&mut store)?;
            }
            println!("workspace ready at {}", path.display());
        }
        Command::Log { limit } => {
            let store = open(cli)?;
            for b in store.recent_batches(*limit)? {
                let undone = store
                    .undone_by(b.id)?
                    .map(|u| format!(" (undone by #{u})"))
                    .unwrap_or_default();
                println!(
                    "#{:<5} {}  {:<10} {:>3} changes  {}{undone}",
                    b.id, b.at, b.actor, b.change_count, b.label
                );
            }
        }
        Command::Undo { batch } => {
            let mut store = open(cli)?;
            let (undone, new) = match batch {
                Some(b) => (*b, store.undo(*b)?),
                None => store.undo_latest()?,
            };
            println!("undid batch {undone} as batch {new}");
        }
        Command::Check => {
            let store = open(cli)?;
            let problems = store.check()?;
            if problems.is_empty() {
                println!(
                    "ok: {} passes integrity and foreign-key checks",
                    store.path().display()
                );
            } else {
                return Err(StoreError::Refused(format!(
                    "{} problems: {}",
                    problems.len(),
                    problems.join("; ")
                )));
            }
        }
    }
    Ok(())
}
