//! The process table: the process-level state of every task (`Process`), keyed
//! by tid, under one lock taken with interrupts off. The task layer below runs
//! the tasks; this table says what they are to each other (groups, parents,
//! signals, files, memory).
use alloc::boxed::Box;
use alloc::collections::BTreeMap;

use spin::Mutex;

use crate::arch::cpu::without_interrupts;
use crate::task::scheduler as task;

use super::process::{Pid, Process, SharedMemory};
use super::signal::next_deliverable;

pub struct Table {
    pub procs: BTreeMap<Pid, Box<Process>>,
}

static TABLE: Mutex<Table> = Mutex::new(Table { procs: BTreeMap::new() });

/// Run `f` on the process table with interrupts disabled. Waking tasks from
/// inside is fine: the task layer's lock is always taken after this one.
pub fn with_table<R>(f: impl FnOnce(&mut Table) -> R) -> R {
    without_interrupts(|| f(&mut TABLE.lock()))
}

/// Run `f` on the current task's process state; afterwards the task layer's
/// signal-pending flag is brought up to date with its pending set and mask (and,
/// if it now blocks signals sent to its process, the other threads' flags, so
/// one that can take them does, as Linux's retarget_shared_pending).
///
/// Invariant (why the `expect` cannot fail): system calls, user faults, blocking
/// waits and the return to user mode run only on behalf of a task, whose entry
/// stays in the table until it has ended (a thread's is removed as it ends, a
/// leader's when its parent reaps it).
pub fn with_current<R>(f: impl FnOnce(&mut Process) -> R) -> R {
    with_table(|t| {
        let tid = task::current();
        let p = t.procs.get_mut(&tid).expect("current task in the process table");
        let result = f(p);
        task::set_signal_pending(tid, next_deliverable(p).is_some());
        if p.group().pending.set() & p.signals.mask != 0 {
            let tgid = p.tgid;
            for other in t.live_threads(tgid).filter(|q| q.pid != tid) {
                task::set_signal_pending(other.pid, next_deliverable(other).is_some());
            }
        }
        result
    })
}

/// Read the current task's process state: as [`with_current`] for a `f` that
/// changes nothing (so the signal-pending flags stay right without being
/// recomputed: the cheap path of getpid, a descriptor's lookup and the like).
pub fn read_current<R>(f: impl FnOnce(&Process) -> R) -> R {
    with_table(|t| f(t.procs.get(&task::current()).expect("current task in the process table")))
}

/// The calling task's memory (None once it has exited); lock it outside the
/// table.
pub fn current_memory() -> Option<SharedMemory> {
    read_current(|p| p.memory.clone())
}

/// The calling task's id.
pub fn current_pid() -> Pid {
    task::current()
}

impl Table {
    /// The calling task's process state (None in the idle loop).
    pub fn current_process(&self) -> Option<&Process> {
        self.procs.get(&task::try_current()?).map(|p| &**p)
    }

    /// Remove a reaped process (or an ended thread).
    pub fn remove(&mut self, pid: Pid) -> Option<Box<Process>> {
        self.procs.remove(&pid)
    }

    /// The tasks of thread group `tgid` that still run.
    pub fn live_threads(&self, tgid: Pid) -> impl Iterator<Item = &Process> {
        self.procs.values().filter(move |p| p.tgid == tgid && p.is_live()).map(|p| &**p)
    }
}
