//! Clocks from a free-running cycle counter (the TSC), kept as Linux keeps them
//! (`kernel/time/clocksource.c`, `timekeeping.c`, `cputime.c`): a mult/shift pair
//! turns cycles into nanoseconds ([`Conversion`]), a [`Timekeeper`] folds the
//! counter into base times at every tick so that a clock read between ticks is one
//! multiplication of a small delta (the kernel and the vDSO read the same way), and
//! [`Split`] divides a task's run time into user and system time in the ratio of
//! the ticks sampled in each mode.
#![cfg_attr(not(test), no_std)]

mod conversion;
mod cputime;
mod timekeeper;

pub use conversion::Conversion;
pub use cputime::{Sample, Split};
pub use timekeeper::{BeforeBoot, ShiftedTime, Timekeeper, read_shifted};

pub const NSEC_PER_SEC: u64 = 1_000_000_000;
