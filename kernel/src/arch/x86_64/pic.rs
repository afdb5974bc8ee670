//! The two 8259 PICs (through `pic8259`), remapped to vectors 32-47: the
//! interrupt controller when the APICs are not used, else fully masked.
use pic8259::ChainedPics;
use spin::Mutex;

use super::trap::IRQ_BASE;

// SAFETY: 32-47 do not overlap the CPU exception vectors.
static PICS: Mutex<ChainedPics> = Mutex::new(unsafe { ChainedPics::new(IRQ_BASE, IRQ_BASE + 8) });

/// Remap both PICs and unmask only `irqs` (bit n = IRQ n; the cascade IRQ 2 is
/// unmasked when any slave IRQ is).
pub fn init(irqs: u16) {
    let mask = !(irqs | if irqs & 0xff00 != 0 { 1 << 2 } else { 0 });
    let mut pics = PICS.lock();
    // SAFETY: the PICs exist on every PC this kernel boots on; remapping happens
    // before interrupts are enabled.
    unsafe {
        pics.initialize();
        pics.write_masks(mask as u8, (mask >> 8) as u8);
    }
}

/// Acknowledge `irq`.
pub fn end_of_interrupt(irq: u8) {
    // SAFETY: called once per delivered IRQ from the trap dispatcher.
    unsafe { PICS.lock().notify_end_of_interrupt(IRQ_BASE + irq) };
}

/// IRQ 7 and 15 may be spurious: the PIC raised them but no IRQ is in service.
/// A spurious IRQ 15 still needs an EOI to the master (the cascade).
pub fn is_spurious(irq: u8) -> bool {
    if irq != 7 && irq != 15 {
        return false;
    }
    let mut pics = PICS.lock();
    // SAFETY: reading the in-service registers is side-effect free (OCW3); the
    // PICS lock is held, so no other command interleaves.
    let isr = unsafe { in_service() };
    let spurious = isr & (1 << irq) == 0;
    if spurious && irq == 15 {
        // SAFETY: EOI to the master only, for the cascade line.
        unsafe { pics.notify_end_of_interrupt(IRQ_BASE) };
    }
    spurious
}

/// The 16-bit in-service register (OCW3 "read ISR" to both PICs). Call with the
/// PICS lock held.
unsafe fn in_service() -> u16 {
    use x86_64::instructions::port::Port;
    let (mut m_cmd, mut s_cmd) = (Port::<u8>::new(0x20), Port::<u8>::new(0xa0));
    // SAFETY: OCW3 writes select the ISR for the next read of the command port.
    unsafe {
        m_cmd.write(0x0b);
        s_cmd.write(0x0b);
        u16::from(m_cmd.read()) | u16::from(s_cmd.read()) << 8
    }
}
