//! The 8254 PIT: channel 0 as the periodic timer on IRQ 0 (when the 8259s are
//! used), channel 2 counting once as the last-resort reference clock.
use x86_64::instructions::port::Port;

use super::refclock::Count;

/// The PIT's input clock.
const PIT_INPUT_HZ: u32 = 1_193_182;

/// Program channel 0 to interrupt `hz` times a second (mode 2, rate generator).
pub fn init(hz: u32) {
    let divisor = (PIT_INPUT_HZ / hz).clamp(1, 0xffff) as u16;
    let mut command = Port::<u8>::new(0x43);
    let mut channel0 = Port::<u8>::new(0x40);
    // SAFETY: the PIT ports; the command selects channel 0, lobyte/hibyte, mode 2.
    unsafe {
        command.write(0b0011_0100);
        channel0.write(divisor as u8);
        channel0.write((divisor >> 8) as u8);
    }
}

/// Port B of the system control ports: bit 0 gates PIT channel 2, bit 1 sends
/// its output to the speaker, bit 5 reads that output.
const SYSTEM_CONTROL_B: u16 = 0x61;

/// How many counts of `counter` pass during `ms` milliseconds (at most 54) of
/// PIT channel 2 counting down once, polled through port 0x61, as Linux's
/// `pit_calibrate_tsc`; None if the output does not rise within `max_polls`
/// reads (no PIT to count).
pub fn count(ms: u32, max_polls: u64, counter: &dyn Fn() -> u64) -> Option<Count> {
    let latch = (PIT_INPUT_HZ * ms.min(54) / 1000) as u16;
    let mut control = Port::<u8>::new(SYSTEM_CONTROL_B);
    let mut command = Port::<u8>::new(0x43);
    let mut channel2 = Port::<u8>::new(0x42);
    // SAFETY: the PIT and system control ports; the gate goes on and the speaker
    // off, and channel 2 (which only the speaker uses) is set to count down once
    // (mode 0, lobyte/hibyte), starting when the high byte is written.
    unsafe {
        let gate = control.read();
        control.write((gate & !0x02) | 0x01);
        command.write(0b1011_0000);
        channel2.write(latch as u8);
    }
    let before = counter();
    // SAFETY: as above.
    unsafe { channel2.write((latch >> 8) as u8) };
    let started = (before, counter());
    // The count before the last read that found the output low.
    let mut low = started.1;
    for _ in 0..max_polls {
        let polled = counter();
        // SAFETY: reading port B has no side effects.
        if unsafe { control.read() } & 0x20 != 0 {
            return Some(Count::between(started, (low, counter())));
        }
        low = polled;
    }
    None
}
