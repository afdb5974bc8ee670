//! The CPU's side of tasks and the preemptive round-robin scheduler: each task's
//! kernel stack, saved context, FPU registers, FS base, page-table root, run state,
//! signal-pending flag and CPU time; the run queue, the current task, switching,
//! blocking, waking, stopping and ending. The PIT tick takes the CPU from a task
//! whose time slice is used up; with nothing runnable the boot context runs the
//! idle loop (`hlt`).
//!
//! Saved kernel contexts live in a static pool (one slot per task, slot 0 for
//! idle), so a switch can name both contexts after the lock is released. What a
//! task means to the processes above (its group, files, signals) is not here: see
//! docs/ARCHITECTURE.md, "Tasks, threads and processes".
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

use spin::Mutex;
use timekeeping::{Sample, Split};

use crate::arch::context::{self, SavedContext};
use crate::arch::cpu::without_interrupts;
use crate::arch::fpu::FpuState;
use crate::arch::paging::{self, Root};
use crate::arch::syscall;
use crate::arch::trap::TrapFrame;
use crate::mm::kstack::KernelStack;
use crate::time::cputime::CpuTime;

use super::Tid;

/// Timer ticks a task runs before another runnable one gets the CPU (10 ms).
const TIME_SLICE_TICKS: u32 = 10;
/// Most tasks at once (context pool size, idle included).
pub const MAX_TASKS: usize = 1024;
const IDLE_SLOT: usize = 0;

static IDLE_TICKS: AtomicU64 = AtomicU64::new(0);
static CREATED: AtomicU64 = AtomicU64::new(0);
/// The running task's id, 0 while idle (read without the lock).
static CURRENT: AtomicU32 = AtomicU32::new(0);
/// The running task's `signal_pending`, kept with CURRENT so that the check every
/// return to user mode makes reads it without the lock or a lookup.
static CURRENT_SIGNAL_PENDING: AtomicBool = AtomicBool::new(false);
/// Whether the running task used up its time slice while others wait: set by the
/// tick, cleared by `schedule`, read without the lock on every return to user mode.
static NEED_RESCHED: AtomicBool = AtomicBool::new(false);

static CONTEXTS: [SavedContext; MAX_TASKS] = [const { SavedContext::new() }; MAX_TASKS];

/// Where a task stands with the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// Created, not started yet (its creator finishes setting it up first).
    New,
    /// Running or waiting in the run queue.
    Runnable,
    /// Waiting on a wait queue until woken.
    Blocked,
    /// Stopped by a signal until resumed.
    Stopped,
}

struct Task {
    state: RunState,
    slot: usize,
    kstack: KernelStack,
    fpu: Box<FpuState>,
    fs_base: u64,
    root: Root,
    /// A signal waits that should end blocking waits (set by the signal code).
    signal_pending: bool,
    cpu: CpuTime,
}

struct Scheduler {
    tasks: BTreeMap<Tid, Task>,
    run_queue: VecDeque<Tid>,
    current: Option<Tid>,
    next_tid: Tid,
    free_slots: Vec<usize>,
    slice_left: u32,
    /// Tasks that ended; freed once the CPU has left their stacks.
    ended: Vec<Task>,
}

static SCHEDULER: Mutex<Scheduler> = Mutex::new(Scheduler {
    tasks: BTreeMap::new(),
    run_queue: VecDeque::new(),
    current: None,
    next_tid: 1,
    free_slots: Vec::new(),
    slice_left: TIME_SLICE_TICKS,
    ended: Vec::new(),
});

fn with<R>(f: impl FnOnce(&mut Scheduler) -> R) -> R {
    without_interrupts(|| f(&mut SCHEDULER.lock()))
}

/// The register state, FPU state, FS base and address space a new task starts in.
pub struct TaskStart<'a> {
    pub kstack: KernelStack,
    pub frame: &'a TrapFrame,
    pub fpu: Box<FpuState>,
    pub fs_base: u64,
    pub root: Root,
}

/// Create a task that will enter user mode with `start.frame` once `start`ed.
/// None when the task table is full.
pub fn create(start: TaskStart<'_>) -> Option<Tid> {
    with(|s| {
        if s.free_slots.capacity() == 0 {
            // Room for every task at once, taken the first time: these lists then
            // never grow, so the kernel heap's use does not depend on how many
            // tasks once ran together (the exact leak checks count it).
            s.free_slots.reserve_exact(MAX_TASKS);
            s.run_queue.reserve_exact(MAX_TASKS);
        }
        let slot = s.free_slots.pop().or_else(|| {
            let used = s.tasks.len() + s.ended.len() + 1;
            (used < MAX_TASKS).then_some(used)
        })?;
        let tid = s.next_tid;
        s.next_tid += 1;
        CREATED.fetch_add(1, Ordering::Relaxed);
        CONTEXTS[slot].prepare_user(start.kstack.top(), start.frame);
        let task = Task {
            state: RunState::New,
            slot,
            kstack: start.kstack,
            fpu: start.fpu,
            fs_base: start.fs_base,
            root: start.root,
            signal_pending: false,
            cpu: CpuTime::default(),
        };
        s.tasks.insert(tid, task);
        Some(tid)
    })
}

