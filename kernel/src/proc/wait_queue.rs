//! Wait queues: a process blocks on one until something it waits for happens
//! (a child exits, console input arrives, a pipe changes); wakers make every
//! waiter runnable again, and each re-checks its condition.
use alloc::vec::Vec;

use spin::Mutex;

use crate::arch::cpu::without_interrupts;

use super::process::Pid;
use super::scheduler;

#[derive(Debug)]
pub struct WaitQueue {
    waiters: Mutex<Vec<Pid>>,
}

impl WaitQueue {
    pub const fn new() -> Self {
        Self { waiters: Mutex::new(Vec::new()) }
    }

    /// Block the current process until `ready()` returns Some, or a signal is
    /// pending (then `Err(Interrupted)`). `ready` runs with interrupts disabled, so a wakeup
    /// from an interrupt cannot slip between the check and the sleep.
    pub fn wait_until<T>(&self, ready: impl FnMut() -> Option<T>) -> Result<T, Interrupted> {
        Self::wait_until_any(&[self], ready)
    }

    /// Like `wait_until`, woken by any of `queues`.
    pub fn wait_until_any<T>(queues: &[&WaitQueue], mut ready: impl FnMut() -> Option<T>) -> Result<T, Interrupted> {
        loop {
            let outcome = without_interrupts(|| {
                if let Some(value) = ready() {
                    return Some(Ok(value));
                }
                if scheduler::current_has_pending_signal() {
                    return Some(Err(Interrupted));
                }
                let pid = scheduler::current_pid();
                for queue in queues {
                    queue.waiters.lock().push(pid);
                }
                scheduler::block_current();
                // Woken by a waker, a signal or a timeout: leave every queue, so
                // none keeps the pid of a waiter that has gone (a process killed
                // in pause() would stay on its queue for ever).
                for queue in queues {
                    queue.waiters.lock().retain(|&waiter| waiter != pid);
                }
                None
            });
            if let Some(outcome) = outcome {
                return outcome;
            }
        }
    }

    /// Make every waiter runnable.
    pub fn wake_all(&self) {
        let waiters = without_interrupts(|| core::mem::take(&mut *self.waiters.lock()));
        for pid in waiters {
            scheduler::wake(pid);
        }
    }
}

/// A wait ended by a signal rather than by its condition (the syscall returns
/// EINTR).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;
