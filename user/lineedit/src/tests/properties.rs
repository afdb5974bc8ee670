//! Random edits on random terminals: after every one, the screen shows the prompt
//! and the line, wrapped, with the cursor in its place ([`Session::check`]).
use proptest::prelude::*;

use super::screen::Wrap;
use super::session::Session;

/// Something a user does.
#[derive(Debug, Clone)]
enum Action {
    Keys(Vec<u8>),
    Resize(usize),
}

fn action() -> impl Strategy<Value = Action> {
    let keys: Vec<&'static [u8]> = vec![
        b"\x1b[D",
        b"\x1b[C",
        b"\x01",
        b"\x05",
        b"\x7f",
        b"\x1b[3~",
        b"\x15",
        b"\x0b",
        b"\x17",
        b"\x1b[A",
        b"\x1b[B",
        b"\x12",
        b"\x07",
        b"\x1b\x1b",
        b"\t",
    ];
    prop_oneof![
        4 => "[a-c é]{1,4}".prop_map(|text| Action::Keys(text.into_bytes())),
        4 => proptest::sample::select(keys).prop_map(|key| Action::Keys(key.to_vec())),
        1 => (6..40usize).prop_map(Action::Resize),
    ]
}

fn prompt() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z$#>]{0,45} ?", Just("two\nlines> ".to_string()), Just("\x1b[1;34m/tmp\x1b[0m $ ".to_string()),]
}

proptest! {
    #[test]
    fn the_screen_shows_the_prompt_and_the_line(
        width in 6..40usize,
        eager in any::<bool>(),
        row in 0..4usize,
        prompt in prompt(),
        history in proptest::collection::vec("[a-c é]{0,80}", 0..4),
        actions in proptest::collection::vec(action(), 0..40),
    ) {
        let wrap = if eager { Wrap::Eager } else { Wrap::Pending };
        let history: Vec<&str> = history.iter().map(String::as_str).collect();
        let mut session = Session::new(width, 120, wrap, row, &prompt, &history);
        for action in actions {
            match action {
                Action::Keys(keys) => {
                    session.keys(&keys);
                }
                Action::Resize(width) => session.resize(width),
            }
        }
    }
}
