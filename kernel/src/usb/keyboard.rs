//! A HID boot keyboard: each 8-byte report from its interrupt-IN endpoint goes
//! to `vtscreen::hid` for the keys it presses (and repeats).
use usbdesc::Endpoint;
use vtscreen::hid::BootKeyboard;
use vtscreen::keys::Key;

use super::interrupt::InterruptIn;
use super::xhci::Xhci;

const REPORT: usize = 8;

pub struct Keyboard {
    pub reports: InterruptIn,
    decoder: BootKeyboard,
}

impl core::fmt::Debug for Keyboard {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Keyboard").field("reports", &self.reports).finish_non_exhaustive()
    }
}

impl Keyboard {
    pub fn new(endpoint: Endpoint, speed: u8) -> Option<Self> {
        Some(Self { reports: InterruptIn::new(endpoint, speed, REPORT as u16)?, decoder: BootKeyboard::new() })
    }

    /// A report arrived (at `now_ms`): the keys it presses.
    pub fn received(&mut self, hc: &Xhci, slot: u8, now_ms: u64) -> alloc::vec::Vec<Key> {
        let mut report = [0; REPORT];
        self.reports.take(hc, slot, &mut report);
        self.decoder.report(&report, now_ms)
    }

    /// The repeat of a held key, if one is due.
    pub fn tick(&mut self, now_ms: u64) -> Option<Key> {
        self.decoder.tick(now_ms)
    }
}
