//! The PS/2 keyboard (IRQ 1): scancode set 1 decoded with `pc-keyboard` (US layout)
//! into the bytes Linux's console sends (TERM=linux): Enter is CR (the line
//! discipline's ICRNL makes it a newline for cooked reads), Backspace DEL, and the
//! cursor and editing keys escape sequences (Home ESC [ 1 ~, End ESC [ 4 ~, ...).
use pc_keyboard::layouts::Us104Key;
use pc_keyboard::{DecodedKey, HandleControl, KeyCode, PS2Keyboard, ScancodeSet1};
use spin::Mutex;
use x86_64::instructions::port::Port;

static KEYBOARD: Mutex<PS2Keyboard<Us104Key, ScancodeSet1>> =
    Mutex::new(PS2Keyboard::new(ScancodeSet1::new(), Us104Key, HandleControl::MapLettersToUnicode));

/// What one key press sends: a character (UTF-8) or an escape sequence.
#[derive(Debug, Clone, Copy)]
pub struct KeyText {
    bytes: [u8; 4],
    len: usize,
}

impl KeyText {
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn from_str(s: &str) -> Self {
        let mut bytes = [0; 4];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Self { bytes, len: s.len() }
    }
}

/// Read the pending scancode; the text of a completed key press, if any.
pub fn read() -> Option<KeyText> {
    // SAFETY: port 0x60 is the PS/2 controller's data port; reading it takes the
    // byte that raised IRQ 1.
    let scancode = unsafe { Port::<u8>::new(0x60).read() };
    let mut keyboard = KEYBOARD.lock();
    let event = keyboard.add_byte(scancode).ok().flatten()?;
    // Keys whose bytes differ from pc-keyboard's (which gives Ctrl-J's, Ctrl-H's
    // and DEL); Ctrl-J and Ctrl-H themselves keep theirs.
    let linux = match event.code {
        KeyCode::Return | KeyCode::NumpadEnter => Some("\r"),
        KeyCode::Backspace => Some("\x7f"),
        KeyCode::Delete => Some("\x1b[3~"),
        _ => None,
    };
    let decoded = keyboard.process_keyevent(event)?;
    if let Some(text) = linux {
        return Some(KeyText::from_str(text));
    }
    match decoded {
        DecodedKey::Unicode(c) => {
            let mut buf = [0u8; 4];
            Some(KeyText::from_str(c.encode_utf8(&mut buf)))
        }
        DecodedKey::RawKey(code) => {
            let sequence = match code {
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
            };
            Some(KeyText::from_str(sequence))
        }
    }
}
