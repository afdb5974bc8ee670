//! A USB keyboard in the HID boot protocol: each 8-byte report (modifier bits, a
//! reserved byte, up to six usage codes of the keys held) is compared with the
//! previous one, and the keys that went down or up go through the PS/2 path's
//! decoder (`keys`), so both keyboards send the same bytes and commands (US
//! layout). Such a keyboard reports only changes, so the key last pressed is
//! repeated here in software while it is held, with Linux's input defaults:
//! after 250 ms, then every 33 ms (about 30 per second).
use alloc::vec::Vec;

use pc_keyboard::layouts::Us104Key;
use pc_keyboard::{HandleControl, KeyCode, KeyState, UsbBootKeyboardReport, UsbKeyboard};

use crate::keys::{Key, Keyboard};

/// Milliseconds from a key press to its first repeat (Linux's REP_DELAY).
pub const REPEAT_DELAY_MS: u64 = 250;
/// Milliseconds between repeats (Linux's REP_PERIOD).
pub const REPEAT_PERIOD_MS: u64 = 33;
/// The usage every slot holds when too many keys are down (ErrorRollOver).
const ERROR_ROLL_OVER: u8 = 0x01;

/// The key being repeated and when it next repeats.
#[derive(Debug, Clone, Copy)]
struct Repeat {
    key: Key,
    code: KeyCode,
    due_ms: u64,
}

/// One boot-protocol keyboard's state.
pub struct BootKeyboard {
    reports: UsbKeyboard<Us104Key>,
    keys: Keyboard,
    repeat: Option<Repeat>,
}

impl Default for BootKeyboard {
    fn default() -> Self {
        Self::new()
    }
}

impl BootKeyboard {
    pub fn new() -> Self {
        Self {
            reports: UsbKeyboard::new(Us104Key, HandleControl::MapLettersToUnicode),
            keys: Keyboard::new(),
            repeat: None,
        }
    }

    /// Take one report received at `now_ms`; the keys it presses, in order. A
    /// short report, or one saying too many keys are down, changes nothing.
    pub fn report(&mut self, report: &[u8], now_ms: u64) -> Vec<Key> {
        let mut pressed = Vec::new();
        let Some(usages) = report.get(2..8) else { return pressed };
        if usages.contains(&ERROR_ROLL_OVER) {
            return pressed;
        }
        let mut keys = [0; 6];
        keys.copy_from_slice(usages);
        let new = UsbBootKeyboardReport { modifiers: report[0], keys };
        let events: Vec<_> = self.reports.handle_report_raw(&new).collect();
        for event in events {
            let (code, state) = (event.code, event.state);
            let key = self.keys.key_event(event);
            match (state, key) {
                (KeyState::Down, Some(key)) => {
                    pressed.push(key);
                    self.repeat = repeats(key).then_some(Repeat { key, code, due_ms: now_ms + REPEAT_DELAY_MS });
                }
                (KeyState::Up, _) if self.repeat.is_some_and(|r| r.code == code) => self.repeat = None,
                _ => {}
            }
        }
        pressed
    }

    /// The repeats due by `now_ms` (called from the timer tick): at most one, so a
    /// late tick does not burst.
    pub fn tick(&mut self, now_ms: u64) -> Option<Key> {
        let repeat = self.repeat.as_mut()?;
        if now_ms < repeat.due_ms {
            return None;
        }
        repeat.due_ms = now_ms + REPEAT_PERIOD_MS;
        Some(repeat.key)
    }
}

