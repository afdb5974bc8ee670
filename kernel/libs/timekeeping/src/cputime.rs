//! A task's CPU time in user and system mode. The run time is measured exactly (at
//! every switch); which mode it was spent in is only sampled, by the timer tick.
//! As Linux's `cputime_adjust`, the run time is split in the ratio of the samples,
//! and what was reported once never goes back: each part only grows.
use core::ops::{Add, AddAssign};

/// What is counted of a task (or summed over tasks): nanoseconds run, and the
/// timer ticks that found it in user or in kernel mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sample {
    pub runtime: u64,
    pub user_ticks: u64,
    pub system_ticks: u64,
}

impl Add for Sample {
    type Output = Sample;

    fn add(self, other: Sample) -> Sample {
        Sample {
            runtime: self.runtime.saturating_add(other.runtime),
            user_ticks: self.user_ticks.saturating_add(other.user_ticks),
            system_ticks: self.system_ticks.saturating_add(other.system_ticks),
        }
    }
}

impl AddAssign for Sample {
    fn add_assign(&mut self, other: Sample) {
        *self = *self + other;
    }
}

/// User and system nanoseconds, as last reported (Linux's `prev_cputime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Split {
    pub user: u64,
    pub system: u64,
}

impl Add for Split {
    type Output = Split;

    fn add(self, other: Split) -> Split {
        Split { user: self.user.saturating_add(other.user), system: self.system.saturating_add(other.system) }
    }
}

impl AddAssign for Split {
    fn add_assign(&mut self, other: Split) {
        *self = *self + other;
    }
}

impl Split {
    /// The split of `sample`'s run time in the ratio of its ticks (all user time
    /// before any tick was seen), never less in either part than this split was;
    /// this split becomes the new one. The parts add up to the run time unless
    /// what was reported already exceeds it.
    pub fn adjust(&mut self, sample: Sample) -> Split {
        let runtime = sample.runtime;
        if self.user.saturating_add(self.system) >= runtime {
            return *self;
        }
        let system = match (sample.user_ticks, sample.system_ticks) {
            (_, 0) => 0,
            (0, _) => runtime,
            (user, system) => {
                let share = u128::from(system) * u128::from(runtime) / (u128::from(user) + u128::from(system));
                u64::try_from(share).unwrap_or(runtime)
            }
        };
        // Neither part may go back: system first (so user = runtime - system
        // still grows with the run time), then user.
        let system = system.max(self.system);
        let (user, system) =
            if runtime - system < self.user { (self.user, runtime - self.user) } else { (runtime - system, system) };
        *self = Split { user, system };
        *self
    }

    /// The total, user plus system.
    pub fn total(&self) -> u64 {
        self.user.saturating_add(self.system)
    }
}
