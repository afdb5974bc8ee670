//! Hardware interrupt handlers, by IRQ line: the timer drives time, sleeps and
//! preemption; COM1 and the PS/2 keyboard feed the console.
use crate::arch::pic::{IRQ_COM1, IRQ_KEYBOARD, IRQ_TIMER};
use crate::arch::trap::TrapFrame;
use crate::arch::{keyboard, serial};

pub fn handle(irq: u8, frame: &mut TrapFrame) {
    match irq {
        IRQ_TIMER => {
            crate::time::tick();
            crate::task::sleep::on_tick();
            crate::task::scheduler::on_tick(frame.is_from_user());
            crate::proc::alarm::on_tick();
        }
        IRQ_COM1 => {
            while let Some(byte) = serial::try_read() {
                crate::fs::tty::console_input(byte);
            }
        }
        IRQ_KEYBOARD => {
            if let Some(text) = keyboard::read() {
                for &byte in text.as_bytes() {
                    crate::fs::tty::console_input(byte);
                }
            }
        }
        other => log::warn!("unexpected IRQ {other}"),
    }
}