/// Text and scrolling repeat; switching consoles does not.
fn repeats(key: Key) -> bool {
    !matches!(key, Key::Switch(_))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const LCTRL: u8 = 0x01;
    const LSHIFT: u8 = 0x02;
    const LALT: u8 = 0x04;
    const A: u8 = 0x04;
    const C: u8 = 0x06;
    const ENTER: u8 = 0x28;
    const F2: u8 = 0x3b;
    const UP: u8 = 0x52;
    const PAGE_UP: u8 = 0x4b;
    const CAPS: u8 = 0x39;

    fn report(modifiers: u8, keys: &[u8]) -> [u8; 8] {
        let mut r = [0; 8];
        r[0] = modifiers;
        r[2..2 + keys.len()].copy_from_slice(keys);
        r
    }

    /// The bytes the keys of `reports` send (each report 10 ms after the last).
    fn typed(reports: &[[u8; 8]]) -> Vec<u8> {
        let mut keyboard = BootKeyboard::new();
        let mut out = Vec::new();
        for (index, r) in reports.iter().enumerate() {
            for key in keyboard.report(r, index as u64 * 10) {
                match key {
                    Key::Text(text) => out.extend_from_slice(text.as_bytes()),
                    other => panic!("unexpected {other:?}"),
                }
            }
        }
        out
    }

    #[test]
    fn letters_shift_ctrl_enter_and_arrows() {
        let reports = [
            report(0, &[A]),
            report(0, &[]),
            report(LSHIFT, &[]),
            report(LSHIFT, &[A]),
            report(0, &[]),
            report(LCTRL, &[C]),
            report(0, &[]),
            report(0, &[ENTER]),
            report(0, &[UP]),
            report(0, &[]),
        ];
        assert_eq!(typed(&reports), b"aA\x03\r\x1b[A");
    }

    #[test]
    fn caps_lock_toggles_letters() {
        let reports = [
            report(0, &[CAPS]),
            report(0, &[]),
            report(0, &[A]),
            report(0, &[]),
            report(0, &[CAPS]),
            report(0, &[]),
            report(0, &[A]),
        ];
        assert_eq!(typed(&reports), b"Aa");
    }

    #[test]
    fn two_keys_in_one_report_and_rollover_is_ignored() {
        let reports = [report(0, &[A, C]), report(0, &[1, 1, 1, 1, 1, 1]), report(0, &[C]), report(0, &[])];
        assert_eq!(typed(&reports), b"ac");
    }

    #[test]
    fn alt_function_keys_switch_and_shift_page_up_scrolls() {
        let mut keyboard = BootKeyboard::new();
        assert_eq!(keyboard.report(&report(LALT, &[F2]), 0), [Key::Switch(1)]);
        assert!(keyboard.report(&report(0, &[]), 1).is_empty());
        assert_eq!(keyboard.report(&report(LSHIFT, &[PAGE_UP]), 2), [Key::ScrollBack]);
    }

    #[test]
    fn a_held_key_repeats_after_the_delay_until_released() {
        let mut keyboard = BootKeyboard::new();
        let a = keyboard.report(&report(0, &[A]), 1000);
        assert_eq!(a.len(), 1);
        assert_eq!(keyboard.tick(1000 + REPEAT_DELAY_MS - 1), None);
        assert_eq!(keyboard.tick(1000 + REPEAT_DELAY_MS), Some(a[0]));
        assert_eq!(keyboard.tick(1000 + REPEAT_DELAY_MS + 1), None);
        assert_eq!(keyboard.tick(1000 + REPEAT_DELAY_MS + REPEAT_PERIOD_MS), Some(a[0]));
        // Pressing C as well repeats C; releasing A leaves C repeating.
        let c = keyboard.report(&report(0, &[A, C]), 2000);
        assert_eq!(keyboard.tick(2000 + REPEAT_DELAY_MS), Some(c[0]));
        assert!(keyboard.report(&report(0, &[C]), 2300).is_empty());
        assert_eq!(keyboard.tick(2400), Some(c[0]));
        assert!(keyboard.report(&report(0, &[]), 2500).is_empty());
        assert_eq!(keyboard.tick(5000), None);
    }

    #[test]
    fn switching_consoles_does_not_repeat() {
        let mut keyboard = BootKeyboard::new();
        keyboard.report(&report(LALT, &[F2]), 0);
        assert_eq!(keyboard.tick(10_000), None);
    }

    proptest! {
        #[test]
        fn any_reports_decode_without_panicking(
            reports in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..10), 0..32),
        ) {
            let mut keyboard = BootKeyboard::new();
            for (index, r) in reports.iter().enumerate() {
                for key in keyboard.report(r, index as u64 * 100) {
                    if let Key::Switch(n) = key {
                        prop_assert!(n < 12);
                    }
                }
                keyboard.tick(index as u64 * 100 + 50);
            }
        }
    }
}
