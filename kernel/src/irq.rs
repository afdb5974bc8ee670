//! Hardware interrupt handlers, by IRQ line: the timer drives time, sleeps and
//! preemption, services the USB controllers (and polls COM1 when its interrupt
//! is not routed); COM1 feeds the serial line's terminal; the PS/2 keyboard and
//! USB keyboards the visible virtual console's (or switch and scroll the
//! consoles).
use crate::arch::interrupts::{self, IRQ_COM1, IRQ_KEYBOARD, IRQ_TIMER};
use crate::arch::trap::TrapFrame;
use vtscreen::keys::Key;

use crate::arch::{keyboard, serial};

pub fn handle(irq: u8, frame: &mut TrapFrame) {
    match irq {
        IRQ_TIMER => {
            if !frame.is_from_user() {
                crate::profile::record(frame.rip);
            }
            crate::time::tick();
            crate::task::sleep::on_tick();
            crate::task::scheduler::on_tick(frame.is_from_user());
            crate::proc::alarm::on_tick();
            crate::usb::service(crate::time::uptime_ms()).into_iter().for_each(key);
            if interrupts::com1_polled() {
                serial_input();
            }
        }
        IRQ_COM1 => serial_input(),
        IRQ_KEYBOARD => {
            if let Some(pressed) = keyboard::read() {
                key(pressed);
            }
        }
        other => log::warn!("unexpected IRQ {other}"),
    }
}

/// A USB controller's MSI (the handler `usb::init` installs).
pub fn usb_interrupt() {
    crate::usb::on_interrupt(crate::time::uptime_ms()).into_iter().for_each(key);
}

/// A key pressed on any keyboard.
fn key(key: Key) {
    match key {
        Key::Text(text) => {
            crate::console::unscroll_visible();
            crate::fs::tty::keyboard_input(text.as_bytes());
        }
        Key::Switch(index) => {
            crate::fs::tty::switch_vt(index);
        }
        Key::ScrollBack => crate::console::scroll_visible(true),
        Key::ScrollForward => crate::console::scroll_visible(false),
    }
}

/// Hand the bytes COM1 has received to the serial line's terminal.
fn serial_input() {
    while let Some(byte) = serial::try_read() {
        crate::fs::tty::serial_input(byte);
    }
}
