//! Hardware interrupt handlers, by IRQ line: the timer drives time, sleeps and
//! preemption (and polls COM1 when its interrupt is not routed); COM1 feeds the serial line's terminal, the PS/2 keyboard the
//! visible virtual console's (or switches and scrolls the consoles).
use crate::arch::interrupts::{self, IRQ_COM1, IRQ_KEYBOARD, IRQ_TIMER};
use crate::arch::trap::TrapFrame;
use vtscreen::keys::Key;

use crate::arch::{keyboard, serial};

pub fn handle(irq: u8, frame: &mut TrapFrame) {
    match irq {
        IRQ_TIMER => {
            crate::time::tick();
            crate::task::sleep::on_tick();
            crate::task::scheduler::on_tick(frame.is_from_user());
            crate::proc::alarm::on_tick();
            if interrupts::com1_polled() {
                serial_input();
            }
        }
        IRQ_COM1 => serial_input(),
        IRQ_KEYBOARD => match keyboard::read() {
            Some(Key::Text(text)) => {
                crate::console::unscroll_visible();
                crate::fs::tty::keyboard_input(text.as_bytes());
            }
            Some(Key::Switch(index)) => {
                crate::fs::tty::switch_vt(index);
            }
            Some(Key::ScrollBack) => crate::console::scroll_visible(true),
            Some(Key::ScrollForward) => crate::console::scroll_visible(false),
            None => {}
        },
        other => log::warn!("unexpected IRQ {other}"),
    }
}

/// Hand the bytes COM1 has received to the serial line's terminal.
fn serial_input() {
    while let Some(byte) = serial::try_read() {
        crate::fs::tty::serial_input(byte);
    }
}
