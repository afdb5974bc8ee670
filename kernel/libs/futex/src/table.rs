//! The futex wait table: which waiters are queued on which futex, in arrival order,
//! with the bitset each waits with; and the wake, requeue and wake-op moves over it.
//!
//! Linux keeps waiters in hashed priority lists (`plist`) where every non-realtime task has
//! the same priority, so a futex's waiters are woken first in, first out; this table is
//! FIFO for everyone. Only the table's bookkeeping is here: whether a waiter may block
//! (the futex word still holds the expected value) is the kernel's check, made under the
//! same lock as the table.
//!
//! Counts are taken literally ("wake up to `count`"): Linux's quirks for zero and negative
//! counts are applied by the kernel with [`crate::wake_limit`] and [`crate::requeue_limits`]
//! before calling in.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::ops::RangeInclusive;

/// One futex word. A private futex is keyed by its address space's id and user address;
/// a shared one by whatever the kernel chooses (a memory object and offset). `space` is
/// opaque here, except that [`FutexTable::remove_space`] drops every key with a given one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FutexKey {
    pub space: u64,
    pub addr: u64,
}

/// Why [`FutexTable::wait`] refused a waiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitError {
    /// A zero bitset could never be woken; Linux's futex_wait returns EINVAL for it
    /// before looking at the futex word.
    ZeroBitset,
    /// The waiter is already queued. A thread waits on one futex at a time, so this is
    /// a kernel bug rather than a user error.
    AlreadyQueued,
}

#[derive(Debug, Clone, Copy)]
struct Slot<W> {
    waiter: W,
    bitset: u32,
}

/// A queued waiter's place: its key, then its arrival ticket within the table.
type Place = (FutexKey, u64);

/// The waiters of every futex. `W` identifies a waiter (the kernel uses a thread id); a
/// waiter is queued at most once.
///
/// All operations cost O(log n) per waiter they touch, plus the waiters a bitset wake
/// skips. Nothing is kept for a futex without waiters.
#[derive(Debug, Clone)]
pub struct FutexTable<W> {
    /// Every queued waiter, ordered by key and then arrival ticket, so each futex's queue
    /// is one contiguous run in FIFO order and an empty queue takes no space.
    queue: BTreeMap<Place, Slot<W>>,
    /// Where each waiter is queued. A requeue moves waiters to another key behind their
    /// backs, so [`FutexTable::cancel`] finds them here rather than by the key they waited on.
    index: BTreeMap<W, Place>,
    /// The next arrival ticket. Tickets only grow, so a waiter that arrives (or is
    /// requeued) later sorts after every waiter already on its key; 2^64 arrivals never
    /// happen.
    next_ticket: u64,
}

impl<W> Default for FutexTable<W> {
    fn default() -> Self {
        Self::new()
    }
}

impl<W> FutexTable<W> {
    pub const fn new() -> Self {
        Self { queue: BTreeMap::new(), index: BTreeMap::new(), next_ticket: 0 }
    }

    /// No waiter is queued anywhere.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Waiters queued on all futexes together.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// Waiters queued on `key`.
    pub fn waiters(&self, key: FutexKey) -> usize {
        self.queue.range(run(key)).count()
    }
}

impl<W: Copy + Ord> FutexTable<W> {
    /// Queues `waiter` on `key` behind the waiters already there. The kernel calls this
    /// after finding the futex word equal to the expected value, under the table's lock,
    /// and then blocks the waiter. FUTEX_WAIT waits with [`crate::FUTEX_BITSET_MATCH_ANY`].
    pub fn wait(&mut self, key: FutexKey, waiter: W, bitset: u32) -> Result<(), WaitError> {
        if bitset == 0 {
            return Err(WaitError::ZeroBitset);
        }
        if self.index.contains_key(&waiter) {
            return Err(WaitError::AlreadyQueued);
        }
        self.enqueue(key, Slot { waiter, bitset });
        Ok(())
    }

    /// Takes `waiter` out of whatever queue it is in (the key it waited on, or the one a
    /// requeue moved it to): for a timeout, a signal, or a wait that gives up. Returns
    /// whether it was still queued; false means a wake already took it, so the wait
    /// succeeded after all (Linux's futex_unqueue returning 0).
    pub fn cancel(&mut self, waiter: W) -> bool {
        match self.index.remove(&waiter) {
            Some(place) => {
                self.queue.remove(&place);
                true
            }
            None => false,
        }
    }

    /// Whether `waiter` is queued on some futex.
    pub fn is_queued(&self, waiter: W) -> bool {
        self.index.contains_key(&waiter)
    }

    /// The futex `waiter` is queued on now, which a requeue may have changed.
    pub fn key_of(&self, waiter: W) -> Option<FutexKey> {
        self.index.get(&waiter).map(|&(key, _)| key)
    }

