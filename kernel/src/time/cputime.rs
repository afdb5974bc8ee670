//! A task's CPU time: its run time, measured with the TSC from each switch to it
//! to the next switch away, and the timer ticks that found it running in user or
//! in kernel mode; user and system time are the run time split in the ratio of
//! those ticks (`timekeeping::Split`, Linux's cputime_adjust). The task layer
//! keeps a task's; a thread group keeps what its ended threads and its reaped
//! children used (`GroupTime`, proc/usage.rs).
use timekeeping::{Sample, Split};

use crate::arch::cpu::timestamp_ordered;

use super::cycles_to_ns;

#[derive(Debug, Clone, Default)]
pub struct CpuTime {
    /// TSC cycles run up to `since`.
    run_cycles: u64,
    /// The TSC when the task last got the CPU (or was last charged).
    since: u64,
    user_ticks: u64,
    system_ticks: u64,
    /// User and system time as last reported for this task.
    reported: Split,
}

/// What a thread group keeps (Linux's signal_struct times).
#[derive(Debug, Clone, Default)]
pub struct GroupTime {
    /// What the group's ended threads used.
    pub ended: Sample,
    /// User and system time as last reported for the whole group.
    pub reported: Split,
    /// User and system time of the reaped children, with their own reaped
    /// children's (times' cutime and cstime, RUSAGE_CHILDREN).
    pub children: Split,
}

impl CpuTime {
    /// The task gets the CPU.
    pub fn switch_in(&mut self) {
        self.since = timestamp_ordered();
    }

    /// Count the cycles run since the last switch in (or charge) as run: the task
    /// is leaving the CPU, or may be.
    pub fn charge(&mut self) {
        let now = timestamp_ordered();
        self.run_cycles += now.saturating_sub(self.since);
        self.since = now;
    }

    /// A timer tick found the task running, in user mode or not.
    pub fn tick(&mut self, user_mode: bool) {
        if user_mode {
            self.user_ticks += 1;
        } else {
            self.system_ticks += 1;
        }
    }

    /// Timer ticks that found it running.
    pub fn ticks(&self) -> u64 {
        self.user_ticks + self.system_ticks
    }

    /// Its run time and ticks so far (`running`: it has the CPU now, so the time
    /// since it got it counts too).
    pub fn sample(&self, running: bool) -> Sample {
        let cycles = self.run_cycles + if running { timestamp_ordered().saturating_sub(self.since) } else { 0 };
        Sample { runtime: cycles_to_ns(cycles), user_ticks: self.user_ticks, system_ticks: self.system_ticks }
    }

    /// Its user and system time so far (never less than reported before).
    pub fn split(&mut self, running: bool) -> Split {
        let sample = self.sample(running);
        self.reported.adjust(sample)
    }
}
