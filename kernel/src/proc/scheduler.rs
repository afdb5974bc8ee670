//! The process table and the preemptive round-robin scheduler. The PIT tick takes
//! the CPU from a process whose time slice is used up; with nothing runnable the
//! boot context runs the idle loop (`hlt`).
//!
//! Saved kernel contexts live in a static pool (one slot per process, slot 0 for
//! idle), so a switch can name both contexts after the table lock is released.
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;

use core::sync::atomic::{AtomicU64, Ordering};

use kabi::signal::Signal;
use spin::Mutex;

use crate::arch::context::{self, SavedContext};
use crate::arch::cpu::without_interrupts;
use crate::arch::{paging, syscall};

use super::process::{Pid, Process, State};

/// Timer ticks a process runs before another runnable one gets the CPU (10 ms).
const TIME_SLICE_TICKS: u32 = 10;
/// Most processes at once (context pool size, idle included).
pub const MAX_PROCESSES: usize = 1024;
const IDLE_SLOT: usize = 0;

static IDLE_TICKS: AtomicU64 = AtomicU64::new(0);
static CREATED: AtomicU64 = AtomicU64::new(0);
/// The earliest alarm due, in uptime ms.
static NEXT_ALARM: AtomicU64 = AtomicU64::new(u64::MAX);

static CONTEXTS: [SavedContext; MAX_PROCESSES] = [const { SavedContext::new() }; MAX_PROCESSES];

pub struct Table {
    pub procs: BTreeMap<Pid, Box<Process>>,
    run_queue: VecDeque<Pid>,
    current: Option<Pid>,
    next_pid: Pid,
    free_slots: Vec<usize>,
    slice_left: u32,
    need_resched: bool,
}

static TABLE: Mutex<Table> = Mutex::new(Table {
    procs: BTreeMap::new(),
    run_queue: VecDeque::new(),
    current: None,
    next_pid: 1,
    free_slots: Vec::new(),
    slice_left: TIME_SLICE_TICKS,
    need_resched: false,
});

/// Ended threads (not group leaders) to remove from the table once the CPU has
/// left their kernel stacks: they are reaped by the next context that resumes.
static DEAD_THREADS: Mutex<Vec<Pid>> = Mutex::new(Vec::new());

/// Remove `tid` (an ended thread that is switching away for good) from the table
/// after the switch.
pub fn reap_after_switch(tid: Pid) {
    without_interrupts(|| DEAD_THREADS.lock().push(tid));
}

/// Free the ended threads whose stacks are no longer in use (called on a stack
/// that is not theirs, right after a switch).
fn reap_dead_threads() {
    let dead = without_interrupts(|| core::mem::take(&mut *DEAD_THREADS.lock()));
    if dead.is_empty() {
        return;
    }
    let removed: Vec<Box<Process>> = with_table(|t| dead.iter().filter_map(|&tid| t.remove(tid)).collect());
    drop(removed);
}

/// Wakeups requested while the table was locked (by a drop or a waker running
/// inside a table operation); applied as soon as the table is free.
static PENDING_WAKES: Mutex<Vec<Pid>> = Mutex::new(Vec::new());

/// Run `f` on the process table with interrupts disabled.
pub fn with_table<R>(f: impl FnOnce(&mut Table) -> R) -> R {
    without_interrupts(|| {
        let result = f(&mut TABLE.lock());
        apply_pending_wakes();
        result
    })
}

/// Make the processes whose wakeups were deferred runnable, if the table is free
/// (it is not when called from inside a table operation; that one applies them
/// when it ends).
fn apply_pending_wakes() {
    loop {
        let Some(mut table) = TABLE.try_lock() else { return };
        let pending = core::mem::take(&mut *PENDING_WAKES.lock());
        if pending.is_empty() {
            return;
        }
        for pid in pending {
            table.wake_locked(pid);
        }
    }
}

/// Run `f` on every task of the current task's thread group (the state threads
/// share but each task keeps a copy of: cwd, umask, signal handlers).
pub fn with_current_group(mut f: impl FnMut(&mut Process)) {
    with_table(|t| {
        let tgid = t.current.and_then(|tid| t.procs.get(&tid)).map(|p| p.tgid).expect("no current process");
        t.procs.values_mut().filter(|p| p.tgid == tgid).for_each(|p| f(p));
    })
}

