//! The import preview as text: what is new, what changes cell by cell
//! (old → new), what is unchanged, conflicts with all three values, and
//! every error with its data row, line and column.

use crate::sheet::Value;
use crate::store::interchange::Preview;
use std::fmt::Write as _;

/// The longest value shown in full.
const SHOWN_CHARS: usize = 60;

/// Prints `preview` on standard output.
pub fn print(preview: &Preview) {
    for line in lines(preview) {
        println!("{line}");
    }
}

/// The first lines of a preview: the file, its kind, encoding, delimiter
/// and rows, and the columns it has that the kind does not.
fn heading(
    source: &str,
    kind: &str,
    encoding: Option<crate::sheet::Encoding>,
    delimiter: char,
    rows: usize,
    unknown: &[String],
) -> Vec<String> {
    let encoding = encoding.map_or("", |e| e.label());
    let delimiter = match delimiter {
        '\t' => "tab".to_owned(),
        d => format!("'{d}'"),
    };
    let mut out = vec![format!(
        "{source}: {kind} · {encoding} · {delimiter} delimited · {rows} row{}",
        if rows == 1 { "" } else { "s" }
    )];
    if !unknown.is_empty() {
        out.push(format!(
            "  unknown columns, ignored: {}",
            unknown.join(", ")
        ));
    }
    out
}

/// "rows: 12 = 1 new + 2 changed + 8 unchanged + 1 with errors": every
/// data row counted once.
fn rows_line(rows: usize, new: usize, changed: usize, unchanged: usize, errors: usize) -> String {
    format!(
        "  rows: {rows} = {new} new + {changed} changed + {unchanged} unchanged + {errors} with errors"
    )
}

/// The preview as lines of text: counts, and each listed row with
/// "… and N more" after a list the preview could not hold whole.
pub fn lines(p: &Preview) -> Vec<String> {
    let mut out = heading(
        &p.source,
        &p.kind.to_string(),
        p.encoding,
        p.delimiter,
        p.rows,
        &p.plan.unknown_columns,
    );
    let more = |out: &mut Vec<String>, shown: usize, total: usize| {
        if total > shown {
            out.push(format!("    … and {} more", total - shown));
        }
    };
    let counts = p.row_counts();
    out.push(rows_line(
        p.rows,
        counts.new,
        counts.changed,
        counts.unchanged,
        counts.with_errors,
    ));
    out.push(format!("  new: {}", p.totals.new));
    for row in &p.plan.new {
        let (cells, id) = p.describe_new(row, show);
        out.push(format!(
            "    + data row {} (line {}){id}: {}",
            row.data_row,
            row.line,
            cells.join(", ")
        ));
    }
    more(&mut out, p.plan.new.len(), p.totals.new);
    let changed = p.changed_records();
    out.push(format!(
        "  changed: {changed} ({})",
        cells(p.changed_cells())
    ));
    for row in &p.plan.changed {
        out.push(format!(
            "    ~ {} (data row {}, line {})",
            row.id, row.data_row, row.line
        ));
        for cell in &row.cells {
            out.push(format!(
                "        {}: {}",
                cell.name,
                change(&cell.old, &cell.new)
            ));
        }
    }
    more(&mut out, p.plan.changed.len(), changed);
    if p.totals.deleted > 0 {
        let rest = p.totals.deleted - p.plan.deleted.len();
        out.push(format!(
            "  deleted (not in the file): {}{}",
            p.plan.deleted.join(", "),
            if rest > 0 {
                format!(" … and {rest} more")
            } else {
                String::new()
            }
        ));
    }
    if p.totals.conflicts > 0 {
        out.push(format!(
            "  conflicts: {} ({} open)",
            p.totals.conflicts,
            p.open_conflicts()
        ));
        for c in &p.plan.conflicts {
            let base = c.base.as_ref().map_or_else(|| "unknown".to_owned(), show);
            let settled = match c.resolution {
                None => "open".to_owned(),
                Some(crate::sheet::Resolution::TakeFile) => "take file".to_owned(),
                Some(crate::sheet::Resolution::KeepWorkspace) => "keep workspace".to_owned(),
            };
            out.push(format!(
                "    ! {} (data row {}, line {}), column {}: was {base} · workspace {} · file {} [{settled}]",
                c.id,
                c.data_row,
                c.line,
                c.name,
                show(&c.workspace),
                show(&c.file)
            ));
        }
        more(&mut out, p.plan.conflicts.len(), p.totals.conflicts);
    }
    if p.error_count() > 0 {
        out.push(format!("  errors: {}", p.error_count()));
        for e in &p.errors {
            out.push(format!("    {}", visible(&e.to_string(), usize::MAX)));
        }
        more(&mut out, p.errors.len(), p.error_count());
    }
    out
}

/// "1 cell", "3 cells".
pub fn cells(n: usize) -> String {
    format!("{n} cell{}", if n == 1 { "" } else { "s" })
}

/// A changed cell: "old → new", or where a long text first changes.
fn change(old: &Value, new: &Value) -> String {
    crate::sheet::describe_change(old, new, SHOWN_CHARS, show, |t| visible(t, usize::MAX))
}

fn show(value: &Value) -> String {
    if value.is_empty() {
        "(empty)".to_owned()
    } else {
        short(&value.to_csv_string())
    }
}

/// One line, control characters spelled out, and long text cut.
pub fn short(text: &str) -> String {
    visible(text, SHOWN_CHARS)
}

/// `text` on one line with control and bidi characters spelled out, so
/// nothing a file holds reaches the terminal raw; cut after `limit` chars.
fn visible(text: &str, limit: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == limit {
            out.push('…');
            break;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') =>
            {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}
