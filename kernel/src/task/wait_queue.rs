//! Wait queues: a task blocks on one until something it waits for happens (a
//! child exits, console input arrives, a pipe changes); wakers make every waiter
//! runnable again, and each re-checks its condition.
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use spin::Mutex;

use crate::arch::cpu::without_interrupts;

use super::{Tid, scheduler};

#[derive(Debug)]
pub struct WaitQueue {
    waiters: Mutex<Vec<Tid>>,
    /// How many times it has been woken (epoll's edge-triggered mode tells
    /// from it whether something happened since it last looked).
    wakes: AtomicU64,
    /// How many tasks wait (the length of `waiters`, kept under its lock): a
    /// wake with none waiting takes no lock.
    waiting: AtomicUsize,
}

impl WaitQueue {
    pub const fn new() -> Self {
        Self { waiters: Mutex::new(Vec::new()), wakes: AtomicU64::new(0), waiting: AtomicUsize::new(0) }
    }

    /// Block the current task until `ready()` returns Some, or a signal is
    /// pending (then `Err(Interrupted)`). `ready` runs with interrupts disabled, so a wakeup
    /// from an interrupt cannot slip between the check and the sleep.
    pub fn wait_until<T>(&self, ready: impl FnMut() -> Option<T>) -> Result<T, Interrupted> {
        Self::wait_until_any(&[self], ready)
    }

    /// Like `wait_until`, woken by any of `queues`.
    pub fn wait_until_any<T>(queues: &[&WaitQueue], ready: impl FnMut() -> Option<T>) -> Result<T, Interrupted> {
        Self::wait(queues, true, ready)
    }

    /// Block the current task until `ready()` returns Some, whatever signals
    /// arrive meanwhile (for short waits the task cannot give up: a lock).
    pub fn wait_uninterruptible<T>(&self, ready: impl FnMut() -> Option<T>) -> T {
        match Self::wait(&[self], false, ready) {
            Ok(value) => value,
            Err(Interrupted) => unreachable!("an uninterruptible wait ends only when ready"),
        }
    }

    fn wait<T>(
        queues: &[&WaitQueue],
        interruptible: bool,
        mut ready: impl FnMut() -> Option<T>,
    ) -> Result<T, Interrupted> {
        loop {
            let outcome = without_interrupts(|| {
                if let Some(value) = ready() {
                    return Some(Ok(value));
                }
                if interruptible && scheduler::current_signal_pending() {
                    return Some(Err(Interrupted));
                }
                let tid = scheduler::current();
                for queue in queues {
                    queue.enqueue(tid);
                }
                scheduler::block_current();
                // Woken by a waker, a signal or a timeout: leave every queue, so
                // none keeps the id of a waiter that has gone (a task killed in
                // pause() would stay on its queue for ever).
                for queue in queues {
                    queue.dequeue(tid);
                }
                None
            });
            if let Some(outcome) = outcome {
                return outcome;
            }
        }
    }

    fn enqueue(&self, tid: Tid) {
        let mut waiters = self.waiters.lock();
        waiters.push(tid);
        self.waiting.store(waiters.len(), Ordering::SeqCst);
    }

    fn dequeue(&self, tid: Tid) {
        let mut waiters = self.waiters.lock();
        waiters.retain(|&waiter| waiter != tid);
        self.waiting.store(waiters.len(), Ordering::SeqCst);
    }

    /// Make every waiter runnable. Seeing `waiting` at 0 without the lock is
    /// exact while one CPU runs the tasks (the others stay parked): a waiter
    /// looks at its condition and enqueues with interrupts off, so no waker
    /// runs in between. With more CPUs, a waiter must look again after
    /// enqueueing.
    pub fn wake_all(&self) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        if self.waiting.load(Ordering::SeqCst) == 0 {
            return;
        }
        let waiters = without_interrupts(|| {
            let mut waiters = self.waiters.lock();
            self.waiting.store(0, Ordering::SeqCst);
            core::mem::take(&mut *waiters)
        });
        for tid in waiters {
            scheduler::wake(tid);
        }
    }

    /// The number of wakeups so far.
    pub fn wakes(&self) -> u64 {
        self.wakes.load(Ordering::Relaxed)
    }
}

/// A wait ended by a signal rather than by its condition (the syscall returns
/// EINTR).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;
