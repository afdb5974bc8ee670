//! Hardware interrupt handlers, by IRQ line.
use crate::arch::pic::IRQ_TIMER;
use crate::arch::trap::TrapFrame;

pub fn handle(irq: u8, _frame: &mut TrapFrame) {
    match irq {
        IRQ_TIMER => crate::time::tick(),
        other => log::warn!("unexpected IRQ {other}"),
    }
}
