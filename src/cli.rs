//! The command line (SPEC §5): clap definitions and the subcommands that
//! run without the TUI (`export`/`import` live in `cli/transfer.rs`, the
//! import preview's text in `cli/preview.rs`). Exit codes: 0 ok, 1 error
//! (one line on stderr), 2 usage (clap's own).

use crate::clock::Clock;
use crate::review;
use crate::store::team::is_server;
use crate::store::{OpenMode, Store, StoreError, default_path};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

mod copy;
mod demo_dir;
mod dev;
mod preview;
mod team;
mod transfer;

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
    /// Show or set the day the review week starts on (monday … sunday).
    WeekStart { day: Option<String> },
    /// Write the weekly review as Markdown (default), JSON or one HTML page.
    Review {
        /// The week to review, e.g. 2026-W47 (default: this week).
        #[arg(long, value_name = "YYYY-Www", conflicts_with = "weeks")]
        week: Option<String>,
        /// A period, e.g. 2026-W40..2026-W49: the review of its last week
        /// with every field's trend spanning it (a monthly update).
        #[arg(long, value_name = "YYYY-Www..YYYY-Www")]
        weeks: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
        /// Write to FILE instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write records as CSV: one kind (to standard output without -o), or all into a folder.
    Export(transfer::ExportArgs),
    /// Read a CSV file (a folder for all): preview, then apply as one batch.
    Import(transfer::ImportArgs),
    /// Move a whole workspace, history included, between the file (--db)
    /// and a server: --to URL copies the file up, --from URL copies down.
    #[command(group(clap::ArgGroup::new("way").required(true).args(["to", "from"])))]
    Copy {
        /// Copy the file into this server's (empty) workspace.
        #[arg(long, value_name = "URL")]
        to: Option<String>,
        /// Copy this server's workspace into the file (new or empty).
        #[arg(long, value_name = "URL")]
        from: Option<String>,
    },
    /// The members of a team workspace on PostgreSQL and their roles.
    #[command(subcommand)]
    Team(team::TeamCommand),
    /// Developer tools: benchmark fixtures (see BENCHMARKS.md).
    #[command(subcommand, hide = true)]
    Dev(dev::DevCommand),
}

/// The formats `concierge review` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Markdown: reads well on GitHub and in an email.
    Md,
    /// JSON in the documented shape `concierge.review/1`.
    Json,
    /// One self-contained HTML page with charts, for stakeholders.
    Html,
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

/// The clock every command runs on (`CONCIERGE_TODAY` fixes the day).
pub fn clock() -> Result<Clock, StoreError> {
    Clock::from_env().map_err(StoreError::Refused)
}

/// Opens the workspace the command line names: a file, or a team
/// workspace on a server (`postgres://…`), where the actor is the login.
pub fn open(cli: &Cli) -> Result<Store, StoreError> {
    let db = db_path(cli);
    if let Some(url) = db.to_str().filter(|d| is_server(d)) {
        if cli.actor.is_some() {
            return Err(StoreError::Refused(
                "on a team workspace you act as your database login (the server names you); --as and CONCIERGE_USER cannot name anyone else"
                    .into(),
            ));
        }
        return Store::open_server(url, cli.read_only, clock()?);
    }
    Store::open(&db, mode(cli), &actor(cli), clock()?)
}

/// A fresh demo workspace in `dir`, named like the demo's project.
/// A fresh folder for the demo, removed when dropped (and swept up at the
/// next start when a killed process could not remove it).
pub fn demo_dir() -> std::io::Result<tempfile::TempDir> {
    demo_dir::create()
}

pub fn open_demo(cli: &Cli, dir: &std::path::Path) -> Result<Store, StoreError> {
    let path = dir.join("submittals-mvp.db");
    {
        let mut store = Store::open(&path, OpenMode::ReadWrite, &actor(cli), clock()?)?;
        crate::demo::load(&mut store)?;
    }
    Store::open(&path, mode(cli), &actor(cli), clock()?)
}

/// Runs a non-TUI subcommand, printing its result.
pub fn run(cli: &Cli, command: &Command) -> Result<(), StoreError> {
    match command {
        Command::Init { .. } if db_path(cli).to_str().is_some_and(is_server) => {
            return Err(StoreError::Refused(
                "a team workspace is made with concierge team init (then copy --to moves a file in)"
                    .into(),
            ));
        }
        Command::Init { demo } => {
            let path = db_path(cli);
            let mut store = Store::open(&path, OpenMode::ReadWrite, &actor(cli), clock()?)?;
            if *demo {
                if store.backlog_count()? > 0 || store.entry_count()? > 0 {
                    return Err(StoreError::Refused(format!(
                        "{} already holds data; --demo fills only an empty workspace",
                        path.display()
                    )));
                }
                crate::demo::load(&mut store)?;
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
        Command::Review {
            week,
            weeks,
            format,
            output,
        } => {
            let store = open(cli)?;
            let span = match weeks {
                Some(text) => Some(text.as_str()),
                None => week.as_deref(),
            };
            report(&store, span, *format, output.as_deref())?;
        }
        Command::Export(args) => transfer::export(cli, args)?,
        Command::Import(args) => transfer::import(cli, args)?,
        Command::Dev(command) => dev::run(command)?,
        Command::Team(command) => team::run(cli, command)?,
        Command::Copy { to, from } => copy::run(cli, to.as_deref(), from.as_deref())?,
        Command::WeekStart { day } => {
            let mut store = open(cli)?;
            if let Some(day) = day {
                let parsed: chrono::Weekday = day.trim().parse().map_err(|_| {
                    StoreError::Refused(format!(
                        "“{day}” is not a day of the week (monday … sunday)"
                    ))
                })?;
                store.set_week_start(parsed)?;
            }
            println!(
                "review weeks start on {}",
                crate::review::week::day_name(store.week_start()?)
            );
        }
        Command::Check => {
            let store = open(cli)?;
            let problems = store.check()?;
            if problems.is_empty() {
                println!("ok: {} passes {}", store.place(), store.checks());
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

/// `concierge review`: the week's review in `format`, to `output` or stdout.
fn report(
    store: &Store,
    week: Option<&str>,
    format: ReportFormat,
    output: Option<&std::path::Path>,
) -> Result<(), StoreError> {
    use std::io::Write as _;
    let refused = |e: review::ReviewError| StoreError::Refused(e.to_string());
    let (first, week) = if let Some(text) = week {
        review::parse_span(store, text).map_err(refused)?
    } else {
        (None, review::current_week(store)?)
    };
    let review = match first {
        Some(first) => review::load_span(store, first, week)?,
        None => review::load(store, week)?,
    };
    let text = match format {
        ReportFormat::Md => review::markdown::render(&review),
        ReportFormat::Json => review::json::render(&review).map_err(refused)?,
        ReportFormat::Html => review::html::render(&review),
    };
    match output {
        None => {
            std::io::stdout().lock().write_all(text.as_bytes())?;
        }
        Some(path) => {
            // The same writer as exports: whole or nothing, private like
            // the workspace, errors naming `path`.
            crate::sheet::write_atomically(path, store.file(), |w| {
                Ok(w.write_all(text.as_bytes())?)
            })
            .map_err(|e| StoreError::Refused(e.to_string()))?;
            println!("wrote the {} review to {}", week, path.display());
        }
    }
    Ok(())
}
