//! Futexes: threads sleeping on a word of user memory until another wakes them
//! (futex(2)), and what a thread's exit does to them: its CLONE_CHILD_CLEARTID
//! word is cleared and a waiter woken (pthread_join), and the robust mutexes it
//! still holds are marked FUTEX_OWNER_DIED for their waiters. The wait table and
//! the robust-list walk are the `futex` crate's; a futex is keyed by the memory
//! object it lives in and its address, so the threads of a group (and CLONE_VM
//! processes) meet on the same key; a shared futex in shared memory by the
//! shared object and its offset there, so processes that map it meet too.
use alloc::sync::Arc;
use alloc::vec::Vec;

use futex::{FUTEX_BITSET_MATCH_ANY, FutexKey, FutexTable, RobustMemory, WakeOp};
use kabi::Errno;
use spin::Mutex;

use crate::arch::cpu::without_interrupts;
use crate::mm::address_space::AddressSpace;
use crate::mm::user;

use crate::task::scheduler as task;
use crate::task::sleep;
use crate::task::wait_queue::WaitQueue;

use super::process::{Pid, SharedMemory};
use super::table::{current_memory, current_pid, with_current};

static TABLE: Mutex<FutexTable<Pid>> = Mutex::new(FutexTable::new());
/// Where futex waiters sleep; each is woken by its own tid.
static WAITERS: WaitQueue = WaitQueue::new();

fn with_table<R>(f: impl FnOnce(&mut FutexTable<Pid>) -> R) -> R {
    without_interrupts(|| f(&mut TABLE.lock()))
}

/// The caller's memory (its lock is taken before the futex table's).
fn memory() -> Result<SharedMemory, Errno> {
    current_memory().ok_or(Errno::EFAULT)
}

/// The key of the futex word at `addr` of `memory`: 4-aligned (EINVAL). A shared
/// (not FUTEX_PRIVATE_FLAG) futex must be in memory the task can read (EFAULT),
/// as Linux looks its page up, and in shared memory it is keyed by the object;
/// a private one is just an address.
fn key(memory: &SharedMemory, space: &AddressSpace, addr: u64, private: bool) -> Result<FutexKey, Errno> {
    if !addr.is_multiple_of(4) {
        return Err(Errno::EINVAL);
    }
    if private {
        return Ok(FutexKey { space: Arc::as_ptr(memory) as u64, addr });
    }
    if !space.can_access(addr, false) {
        return Err(Errno::EFAULT);
    }
    Ok(match space.shared_key(addr) {
        Some((object, offset)) => FutexKey { space: object, addr: offset },
        None => FutexKey { space: Arc::as_ptr(memory) as u64, addr },
    })
}

