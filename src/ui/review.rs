//! The Review pane: the week's numbers on the left (check-ins, overdue
//! customers, backlog bar chart, what moved, stale and ready tests,
//! follow-ups) and live data, effort and history on the right — or the
//! walkthrough card while one runs. Every number comes from `review`.

use super::text::one_line;
use super::theme::Theme;
use crate::app::State;
use crate::app::review_pane::Walkthrough;
use crate::review::{AgendaItem, Review};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use side::side_lines;

mod side;

pub fn render(state: &State, theme: Theme, frame: &mut Frame<'_>, left: Rect, right: Option<Rect>) {
    let Some(review) = state.review.review.as_deref() else {
        let block = Block::bordered().title(" Review ");
        frame.render_widget(Paragraph::new("No review loaded.").block(block), left);
        return;
    };
    let w = &review.week;
    let title = format!(
        " Review · {} ({} – {}) ",
        w.label,
        w.start.format("%a %d %b"),
        w.end.format("%a %d %b")
    );
    let side_title = if state.review.walkthrough.is_some() {
        " Walkthrough "
    } else {
        " Data, effort, history "
    };
    // The review is two equal columns: the trend lines need the room.
    let right = right.map(|r| {
        let whole = left.union(r);
        let [l, r] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Percentage(50),
            ratatui::layout::Constraint::Percentage(50),
        ])
        .areas(whole);
        (l, r)
    });
    LAID_OUT.with(|cache| {
        let mut cache = cache.borrow_mut();
        // Compared in place: the walkthrough (its whole agenda) is cloned
        // only when the text is laid out again, not on every frame.
        let fresh = cache.as_ref().is_some_and(|c| {
            c.key.review == state.review.computed_id
                && c.key.walkthrough == state.review.walkthrough
                && c.key.theme == theme
                && c.key.two_columns == right.is_some()
        });
        if !fresh {
            let key = Key {
                review: state.review.computed_id,
                walkthrough: state.review.walkthrough.clone(),
                theme,
                two_columns: right.is_some(),
            };
            *cache = Some(lay_out(
                review,
                state.review.walkthrough.as_ref(),
                theme,
                key,
            ));
        }
        let Some(text) = cache.as_ref() else { return };
        if let Some((left, right)) = right {
            let end = draw(frame, left, &title, &text.main, state.review.scroll, theme);
            state.review.max_scroll.set(end);
            draw(frame, right, side_title, &text.side, 0, theme);
        } else {
            let end = draw(frame, left, &title, &text.main, state.review.scroll, theme);
            state.review.max_scroll.set(end);
        }
    });
}

/// What the pane's text was laid out from.
struct Key {
    review: u64,
    walkthrough: Option<Walkthrough>,
    theme: Theme,
    two_columns: bool,
}

/// The pane's text: the main column, and the side one when there are two.
struct LaidOut {
    key: Key,
    main: Vec<Line<'static>>,
    side: Vec<Line<'static>>,
}

thread_local! {
    /// The text last laid out. Moving in the pane draws the same text
    /// again, and on *large* building it was most of a frame (1.5 ms).
    static LAID_OUT: std::cell::RefCell<Option<LaidOut>> = const { std::cell::RefCell::new(None) };
}

fn lay_out(review: &Review, walkthrough: Option<&Walkthrough>, theme: Theme, key: Key) -> LaidOut {
    let mut lines = week_lines(review, theme);
    let mut side = match walkthrough {
        Some(walk) => walkthrough_lines(review, walk, theme),
        None => side_lines(review, theme),
    };
    if key.two_columns {
        return LaidOut {
            key,
            main: lines,
            side,
        };
    }
    // Narrow: one column, the walkthrough card first.
    if walkthrough.is_some() {
        side.push(Line::from(""));
        side.append(&mut lines);
        lines = side;
    } else {
        lines.append(&mut side);
    }
    LaidOut {
        key,
        main: lines,
        side: Vec::new(),
    }
}

/// Draws `lines` from logical line `scroll` on (kept within the text) and
/// returns the furthest first line that still fills `area`. Scrolling by
/// logical lines means only the lines shown are wrapped: a week on *large*
/// runs to thousands of wrapped rows, and wrapping them all every frame
/// took 8–15 ms.
fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    lines: &[Line<'static>],
    scroll: u16,
    theme: Theme,
) -> u16 {
    let block = Block::bordered().title(Line::styled(title.to_string(), theme.title()));
    let inner = block.inner(area);
    let (mut rows, mut first_of_last_page) = (0, lines.len());
    while let Some(line) = first_of_last_page.checked_sub(1).and_then(|i| lines.get(i)) {
        let height = Paragraph::new(line.clone())
            .wrap(Wrap { trim: false })
            .line_count(inner.width);
        if rows + height > usize::from(inner.height) {
            break;
        }
        rows += height;
        first_of_last_page -= 1;
    }
    let end = first_of_last_page.min(lines.len().saturating_sub(1));
    let first = usize::from(scroll).min(end);
    // Every line takes a row at least: no more than a screenful is drawn.
    let shown: Vec<Line<'static>> = lines[first.min(lines.len())..]
        .iter()
        .take(usize::from(inner.height))
        .cloned()
        .collect();
    let p = Paragraph::new(shown)
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(p, area);
    u16::try_from(end).unwrap_or(u16::MAX)
}

