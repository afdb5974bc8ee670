//! Sleeping until a time: nanosleep, and timeouts of blocking calls. Sleepers wait
//! on one queue that the timer wakes when the earliest deadline passes.
use core::sync::atomic::{AtomicU64, Ordering};

use crate::time;

use super::wait_queue::{Interrupted, WaitQueue};

static SLEEPERS: WaitQueue = WaitQueue::new();
static EARLIEST: AtomicU64 = AtomicU64::new(u64::MAX);

/// Ask the timer to wake sleepers at `deadline_ms` (uptime milliseconds).
pub fn wake_at(deadline_ms: u64) {
    EARLIEST.fetch_min(deadline_ms, Ordering::SeqCst);
}

/// Timer tick: wake the sleepers once the earliest deadline has passed; each
/// re-registers its own deadline if it is not due yet.
pub fn on_tick() {
    if time::uptime_ms() >= EARLIEST.load(Ordering::SeqCst) {
        EARLIEST.store(u64::MAX, Ordering::SeqCst);
        SLEEPERS.wake_all();
    }
}

/// Sleep until uptime reaches `deadline_ms`, or a fatal signal arrives.
pub fn sleep_until(deadline_ms: u64) -> Result<(), Interrupted> {
    SLEEPERS.wait_until(|| {
        if time::uptime_ms() >= deadline_ms {
            return Some(());
        }
        wake_at(deadline_ms);
        None
    })
}

/// The queue to sleep on when also waiting for something else (poll's timeout).
pub fn queue() -> &'static WaitQueue {
    &SLEEPERS
}