/// Run `f` on the current process.
///
/// Invariant (why the `expect`s on "the current process" cannot fail): system
/// calls, user faults, blocking waits and the return to user mode run only on
/// behalf of a process, which `pick_next` made current; a process stays in the
/// table until its parent reaps it, which happens only after it became a zombie
/// and switched away for good (`schedule_away`), so never while it is current.
pub fn with_current<R>(f: impl FnOnce(&mut Process) -> R) -> R {
    with_table(|t| {
        let pid = t.current.expect("no current process");
        f(t.procs.get_mut(&pid).expect("current process in the table"))
    })
}

pub fn current_pid() -> Pid {
    with_table(|t| t.current.expect("no current process"))
}

/// Whether the current process has a signal to act on (blocking waits end early).
pub fn current_has_pending_signal() -> bool {
    with_current(|p| p.signals.next_deliverable().is_some())
}

impl Table {
    /// A new pid and context slot, or None when the table is full.
    pub fn allocate_ids(&mut self) -> Option<(Pid, usize)> {
        let slot = self.free_slots.pop().or_else(|| {
            let used = self.procs.len() + 1;
            (used < MAX_PROCESSES).then_some(used)
        })?;
        let pid = self.next_pid;
        self.next_pid += 1;
        CREATED.fetch_add(1, Ordering::Relaxed);
        Some((pid, slot))
    }

    /// Add a process whose context in its slot is ready to run.
    pub fn insert_runnable(&mut self, process: Box<Process>) {
        let pid = process.pid;
        self.procs.insert(pid, process);
        self.run_queue.push_back(pid);
    }

    /// Remove a reaped process; its slot becomes free.
    pub fn remove(&mut self, pid: Pid) -> Option<Box<Process>> {
        let process = self.procs.remove(&pid)?;
        super::usage::account_removed(self, &process);
        self.free_slots.push(process.context_slot);
        Some(process)
    }

    pub fn current(&self) -> Option<Pid> {
        self.current
    }

    /// The running task is now known by `tid` (execve in a thread takes its
    /// group leader's id).
    pub fn set_current(&mut self, tid: Pid) {
        self.current = Some(tid);
    }

    /// Make a blocked process runnable (with the table already locked).
    pub fn wake_locked(&mut self, pid: Pid) {
        if let Some(p) = self.procs.get_mut(&pid)
            && p.state == State::Blocked
        {
            p.state = State::Runnable;
            self.run_queue.push_back(pid);
        }
    }

    /// Pick the next runnable process after `current` and prepare the CPU for it
    /// (FPU state, kernel stack, address space, FS base). Returns its context slot.
    fn pick_next(&mut self) -> usize {
        while let Some(pid) = self.run_queue.pop_front() {
            let Some(next) = self.procs.get_mut(&pid) else { continue };
            if next.state != State::Runnable || Some(pid) == self.current {
                continue;
            }
            if let Some(memory) = next.memory() {
                memory.space.activate();
            }
            next.fpu.restore();
            syscall::set_kernel_stack(next.kstack.top());
            crate::arch::set_fs_base(next.fs_base);
            next.cpu.switch_in();
            self.current = Some(pid);
            self.slice_left = TIME_SLICE_TICKS;
            return next.context_slot;
        }
        paging::activate(paging::kernel_root());
        self.current = None;
        IDLE_SLOT
    }
}