fn heading(text: String, theme: Theme) -> Line<'static> {
    Line::styled(text, theme.title())
}

fn percent(share: Option<f64>) -> String {
    crate::review::figures::percent(share)
}

fn week_lines(r: &Review, theme: Theme) -> Vec<Line<'static>> {
    let c = &r.checkins;
    let mut lines = vec![heading(
        format!(
            "Check-ins  {} held · {} of {} due met ({}) · {} planned",
            c.held,
            c.due_met,
            c.due,
            percent(c.adherence),
            c.planned
        ),
        theme,
    )];
    for d in &c.due_customers {
        let (mark, style) = if d.met {
            ("✔", theme.good())
        } else {
            ("✘", theme.error())
        };
        lines.push(Line::styled(
            format!(
                "  {mark} {} {} (due {}, {})",
                d.customer.key,
                one_line(&d.customer.name),
                d.due_on.format("%m-%d"),
                d.owner
            ),
            style,
        ));
    }
    lines.push(Line::from(""));
    lines.push(heading(
        format!("Overdue customers ({})", r.overdue_customers.len()),
        theme,
    ));
    for o in &r.overdue_customers {
        lines.push(Line::styled(
            format!(
                "  ⚠ {} {}: {} days overdue (last {}, every {} d) · {}",
                o.customer.key,
                one_line(&o.customer.name),
                o.days_overdue,
                o.last_checkin
                    .map_or("never".into(), |d| d.format("%m-%d").to_string()),
                o.cadence_days,
                o.owner
            ),
            theme.error(),
        ));
    }
    lines.push(Line::from(""));
    lines.push(heading("Backlog by status (age in status)".into(), theme));
    let most = r
        .backlog
        .by_status
        .iter()
        .map(|s| s.count)
        .max()
        .unwrap_or(1)
        .max(1);
    for s in &r.backlog.by_status {
        let bar = "█".repeat(s.count * 24 / most);
        let age = s
            .mean_age_days
            .map(|a| {
                format!(
                    " · avg {a:.0} d, oldest {} d",
                    s.oldest_age_days.unwrap_or(0)
                )
            })
            .unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {} {:<12}", s.status.symbol(), s.status.as_str()),
                theme.status(s.status),
            ),
            Span::styled(bar, theme.status(s.status)),
            Span::raw(format!(" {}{age}", s.count)),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(heading(
        format!("Moved this week ({})", r.backlog.moved.len()),
        theme,
    ));
    for m in &r.backlog.moved {
        let steps: Vec<&str> = m.steps.iter().map(|s| s.as_str()).collect();
        lines.push(Line::from(format!(
            "  {} {} · {}",
            m.item.key,
            steps.join(" → "),
            one_line(&m.item.statement)
        )));
    }
    lines.push(Line::from(""));
    lines.push(heading(
        format!("Decided this week ({})", r.backlog.decided.len()),
        theme,
    ));
    for d in &r.backlog.decided {
        let decision = d.decision.map_or("–", |x| x.as_str());
        lines.push(Line::styled(
            format!(
                "  {} {} · {decision}: {}",
                d.item.key,
                d.status,
                one_line(&d.learning)
            ),
            theme.status(d.status),
        ));
    }
    lines.push(Line::from(""));
    lines.push(heading(
        format!(
            "Stale tests: no new evidence for {} days ({})",
            crate::review::STALE_DAYS,
            r.backlog.stale.len()
        ),
        theme,
    ));
    for s in &r.backlog.stale {
        lines.push(Line::styled(
            format!(
                "  ◐ {} {} d in testing, {} d without evidence · {} · {}",
                s.item.key,
                s.days_in_testing,
                s.days_without_evidence,
                s.owner,
                one_line(&s.item.statement)
            ),
            theme.warn(),
        ));
    }
    lines.push(heading(
        format!("Ready to decide ({})", r.backlog.ready_to_decide.len()),
        theme,
    ));
    for s in &r.backlog.ready_to_decide {
        lines.push(Line::from(format!(
            "  {} +{} −{} · {} · {}",
            s.item.key,
            s.supports,
            s.refutes,
            s.owner,
            one_line(&s.item.statement)
        )));
    }
    lines.push(Line::from(""));
    let f = &r.followups;
    lines.push(heading(
        format!(
            "Follow-ups  {} open · {} overdue · {} done this week",
            f.open, f.overdue, f.done_this_week
        ),
        theme,
    ));
    for item in &f.items {
        let (mark, style) = if item.days_overdue.is_some() {
            ("⚠", theme.error())
        } else {
            ("○", ratatui::style::Style::default())
        };
        let due = item
            .due_on
            .map(|d| format!(" due {}", d.format("%m-%d")))
            .unwrap_or_default();
        lines.push(Line::styled(
            format!(
                "  {mark} {} {}{due} · {} · {}",
                item.key,
                one_line(&item.text),
                one_line(&item.customer.name),
                item.owner
            ),
            style,
        ));
    }
    lines
}

