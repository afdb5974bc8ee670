//! A sleeping mutex: a task that finds it held blocks (uninterruptibly) until the
//! holder lets go, instead of spinning. For state held across long work with
//! interrupts on (an address space during fork's copy or a user copy); never
//! taken from an interrupt or while holding a spin lock.
use core::ops::{Deref, DerefMut};

use super::wait_queue::WaitQueue;

#[derive(Debug)]
pub struct SleepMutex<T> {
    inner: spin::Mutex<T>,
    released: WaitQueue,
}

impl<T> SleepMutex<T> {
    pub const fn new(value: T) -> Self {
        Self { inner: spin::Mutex::new(value), released: WaitQueue::new() }
    }

    /// Take the lock, sleeping while another task holds it.
    pub fn lock(&self) -> SleepGuard<'_, T> {
        let guard = match self.inner.try_lock() {
            Some(guard) => guard,
            None => self.released.wait_uninterruptible(|| self.inner.try_lock()),
        };
        SleepGuard { guard: Some(guard), released: &self.released }
    }
}

/// Access to the data; dropping it releases the lock and wakes the sleepers.
pub struct SleepGuard<'a, T> {
    guard: Option<spin::MutexGuard<'a, T>>,
    released: &'a WaitQueue,
}

impl<T> Deref for SleepGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.guard.as_ref().expect("held until dropped")
    }
}

impl<T> DerefMut for SleepGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.guard.as_mut().expect("held until dropped")
    }
}

impl<T> Drop for SleepGuard<'_, T> {
    fn drop(&mut self) {
        drop(self.guard.take());
        self.released.wake_all();
    }
}
