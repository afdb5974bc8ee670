//! The robust-futex list walk done when a thread exits (set_robust_list(2)), following
//! Linux 6.x's exit_robust_list and handle_futex_death (`kernel/futex/core.c`).
//!
//! User space keeps, per thread, a list of the robust locks it holds:
//!
//! ```text
//! struct robust_list      { struct robust_list *next; };
//! struct robust_list_head { struct robust_list list;          // +0
//!                           long futex_offset;                // +8
//!                           struct robust_list *list_op_pending; }; // +16
//! ```
//!
//! The list is circular through `head.list`; each entry's futex word is at
//! `entry + futex_offset` (signed); bit 0 of an entry pointer marks a PI futex. At exit the
//! kernel marks every word the thread still owns with FUTEX_OWNER_DIED and wakes a waiter,
//! so the next locker learns the owner died instead of blocking forever.
//!
//! The walk stops silently at any sign of trouble, as Linux's does, and visits at most
//! `max` list entries, so a cyclic or hostile list costs bounded work.

use alloc::vec::Vec;

/// Set in a futex word while some thread waits for it (user space's convention, which the
/// kernel honours here).
pub const FUTEX_WAITERS: u32 = 0x8000_0000;
/// Set by the kernel in a robust futex word whose owner died holding it.
pub const FUTEX_OWNER_DIED: u32 = 0x4000_0000;
/// The owner's thread id, in a robust (or PI) futex word.
pub const FUTEX_TID_MASK: u32 = 0x3fff_ffff;
/// Linux's ROBUST_LIST_LIMIT: the most list entries an exit walk visits.
pub const ROBUST_LIST_LIMIT: usize = 2048;
/// `sizeof(struct robust_list_head)` on x86-64: set_robust_list(2) returns EINVAL for any
/// other `len`, and get_robust_list(2) reports it.
pub const ROBUST_LIST_HEAD_LEN: usize = 24;

/// Offset of `futex_offset` in the head.
const FUTEX_OFFSET_AT: u64 = 8;
/// Offset of `list_op_pending` in the head.
const PENDING_AT: u64 = 16;
/// Bit 0 of an entry pointer: the futex is a PI futex.
const PI_BIT: u64 = 1;
/// How often a word's compare-exchange is retried when the word changed under it. Linux
/// retries without limit (a racing thread cannot win forever); the bound keeps the walk
/// finite whatever the memory does.
const CMPXCHG_RETRIES: usize = 64;

/// The dying thread's user memory, as the walk needs it. Every access may fault, giving
/// `None`; the kernel's implementation faults pages in as any user access would, so `None`
/// means the address is really unusable (Linux's get_user failing, or
/// fault_in_user_writeable failing for the exchange).
pub trait RobustMemory {
    /// Reads the 8-byte value at `addr` (a pointer or `futex_offset`).
    fn read_u64(&mut self, addr: u64) -> Option<u64>;
    /// Reads the 4-byte futex word at `addr` (4-aligned).
    fn read_u32(&mut self, addr: u64) -> Option<u32>;
    /// Atomically replaces the 4-byte word at `addr` with `new` if it holds `old`:
    /// `Ok(old)` on success, `Err(current)` with the value found otherwise.
    fn compare_exchange_u32(&mut self, addr: u64, old: u32, new: u32) -> Option<Result<u32, u32>>;
}

