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
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Runs the TUI on `store` until the user quits or a signal arrives.
pub fn run(store: &mut Store) -> std::io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
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
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    store: &mut Store,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let mut state = app::start(store);
    let size = terminal.size()?;
    update(
        &mut state,
        app::Action::Resize(size.width, size.height),
        store,
    );
    let mut first_frame = true;
    while !state.quit && !stop.load(Ordering::Relaxed) {
        terminal.draw(|frame| crate::ui::render(&state, frame))?;
        if std::mem::take(&mut first_frame) {
            panic_if_asked();
        }
        // Poll with a timeout so a signal is noticed even without input.
        if !event::poll(Duration::from_millis(250))? {
            continue;
        }
        // Handle every queued event before drawing again, so held-down
        // keys never make the screen lag behind.
        loop {
            let event = event::read()?;
            if let Some(action) = action_for(&state, &event) {
                update(&mut state, action, store);
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
