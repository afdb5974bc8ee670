//! The 8254 PIT, channel 0 as a periodic timer on IRQ 0.
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