    /// Every queued waiter as (key, waiter, bitset), by key and then in wake order.
    pub fn iter(&self) -> impl Iterator<Item = (FutexKey, W, u32)> + '_ {
        self.queue.iter().map(|(&(key, _), slot)| (key, slot.waiter, slot.bitset))
    }

    /// FUTEX_WAKE and FUTEX_WAKE_BITSET (Linux's futex_wake): takes up to `count` of
    /// `key`'s waiters whose bitset shares a bit with `bitset`, oldest first, and returns
    /// them in that order for the kernel to wake. Waiters whose bitset does not match are
    /// skipped and keep their places. A zero `bitset` matches nobody (Linux refuses it
    /// with EINVAL before getting here).
    pub fn wake(&mut self, key: FutexKey, count: u32, bitset: u32) -> Vec<W> {
        let mut woken = Vec::new();
        self.take(key, count, bitset, &mut woken);
        woken
    }

    /// FUTEX_REQUEUE and FUTEX_CMP_REQUEUE (Linux's futex_requeue, after the kernel's
    /// comparison for CMP_REQUEUE): takes up to `wake_count` of `from`'s waiters to wake,
    /// then moves up to `requeue_count` of the rest to the back of `to`'s queue, keeping
    /// their order and bitsets. Bitsets are not consulted, as in Linux. Returns the woken
    /// waiters in order and the number moved; the syscall returns the sum.
    ///
    /// When `from == to` the waiters to move stay where they are (Linux's requeue_futex
    /// leaves a waiter in place when source and target share a hash bucket) and are
    /// counted as moved.
    pub fn requeue(&mut self, from: FutexKey, to: FutexKey, wake_count: u32, requeue_count: u32) -> (Vec<W>, usize) {
        let mut woken = Vec::new();
        self.take(from, wake_count, crate::FUTEX_BITSET_MATCH_ANY, &mut woken);
        let limit = usize::try_from(requeue_count).unwrap_or(usize::MAX);
        if from == to {
            return (woken, self.waiters(from).min(limit));
        }
        let moving: Vec<Place> = self.queue.range(run(from)).take(limit).map(|(&place, _)| place).collect();
        for place in &moving {
            if let Some(slot) = self.queue.remove(place) {
                self.enqueue(to, slot);
            }
        }
        (woken, moving.len())
    }

    /// FUTEX_WAKE_OP's wakes (Linux's futex_wake_op, after the kernel has applied the
    /// [`crate::WakeOp`] to the second futex word and compared the old value, giving
    /// `op_result`): takes up to `count1` waiters of `key1`, then, if `op_result`, up to
    /// `count2` waiters of `key2`. Bitsets are not consulted, as in Linux. Returns the
    /// woken waiters, `key1`'s first.
    pub fn wake_op(&mut self, key1: FutexKey, key2: FutexKey, count1: u32, count2: u32, op_result: bool) -> Vec<W> {
        let mut woken = Vec::new();
        self.take(key1, count1, crate::FUTEX_BITSET_MATCH_ANY, &mut woken);
        if op_result {
            self.take(key2, count2, crate::FUTEX_BITSET_MATCH_ANY, &mut woken);
        }
        woken
    }

    /// Drops every waiter queued on a key of `space`, for an address space that is going
    /// away, so no entry outlives its process. Returns them (by key, then in wake order).
    pub fn remove_space(&mut self, space: u64) -> Vec<W> {
        let first = FutexKey { space, addr: 0 };
        let last = FutexKey { space, addr: u64::MAX };
        let places: Vec<Place> = self.queue.range((first, 0)..=(last, u64::MAX)).map(|(&place, _)| place).collect();
        let mut removed = Vec::with_capacity(places.len());
        for place in &places {
            if let Some(slot) = self.queue.remove(place) {
                self.index.remove(&slot.waiter);
                removed.push(slot.waiter);
            }
        }
        removed
    }

    fn enqueue(&mut self, key: FutexKey, slot: Slot<W>) {
        let place = (key, self.next_ticket);
        self.next_ticket += 1;
        self.queue.insert(place, slot);
        self.index.insert(slot.waiter, place);
    }

    /// Removes up to `count` of `key`'s waiters whose bitset meets `bitset`, oldest first,
    /// appending them to `out`.
    fn take(&mut self, key: FutexKey, count: u32, bitset: u32, out: &mut Vec<W>) {
        let limit = usize::try_from(count).unwrap_or(usize::MAX);
        let places: Vec<Place> = self
            .queue
            .range(run(key))
            .filter(|(_, slot)| slot.bitset & bitset != 0)
            .take(limit)
            .map(|(&place, _)| place)
            .collect();
        for place in &places {
            if let Some(slot) = self.queue.remove(place) {
                self.index.remove(&slot.waiter);
                out.push(slot.waiter);
            }
        }
    }
}

/// The places of `key`'s queue.
fn run(key: FutexKey) -> RangeInclusive<Place> {
    (key, 0)..=(key, u64::MAX)
}