/// Walks the robust list at `head_addr` of the exiting thread `tid` (its thread id as user
/// space sees it), marking the futex words it still owns, and returns the addresses of the
/// futex words on which the kernel must wake one waiter (bitset
/// [`crate::FUTEX_BITSET_MATCH_ANY`]). Pass [`ROBUST_LIST_LIMIT`] as `max`.
///
/// As in Linux 6.x:
/// * The head's `list.next`, `futex_offset` and `list_op_pending` are read first; a fault
///   on any of them ends the walk before it starts.
/// * Entries are followed from `list.next` until the walk is back at `head_addr`, at most
///   `max` of them. Each entry's `next` is read before its futex is handled; the entry is
///   still handled if that read faults, and then the walk ends.
/// * An entry equal to the pending one is left for the end, so it is handled once.
/// * For each futex word (`entry + futex_offset`): a word that is not 4-aligned, or whose
///   read or exchange faults, ends the walk (the pending entry then goes unhandled). A word
///   whose TID bits are not `tid` is left alone. Otherwise it becomes
///   `FUTEX_OWNER_DIED | (old & FUTEX_WAITERS)`, by compare-exchange retried on the value
///   found if the word changed, and if FUTEX_WAITERS was set the address is reported for a
///   wake, even when FUTEX_OWNER_DIED was already set (a thread that inherited a dead
///   owner's lock and died too). PI entries (bit 0) are marked but not woken: Linux wakes
///   PI waiters from its PI state, and PI futexes are unsupported here.
/// * Finally the pending entry, if non-null, is handled whether or not the walk hit `max`.
///   A pending non-PI futex whose TID bits are 0 gets a wake without its word being
///   touched: the thread died either after releasing the lock but before waking a waiter,
///   or after being woken but before taking the lock, and either way a waiter must run.
///   (ca16d5bee598 "futex: Prevent robust futex exit race", 2020, tested the whole word
///   for 0; 90d758896787, 2022, tests only the TID bits, which is what 6.x does. A newer
///   upstream change, "futex: Prevent robust futex exit race some more", also wakes when
///   the pending word is owned by another thread without FUTEX_WAITERS; that is not
///   6.x mainline behaviour and is not done here.)
///
/// Linux wakes as a shared futex (without FUTEX_PRIVATE_FLAG), which is why glibc's robust
/// mutexes always use shared futex operations; the kernel should wake the key a shared
/// futex at that address would have.
pub fn walk_robust_list(head_addr: u64, tid: u32, mem: &mut impl RobustMemory, max: usize) -> Vec<u64> {
    let mut wakes = Vec::new();
    let Some(first) = mem.read_u64(head_addr) else { return wakes };
    let Some(futex_offset) = mem.read_u64(head_addr.wrapping_add(FUTEX_OFFSET_AT)) else { return wakes };
    let Some(pending_raw) = mem.read_u64(head_addr.wrapping_add(PENDING_AT)) else { return wakes };
    let pending = pending_raw & !PI_BIT;

    let (mut entry, mut pi) = split(first);
    let mut left = max;
    while entry != head_addr && left > 0 {
        let next = mem.read_u64(entry);
        if entry != pending {
            let death = Death { tid, pi, pending_op: false };
            if death.handle(entry.wrapping_add(futex_offset), mem, &mut wakes).is_err() {
                return wakes;
            }
        }
        let Some(next) = next else { return wakes };
        (entry, pi) = split(next);
        left -= 1;
    }

    if pending != 0 {
        let death = Death { tid, pi: pending_raw & PI_BIT != 0, pending_op: true };
        // Nothing follows the pending entry, so a failure has nothing left to stop.
        let _ = death.handle(pending.wrapping_add(futex_offset), mem, &mut wakes);
    }
    wakes
}

/// An entry pointer without its PI bit, and the bit.
const fn split(raw: u64) -> (u64, bool) {
    (raw & !PI_BIT, raw & PI_BIT != 0)
}

/// The walk cannot go on: a misaligned or faulting futex word.
struct Stop;

/// handle_futex_death for one futex word.
struct Death {
    tid: u32,
    pi: bool,
    pending_op: bool,
}

impl Death {
    fn handle(&self, uaddr: u64, mem: &mut impl RobustMemory, wakes: &mut Vec<u64>) -> Result<(), Stop> {
        if !uaddr.is_multiple_of(4) {
            return Err(Stop);
        }
        let mut value = mem.read_u32(uaddr).ok_or(Stop)?;
        for _ in 0..CMPXCHG_RETRIES {
            let owner = value & FUTEX_TID_MASK;
            if self.pending_op && !self.pi && owner == 0 {
                wakes.push(uaddr);
                return Ok(());
            }
            if owner != self.tid {
                return Ok(());
            }
            let marked = (value & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
            match mem.compare_exchange_u32(uaddr, value, marked).ok_or(Stop)? {
                Ok(_) => {
                    if !self.pi && value & FUTEX_WAITERS != 0 {
                        wakes.push(uaddr);
                    }
                    return Ok(());
                }
                Err(current) => value = current,
            }
        }
        // The word kept changing: leave it and go on with the walk.
        Ok(())
    }
}