/// Let a new task run.
pub fn start(tid: Tid) {
    with(|s| {
        if let Some(task) = s.tasks.get_mut(&tid)
            && task.state == RunState::New
        {
            task.state = RunState::Runnable;
            s.run_queue.push_back(tid);
        }
    });
}

/// The running task (system calls, user faults and blocking waits run only on
/// behalf of one).
pub fn current() -> Tid {
    try_current().expect("a task is running")
}

/// The running task, None in the idle loop.
pub fn try_current() -> Option<Tid> {
    match CURRENT.load(Ordering::Relaxed) {
        0 => None,
        tid => Some(tid),
    }
}

/// Block the current task (it must already be on a wait queue). Call with
/// interrupts disabled.
pub fn block_current() {
    set_current_state(RunState::Blocked);
    schedule();
}

/// Stop the current task until `resume`.
pub fn stop_current() {
    without_interrupts(|| {
        set_current_state(RunState::Stopped);
        schedule();
    });
}

fn set_current_state(state: RunState) {
    with(|s| {
        let tid = s.current.expect("a task is running");
        s.tasks.get_mut(&tid).expect("the current task exists").state = state;
    });
}

/// Make a blocked task runnable; safe from any context, interrupts included.
pub fn wake(tid: Tid) {
    with(|s| s.make_runnable(tid, RunState::Blocked));
}

/// Let a stopped task run again (it re-checks why it stopped).
pub fn resume(tid: Tid) {
    with(|s| s.make_runnable(tid, RunState::Stopped));
}

/// Mark whether `tid` has a signal to act on: set by the signal code when one
/// becomes deliverable (a blocked task is woken too), recomputed when its mask
/// or pending set changes.
pub fn set_signal_pending(tid: Tid, pending: bool) {
    with(|s| {
        if let Some(task) = s.tasks.get_mut(&tid) {
            task.signal_pending = pending;
        }
        if s.current == Some(tid) {
            CURRENT_SIGNAL_PENDING.store(pending, Ordering::Relaxed);
        }
        if pending {
            s.make_runnable(tid, RunState::Blocked);
        }
    });
}

/// Whether the current task has a signal to act on (blocking waits end early).
pub fn current_signal_pending() -> bool {
    CURRENT_SIGNAL_PENDING.load(Ordering::Relaxed)
}

/// The current task is now known by `tid` (execve in a thread takes its group
/// leader's id, which has ended).
pub fn rename_current(tid: Tid) {
    with(|s| {
        let old = s.current.expect("a task is running");
        let task = s.tasks.remove(&old).expect("the current task exists");
        s.tasks.insert(tid, task);
        s.current = Some(tid);
        CURRENT.store(tid, Ordering::Relaxed);
    });
}

/// Leave the current task for good; its stack is freed once the CPU is off it.
pub fn end_current() -> ! {
    crate::arch::cpu::disable_interrupts();
    let to = {
        let mut s = SCHEDULER.lock();
        let tid = s.current.take().expect("a task is running");
        let mut task = s.tasks.remove(&tid).expect("the current task exists");
        task.cpu.charge();
        s.ended.push(task);
        s.pick_next()
    };
    context::switch_away(&CONTEXTS[to])
}

/// The FS base (thread pointer) of the current task, and setting it.
pub fn fs_base() -> u64 {
    with(|s| s.current_task().fs_base)
}

pub fn set_fs_base(base: u64) {
    with(|s| s.current_task().fs_base = base);
    crate::arch::set_fs_base(base);
}

/// The current task runs in the address space with page-table `root` from now on.
pub fn set_page_table(root: Root) {
    with(|s| s.current_task().root = root);
    paging::activate(root);
}

/// Run `f` on the current task's FPU image: `save` it from the registers first
/// and `restore` it after changing it, as needed (the registers are live while
/// the task runs; the image is written at each switch).
pub fn with_current_fpu<R>(f: impl FnOnce(&mut FpuState) -> R) -> R {
    with(|s| f(&mut s.current_task().fpu))
}

/// A copy of the current task's live FPU registers (fork).
pub fn fpu_snapshot() -> Box<FpuState> {
    with_current_fpu(|fpu| {
        fpu.save();
        Box::new(fpu.clone())
    })
}

/// Where a task stands, or None if there is no such task (ended).
pub fn run_state(tid: Tid) -> Option<RunState> {
    with(|s| s.tasks.get(&tid).map(|t| t.state))
}

/// Timer ticks that found `tid` running (0 once it has ended).
pub fn cpu_ticks(tid: Tid) -> u64 {
    with(|s| s.tasks.get(&tid).map_or(0, |t| t.cpu.ticks()))
}

/// The CPU time `tid` has used so far (None once it has ended).
pub fn cpu_sample(tid: Tid) -> Option<Sample> {
    with(|s| {
        let running = s.current == Some(tid);
        s.tasks.get(&tid).map(|t| t.cpu.sample(running))
    })
}

