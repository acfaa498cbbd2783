//! A form field narrowed by a resize shows its whole text again when the
//! terminal grows back.

use crate::support::{self, act, start, type_text};
use concierge::app::state::Mode;
use concierge::app::{self, Action};

#[test]
fn a_form_field_scrolls_back_when_the_terminal_grows_again() {
    let (_dir, mut store) = support::demo_file();
    let mut state = start(&mut store);
    act(&mut state, &mut store, &[Action::New]);
    type_text(&mut state, &mut store, "Hello-resize-world");
    assert!(support::screen(&state).contains("Hello-resize-world"));
    app::update(&mut state, Action::Resize(36, 20), &mut store);
    let narrow = support::screen(&state);
    assert!(
        !narrow.contains("Hello-resize-world"),
        "narrow enough to scroll:\n{narrow}"
    );
    app::update(&mut state, Action::Resize(120, 40), &mut store);
    let wide = support::screen(&state);
    assert!(wide.contains("Hello-resize-world"), "{wide}");
    // The cursor stayed at the end: typing goes on from there.
    type_text(&mut state, &mut store, "!");
    let Mode::Form(form) = &state.mode else {
        panic!("the form is open")
    };
    assert_eq!(
        form.focused().expect("focus").value(),
        "Hello-resize-world!"
    );
}
