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