/// Give the CPU to the next runnable process (or idle); returns when this context
/// is resumed. A runnable caller goes to the back of the run queue.
pub fn schedule() {
    without_interrupts(|| {
        apply_pending_wakes();
        let (from, to) = {
            let mut t = TABLE.lock();
            t.need_resched = false;
            let from = match t.current {
                Some(pid) => {
                    let p = t.procs.get_mut(&pid).expect("current process in the table");
                    p.fpu.save();
                    p.cpu.charge();
                    let (slot, runnable) = (p.context_slot, p.state == State::Runnable);
                    if runnable && t.run_queue.is_empty() {
                        t.slice_left = TIME_SLICE_TICKS;
                        return; // nobody else wants the CPU
                    }
                    if runnable {
                        t.run_queue.push_back(pid);
                    }
                    t.current = None;
                    slot
                }
                None => IDLE_SLOT,
            };
            (from, t.pick_next())
        };
        if from != to {
            context::switch(&CONTEXTS[from], &CONTEXTS[to]);
        }
    });
    reap_dead_threads();
}

/// Leave the current process for good (it has become a zombie).
pub fn schedule_away() -> ! {
    crate::arch::cpu::disable_interrupts();
    apply_pending_wakes();
    let to = {
        let mut t = TABLE.lock();
        if let Some(p) = t.current.and_then(|pid| t.procs.get_mut(&pid)) {
            p.cpu.charge();
        }
        t.current = None;
        t.pick_next()
    };
    context::switch_away(&CONTEXTS[to])
}

/// Block the current process (it must already be on a wait queue). Call with
/// interrupts disabled.
pub fn block_current() {
    with_current(|p| p.state = State::Blocked);
    schedule();
}

/// Make a blocked process runnable. Safe from any context: inside a table
/// operation the wakeup waits until that operation ends.
pub fn wake(pid: Pid) {
    without_interrupts(|| {
        PENDING_WAKES.lock().push(pid);
        apply_pending_wakes();
    });
}

/// The context slot for a new process, with its initial stack.
pub fn context(slot: usize) -> &'static SavedContext {
    &CONTEXTS[slot]
}

/// Timer tick: charge the tick to the running process (or idle), in user mode or
/// not, count down its time slice, and raise SIGALRM for alarms that are due.
pub fn on_tick(user_mode: bool) {
    with_table(|t| {
        match t.current {
            Some(pid) => {
                if let Some(p) = t.procs.get_mut(&pid) {
                    p.cpu.tick(user_mode);
                }
                t.slice_left = t.slice_left.saturating_sub(1);
                if t.slice_left == 0 && !t.run_queue.is_empty() {
                    t.need_resched = true;
                }
            }
            None => {
                IDLE_TICKS.fetch_add(1, Ordering::Relaxed);
            }
        }
        let now = crate::time::uptime_ms();
        if now >= NEXT_ALARM.load(Ordering::Relaxed) {
            NEXT_ALARM.store(u64::MAX, Ordering::Relaxed);
            let due: Vec<Pid> =
                t.procs.values().filter(|p| p.alarm_at.is_some_and(|a| a <= now)).map(|p| p.pid).collect();
            for pid in due {
                let p = t.procs.get_mut(&pid).expect("listed above");
                p.alarm_at = (p.alarm_interval > 0).then(|| now + p.alarm_interval);
                let info = super::signal::kernel_info(Signal::SIGALRM, 0x80, 0);
                if super::signal::post(p, Signal::SIGALRM, info) {
                    t.wake_locked(pid);
                }
            }
            let next = t.procs.values().filter_map(|p| p.alarm_at).min().unwrap_or(u64::MAX);
            NEXT_ALARM.fetch_min(next, Ordering::Relaxed);
        }
    });
}

/// Ask the tick to check alarms at `at_ms`.
pub fn alarm_due_at(at_ms: u64) {
    NEXT_ALARM.fetch_min(at_ms, Ordering::Relaxed);
}

/// Ticks spent idle (for /proc/uptime and /proc/stat).
pub fn idle_ticks() -> u64 {
    IDLE_TICKS.load(Ordering::Relaxed)
}

/// Processes created since boot (/proc/stat).
pub fn processes_created() -> u64 {
    CREATED.load(Ordering::Relaxed)
}

/// Whether the running process should give up the CPU at the next chance.
pub fn need_resched() -> bool {
    with_table(|t| t.need_resched)
}

/// The idle loop, run by the boot context once processes exist.
pub fn idle() -> ! {
    loop {
        schedule();
        crate::arch::cpu::wait_for_interrupt();
    }
}
