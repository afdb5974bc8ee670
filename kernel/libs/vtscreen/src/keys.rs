//! The PS/2 keyboard's scancodes (set 1) decoded with `pc-keyboard` (US layout)
//! into what Linux's console does with a key press (TERM=linux): the bytes it
//! sends (Enter CR, which the line discipline's ICRNL makes a newline; Backspace
//! DEL; the cursor, editing and function keys their escape sequences), or one of
//! the console's own commands: Alt-Fn and Ctrl-Alt-Fn show console n,
//! Shift-PageUp and Shift-PageDown scroll the view through its history. A USB
//! keyboard's key events (`hid`) go through the same decoder.
use pc_keyboard::layouts::Us104Key;
use pc_keyboard::{DecodedKey, HandleControl, KeyCode, KeyEvent, PS2Keyboard, ScancodeSet1};

/// What one key press sends: a character (UTF-8) or an escape sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyText {
    bytes: [u8; 8],
    len: usize,
}

impl KeyText {
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn from_str(s: &str) -> Self {
        let mut bytes = [0; 8];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Self { bytes, len: s.len() }
    }
}

/// A completed key press.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// Bytes for the visible console's terminal.
    Text(KeyText),
    /// Show console n (0 for the first: Alt-F1).
    Switch(usize),
    /// Scroll the view back (Shift-PageUp) or forward (Shift-PageDown).
    ScrollBack,
    ScrollForward,
}

/// The keyboard's state: the scancode decoder and the modifier keys held.
pub struct Keyboard {
    ps2: PS2Keyboard<Us104Key, ScancodeSet1>,
}

impl Default for Keyboard {
    fn default() -> Self {
        Self::new()
    }
}

impl Keyboard {
    pub const fn new() -> Self {
        Self { ps2: PS2Keyboard::new(ScancodeSet1::new(), Us104Key, HandleControl::MapLettersToUnicode) }
    }

    /// Take one scancode byte; the key it completes, if any.
    pub fn feed(&mut self, scancode: u8) -> Option<Key> {
        let event = self.ps2.add_byte(scancode).ok().flatten()?;
        self.key_event(event)
    }

    /// A key going down or up (with the modifiers held so far); the key press it
    /// makes, if any.
    pub(crate) fn key_event(&mut self, event: KeyEvent) -> Option<Key> {
        let code = event.code;
        let decoded = self.ps2.process_keyevent(event)?;
        let held = self.ps2.get_modifiers();
        let (alt, shift) = (held.lalt || held.ralt, held.lshift || held.rshift);
        if alt && let Some(n) = function_key(code) {
            return Some(Key::Switch(n));
        }
        match (code, shift) {
            (KeyCode::PageUp, true) => return Some(Key::ScrollBack),
            (KeyCode::PageDown, true) => return Some(Key::ScrollForward),
            _ => {}
        }
        // Keys whose bytes differ from pc-keyboard's (which gives Ctrl-J's, Ctrl-H's
        // and DEL); Ctrl-J and Ctrl-H themselves keep theirs.
        if let Some(text) = linux_text(code) {
            return Some(Key::Text(KeyText::from_str(text)));
        }
        match decoded {
            DecodedKey::Unicode(c) => Some(Key::Text(KeyText::from_str(c.encode_utf8(&mut [0; 4])))),
            DecodedKey::RawKey(code) => sequence(code).map(|s| Key::Text(KeyText::from_str(s))),
        }
    }
}

/// F1..F12 as 0..11.
fn function_key(code: KeyCode) -> Option<usize> {
    const KEYS: [KeyCode; 12] = [
        KeyCode::F1,
        KeyCode::F2,
        KeyCode::F3,
        KeyCode::F4,
        KeyCode::F5,
        KeyCode::F6,
        KeyCode::F7,
        KeyCode::F8,
        KeyCode::F9,
        KeyCode::F10,
        KeyCode::F11,
        KeyCode::F12,
    ];
    KEYS.iter().position(|&key| key == code)
}

fn linux_text(code: KeyCode) -> Option<&'static str> {
    match code {
        KeyCode::Return | KeyCode::NumpadEnter => Some("\r"),
        KeyCode::Backspace => Some("\x7f"),
        KeyCode::Delete => Some("\x1b[3~"),
        _ => None,
    }
}

/// The escape sequence of a key without a character (Linux's console keymap).
fn sequence(code: KeyCode) -> Option<&'static str> {
    const FUNCTION: [&str; 12] = [
        "\x1b[[A", "\x1b[[B", "\x1b[[C", "\x1b[[D", "\x1b[[E", "\x1b[17~", "\x1b[18~", "\x1b[19~", "\x1b[20~",
        "\x1b[21~", "\x1b[23~", "\x1b[24~",
    ];
    if let Some(n) = function_key(code) {
        return Some(FUNCTION[n]);
    }
    Some(match code {
        KeyCode::ArrowUp => "\x1b[A",
        KeyCode::ArrowDown => "\x1b[B",
        KeyCode::ArrowRight => "\x1b[C",
        KeyCode::ArrowLeft => "\x1b[D",
        KeyCode::Home => "\x1b[1~",
        KeyCode::Insert => "\x1b[2~",
        KeyCode::End => "\x1b[4~",
        KeyCode::PageUp => "\x1b[5~",
        KeyCode::PageDown => "\x1b[6~",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The keys completed by `scancodes`.
    fn keys(scancodes: &[u8]) -> Vec<Key> {
        let mut keyboard = Keyboard::new();
        scancodes.iter().filter_map(|&s| keyboard.feed(s)).collect()
    }

    fn text(s: &str) -> Key {
        Key::Text(KeyText::from_str(s))
    }

    const ALT: u8 = 0x38;
    const CTRL: u8 = 0x1d;
    const SHIFT: u8 = 0x2a;
    const RELEASE: u8 = 0x80;

    #[test]
    fn characters_and_linux_keys() {
        // a, shift-a, Enter, Backspace, Delete (E0 53), up arrow (E0 48).
        let scancodes = [0x1e, 0x9e, SHIFT, 0x1e, 0x9e, SHIFT | RELEASE, 0x1c, 0x0e, 0xe0, 0x53, 0xe0, 0x48];
        assert_eq!(keys(&scancodes), [text("a"), text("A"), text("\r"), text("\x7f"), text("\x1b[3~"), text("\x1b[A")]);
    }

    #[test]
    fn alt_and_ctrl_alt_function_keys_switch_consoles() {
        // Alt-F2, then F3 alone (its sequence), then Ctrl-Alt-F4, then F1 once Alt is up.
        let scancodes = [ALT, 0x3c, 0xbc, ALT | RELEASE, 0x3d, CTRL, ALT, 0x3e, ALT | RELEASE, CTRL | RELEASE, 0x3b];
        assert_eq!(keys(&scancodes), [Key::Switch(1), text("\x1b[[C"), Key::Switch(3), text("\x1b[[A")]);
    }

    #[test]
    fn shift_page_keys_scroll_and_plain_ones_send_sequences() {
        let scancodes = [SHIFT, 0xe0, 0x49, 0xe0, 0x51, SHIFT | RELEASE, 0xe0, 0x49, 0xe0, 0x51];
        assert_eq!(keys(&scancodes), [Key::ScrollBack, Key::ScrollForward, text("\x1b[5~"), text("\x1b[6~")]);
    }

    proptest! {
        #[test]
        fn any_scancodes_decode_without_panicking(scancodes in proptest::collection::vec(any::<u8>(), 0..64)) {
            for key in keys(&scancodes) {
                if let Key::Switch(n) = key {
                    prop_assert!(n < 12);
                }
            }
        }
    }
}
