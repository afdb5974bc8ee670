//! Power off and reset, tried the ways Linux tries them. Power off writes the
//! `\_S5` sleep types (evaluated in the DSDT's and SSDTs' AML; type 0 when they
//! cannot be) to the FADT's PM1a and PM1b control blocks, then SLP_EN. Reset
//! writes the FADT's reset register (when the FADT says it is supported), then
//! pulses the 8042 keyboard controller's reset line, then triple-faults the CPU.
use aml_sleep::{SLP_EN, SleepTypes};
use x86_64::VirtAddr;
use x86_64::instructions::port::Port;
use x86_64::structures::DescriptorTablePointer;

use super::acpi::{self, read_register, write_register};
use super::cpu;

/// How long a reset way is given to take before the next is tried: 50 million
/// TSC cycles, 10 to 50 ms on today's CPUs.
const SETTLE_CYCLES: u64 = 50_000_000;

fn settle() {
    let start = cpu::timestamp();
    while cpu::timestamp().wrapping_sub(start) < SETTLE_CYCLES {
        core::hint::spin_loop();
    }
}

/// Turn the machine off; returns only if that failed.
pub fn power_off() {
    let Some(fadt) = acpi::info().and_then(|info| info.fadt.as_ref()) else {
        log::warn!("reboot: no ACPI FADT, no way to power off");
        return;
    };
    let Some(pm1a) = fadt.pm1a_control else {
        log::warn!("reboot: the FADT names no PM1a control block");
        return;
    };
    let types = match acpi::info().map(|info| &info.s5) {
        Some(Ok(types)) => *types,
        Some(Err(e)) => {
            log::warn!("reboot: no \\_S5 sleep types ({}); trying sleep type 0", acpi::sleep_error(e));
            SleepTypes { a: 0, b: 0 }
        }
        None => SleepTypes { a: 0, b: 0 },
    };
    let registers = [Some((pm1a, false)), fadt.pm1b_control.map(|b| (b, true))];
    let values =
        registers.map(|r| r.map(|(reg, is_b)| (reg, types.pm1_control(read_register(&reg).unwrap_or(0) as u16, is_b))));
    // ACPICA's order: the sleep types into both registers, then SLP_EN into both.
    for enable in [false, true] {
        for (reg, value) in values.iter().flatten() {
            let value = if enable { *value } else { value & !SLP_EN };
            if let Err(e) = write_register(reg, u64::from(value)) {
                log::warn!("reboot: cannot write the PM1 control block: {e:?}");
                return;
            }
        }
    }
    settle();
}

/// Reset the machine: the ACPI reset register, the 8042, then a triple fault.
pub fn reset() -> ! {
    cpu::disable_interrupts();
    if let Some((reg, value)) = acpi::info().and_then(|info| info.fadt.as_ref()).and_then(|fadt| fadt.reset) {
        match write_register(&reg, u64::from(value)) {
            Ok(()) => settle(),
            Err(e) => log::warn!("reboot: cannot write the ACPI reset register: {e:?}"),
        }
        log::warn!("reboot: the ACPI reset register did not reset the machine; trying the keyboard controller");
    }
    keyboard_controller_reset();
    log::warn!("reboot: the keyboard controller did not reset the machine; triple fault");
    triple_fault()
}

/// Pulse the CPU reset line through the 8042 (Linux tries ten times, each after
/// waiting for the controller's input buffer to empty).
fn keyboard_controller_reset() {
    let mut status = Port::<u8>::new(0x64);
    for _ in 0..10 {
        for _ in 0..0x10000 {
            // SAFETY: reading the 8042 status register has no side effects.
            if unsafe { status.read() } & 2 == 0 {
                break;
            }
        }
        // SAFETY: command 0xfe pulses the CPU reset line.
        unsafe { status.write(0xfe) };
        settle();
    }
}

/// Load an empty IDT and raise an exception: with no handler for it nor for the
/// double fault that follows, the CPU shuts down, which resets the machine.
fn triple_fault() -> ! {
    let empty = DescriptorTablePointer { limit: 0, base: VirtAddr::zero() };
    // SAFETY: nothing is meant to run after this: the breakpoint cannot be
    // delivered through an empty IDT, and the CPU resets.
    unsafe {
        x86_64::instructions::tables::lidt(&empty);
        x86_64::instructions::interrupts::int3();
    }
    cpu::halt_forever()
}
