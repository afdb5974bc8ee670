//! alarm(2) and setitimer(ITIMER_REAL): the timer tick raises SIGALRM in the
//! processes whose alarm (kept in their thread group) is due, re-arming
//! periodic ones.
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

use kabi::signal::Signal;

use super::lifecycle;
use super::process::{Pid, State};
use super::signal;
use super::table::with_table;

/// The earliest alarm due, in uptime ms.
static NEXT_ALARM: AtomicU64 = AtomicU64::new(u64::MAX);

/// Ask the tick to check alarms at `at_ms`.
pub fn due_at(at_ms: u64) {
    NEXT_ALARM.fetch_min(at_ms, Ordering::Relaxed);
}

/// Timer tick: raise SIGALRM for the alarms that are due.
pub fn on_tick() {
    let now = crate::time::uptime_ms();
    if now < NEXT_ALARM.load(Ordering::Relaxed) {
        return;
    }
    NEXT_ALARM.store(u64::MAX, Ordering::Relaxed);
    with_table(|t| {
        let leaders = || t.procs.values().filter(|p| p.is_leader() && !matches!(p.state, State::Zombie(_)));
        let due: Vec<Pid> = leaders()
            .filter(|p| {
                let mut group = p.group();
                let fire = group.alarm_at.is_some_and(|a| a <= now);
                if fire {
                    group.alarm_at = (group.alarm_interval > 0).then(|| now + group.alarm_interval);
                }
                fire
            })
            .map(|p| p.pid)
            .collect();
        let next = leaders().filter_map(|p| p.group().alarm_at).min().unwrap_or(u64::MAX);
        NEXT_ALARM.fetch_min(next, Ordering::Relaxed);
        for pid in due {
            lifecycle::signal_process(t, pid, Signal::SIGALRM, signal::kernel_info(Signal::SIGALRM, 0x80, 0));
        }
    });
}
