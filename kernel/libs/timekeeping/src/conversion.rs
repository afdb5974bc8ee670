//! Cycles to nanoseconds with one multiplication and one shift, the pair chosen as
//! Linux's `clocks_calc_mult_shift` chooses it: the largest shift (most precision)
//! whose multiplier still keeps `cycles * mult` within 64 bits for every delta up
//! to a given range of seconds.
use crate::NSEC_PER_SEC;

/// `ns = cycles * mult >> shift`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Conversion {
    pub mult: u32,
    pub shift: u32,
}

impl Conversion {
    /// The most precise pair for a counter of `hz` cycles a second (`hz` > 0) whose
    /// product with any delta of up to `range_seconds` seconds fits 64 bits. If
    /// even shift 0 does not fit (a range of centuries), the shift-0 pair.
    pub fn new(hz: u64, range_seconds: u64) -> Self {
        assert!(hz > 0, "a counter that does not count");
        let hz = u128::from(hz);
        let range_cycles = u128::from(range_seconds.max(1)) * hz;
        // The bits a 64-bit product leaves to the multiplier (which is a u32).
        let mult_bits = 64u32.saturating_sub(128 - range_cycles.leading_zeros()).min(32);
        let mult_for = |shift: u32| ((u128::from(NSEC_PER_SEC) << shift) + hz / 2) / hz;
        let shift = (0..=32).rev().find(|&shift| mult_for(shift) >> mult_bits == 0).unwrap_or(0);
        Self { mult: u32::try_from(mult_for(shift)).unwrap_or(u32::MAX), shift }
    }

    /// `cycles` in nanoseconds, for any number of cycles (a 128-bit product;
    /// saturates past u64::MAX nanoseconds, 584 years).
    pub fn cycles_to_ns(&self, cycles: u64) -> u64 {
        let ns = (u128::from(cycles) * u128::from(self.mult)) >> self.shift;
        u64::try_from(ns).unwrap_or(u64::MAX)
    }

    /// The largest delta whose product with `mult`, added to a fraction below one
    /// second in shifted nanoseconds, still fits 64 bits: up to it, a read needs
    /// no 128-bit arithmetic.
    pub fn max_fast_delta(&self) -> u64 {
        let fraction_limit = NSEC_PER_SEC << self.shift;
        (u64::MAX - fraction_limit).checked_div(u64::from(self.mult)).unwrap_or(u64::MAX)
    }
}
