//! Futexes as pure logic, for Linux's futex(2) and robust futex lists: the wait table
//! (who sleeps on which futex word, in arrival order, with which wake bitset), the
//! decoding of futex(2)'s `op` and of FUTEX_WAKE_OP's operation word, and the walk of a
//! dying thread's robust list.
//!
//! The kernel owns everything else: reading and comparing the futex word, blocking,
//! timeouts, signals, and access to user memory (through [`RobustMemory`] for the walk).
//! Behaviour follows Linux 6.x (`kernel/futex/syscalls.c`, `waitwake.c`, `requeue.c`,
//! `core.c`); each module says which function it mirrors and where it departs.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

mod op;
mod robust;
mod table;
mod wake_op;

#[cfg(test)]
mod tests;

pub use op::{
    Command, FUTEX_CLOCK_REALTIME, FUTEX_PRIVATE_FLAG, Flags, Invalid, Timeout, Unsupported, requeue_limits, wake_limit,
};
pub use robust::{
    FUTEX_OWNER_DIED, FUTEX_TID_MASK, FUTEX_WAITERS, ROBUST_LIST_HEAD_LEN, ROBUST_LIST_LIMIT, RobustMemory,
    walk_robust_list,
};
pub use table::{FutexKey, FutexTable, WaitError};
pub use wake_op::{Cmp, Op, WakeOp};

/// The bitset FUTEX_WAIT and FUTEX_WAKE use: it intersects every non-zero bitset.
pub const FUTEX_BITSET_MATCH_ANY: u32 = 0xffff_ffff;
