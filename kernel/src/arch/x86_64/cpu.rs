//! CPU control: halting and interrupt enabling, and the time-stamp counter.
use x86_64::instructions::interrupts;

/// Stop this CPU for good (interrupts off).
pub fn halt_forever() -> ! {
    loop {
        interrupts::disable();
        x86_64::instructions::hlt();
    }
}

/// Enable interrupts and wait for the next one, atomically (`sti; hlt`).
pub fn wait_for_interrupt() {
    interrupts::enable_and_hlt();
}

/// Run `f` with interrupts disabled, restoring the previous state afterwards.
pub fn without_interrupts<R>(f: impl FnOnce() -> R) -> R {
    interrupts::without_interrupts(f)
}

pub fn disable_interrupts() {
    interrupts::disable();
}

pub fn enable_interrupts() {
    interrupts::enable();
}

pub fn interrupts_enabled() -> bool {
    interrupts::are_enabled()
}

/// The CPU's time-stamp counter, read when the instructions before it have
/// completed (`lfence; rdtsc`, Linux's rdtsc_ordered): for clocks.
pub fn timestamp_ordered() -> u64 {
    let (low, high): (u32, u32);
    // SAFETY: lfence and rdtsc only read the counter; every x86-64 CPU has both.
    unsafe { core::arch::asm!("lfence", "rdtsc", out("eax") low, out("edx") high, options(nostack, preserves_flags)) };
    u64::from(high) << 32 | u64::from(low)
}

/// The CPU's time-stamp counter.
pub fn timestamp() -> u64 {
    // SAFETY: rdtsc has no side effects; every x86-64 CPU has it.
    unsafe { core::arch::x86_64::_rdtsc() }
}
