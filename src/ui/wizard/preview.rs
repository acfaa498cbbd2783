//! The preview step: a summary (file, encoding, delimiter, columns matched,
//! unknown and absent, counts, the delete-missing switch, whether it can be
//! applied) over the scrollable cell-level list. Only the visible lines are
//! formatted; each is cut to the width, never wrapped, so paging is exact.

use super::{fit, wrap};
use crate::app::layout::SUMMARY_ROWS;
use crate::app::wizard::{self, Entry, Section, Wizard};
use crate::sheet::{Resolution, Target, Value};
use crate::store::interchange::Preview;
use crate::ui::text::one_line;
use crate::ui::theme::Theme;
use ratatui::text::{Line, Span};
use std::fmt::Write as _;

/// The longest value shown in full.
const VALUE_CHARS: usize = 40;

pub fn lines(w: &Wizard, theme: Theme, width: usize, height: usize) -> Vec<Line<'static>> {
    let Some(p) = w.preview.as_deref() else {
        return Vec::new();
    };
    let mut out = summary(w, p, theme, width);
    out.truncate(height.saturating_sub(1).max(usize::from(SUMMARY_ROWS)));
    // A line cut at the width shows in full under the list.
    let detail: Vec<String> = w
        .entries
        .get(w.cursor)
        .map(|e| entry_line(p, *e, theme).0)
        .filter(|text| text.chars().count() + 2 > width)
        .map(|text| wrap(text.trim_start(), width.saturating_sub(2), 3))
        .unwrap_or_default();
    let room = height.saturating_sub(out.len() + detail.len()).max(1);
    // The cursor stays on screen even right after a resize, before the
    // next key scrolls the wizard's own offset.
    let offset = if w.cursor >= w.offset + room {
        w.cursor + 1 - room
    } else {
        w.offset.min(w.cursor)
    };
    let mut shown = 0;
    for (i, entry) in w.entries.iter().enumerate().skip(offset).take(room) {
        let (text, style) = entry_line(p, *entry, theme);
        // The cursor shows as a mark too, not only as reversed colours.
        let (mark, style) = if i == w.cursor {
            ("▸ ", style.patch(theme.selected()))
        } else {
            ("  ", style)
        };
        out.push(Line::styled(fit(&format!("{mark}{text}"), width), style));
        shown += 1;
    }
    if !detail.is_empty() {
        out.extend((shown..room).map(|_| Line::from("")));
        out.extend(
            detail
                .into_iter()
                .map(|l| Line::styled(format!("│ {l}"), theme.dim())),
        );
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(w: &Wizard, p: &Preview, theme: Theme, width: usize) -> Vec<Line<'static>> {
    let label = |text: &str| Span::styled(format!("{text:<9}"), theme.label());
    let rest = width.saturating_sub(9);
    let encoding = p.encoding.map_or("text", |e| e.label());
    let accepted = if w.accepted_encoding {
        " (accepted)"
    } else {
        ""
    };
    let delimiter = match p.delimiter {
        '\t' => "tab".to_owned(),
        d => format!("'{d}'"),
    };
    let file = format!(
        "{} → {} · {encoding}{accepted} · {delimiter} delimited · {}",
        one_line(&p.source),
        p.kind,
        plural(p.rows, "data row", "data rows")
    );
    let matched: Vec<String> = p
        .columns
        .iter()
        .filter(|c| matches!(c.target, Target::Id | Target::Rev | Target::Column(_)))
        .map(|c| one_line(&c.header))
        .collect();
    let unknown: Vec<String> = p
        .columns
        .iter()
        .filter(|c| c.target == Target::Unknown)
        .map(|c| one_line(&c.header))
        .collect();
    let absent: Vec<&str> = p
        .schema
        .columns
        .iter()
        .enumerate()
        .filter(|(i, _)| !p.columns.iter().any(|c| c.target == Target::Column(*i)))
        .map(|(_, c)| c.name.as_str())
        .collect();
    let or_none = |list: &[&str]| {
        if list.is_empty() {
            "none".to_owned()
        } else {
            list.join(", ")
        }
    };
    let unknown_refs: Vec<&str> = unknown.iter().map(String::as_str).collect();
    let others = format!(
        "unknown, ignored: {} · absent, left untouched: {}",
        or_none(&unknown_refs),
        or_none(&absent)
    );
    let plan = &p.plan;
    let cells = p.changed_cells();
    // What blocks first, then what would happen.
    let mut counts = vec![plural(p.error_count(), "error", "errors")];
    counts.push(match p.totals.conflicts {
        0 => "0 conflicts".to_owned(),
        n => format!(
            "{} ({} open)",
            plural(n, "conflict", "conflicts"),
            p.open_conflicts()
        ),
    });
    // Rows, each counted once: they add up to the file's data rows.
    let rows = p.row_counts();
    counts.push(format!("{} new", rows.new));
    counts.push(match (rows.changed, cells) {
        (n, 0) => format!("{n} changed"),
        (n, cells) => format!("{n} changed ({})", plural(cells, "cell", "cells")),
    });
    counts.push(format!("{} unchanged", rows.unchanged));
    if rows.with_errors > 0 {
        counts.push(format!(
            "{} with errors",
            plural(rows.with_errors, "row", "rows")
        ));
    }
    let counts = counts.join(" · ");
    let (delete, delete_style) = if w.delete_missing {
        (
            format!(
                "ON: {} not in the file will be deleted (d switches off)",
                plural(p.totals.deleted, "record", "records")
            ),
            theme.warn(),
        )
    } else {
        (
            "off: records not in the file are kept (d switches on)".to_owned(),
            theme.dim(),
        )
    };
    let (verdict, verdict_style) = match wizard::blocked(p) {
        Some(why) => (why, theme.error()),
        None if plan.is_noop() => (
            "nothing to import: the file matches the workspace".to_owned(),
            theme.good(),
        ),
        None => (
            format!("ready: a applies {} as one batch", wizard::summary(p)),
            theme.good(),
        ),
    };
    let mut out: Vec<Line<'static>> = wrap(&file, width, 2).into_iter().map(Line::from).collect();
    out.push(Line::from(vec![
        label("Columns"),
        Span::raw(fit(
            &format!("{} matched: {}", matched.len(), matched.join(", ")),
            rest,
        )),
    ]));
    out.extend(
        wrap(&others, rest, 2)
            .into_iter()
            .map(|l| Line::from(vec![label(""), Span::raw(l)])),
    );
    for (i, part) in wrap(&counts, rest, 2).into_iter().enumerate() {
        let head = if i == 0 { "Changes" } else { "" };
        out.push(Line::from(vec![label(head), Span::raw(part)]));
    }
    out.push(Line::from(vec![
        label("Delete"),
        Span::styled(fit(&delete, rest), delete_style),
    ]));
    out.extend(
        wrap(&verdict, width, 2)
            .into_iter()
            .map(|l| Line::styled(l, verdict_style)),
    );
    out
}

