//! The `concierge` binary: parse the command line, install the error hook,
//! then run a subcommand or the full-screen TUI.

use clap::Parser;
use concierge::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    let _ = color_eyre::install();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("concierge: {message}");
            ExitCode::from(1)
        }
    }
}

/// Runs the command or the TUI; the exit code (128 + a signal's number
/// when one stopped the TUI, after everything was closed and removed).
fn run(cli: &Cli) -> Result<u8, String> {
    if let Some(command) = &cli.command {
        return cli::run(cli, command)
            .map(|()| 0)
            .map_err(|e| e.to_string());
    }
    // The demo lives in a temporary folder that is removed on exit.
    let demo_dir = if cli.demo {
        Some(cli::demo_dir().map_err(|e| e.to_string())?)
    } else {
        None
    };
    let mut store = match &demo_dir {
        Some(dir) => cli::open_demo(cli, dir.path()),
        None => cli::open(cli),
    }
    .map_err(|e| e.to_string())?;
    let ended = concierge::tui::run(&mut store).map_err(|e| format!("terminal: {e}"))?;
    drop(store);
    drop(demo_dir);
    Ok(ended.exit_code())
}
