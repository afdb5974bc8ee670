//! The reference clock the TSC and the local APIC timer are calibrated against:
//! the HPET's main counter (memory-mapped), else the ACPI PM timer (the FADT's
//! port, 3.579545 MHz, 24 or 32 bits), else PIT channel 2, which a machine
//! without the 8254 (or with it gated) does not have.
use ::acpi::address::GenericAddress;
use spin::Once;

use super::mmio::Mmio;
use super::{acpi, pit};

/// HPET registers: capabilities (bits 32..64 the period in femtoseconds, bit
/// 13 a 64-bit counter), configuration (bit 0 starts the main counter), and
/// the main counter.
const HPET_CAPABILITIES: u64 = 0x00;
const HPET_CONFIG: u64 = 0x10;
const HPET_COUNTER: u64 = 0xf0;
const HPET_ENABLE: u32 = 1;
const FEMTOSECONDS_PER_SECOND: u64 = 1_000_000_000_000_000;
const PM_TIMER_HZ: u64 = 3_579_545;

/// Polls of a reference clock before it is taken as stopped: far more than a
/// 50 ms window needs (a read takes at least ~100 ns).
const MAX_POLLS: u64 = 10_000_000;

#[derive(Debug)]
enum Source {
    /// The HPET's registers, its frequency, its counter's mask.
    Hpet {
        regs: Mmio,
        hz: u64,
        mask: u64,
    },
    PmTimer {
        register: GenericAddress,
        mask: u64,
    },
    Pit,
}

/// How many counts of one counter (the TSC, the APIC timer) a reference window
/// took: from the middle of the reads around its start to the middle of those
/// around its end, and how far off that can be (half of both spans).
#[derive(Debug, Clone, Copy)]
pub struct Count {
    pub cycles: u64,
    pub uncertainty: u64,
}

impl Count {
    /// The count between two (before, after) pairs of readings.
    pub fn between(start: (u64, u64), end: (u64, u64)) -> Self {
        let middle = |(a, b): (u64, u64)| a + (b - a) / 2;
        let uncertainty = (end.1 - end.0 + start.1 - start.0) / 2;
        Count { cycles: middle(end).saturating_sub(middle(start)), uncertainty }
    }
}

static SOURCE: Once<Source> = Once::new();

/// The reference clock's name, for the boot log.
pub fn name() -> &'static str {
    match SOURCE.call_once(choose) {
        Source::Hpet { .. } => "HPET",
        Source::PmTimer { .. } => "ACPI PM timer",
        Source::Pit => "PIT",
    }
}

/// The HPET if ACPI names one whose counter runs, else the PM timer if it runs,
/// else the PIT.
fn choose() -> Source {
    let info = acpi::info();
    if let Some(source) = info.and_then(|i| i.hpet).and_then(hpet) {
        return source;
    }
    let pm = info.and_then(|i| i.fadt.as_ref()).and_then(|f| f.pm_timer.map(|r| (r, f.pm_timer_32bit)));
    if let Some((register, wide)) = pm {
        let source = Source::PmTimer { register, mask: if wide { u32::MAX.into() } else { 0xff_ffff } };
        if runs(&source) {
            return source;
        }
    }
    Source::Pit
}

fn hpet(phys: u64) -> Option<Source> {
    let regs = Mmio::map(phys, 1024)?;
    let capabilities = regs.read64(HPET_CAPABILITIES);
    let period = capabilities >> 32;
    // The spec caps the period at 100 ns.
    if period == 0 || period > 100_000_000 {
        return None;
    }
    // The configuration's high half is reserved. Starting the main counter
    // changes nothing else: the kernel programs no HPET timer.
    let config = regs.read32(HPET_CONFIG);
    if config & HPET_ENABLE == 0 {
        regs.write32(HPET_CONFIG, config | HPET_ENABLE);
    }
    let mask = if capabilities & (1 << 13) != 0 { u64::MAX } else { u32::MAX.into() };
    let source = Source::Hpet { regs, hz: FEMTOSECONDS_PER_SECOND / period, mask };
    runs(&source).then_some(source)
}

impl Source {
    fn hz(&self) -> u64 {
        match self {
            Source::Hpet { hz, .. } => *hz,
            Source::PmTimer { .. } => PM_TIMER_HZ,
            Source::Pit => 0,
        }
    }

    fn mask(&self) -> u64 {
        match self {
            Source::Hpet { mask, .. } | Source::PmTimer { mask, .. } => *mask,
            Source::Pit => 0,
        }
    }

    fn read(&self) -> u64 {
        match self {
            Source::Hpet { regs, mask, .. } => regs.read64(HPET_COUNTER) & mask,
            Source::PmTimer { register, mask } => acpi::read_register(register).unwrap_or(0) & mask,
            Source::Pit => 0,
        }
    }
}

/// Whether the counter moves within a bounded number of reads.
fn runs(source: &Source) -> bool {
    let first = source.read();
    (0..MAX_POLLS / 100).any(|_| source.read() != first)
}

/// Counts of `counter` during `ms` milliseconds of the reference clock; None
/// if the reference does not count.
pub fn count(ms: u32, counter: &dyn Fn() -> u64) -> Option<Count> {
    let source = SOURCE.call_once(choose);
    if let Source::Pit = source {
        return pit::count(ms, MAX_POLLS, counter);
    }
    let (hz, mask) = (source.hz(), source.mask());
    let window = hz * u64::from(ms) / 1000;
    let sample = || {
        let before = counter();
        let reference = source.read();
        (before, reference, counter())
    };
    let (a0, r0, b0) = sample();
    for _ in 0..MAX_POLLS {
        let (a1, r1, b1) = sample();
        let elapsed = r1.wrapping_sub(r0) & mask;
        if elapsed >= window {
            // Scale to exactly `ms`: the last poll overshoots by up to one read.
            let count = Count::between((a0, b0), (a1, b1));
            let scale = |n: u64| (u128::from(n) * u128::from(window) / u128::from(elapsed)) as u64;
            return Some(Count { cycles: scale(count.cycles), uncertainty: scale(count.uncertainty) });
        }
    }
    None
}
