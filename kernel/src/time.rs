//! Time since boot, counted in timer ticks.
use core::sync::atomic::{AtomicU64, Ordering};

/// Timer interrupts per second.
pub const TIMER_HZ: u32 = 1000;

static TICKS: AtomicU64 = AtomicU64::new(0);

/// Called by the timer interrupt.
pub fn tick() {
    TICKS.fetch_add(1, Ordering::Relaxed);
}

pub fn ticks() -> u64 {
    TICKS.load(Ordering::Relaxed)
}

/// Milliseconds since the timer started.
pub fn uptime_ms() -> u64 {
    ticks() * 1000 / u64::from(TIMER_HZ)
}

/// Time-stamp-counter cycles per microsecond, measured against the timer over
/// 50 ms (interrupts must be on).
pub fn tsc_per_microsecond() -> u64 {
    let wait_tick = || {
        let start = ticks();
        while ticks() == start {
            crate::arch::cpu::wait_for_interrupt();
        }
    };
    wait_tick();
    let (t0, c0) = (ticks(), crate::arch::cpu::timestamp());
    while ticks() < t0 + 50 {
        crate::arch::cpu::wait_for_interrupt();
    }
    let (t1, c1) = (ticks(), crate::arch::cpu::timestamp());
    let micros = (t1 - t0) * 1_000_000 / u64::from(TIMER_HZ);
    ((c1 - c0) / micros).max(1)
}

/// Unix time at boot, from the CMOS clock.
static BOOT_UNIX_SECONDS: AtomicU64 = AtomicU64::new(0);

/// Read the real-time clock once (CLOCK_REALTIME counts on from it).
pub fn init_realtime() {
    BOOT_UNIX_SECONDS.store(crate::arch::rtc::unix_time(), Ordering::Relaxed);
}

pub fn uptime_ns() -> u64 {
    ticks() * (1_000_000_000 / u64::from(TIMER_HZ))
}

/// Nanoseconds since the Unix epoch.
pub fn realtime_ns() -> u64 {
    BOOT_UNIX_SECONDS.load(Ordering::Relaxed) * 1_000_000_000 + uptime_ns()
}
