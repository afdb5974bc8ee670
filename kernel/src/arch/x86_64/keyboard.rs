//! The PS/2 keyboard (IRQ 1): its scancodes, decoded by `vtscreen::keys` into the
//! bytes a key sends or the console's own commands (Alt-Fn, Shift-PageUp).
use spin::Mutex;
use vtscreen::keys::{Key, Keyboard};
use x86_64::instructions::port::Port;

static KEYBOARD: Mutex<Keyboard> = Mutex::new(Keyboard::new());

/// Read the pending scancode; the key press it completes, if any.
pub fn read() -> Option<Key> {
    // SAFETY: port 0x60 is the PS/2 controller's data port; reading it takes the
    // byte that raised IRQ 1.
    let scancode = unsafe { Port::<u8>::new(0x60).read() };
    KEYBOARD.lock().feed(scancode)
}