fn read_word(space: &mut AddressSpace, addr: u64) -> Result<u32, Errno> {
    let mut bytes = [0u8; 4];
    user::copy_from_user(space, addr, &mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

fn wake_all_of(tids: Vec<Pid>) -> usize {
    let woken = tids.len();
    for tid in tids {
        task::wake(tid);
    }
    woken
}

/// FUTEX_WAIT(_BITSET): sleep while the word at `addr` holds `expected`, until a
/// wake (on the key `private` picks) that matches `bitset`, a signal (EINTR) or
/// `deadline_ms` of uptime (ETIMEDOUT). The word is compared and the waiter queued under the futex
/// table's lock, which a waker takes after changing the word: either the waker
/// finds the waiter queued, or the waiter sees the new value.
pub fn wait(addr: u64, expected: u32, bitset: u32, deadline_ms: Option<u64>, private: bool) -> Result<(), Errno> {
    if bitset == 0 {
        return Err(Errno::EINVAL);
    }
    let me = current_pid();
    let memory = memory()?;
    {
        let mut guard = memory.lock();
        let key = key(&memory, &guard.space, addr, private)?;
        with_table(|t| {
            if read_word(&mut guard.space, addr)? != expected {
                return Err(Errno::EAGAIN);
            }
            t.wait(key, me, bitset).map_err(|_| Errno::EINVAL)
        })?;
    }
    let outcome = WaitQueue::wait_until_any(&[&WAITERS, sleep::queue()], || {
        if !with_table(|t| t.is_queued(me)) {
            return Some(Ok(()));
        }
        match deadline_ms {
            Some(deadline) if crate::time::uptime_ms() >= deadline => Some(Err(Errno::ETIMEDOUT)),
            Some(deadline) => {
                sleep::wake_at(deadline);
                None
            }
            None => None,
        }
    });
    let error = match outcome {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(e)) => e,
        Err(_) => Errno::EINTR,
    };
    // A wake that came at the same time counts: only a waiter still queued failed.
    if with_table(|t| t.cancel(me)) { Err(error) } else { Ok(()) }
}

/// FUTEX_WAKE(_BITSET): wake up to `count` waiters on `addr` whose bitset meets
/// `bitset`; returns how many.
pub fn wake(addr: u64, count: u32, bitset: u32, private: bool) -> Result<usize, Errno> {
    if bitset == 0 {
        return Err(Errno::EINVAL);
    }
    let memory = memory()?;
    let key = key(&memory, &memory.lock().space, addr, private)?;
    Ok(wake_all_of(with_table(|t| t.wake(key, count, bitset))))
}

/// FUTEX_REQUEUE and FUTEX_CMP_REQUEUE (`expected`: EAGAIN unless the word at
/// `addr` holds it): wake `count`, move up to `requeue` more to `addr2`; returns
/// how many were woken and moved.
pub fn requeue(
    addr: u64,
    count: u32,
    addr2: u64,
    requeue: u32,
    expected: Option<u32>,
    private: bool,
) -> Result<usize, Errno> {
    let memory = memory()?;
    let mut guard = memory.lock();
    let (from, to) = (key(&memory, &guard.space, addr, private)?, key(&memory, &guard.space, addr2, private)?);
    let (woken, moved) = with_table(|t| {
        if let Some(expected) = expected
            && read_word(&mut guard.space, addr)? != expected
        {
            return Err(Errno::EAGAIN);
        }
        Ok(t.requeue(from, to, count, requeue))
    })?;
    drop(guard);
    Ok(wake_all_of(woken) + moved)
}

/// FUTEX_WAKE_OP: change the word at `addr2` by `op` (atomically: under the futex
/// table's lock, interrupts off), wake `count` on `addr`, and `count2` on `addr2`
/// if the old value passes `op`'s comparison. Returns how many were woken.
pub fn wake_op(addr: u64, count: u32, addr2: u64, count2: u32, op: WakeOp, private: bool) -> Result<usize, Errno> {
    let memory = memory()?;
    let mut guard = memory.lock();
    let (first, second) = (key(&memory, &guard.space, addr, private)?, key(&memory, &guard.space, addr2, private)?);
    let woken = with_table(|t| {
        let old = read_word(&mut guard.space, addr2)?;
        user::copy_to_user(&mut guard.space, addr2, &op.apply(old).to_le_bytes())?;
        Ok(t.wake_op(first, second, count, count2, op.compare(old)))
    })?;
    drop(guard);
    Ok(wake_all_of(woken))
}

/// The exiting thread's user memory as the robust-list walk reads and changes it.
struct UserWords<'a>(&'a mut AddressSpace);

impl RobustMemory for UserWords<'_> {
    fn read_u64(&mut self, addr: u64) -> Option<u64> {
        user::read_u64(self.0, addr).ok()
    }

    fn read_u32(&mut self, addr: u64) -> Option<u32> {
        let mut bytes = [0u8; 4];
        user::copy_from_user(self.0, addr, &mut bytes).ok().map(|()| u32::from_le_bytes(bytes))
    }

    fn compare_exchange_u32(&mut self, addr: u64, old: u32, new: u32) -> Option<Result<u32, u32>> {
        let current = self.read_u32(addr)?;
        if current != old {
            return Some(Err(current));
        }
        user::copy_to_user(self.0, addr, &new.to_le_bytes()).ok().map(|()| Ok(old))
    }
}

/// At a thread's exit, before its memory goes: clear its CLONE_CHILD_CLEARTID word
/// and wake one waiter there (when others share the memory, as Linux), and mark
/// the robust futexes it holds, waking one waiter of each.
pub fn release_on_exit() {
    let tid = current_pid();
    let (clear, robust) =
        with_current(|p| (core::mem::take(&mut p.clear_child_tid), core::mem::take(&mut p.robust_list)));
    let Some(memory) = current_memory() else { return };
    // Two references: the task's and this one; more means others share it.
    let shared = Arc::strong_count(&memory) > 2;
    let mut wakes = Vec::new();
    {
        // Both wakes are shared ones, as Linux's: in shared memory they reach
        // waiters of other processes.
        let mut guard = memory.lock();
        if robust != 0 {
            let words =
                futex::walk_robust_list(robust, tid, &mut UserWords(&mut guard.space), futex::ROBUST_LIST_LIMIT);
            wakes.extend(words.into_iter().filter_map(|addr| key(&memory, &guard.space, addr, false).ok()));
        }
        if clear != 0 && shared && user::copy_to_user(&mut guard.space, clear, &0u32.to_le_bytes()).is_ok() {
            wakes.extend(key(&memory, &guard.space, clear, false).ok());
        }
    }
    for key in wakes {
        wake_all_of(with_table(|t| t.wake(key, 1, FUTEX_BITSET_MATCH_ANY)));
    }
}
