//! `concierge export` and `concierge import`: CSV round-trips from the
//! command line. The preview printed here is the one the store computes
//! (`store::interchange`); this file only names the files, asks for the
//! Windows-1252 confirmation and prints.

use super::{Cli, open};
use crate::sheet::{Decoded, Encoding, ExportOptions, Input, Resolution, WriteError};
use crate::store::interchange::{
    ExportSummary, ImportOptions, InterchangeError, Kind, Layout, Outcome, Preview, Sample, Source,
};
use crate::store::{ListQuery, StoreError};
use std::path::{Path, PathBuf};

/// The KIND argument: a record kind or `all`.
const KINDS: [&str; 8] = [
    "customers",
    "backlog",
    "checkins",
    "followups",
    "evidence",
    "fields",
    "data",
    "all",
];

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// What to export: customers, backlog, checkins, followups, evidence, fields, data or all.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(KINDS))]
    pub kind: String,
    /// Write to FILE (a folder for `all`) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,
    /// UTF-8 with BOM, CRLF and every cell quoted: what Excel opens on double-click.
    #[arg(long)]
    pub excel: bool,
    /// Live data with one column per field (the default).
    #[arg(long, conflicts_with = "long")]
    pub wide: bool,
    /// Live data with one row per value: id, customer, recorded_on, field, value.
    #[arg(long)]
    pub long: bool,
    /// Only what a pane filter lists, e.g. "status=testing owner=dana"
    /// (customers, backlog, checkins).
    #[arg(long, value_name = "FILTER")]
    pub filter: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// What the file holds: customers, backlog, checkins, followups, evidence, fields, data or all.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(KINDS))]
    pub kind: String,
    /// The CSV file (a folder of NAME.csv files for `all`).
    pub path: PathBuf,
    /// Show the preview and check every rule; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Delete records that are not in the file.
    #[arg(long)]
    pub delete_missing: bool,
    /// Settle every conflict: take the file's value or keep the workspace's.
    #[arg(long, value_enum, value_name = "take-file|keep-workspace")]
    pub resolve: Option<ResolveArg>,
    /// Accept a file that is not UTF-8 as Windows-1252 (old Excel "CSV").
    #[arg(long, value_enum)]
    pub encoding: Option<EncodingArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResolveArg {
    TakeFile,
    KeepWorkspace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EncodingArg {
    #[value(name = "utf-8")]
    Utf8,
    #[value(name = "windows-1252")]
    Windows1252,
}

/// Files with more rows than this show progress on standard error.
const PROGRESS_ROWS: usize = 50_000;

/// Files larger than this list only the first rows of each kind in their
/// preview, with counts (every file is read as a stream).
const LIST_WHOLE_BYTES: u64 = 1 << 20;

/// A progress printer for large files: a line per phase and per tenth.
fn progress() -> impl FnMut(&str, usize, usize) {
    let mut last: (String, usize) = (String::new(), usize::MAX);
    move |what, done, total| {
        if total <= PROGRESS_ROWS {
            return;
        }
        let tenth = done * 10 / total;
        if last.0 != what || last.1 != tenth {
            // "importing": the total is an estimate until the file was read.
            match what {
                "importing" => eprintln!("imported {done} of about {} rows", roughly(total)),
                "read again" => eprintln!(
                    "the file reads differently past its first rows: read all {total} rows, importing again"
                ),
                _ => eprintln!("{what} {done} of {total} rows"),
            }
            last = (what.to_owned(), tenth);
        }
    }
}

/// `n` to two significant digits: an estimate shown as one.
fn roughly(n: usize) -> usize {
    let mut unit = 1;
    while n / unit >= 100 {
        unit *= 10;
    }
    (n + unit / 2) / unit * unit
}

fn failed(e: InterchangeError) -> StoreError {
    match e {
        InterchangeError::Store(e) => e,
        other => StoreError::Refused(other.to_string()),
    }
}

/// `concierge export`.
pub fn export(cli: &Cli, args: &ExportArgs) -> Result<(), StoreError> {
    let store = open(cli)?;
    let layout = if args.long {
        Layout::Long
    } else {
        Layout::Wide
    };
    let options = ExportOptions { excel: args.excel };
    let mut report = progress();
    if args.kind == "all" {
        let Some(dir) = &args.output else {
            return Err(StoreError::Refused(
                "export all writes one file per kind: name a folder with -o DIR".into(),
            ));
        };
        let done = store
            .export_all(dir, layout, options, &mut report)
            .map_err(failed)?;
        for summary in &done {
            wrote(summary);
        }
        return Ok(());
    }
    let kind = Kind::parse(&args.kind).ok_or_else(|| StoreError::Refused(args.kind.clone()))?;
    if args.long && kind != Kind::Data {
        return Err(StoreError::Refused(
            "--long and --wide are for data only".into(),
        ));
    }
    let query = args.filter.as_ref().map(|filter| ListQuery {
        filter: filter.clone(),
        sort: 0,
    });
    let summary = if let Some(path) = &args.output {
        store.export_to(kind, query.as_ref(), layout, options, path, &mut report)
    } else {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        match store.export(kind, query.as_ref(), layout, options, &mut out, &mut report) {
            // The reader stopped early (`| head`): that is not a failure.
            Err(e) if is_broken_pipe(&e) => return Ok(()),
            other => other,
        }
    }
    .map_err(failed)?;
    if summary.path.is_some() {
        wrote(&summary);
    } else {
        warn(&summary);
    }
    Ok(())
}

fn is_broken_pipe(e: &InterchangeError) -> bool {
    let io = match e {
        InterchangeError::Write(WriteError::Io(io)) => io,
        InterchangeError::Write(WriteError::Csv(csv)) => match csv.kind() {
            csv::ErrorKind::Io(io) => io,
            _ => return false,
        },
        _ => return false,
    };
    io.kind() == std::io::ErrorKind::BrokenPipe
}

fn wrote(summary: &ExportSummary) {
    if let Some(path) = &summary.path {
        println!(
            "wrote {} of {} to {}",
            crate::domain::words::count(summary.rows, "row", "rows"),
            summary.kind,
            path.display()
        );
    }
    warn(summary);
}

fn warn(summary: &ExportSummary) {
    for warning in &summary.warnings {
        eprintln!("warning: {warning}");
    }
}

/// `concierge import`: every file through the store's one engine, which
/// streams it whatever its size or encoding.
pub fn import(cli: &Cli, args: &ImportArgs) -> Result<(), StoreError> {
    let mut store = open(cli)?;
    // Even a dry run writes (and rolls back): a viewer is told why before
    // the server refuses a table it may only read.
    if let Some(role) = store.role() {
        role.may(crate::domain::Act::Enter, "import")
            .map_err(StoreError::Refused)?;
    }
    let mut options = ImportOptions {
        delete_missing: args.delete_missing,
        resolution: args.resolve.map(|r| match r {
            ResolveArg::TakeFile => Resolution::TakeFile,
            ResolveArg::KeepWorkspace => Resolution::KeepWorkspace,
        }),
        dry_run: args.dry_run,
        windows_1252: args.encoding == Some(EncodingArg::Windows1252),
        sample: Sample::ALL,
    };
    let mut report = progress();
    if args.kind == "all" {
        let sources = sources(&args.path)?;
        if sources.iter().any(|s| large(&s.input)) {
            options.sample = Sample::FIRST;
        }
        let label = args.path.display().to_string();
        let (previews, outcome) = store
            .import_all(&label, &sources, options, &mut report)
            .map_err(refused)?;
        for preview in &previews {
            super::preview::print(preview);
        }
        for source in sources.iter().skip(previews.len()) {
            println!("{}: not checked (an earlier file has errors)", source.name);
        }
        return conclude(outcome, &previews);
    }
    let kind = Kind::parse(&args.kind).ok_or_else(|| StoreError::Refused(args.kind.clone()))?;
    if large(&Input::File(args.path.clone())) {
        // A large file's preview lists the first rows of each kind.
        options.sample = Sample::FIRST;
    }
    let (preview, outcome) = store
        .import_file(kind, &args.path, options, &mut report)
        .map_err(refused)?;
    super::preview::print(&preview);
    conclude(outcome, std::slice::from_ref(&preview))
}

/// Whether a file is too large to list whole in its preview.
fn large(input: &Input) -> bool {
    match input {
        Input::File(path) => std::fs::metadata(path).is_ok_and(|m| m.len() > LIST_WHOLE_BYTES),
        Input::Text { text, .. } => text.len() as u64 > LIST_WHOLE_BYTES,
    }
}

/// An import that could not run, in the words the user acts on.
fn refused(e: InterchangeError) -> StoreError {
    match e {
        InterchangeError::NeedsConfirmation { name, start } => confirm_first(&name, &start),
        InterchangeError::Unreadable { name, fault } => {
            StoreError::Refused(format!("{name}: {fault}"))
        }
        other => failed(other),
    }
}

/// The files of an `import all` folder, in the order they are applied.
fn sources(dir: &Path) -> Result<Vec<Source>, StoreError> {
    if !dir.is_dir() {
        return Err(StoreError::Refused(format!(
            "{} is not a folder; import all reads NAME.csv files from a folder",
            dir.display()
        )));
    }
    let mut sources = Vec::new();
    for kind in Kind::ALL {
        let path = dir.join(kind.file_name());
        if !path.exists() {
            println!("{}: no file, skipped", kind.file_name());
            continue;
        }
        sources.push(Source::file(kind, &path));
    }
    if dir.join("data-long.csv").exists() {
        println!("data-long.csv: not read (import reads live data from the wide data.csv)");
    }
    if sources.is_empty() {
        return Err(StoreError::Refused(format!(
            "no customers.csv, backlog.csv, … in {}",
            dir.display()
        )));
    }
    Ok(sources)
}

/// Asks for `--encoding windows-1252` before a file guessed to be one is
/// imported, quoting a line that shows what the guess reads.
fn confirm_first(name: &str, decoded: &Decoded) -> StoreError {
    let sample = decoded
        .text
        .lines()
        .find(|l| !l.is_ascii())
        .map(|l| format!(" (a line reads: {})", super::preview::short(l)))
        .unwrap_or_default();
    StoreError::Refused(format!(
        "{name} is not UTF-8 but reads as {}{sample}; check it with --dry-run --encoding windows-1252, then import with --encoding windows-1252",
        Encoding::Windows1252.label()
    ))
}

/// What an import did or would do, summed over its files.
struct Totals {
    errors: usize,
    open: usize,
    new: usize,
    changed: usize,
    cells: usize,
    deleted: usize,
    files: usize,
}

/// Prints how the import ended; refusals become the one-line error.
fn conclude(outcome: Outcome, previews: &[Preview]) -> Result<(), StoreError> {
    let totals = Totals {
        errors: previews.iter().map(Preview::error_count).sum(),
        open: previews.iter().map(Preview::open_conflicts).sum(),
        new: previews.iter().map(|p| p.totals.new).sum(),
        changed: previews.iter().map(Preview::changed_records).sum(),
        cells: previews.iter().map(Preview::changed_cells).sum(),
        deleted: previews.iter().map(|p| p.totals.deleted).sum(),
        files: previews.len(),
    };
    say(outcome, &totals)
}

fn say(outcome: Outcome, t: &Totals) -> Result<(), StoreError> {
    let Totals {
        errors,
        open,
        new,
        changed,
        cells,
        deleted,
        files,
    } = *t;
    let what = format!(
        "{new} new, {changed} changed ({}), {deleted} deleted",
        super::preview::cells(cells)
    );
    match outcome {
        Outcome::Applied(batch) => {
            println!("imported as batch {batch}: {what}; `concierge undo {batch}` reverts it");
            Ok(())
        }
        Outcome::NoChanges => {
            let files = if files == 1 {
                "the file matches"
            } else {
                "the files match"
            };
            println!("nothing to import: {files} the workspace (no batch written)");
            Ok(())
        }
        Outcome::Checked => {
            println!("dry run: {what} would be imported; nothing written");
            Ok(())
        }
        Outcome::Blocked => {
            let mut reasons = Vec::new();
            if errors > 0 {
                reasons.push(format!(
                    "{errors} error{}",
                    if errors == 1 { "" } else { "s" }
                ));
            }
            if open > 0 {
                reasons.push(format!(
                    "{open} conflict{} (settle with --resolve take-file or --resolve keep-workspace)",
                    if open == 1 { "" } else { "s" }
                ));
            }
            Err(StoreError::Refused(format!(
                "nothing written: {}",
                reasons.join(" and ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::roughly;

    #[test]
    fn an_estimate_is_shown_to_two_significant_digits() {
        for (n, shown) in [
            (0, 0),
            (7, 7),
            (99, 99),
            (1_234, 1_200),
            (1_000_231, 1_000_000),
            (987_654, 990_000),
            (1_050_000, 1_100_000),
        ] {
            assert_eq!(roughly(n), shown, "{n}");
        }
    }
}