/// A value on one line, cut when long; an empty one says so.
fn show(value: &Value) -> String {
    if value.is_empty() {
        "(empty)".to_owned()
    } else {
        fit(&one_line(&value.to_csv_string()), VALUE_CHARS)
    }
}

fn entry_line(p: &Preview, entry: Entry, theme: Theme) -> (String, ratatui::style::Style) {
    let plan = &p.plan;
    match entry {
        Entry::Heading(section) => {
            let text = match section {
                Section::Errors => format!(
                    "Errors ({}): nothing is written while any remains",
                    p.error_count()
                ),
                Section::Conflicts => format!(
                    "Conflicts ({}, {} open): changed in the workspace and in the file since its export",
                    p.totals.conflicts,
                    p.open_conflicts()
                ),
                Section::New => format!("New ({}): records to create", p.totals.new),
                Section::Changed => format!(
                    "Changed ({}, {}): old → new",
                    plural(p.changed_records(), "record", "records"),
                    plural(p.changed_cells(), "cell", "cells")
                ),
                Section::Deleted => format!(
                    "Deleted ({}): not in the file, and delete missing is on",
                    p.totals.deleted
                ),
            };
            let style = match section {
                Section::Errors => theme.error(),
                Section::Conflicts => theme.warn().add_modifier(ratatui::style::Modifier::BOLD),
                _ => theme.title(),
            };
            (text, style)
        }
        Entry::Error(i) => {
            let e = &p.errors[i];
            let mut text = format!("  ✖ {}", one_line(&e.to_string()));
            if let Some(value) = e.value.as_deref().filter(|v| !e.reason.contains(*v)) {
                let _ = write!(text, " (cell “{}”)", fit(&one_line(value), VALUE_CHARS));
            }
            (text, theme.error())
        }
        Entry::Conflict(i) => {
            let c = &plan.conflicts[i];
            let base = c.base.as_ref().map_or_else(|| "unknown".to_owned(), show);
            let (settled, style) = match c.resolution {
                None => ("open", theme.warn()),
                Some(Resolution::TakeFile) => ("take file", theme.good()),
                Some(Resolution::KeepWorkspace) => ("keep workspace", theme.good()),
            };
            let text = format!(
                "  ! [{settled}] {} {}: file {} · workspace {} · was {base} (data row {}, line {})",
                c.id,
                one_line(&c.name),
                show(&c.file),
                show(&c.workspace),
                c.data_row,
                c.line,
            );
            (text, style)
        }
        Entry::New(i) => {
            let row = &plan.new[i];
            let (cells, id) = p.describe_new(row, show);
            let text = format!(
                "  + data row {} (line {}){id}: {}",
                row.data_row,
                row.line,
                cells.join(" · ")
            );
            (text, theme.good())
        }
        Entry::Changed(r) => {
            let row = &plan.changed[r];
            let text = format!(
                "  ~ {} (data row {}, line {})",
                row.id, row.data_row, row.line
            );
            (text, theme.label())
        }
        Entry::Cell(r, c) => {
            let cell = &plan.changed[r].cells[c];
            let text = format!(
                "      {}: {}",
                one_line(&cell.name),
                crate::sheet::describe_change(&cell.old, &cell.new, VALUE_CHARS, show, one_line)
            );
            (text, ratatui::style::Style::default())
        }
        Entry::Deleted(i) => (
            format!("  − {} (not in the file)", plan.deleted[i]),
            theme.warn(),
        ),
        Entry::More(section, n) => {
            let what = match section {
                Section::Errors => "errors",
                Section::Conflicts => "conflicts (F/W settles them all)",
                Section::New | Section::Changed | Section::Deleted => "records",
            };
            (format!("  … and {n} more {what}, not listed"), theme.dim())
        }
        Entry::Unchanged => {
            let text = if p.is_noop() && p.error_count() == 0 && p.totals.conflicts == 0 {
                format!(
                    "Unchanged: {}; the file matches the workspace",
                    plural(plan.unchanged, "record", "records")
                )
            } else {
                format!(
                    "Unchanged: {} (not listed)",
                    plural(plan.unchanged, "record", "records")
                )
            };
            (text, theme.dim())
        }
    }
}
