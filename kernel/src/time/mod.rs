//! Time: the clocks (CLOCK_REALTIME, CLOCK_MONOTONIC and their kin) from the TSC,
//! calibrated at boot against the reference clock (HPET, ACPI PM timer or PIT) and turned into nanoseconds with a
//! mult/shift pair, Linux-style (the `timekeeping` crate); the timer tick that
//! folds the TSC into the clocks' base times and publishes them in the data page
//! (`vvar`) the vDSO reads; the vDSO itself; and a task's CPU time.
pub mod cputime;
pub mod vdso;
mod vvar;

use core::sync::atomic::{AtomicU64, Ordering};

use kabi::time::{CLOCK_MONOTONIC, CLOCK_REALTIME};
use timekeeping::{BeforeBoot, Conversion, NSEC_PER_SEC, Timekeeper};

use crate::arch::cpu::{self, timestamp_ordered, without_interrupts};
use crate::arch::refclock::{self, Count};

pub use vvar::{clock_ns, realtime_seconds, timezone};

/// Timer interrupts per second.
pub const TIMER_HZ: u32 = 1000;
/// Nanoseconds per timer tick.
pub const TICK_NSEC: u64 = NSEC_PER_SEC / TIMER_HZ as u64;

/// The TSC's mult/shift keeps 64-bit products for deltas of up to ten minutes,
/// as Linux chooses it for the TSC.
const CONVERSION_RANGE_SECONDS: u64 = 600;

/// The clocks' master copy; the data page is published from it. Only used with
/// interrupts off (the tick, or `without_interrupts`).
static TIMEKEEPER: spin::Mutex<Option<Timekeeper>> = spin::Mutex::new(None);
/// The TSC's frequency, once calibrated, and its conversion (mult << 32 | shift).
static TSC_HZ: AtomicU64 = AtomicU64::new(0);
static CONVERSION: AtomicU64 = AtomicU64::new(0);
/// Timer interrupts so far (for the calibration that falls back on them).
static TIMER_INTERRUPTS: AtomicU64 = AtomicU64::new(0);

/// Start the clocks: calibrate the TSC, read the real-time clock (CMOS), and
/// publish. CLOCK_MONOTONIC counts from `boot_tsc`, the TSC when the kernel
/// started. Interrupts must be on (the fallback calibration counts ticks).
pub fn init(boot_tsc: u64) {
    let (hz, ppm, source) = calibrate();
    let conversion = Conversion::new(hz, CONVERSION_RANGE_SECONDS);
    TSC_HZ.store(hz, Ordering::Relaxed);
    CONVERSION.store(u64::from(conversion.mult) << 32 | u64::from(conversion.shift), Ordering::Relaxed);
    let realtime = crate::arch::rtc::unix_time().saturating_mul(NSEC_PER_SEC);
    without_interrupts(|| {
        let now = timestamp_ordered();
        let tk = Timekeeper::new(conversion, now, conversion.cycles_to_ns(now.saturating_sub(boot_tsc)), realtime);
        vvar::publish(&tk);
        *TIMEKEEPER.lock() = Some(tk);
    });
    let khz = hz / 1000;
    log::info!(
        "clock: TSC {}.{:03} MHz (calibrated against {source}, within {ppm} ppm; mult {}, shift {}), realtime {} s",
        khz / 1000,
        khz % 1000,
        conversion.mult,
        conversion.shift,
        realtime / NSEC_PER_SEC
    );
}

