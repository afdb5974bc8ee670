//! Keys decoded from the bytes a terminal sends: UTF-8 text, control bytes and the
//! escape sequences of cursor and editing keys (`ESC [ A/B/C/D/H/F`,
//! `ESC [ 1~/7~/4~/8~/3~/5~/6~`, `ESC O A/B/C/D/H/F`; other well-formed ones are
//! ignored). A lone ESC is the Escape key once the byte after it is another ESC, or
//! when the caller says no more input came ([`crate::Editor::escape_timeout`]).
//! Public so that other editors (`vi`) decode keys the same way.
use std::collections::VecDeque;

/// A key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    /// A control character (0x00-0x1f, 0x7f) other than ESC.
    Control(u8),
    Escape,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    Delete,
    PageUp,
    PageDown,
    /// An escape sequence, or Alt with a key, that the editor does not use.
    Ignored,
}

const ESC: u8 = 0x1b;

/// The control character typed with Ctrl and `letter`.
pub const fn ctrl(letter: u8) -> u8 {
    letter & 0x1f
}

/// Takes the next key from the front of `pending`, if it is all there.
pub fn next_key(pending: &mut VecDeque<u8>) -> Option<Key> {
    let first = *pending.front()?;
    let (key, length) = match first {
        ESC => escape_sequence(pending)?,
        0x00..=0x1f | 0x7f => (Key::Control(first), 1),
        _ => {
            let length = match first {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            if pending.len() < length {
                return None;
            }
            let bytes: Vec<u8> = pending.iter().take(length).copied().collect();
            match std::str::from_utf8(&bytes).ok().and_then(|text| text.chars().next()) {
                Some(char) => (Key::Char(char), length),
                None => (Key::Ignored, 1),
            }
        }
    };
    pending.drain(..length);
    Some(key)
}

/// Whether `pending` is a lone ESC, which is the Escape key if nothing follows.
pub fn is_lone_escape(pending: &VecDeque<u8>) -> bool {
    pending.len() == 1 && pending[0] == ESC
}

/// Decodes `ESC ...` at the front of `pending`: the key and its length.
fn escape_sequence(pending: &VecDeque<u8>) -> Option<(Key, usize)> {
    match *pending.get(1)? {
        b'[' => {
            // Parameters (digits and `;`), then a final byte.
            let length = pending.iter().skip(2).position(|byte| !matches!(byte, b'0'..=b'9' | b';'))? + 3;
            let parameters: Vec<u8> = pending.iter().skip(2).take(length - 3).copied().collect();
            let key = match (pending[length - 1], &parameters[..]) {
                (b'A', _) => Key::Up,
                (b'B', _) => Key::Down,
                (b'C', _) => Key::Right,
                (b'D', _) => Key::Left,
                (b'H', _) | (b'~', b"1" | b"7") => Key::Home,
                (b'F', _) | (b'~', b"4" | b"8") => Key::End,
                (b'~', b"3") => Key::Delete,
                (b'~', b"5") => Key::PageUp,
                (b'~', b"6") => Key::PageDown,
                _ => Key::Ignored,
            };
            Some((key, length))
        }
        b'O' => {
            let key = match pending.get(2)? {
                b'A' => Key::Up,
                b'B' => Key::Down,
                b'C' => Key::Right,
                b'D' => Key::Left,
                b'H' => Key::Home,
                b'F' => Key::End,
                _ => Key::Ignored,
            };
            Some((key, 3))
        }
        ESC => Some((Key::Escape, 1)),
        // Alt with a key: not used.
        _ => Some((Key::Ignored, 2)),
    }
}
