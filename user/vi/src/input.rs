//! Keys for vi, decoded as the shell's line editor decodes them
//! (`lineedit::keys`), except that ESC followed by anything but `[` or `O` is
//! the Escape key and then that key: vi users type Escape and the next command
//! faster than a terminal's escape-sequence timeout; so is ESC `O` followed by
//! anything but the final byte of a cursor key (`<Esc>O` opens a line).
use std::collections::VecDeque;

pub use lineedit::keys::Key;
use lineedit::keys::{is_lone_escape, next_key};

const ESC: u8 = 0x1b;

/// Takes the next whole key from the front of `pending`.
pub fn take_key(pending: &mut VecDeque<u8>) -> Option<Key> {
    let escape = match (pending.get(1), pending.get(2)) {
        (Some(b'['), _) | (Some(b'O'), None) => false,
        (Some(b'O'), Some(last)) => !b"ABCDHF".contains(last),
        (second, _) => second.is_some(),
    };
    if pending.front() == Some(&ESC) && escape {
        pending.pop_front();
        return Some(Key::Escape);
    }
    next_key(pending)
}

/// Whether `pending` holds only an ESC, the Escape key if nothing follows soon.
pub fn lone_escape(pending: &VecDeque<u8>) -> bool {
    is_lone_escape(pending)
}

/// The keys in `bytes` (a trailing lone ESC included).
#[cfg(test)]
pub fn keys(bytes: &[u8]) -> Vec<Key> {
    let mut pending: VecDeque<u8> = bytes.iter().copied().collect();
    let mut keys = Vec::new();
    while let Some(key) = take_key(&mut pending) {
        keys.push(key);
    }
    if lone_escape(&pending) {
        keys.push(Key::Escape);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_then_a_command_is_two_keys() {
        assert_eq!(keys(b"a\x1b:w"), [Key::Char('a'), Key::Escape, Key::Char(':'), Key::Char('w')]);
        assert_eq!(keys(b"\x1b\x1b"), [Key::Escape, Key::Escape]);
        assert_eq!(keys(b"\x1b"), [Key::Escape]);
        assert_eq!(keys(b"\x1bOx"), [Key::Escape, Key::Char('O'), Key::Char('x')]);
    }

    #[test]
    fn cursor_keys_are_sequences() {
        assert_eq!(keys(b"\x1b[A\x1b[6~\x1bOH\x1b[3~"), [Key::Up, Key::PageDown, Key::Home, Key::Delete]);
    }
}