/// The TSC's frequency and how exact it is (parts per million), from the most
/// exact of up to eight 50 ms windows of the reference clock (the HPET, the
/// ACPI PM timer or PIT channel 2; three within 50 ppm are enough), or,
/// without one that counts, from TSC cycles over 100 timer ticks (as exact as
/// the ticks come, a tick at least: 10000 ppm).
fn calibrate() -> (u64, u64, &'static str) {
    const WINDOW_MS: u32 = 50;
    let mut best: Option<Count> = None;
    let mut exact = 0;
    for _ in 0..8 {
        let Some(count) = refclock::count(WINDOW_MS, &timestamp_ordered) else { break };
        if best.is_none_or(|b| count.uncertainty < b.uncertainty) {
            best = Some(count);
        }
        exact += usize::from(count.uncertainty * 20_000 <= count.cycles);
        if exact == 3 {
            break;
        }
    }
    // At least 1 MHz; a PIT that is not there reads as done at once.
    match best.filter(|b| b.cycles >= 1000 * u64::from(WINDOW_MS)) {
        Some(count) => {
            (count.cycles * 1000 / u64::from(WINDOW_MS), count.uncertainty * 1_000_000 / count.cycles, refclock::name())
        }
        None => {
            log::warn!("clock: the {} does not count; calibrating the TSC against timer ticks", refclock::name());
            (calibrate_with_ticks(100), 10_000, "timer ticks")
        }
    }
}

/// TSC cycles a second, counted over `ticks` timer interrupts.
fn calibrate_with_ticks(ticks: u64) -> u64 {
    let wait_for = |count: u64| {
        while TIMER_INTERRUPTS.load(Ordering::Relaxed) < count {
            cpu::wait_for_interrupt();
        }
    };
    wait_for(TIMER_INTERRUPTS.load(Ordering::Relaxed) + 1);
    let (start, c0) = (TIMER_INTERRUPTS.load(Ordering::Relaxed), timestamp_ordered());
    wait_for(start + ticks);
    (timestamp_ordered() - c0) * u64::from(TIMER_HZ) / ticks
}

/// Called by the timer interrupt: fold the TSC into the clocks and publish them.
pub fn tick() {
    TIMER_INTERRUPTS.fetch_add(1, Ordering::Relaxed);
    if let Some(tk) = TIMEKEEPER.lock().as_mut() {
        tk.advance(timestamp_ordered());
        vvar::publish(tk);
    }
}

/// Set CLOCK_REALTIME to `ns`; a time before the boot (CLOCK_MONOTONIC) is
/// refused, as Linux refuses it.
pub fn set_realtime(ns: u64) -> Result<(), BeforeBoot> {
    without_interrupts(|| {
        let mut tk = TIMEKEEPER.lock();
        let tk = tk.as_mut().ok_or(BeforeBoot)?;
        tk.set_realtime(timestamp_ordered(), ns)?;
        vvar::publish(tk);
        Ok(())
    })
}

/// Set the time zone gettimeofday reports (settimeofday's second argument).
pub fn set_timezone(minutes_west: i32, dst_time: i32) {
    without_interrupts(|| vvar::set_timezone(minutes_west, dst_time));
}

/// CLOCK_MONOTONIC in nanoseconds.
pub fn uptime_ns() -> u64 {
    clock_ns(CLOCK_MONOTONIC).unwrap_or(0)
}

/// CLOCK_MONOTONIC in milliseconds.
pub fn uptime_ms() -> u64 {
    uptime_ns() / 1_000_000
}

/// CLOCK_MONOTONIC in timer ticks.
pub fn ticks() -> u64 {
    uptime_ns() / TICK_NSEC
}

/// CLOCK_REALTIME: nanoseconds since the Unix epoch.
pub fn realtime_ns() -> u64 {
    clock_ns(CLOCK_REALTIME).unwrap_or(0)
}

/// The TSC's frequency in Hz (0 before `init`).
pub fn tsc_hz() -> u64 {
    TSC_HZ.load(Ordering::Relaxed)
}

/// `cycles` of the TSC in nanoseconds (0 before `init`).
pub fn cycles_to_ns(cycles: u64) -> u64 {
    let packed = CONVERSION.load(Ordering::Relaxed);
    Conversion { mult: (packed >> 32) as u32, shift: packed as u32 }.cycles_to_ns(cycles)
}