/// The current task's user and system time (never less than reported before).
pub fn cpu_split_current() -> Split {
    with(|s| s.current_task().cpu.split(true))
}

/// Tasks waiting for the CPU or on it (/proc/loadavg).
pub fn runnable_count() -> usize {
    with(|s| s.tasks.values().filter(|t| t.state == RunState::Runnable).count())
}

impl Scheduler {
    fn current_task(&mut self) -> &mut Task {
        let tid = self.current.expect("a task is running");
        self.tasks.get_mut(&tid).expect("the current task exists")
    }

    fn make_runnable(&mut self, tid: Tid, from: RunState) {
        if let Some(task) = self.tasks.get_mut(&tid)
            && task.state == from
        {
            task.state = RunState::Runnable;
            self.run_queue.push_back(tid);
        }
    }

    /// Pick the next runnable task after `current` and prepare the CPU for it
    /// (FPU state, kernel stack, address space, FS base). Returns its context slot.
    fn pick_next(&mut self) -> usize {
        while let Some(tid) = self.run_queue.pop_front() {
            let Some(next) = self.tasks.get_mut(&tid) else { continue };
            if next.state != RunState::Runnable || Some(tid) == self.current {
                continue;
            }
            paging::activate(next.root);
            next.fpu.restore();
            next.cpu.switch_in();
            syscall::set_kernel_stack(next.kstack.top());
            crate::arch::set_fs_base(next.fs_base);
            self.current = Some(tid);
            CURRENT.store(tid, Ordering::Relaxed);
            CURRENT_SIGNAL_PENDING.store(next.signal_pending, Ordering::Relaxed);
            self.slice_left = TIME_SLICE_TICKS;
            return next.slot;
        }
        paging::activate(paging::kernel_root());
        self.current = None;
        CURRENT.store(0, Ordering::Relaxed);
        CURRENT_SIGNAL_PENDING.store(false, Ordering::Relaxed);
        IDLE_SLOT
    }

    /// Free the ended tasks (the caller runs on a stack that is not theirs).
    fn reap_ended(&mut self) -> Vec<Task> {
        let ended = core::mem::take(&mut self.ended);
        self.free_slots.extend(ended.iter().map(|t| t.slot));
        ended
    }
}

/// Give the CPU to the next runnable task (or idle); returns when this context is
/// resumed. A runnable caller goes to the back of the run queue.
pub fn schedule() {
    without_interrupts(|| {
        let (from, to, ended) = {
            let mut s = SCHEDULER.lock();
            let ended = s.reap_ended();
            NEED_RESCHED.store(false, Ordering::Relaxed);
            let from = match s.current {
                Some(tid) => {
                    let task = s.tasks.get_mut(&tid).expect("the current task exists");
                    task.fpu.save();
                    task.cpu.charge();
                    let (slot, runnable) = (task.slot, task.state == RunState::Runnable);
                    if runnable && s.run_queue.is_empty() {
                        s.slice_left = TIME_SLICE_TICKS;
                        return; // nobody else wants the CPU
                    }
                    if runnable {
                        s.run_queue.push_back(tid);
                    }
                    s.current = None;
                    slot
                }
                None => IDLE_SLOT,
            };
            (from, s.pick_next(), ended)
        };
        drop(ended);
        if from != to {
            context::switch(&CONTEXTS[from], &CONTEXTS[to]);
            // Back on this task's stack: a task that ended while it was away
            // (the child a waiting parent was woken by) is freed now, not at
            // some later switch.
            let ended = SCHEDULER.lock().reap_ended();
            drop(ended);
        }
    });
}

/// Timer tick: charge the tick to the running task (or idle), in user mode or
/// not, and count down its time slice.
pub fn on_tick(user_mode: bool) {
    with(|s| match s.current {
        Some(tid) => {
            if let Some(task) = s.tasks.get_mut(&tid) {
                task.cpu.tick(user_mode);
            }
            s.slice_left = s.slice_left.saturating_sub(1);
            if s.slice_left == 0 && !s.run_queue.is_empty() {
                NEED_RESCHED.store(true, Ordering::Relaxed);
            }
        }
        None => {
            IDLE_TICKS.fetch_add(1, Ordering::Relaxed);
        }
    });
}

/// Ticks spent idle (for /proc/uptime and /proc/stat).
pub fn idle_ticks() -> u64 {
    IDLE_TICKS.load(Ordering::Relaxed)
}

/// Tasks created since boot (/proc/stat's "processes").
pub fn tasks_created() -> u64 {
    CREATED.load(Ordering::Relaxed)
}

/// Whether the running task should give up the CPU at the next chance.
pub fn need_resched() -> bool {
    NEED_RESCHED.load(Ordering::Relaxed)
}

/// The idle loop, run by the boot context once tasks exist.
pub fn idle() -> ! {
    loop {
        schedule();
        crate::arch::cpu::wait_for_interrupt();
    }
}
