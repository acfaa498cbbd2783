//! Record text that tries to act on the terminal (escape sequences, BEL,
//! CR, tabs, bidi overrides) is drawn as visible placeholders in every
//! pane, detail, form and popup: no cell ever holds a raw control or bidi
//! codepoint. (The bytes the real binary writes are checked in
//! `pty/faults.rs`.)

use crate::support;
use crate::support::hostile;

use crate::support::{act, start};
use concierge::app::state::Mode;
use concierge::app::{Action, Pane, State};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The screen as text, and every cell holding a codepoint that must not
/// reach a terminal.
fn draw(state: &State) -> (String, Vec<String>) {
    let (w, h) = state.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|frame| concierge::ui::render(state, frame))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    let mut bad = Vec::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            if symbol
                .chars()
                .any(|c| c.is_control() || hostile::INVISIBLE.contains(&c))
            {
                bad.push(format!("({x},{y}) {symbol:?}"));
            }
            text.push_str(symbol);
        }
        text.push('\n');
    }
    (text, bad)
}

fn normal(state: &mut State, store: &mut concierge::store::Store) {
    act(state, store, &[Action::Cancel, Action::No]);
    state.mode = Mode::Normal;
}

#[test]
fn hostile_record_text_is_shown_as_placeholders_everywhere() {
    let (_dir, mut store) = support::empty();
    hostile::seed(&mut store);
    let mut state = start(&mut store);
    // The bool: whether the view shows record text at all.
    // A form's focused editor drops control and bidi codepoints (ratatui
    // never draws them) rather than showing placeholders; its other
    // fields show placeholders.
    let views: Vec<(&str, Vec<Action>, bool)> = vec![
        ("backlog", vec![Action::Pane(Pane::Backlog)], true),
        (
            "backlog form",
            vec![Action::Pane(Pane::Backlog), Action::Edit],
            true,
        ),
        ("customers", vec![Action::Pane(Pane::Customers)], true),
        (
            "customer form",
            vec![Action::Pane(Pane::Customers), Action::Edit],
            true,
        ),
        (
            "follow-up choice",
            vec![Action::Pane(Pane::Customers), Action::ToggleFollowUp],
            true,
        ),
        ("check-ins", vec![Action::Pane(Pane::CheckIns)], true),
        (
            "check-in form",
            vec![Action::Pane(Pane::CheckIns), Action::Edit],
            true,
        ),
        (
            "evidence picker",
            vec![Action::Pane(Pane::CheckIns), Action::LinkEvidence],
            true,
        ),
        (
            "delete question",
            vec![Action::Pane(Pane::Backlog), Action::Delete],
            true,
        ),
        ("data", vec![Action::Pane(Pane::Data)], true),
        ("review", vec![Action::Pane(Pane::Review)], true),
        ("activity, newest", vec![Action::Pane(Pane::Activity)], true),
        (
            "activity, check-in",
            vec![Action::Pane(Pane::Activity), Action::Down, Action::Down],
            true,
        ),
        (
            "activity, customer",
            vec![Action::Pane(Pane::Activity), Action::Bottom],
            true,
        ),
    ];
    for (w, h) in [(120, 40), (200, 60), (50, 16)] {
        act(&mut state, &mut store, &[Action::Resize(w, h)]);
        for (name, actions, shows_placeholders) in &views {
            normal(&mut state, &mut store);
            act(&mut state, &mut store, actions);
            let (text, bad) = draw(&state);
            assert!(bad.is_empty(), "{name} at {w}x{h}: raw {bad:?}\n{text}");
            if *shows_placeholders && w >= 120 {
                assert!(
                    text.contains("‹RLO›") && text.contains("␛[31mRED"),
                    "{name} at {w}x{h} hides the controls:\n{text}"
                );
            }
        }
    }
}
