//! The full-screen loop: draw, wait for an event, turn it into an action,
//! update. The terminal is restored on every way out: normal quit, error,
//! panic (ratatui's hook, plus ours for mouse capture and paste mode) and
//! SIGTERM/SIGHUP/SIGINT.

use crate::app::{self, input::action_for, update};
use crate::store::Store;
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use std::io::stdout;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

/// How the TUI ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Quit,
    /// Stopped by this signal; the process should exit with 128 + it.
    Signal(i32),
}

impl Ended {
    /// The shell's convention: 0, or 128 + the signal's number.
    pub fn exit_code(self) -> u8 {
        match self {
            Ended::Quit => 0,
            Ended::Signal(n) => u8::try_from(128 + n).unwrap_or(u8::MAX),
        }
    }
}

/// Runs the TUI on `store` until the user quits or a signal arrives.
pub fn run(store: &mut Store) -> std::io::Result<Ended> {
    refuse_dumb_terminal()?;
    let stop = Arc::new(AtomicI32::new(0));
    watch_signals(Arc::clone(&stop))?;
    let mut terminal = ratatui::try_init()?;
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
        ratatui_hook(info);
    }));
    let result = execute!(stdout(), EnableMouseCapture, EnableBracketedPaste)
        .and_then(|()| event_loop(&mut terminal, store, &stop));
    let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    result.map(|()| match stop.load(Ordering::Relaxed) {
        0 => Ended::Quit,
        signal => Ended::Signal(signal),
    })
}

/// `TERM=dumb` (an editor's shell buffer, a pipe-like terminal) cannot
/// draw a full screen: say so instead of filling it with escape codes.
fn refuse_dumb_terminal() -> std::io::Result<()> {
    if std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        return Err(std::io::Error::other(
            "TERM=dumb cannot show the full-screen view; run concierge in a terminal such as xterm, or use the commands (concierge review, log, export --help)",
        ));
    }
    Ok(())
}

/// On SIGTERM, SIGHUP or SIGINT: ask the loop to stop (it notices within
/// its poll timeout and restores the terminal). If it has not ended a
/// second later, leave anyway: when the terminal itself went away
/// (a closed window, `tmux kill-session`), crossterm 0.29 keeps re-reading
/// the dead tty and never returns (crossterm issue #793), which would
/// leave an orphan spinning at 100% CPU. Exiting is safe for the data:
/// a write in flight is one transaction, rolled back if it did not commit.
fn watch_signals(stop: Arc<AtomicI32>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            stop.store(signal, Ordering::Relaxed);
            std::thread::sleep(Duration::from_secs(1));
            let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
            ratatui::restore();
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    store: &mut Store,
    stop: &AtomicI32,
) -> std::io::Result<()> {
    let mut state = app::start(store);
    let size = terminal.size()?;
    update(
        &mut state,
        app::Action::Resize(size.width, size.height),
        store,
    );
    let mut first_frame = true;
    while !state.quit && stop.load(Ordering::Relaxed) == 0 {
        terminal.draw(|frame| crate::ui::render(&state, frame))?;
        if std::mem::take(&mut first_frame) {
            panic_if_asked();
        }
        // Poll with a timeout so a signal is noticed even without input;
        // idle moments go to deferred reads (shortly, while some remain).
        let wait = if state.busy { 15 } else { 250 };
        if !event::poll(Duration::from_millis(wait))? {
            update(&mut state, app::Action::Idle, store);
            continue;
        }
        // Handle every queued event before drawing again, so held-down
        // keys never make the screen lag behind.
        loop {
            let event = event::read()?;
            let asking = state.asks();
            if let Some(action) = action_for(&state, &event) {
                update(&mut state, action, store);
            }
            if !asking && state.asks() {
                // A question that can destroy something never takes its
                // answer from keys typed before it was shown.
                let mut dropped = 0;
                while event::poll(Duration::ZERO)? {
                    if matches!(event::read()?, event::Event::Key(_)) {
                        dropped += 1;
                    }
                }
                state.dropped_before_question(dropped);
                break;
            }
            if state.quit || !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
    Ok(())
}

/// Debug builds only: `CONCIERGE_DEBUG_PANIC` set makes the app panic right
/// after its first frame, so tests can see the terminal restored after a
/// panic. Release builds have no such switch.
fn panic_if_asked() {
    assert!(
        !(cfg!(debug_assertions) && std::env::var_os("CONCIERGE_DEBUG_PANIC").is_some()),
        "CONCIERGE_DEBUG_PANIC is set: panicking on purpose after the first frame"
    );
}
