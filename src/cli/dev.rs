//! `concierge dev …`: developer tools, hidden from `--help` but documented
//! in README.md ("Developing") and BENCHMARKS.md. `dev fixture` builds the
//! SPEC §6 benchmark workspace from a seed; `dev wide-csv` writes a
//! matching wide data file to import into it.

use crate::fixture::{FixtureSize, write_wide_csv};
use crate::store::{OpenMode, Store, StoreError};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Subcommand)]
pub enum DevCommand {
    /// Build the benchmark workspace (SPEC §6 "large") in a new file.
    Fixture {
        /// Seed for the values (names and fields are the same for every seed).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A tenth of the size: 50 customers, 10,000 entries, the same 40 fields.
        #[arg(long)]
        small: bool,
        /// The workspace file to create (must not hold records yet).
        out: PathBuf,
    },
    /// Write a wide data CSV (id, customer, recorded_on, 8 fields) for a fixture.
    WideCsv {
        /// Data rows to write.
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Match a `dev fixture --small` workspace (its 50 customers).
        #[arg(long)]
        small: bool,
        /// The CSV file to write.
        out: PathBuf,
    },
    /// Draw README.md's pictures of the screen (SVG) into a folder.
    Pictures {
        /// The folder to write `backlog.svg`, `data.svg`, … into.
        out: PathBuf,
    },
}

fn size(small: bool) -> FixtureSize {
    if small {
        FixtureSize::SMALL
    } else {
        FixtureSize::LARGE
    }
}

/// Runs a `dev` subcommand.
pub fn run(command: &DevCommand) -> Result<(), StoreError> {
    let started = Instant::now();
    match command {
        DevCommand::Pictures { out } => {
            std::fs::create_dir_all(out)?;
            let scratch = tempfile::tempdir()?;
            for (stem, svg) in crate::ui::pictures::draw_all(scratch.path())? {
                let path = out.join(format!("{stem}.svg"));
                std::fs::write(&path, svg)?;
                println!("wrote {}", path.display());
            }
        }
        DevCommand::Fixture { seed, small, out } => {
            let mut store = Store::open(out, OpenMode::ReadWrite, "fixture", super::clock()?)?;
            let s = store.build_fixture(*seed, size(*small))?;
            println!(
                "wrote fixture seed {seed} to {} in {:.2} s: {} customers, {} backlog items, {} check-ins, {} evidence links, {} follow-ups, {} fields, {} entries ({} values); batch {}",
                out.display(),
                started.elapsed().as_secs_f64(),
                s.customers,
                s.items,
                s.checkins,
                s.evidence,
                s.followups,
                s.fields,
                s.entries,
                s.values,
                s.batch
            );
        }
        DevCommand::WideCsv {
            rows,
            seed,
            small,
            out,
        } => {
            let failed = |e: std::io::Error| {
                StoreError::Refused(format!("cannot write {}: {e}", out.display()))
            };
            let mut file = std::fs::File::create(out).map_err(failed)?;
            write_wide_csv(&mut file, *rows, *seed, size(*small)).map_err(failed)?;
            println!(
                "wrote {rows} data rows to {} in {:.2} s",
                out.display(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}
