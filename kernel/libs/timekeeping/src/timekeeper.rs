//! The timekeeper: CLOCK_MONOTONIC as a base time at the counter value of the last
//! tick, and CLOCK_REALTIME as an offset from it. Each tick folds the cycles since
//! the last one into the base (exactly: the base keeps nanoseconds shifted left by
//! the conversion's shift, so no fraction of a nanosecond is ever dropped); a read
//! adds the cycles since the last tick. Monotonic time is therefore always exactly
//! `(now - start) * mult >> shift` after its start, however the ticks fell.
use crate::{Conversion, NSEC_PER_SEC};

/// A time as whole seconds and shifted nanoseconds below one second (`snsec >>
/// shift` nanoseconds): Linux's `xtime_sec` and `xtime_nsec`, what the vDSO's data
/// page holds for each clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShiftedTime {
    pub sec: u64,
    pub snsec: u64,
}

impl ShiftedTime {
    /// `self` plus `shifted` shifted nanoseconds, carried into seconds.
    fn plus(self, shifted: u128, shift: u32) -> ShiftedTime {
        let second = u128::from(NSEC_PER_SEC) << shift;
        let total = u128::from(self.snsec) + shifted;
        let sec = self.sec.saturating_add(u64::try_from(total / second).unwrap_or(u64::MAX));
        ShiftedTime { sec, snsec: (total % second) as u64 }
    }

    /// Whole nanoseconds (saturating).
    pub fn ns(self, shift: u32) -> u64 {
        self.sec.saturating_mul(NSEC_PER_SEC).saturating_add(self.snsec >> shift)
    }
}

/// The time `base` holds at counter value `cycle_last`, read at `now`: the same
/// computation as the vDSO's (64-bit while the delta allows it, else 128-bit), in
/// nanoseconds. A counter behind `cycle_last` reads as `cycle_last`.
pub fn read_shifted(base: ShiftedTime, conversion: Conversion, cycle_last: u64, now: u64) -> u64 {
    let delta = now.saturating_sub(cycle_last);
    let Conversion { mult, shift } = conversion;
    let ns = if delta <= conversion.max_fast_delta() {
        (base.snsec + delta * u64::from(mult)) >> shift
    } else {
        let wide = (u128::from(base.snsec) + u128::from(delta) * u128::from(mult)) >> shift;
        u64::try_from(wide).unwrap_or(u64::MAX)
    };
    base.sec.saturating_mul(NSEC_PER_SEC).saturating_add(ns)
}

/// clock_settime would put CLOCK_REALTIME before CLOCK_MONOTONIC, that is before
/// the boot (Linux refuses it with EINVAL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeforeBoot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timekeeper {
    conversion: Conversion,
    /// The counter at the last update.
    cycle_last: u64,
    /// CLOCK_MONOTONIC at `cycle_last`.
    monotonic: ShiftedTime,
    /// CLOCK_REALTIME minus CLOCK_MONOTONIC, in nanoseconds.
    wall_offset: u64,
}

impl Timekeeper {
    /// Monotonic time `monotonic_ns` and real time `realtime_ns` at counter value
    /// `now` (a real time before the monotonic one counts as the monotonic one).
    pub fn new(conversion: Conversion, now: u64, monotonic_ns: u64, realtime_ns: u64) -> Self {
        let monotonic =
            ShiftedTime { sec: monotonic_ns / NSEC_PER_SEC, snsec: (monotonic_ns % NSEC_PER_SEC) << conversion.shift };
        Self { conversion, cycle_last: now, monotonic, wall_offset: realtime_ns.saturating_sub(monotonic_ns) }
    }

    pub fn conversion(&self) -> Conversion {
        self.conversion
    }

    pub fn cycle_last(&self) -> u64 {
        self.cycle_last
    }

    /// Fold the cycles up to `now` into the base (a counter behind the last update
    /// changes nothing).
    pub fn advance(&mut self, now: u64) {
        let delta = now.saturating_sub(self.cycle_last);
        let shifted = u128::from(delta) * u128::from(self.conversion.mult);
        self.monotonic = self.monotonic.plus(shifted, self.conversion.shift);
        self.cycle_last = self.cycle_last.max(now);
    }

    /// CLOCK_MONOTONIC at the last update.
    pub fn monotonic_base(&self) -> ShiftedTime {
        self.monotonic
    }

    /// CLOCK_REALTIME at the last update.
    pub fn realtime_base(&self) -> ShiftedTime {
        let whole =
            ShiftedTime { sec: self.monotonic.sec.saturating_add(self.wall_offset / NSEC_PER_SEC), ..self.monotonic };
        whole.plus(u128::from(self.wall_offset % NSEC_PER_SEC) << self.conversion.shift, self.conversion.shift)
    }

    /// CLOCK_MONOTONIC at counter value `now`, in nanoseconds.
    pub fn monotonic_ns(&self, now: u64) -> u64 {
        read_shifted(self.monotonic, self.conversion, self.cycle_last, now)
    }

    /// CLOCK_REALTIME at counter value `now`, in nanoseconds.
    pub fn realtime_ns(&self, now: u64) -> u64 {
        read_shifted(self.realtime_base(), self.conversion, self.cycle_last, now)
    }

    /// Set CLOCK_REALTIME to `realtime_ns` at counter value `now`; a time before
    /// the monotonic one is refused and changes nothing.
    pub fn set_realtime(&mut self, now: u64, realtime_ns: u64) -> Result<(), BeforeBoot> {
        self.advance(now);
        let monotonic = self.monotonic.ns(self.conversion.shift);
        self.wall_offset = realtime_ns.checked_sub(monotonic).ok_or(BeforeBoot)?;
        Ok(())
    }
}