fn walkthrough_lines(r: &Review, w: &Walkthrough, theme: Theme) -> Vec<Line<'static>> {
    let total = w.agenda.len();
    let mut lines = Vec::new();
    match w.current() {
        None => {
            lines.push(heading(format!("Done: {total} items looked at"), theme));
            lines.push(Line::from(
                "f records the review (attendees, notes); Esc leaves without recording.",
            ));
        }
        Some(item) => {
            lines.push(heading(format!("{} of {total}", w.index + 1), theme));
            lines.extend(card(r, item, theme));
        }
    }
    if !w.done.is_empty() {
        lines.push(Line::from(""));
        lines.push(heading("So far".into(), theme));
        lines.extend(
            w.done
                .iter()
                .map(|d| Line::from(format!("  ✔ {}", one_line(d)))),
        );
    }
    lines
}

fn card(r: &Review, item: AgendaItem, theme: Theme) -> Vec<Line<'static>> {
    let key = item.key();
    let keys = |k: &str| Line::styled(k.to_string(), theme.label());
    match item {
        AgendaItem::StaleTest(_) | AgendaItem::ReadyToDecide(_) => {
            let stale = r.backlog.stale.iter().find(|s| s.item.key == key);
            let ready = r.backlog.ready_to_decide.iter().find(|s| s.item.key == key);
            let statement = stale
                .map(|s| s.item.statement.clone())
                .or_else(|| ready.map(|s| s.item.statement.clone()))
                .unwrap_or_default();
            let mut lines = vec![
                Line::styled(
                    if stale.is_some() {
                        "Stale test".to_string()
                    } else {
                        "Ready to decide".to_string()
                    },
                    theme.warn(),
                ),
                Line::from(format!("{key} {}", one_line(&statement))),
            ];
            if let Some(s) = stale {
                lines.push(Line::from(format!(
                    "{} days in testing, {} without new evidence · {}",
                    s.days_in_testing, s.days_without_evidence, s.owner
                )));
            }
            if let Some(s) = ready {
                lines.push(Line::from(format!(
                    "evidence +{} −{} over {} links · {}",
                    s.supports, s.refutes, s.evidence, s.owner
                )));
            }
            lines.push(Line::from(""));
            lines.push(keys("d decide · p park · n skip · b back · f finish"));
            lines
        }
        AgendaItem::OverdueCustomer(_) => {
            let o = r.overdue_customers.iter().find(|o| o.customer.key == key);
            let mut lines = vec![Line::styled("Overdue customer".to_string(), theme.error())];
            if let Some(o) = o {
                lines.push(Line::from(format!(
                    "{key} {} · {} days overdue · owner {}",
                    one_line(&o.customer.name),
                    o.days_overdue,
                    o.owner
                )));
                lines.push(Line::from(format!(
                    "last check-in {}, every {} days",
                    o.last_checkin.map_or("never".into(), |d| d.to_string()),
                    o.cadence_days
                )));
            }
            lines.push(Line::from(""));
            lines.push(keys("c schedule a check-in · n skip · b back · f finish"));
            lines
        }
        AgendaItem::OverdueFollowUp(_) => {
            let f = r.followups.items.iter().find(|f| f.key == key);
            let mut lines = vec![Line::styled("Overdue follow-up".to_string(), theme.error())];
            if let Some(f) = f {
                lines.push(Line::from(format!(
                    "{key} {} · {}",
                    one_line(&f.text),
                    one_line(&f.customer.name)
                )));
                lines.push(Line::from(format!(
                    "due {} ({} days ago) · {}",
                    f.due_on.map_or("–".into(), |d| d.to_string()),
                    f.days_overdue.unwrap_or(0),
                    f.owner
                )));
            }
            lines.push(Line::from(""));
            lines.push(keys("x mark done · n skip · b back · f finish"));
            lines
        }
    }
}
