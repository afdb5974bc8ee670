//! The 8254 PIT: channel 0 as the periodic timer on IRQ 0, channel 2 counting
//! once to calibrate the TSC against.
use x86_64::instructions::port::Port;

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

/// One count of PIT channel 2 in TSC cycles: from the middle of the reads around
/// its start to the middle of those around its end, and how far off that can be
/// (half of both spans: a read delayed at either end widens its span, one
/// delayed in between does not matter, both clocks go on).
#[derive(Debug, Clone, Copy)]
pub struct Count {
    pub cycles: u64,
    pub uncertainty: u64,
}

/// Time-stamp-counter cycles during `ms` milliseconds (at most 54) of PIT
/// channel 2 counting down once, polled through port 0x61, as Linux's
/// `pit_calibrate_tsc`; None if the output does not rise within `max_polls`
/// reads (no PIT to count).
pub fn count_tsc_cycles(ms: u32, max_polls: u64) -> Option<Count> {
    let latch = (PIT_INPUT_HZ * ms.min(54) / 1000) as u16;
    let mut control = Port::<u8>::new(SYSTEM_CONTROL_B);
    let mut command = Port::<u8>::new(0x43);
    let mut channel2 = Port::<u8>::new(0x42);
    let now = super::cpu::timestamp_ordered;
    // SAFETY: the PIT and system control ports; the gate goes on and the speaker
    // off, and channel 2 (which only the speaker uses) is set to count down once
    // (mode 0, lobyte/hibyte), starting when the high byte is written.
    unsafe {
        let gate = control.read();
        control.write((gate & !0x02) | 0x01);
        command.write(0b1011_0000);
        channel2.write(latch as u8);
    }
    let before = now();
    // SAFETY: as above.
    unsafe { channel2.write((latch >> 8) as u8) };
    let started = (before, now());
    // The TSC before the last read that found the output low.
    let mut low = started.1;
    for _ in 0..max_polls {
        let polled = now();
        // SAFETY: reading port B has no side effects.
        if unsafe { control.read() } & 0x20 != 0 {
            let ended = (low, now());
            let middle = |(a, b): (u64, u64)| a + (b - a) / 2;
            let uncertainty = (ended.1 - ended.0 + started.1 - started.0) / 2;
            return Some(Count { cycles: middle(ended) - middle(started), uncertainty });
        }
        low = polled;
    }
    None
}
