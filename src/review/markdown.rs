//! The review as Markdown for stakeholders: headings, short sentences and
//! tables that read well rendered on GitHub and as plain text in an email.
//! No terminal escape codes ever reach the output: control characters in
//! anything a user typed become spaces, and `|` is escaped inside tables.

mod backlog;
mod data;
mod people;

use super::model::Review;
use chrono::NaiveDate;

/// The whole review as a Markdown document.
pub fn render(review: &Review) -> String {
    let mut out = Out::default();
    out.line(format!(
        "# Weekly review · {} · {}",
        clean(&review.workspace),
        review.week.label
    ));
    out.blank();
    out.line(format!(
        "{} to {} · as of {}",
        long_day(review.week.start),
        long_day(review.week.end),
        long_day(review.as_of)
    ));
    glance(&mut out, review);
    people::customers(&mut out, review);
    backlog::backlog(&mut out, &review.backlog);
    people::followups(&mut out, review);
    data::live_data(&mut out, &review.data);
    people::effort(&mut out, review);
    people::volume(&mut out, review);
    people::since(&mut out, review);
    out.0
}

/// Lines of text, each ending in a newline.
#[derive(Default)]
pub(super) struct Out(String);

impl Out {
    pub(super) fn line(&mut self, text: impl AsRef<str>) {
        self.0.push_str(text.as_ref());
        self.0.push('\n');
    }

    pub(super) fn blank(&mut self) {
        self.0.push('\n');
    }

    pub(super) fn heading(&mut self, text: &str) {
        self.blank();
        self.line(text);
        self.blank();
    }

    /// A table: a header row, an alignment row (`r` right-aligns), rows.
    pub(super) fn table(&mut self, header: &[&str], align: &str, rows: &[Vec<String>]) {
        self.line(format!("| {} |", header.join(" | ")));
        let marks: Vec<&str> = align
            .chars()
            .map(|a| if a == 'r' { "--:" } else { "---" })
            .collect();
        self.line(format!("|{}|", marks.join("|")));
        for row in rows {
            self.line(format!("| {} |", row.join(" | ")));
        }
    }
}

/// User text made safe for one line: control characters (escape codes,
/// line breaks, tabs) become spaces and runs of spaces collapse.
pub fn clean(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line that cannot turn into a heading, quote or list by how it starts.
pub(super) fn literal_start(line: &str) -> String {
    if line.starts_with(['#', '>', '-', '+', '*', '=']) {
        format!("\\{line}")
    } else {
        line.to_string()
    }
}

/// User text made safe for a table cell.
pub(super) fn cell(text: &str) -> String {
    let text = clean(text).replace('|', "\\|");
    if text.is_empty() { "—".into() } else { text }
}

/// A weekly series as a sparkline; a week without a value is `·`.
pub fn sparkline(series: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let known: Vec<f64> = series.iter().flatten().copied().collect();
    let lo = known.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    series
        .iter()
        .map(|v| match v {
            None => '·',
            Some(_) if (hi - lo).abs() < f64::EPSILON => BARS[3],
            Some(v) => BARS[(((v - lo) / (hi - lo)) * 7.0).round() as usize],
        })
        .collect()
}

pub(super) fn long_day(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

pub(super) use super::figures::percent;

pub(super) fn opt_day(day: Option<NaiveDate>) -> String {
    day.map_or_else(|| "—".into(), |d| d.to_string())
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn glance(out: &mut Out, r: &Review) {
    out.heading("## At a glance");
    let b = &r.backlog;
    let decided = |s: crate::domain::Status| b.decided.iter().filter(|d| d.status == s).count();
    out.line(format!(
        "- **Check-ins:** {} held; {} of {} due customers met ({})",
        r.checkins.held,
        r.checkins.due_met,
        r.checkins.due,
        percent(r.checkins.adherence)
    ));
    out.line(format!(
        "- **Overdue customers:** {}",
        r.overdue_customers.len()
    ));
    out.line(format!(
        "- **Decided:** {} validated, {} invalidated; {} stale, {} ready to decide",
        decided(crate::domain::Status::Validated),
        decided(crate::domain::Status::Invalidated),
        plural(b.stale.len(), "test", "tests"),
        b.ready_to_decide.len()
    ));
    out.line(format!(
        "- **Follow-ups:** {} open, {} overdue, {} done this week",
        r.followups.open, r.followups.overdue, r.followups.done_this_week
    ));
    out.line(format!(
        "- **Data completeness:** {} of {} active customers ({})",
        r.data.reporting,
        r.data.active_customers,
        percent(r.data.completeness)
    ));
    out.line(format!(
        "- **Concierge effort:** {}; previous week {}",
        super::figures::effort_total(&r.effort),
        super::figures::effort_previous(&r.effort)
    ));
    let v = &r.volume;
    out.line(format!(
        "- **Volume:** in {} and {}; out {} decided, {} graduated",
        plural(v.items_created, "item", "items"),
        plural(v.customers_created, "customer", "customers"),
        v.items_decided,
        v.customers_graduated
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_cannot_smuggle_escape_codes_or_break_a_table() {
        assert_eq!(clean("a\x1b[31mred\x1b[0m\r\nb\tc"), "a [31mred [0m b c");
        assert_eq!(cell("x | y\n"), "x \\| y");
        assert_eq!(cell(" \u{7}"), "—");
        assert_eq!(literal_start("# not a heading"), "\\# not a heading");
        assert_eq!(literal_start("so we learned"), "so we learned");
    }

    #[test]
    fn sparklines_show_gaps_and_scale_to_the_range() {
        assert_eq!(sparkline(&[Some(1.0), None, Some(8.0), Some(4.5)]), "▁·█▅");
        assert_eq!(sparkline(&[Some(2.0), Some(2.0)]), "▄▄");
        assert_eq!(sparkline(&[None, None]), "··");
    }
}
