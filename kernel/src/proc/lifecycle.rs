//! Creating and ending processes: the first process, fork (an eager copy), execve's
//! commit, exit (everything freed but the zombie's status), wait4 (exits, stops
//! and continues), stopping on a signal, and sending signals to processes and
//! process groups.
use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use kabi::Errno;
use kabi::process::{wait_status_exited, wait_status_signaled, wait_status_stopped};
use kabi::signal::{SA_NOCLDSTOP, Signal};
use spin::Mutex;

use crate::arch::fpu::FpuState;
use crate::arch::gdt::{USER_CODE_SELECTOR, USER_DATA_SELECTOR};
use crate::arch::trap::TrapFrame;
use crate::fs::FdTable;
use crate::mm::kstack::KernelStack;

use super::exec::Image;
use super::process::{Pid, Process, ProcessMemory, State};
use super::scheduler::{self, Table, with_table};
use super::signal::{self, Signals};
use super::wait_queue::WaitQueue;

/// Waiters in wait4; woken whenever a child exits, stops or continues.
static CHILD_CHANGED: WaitQueue = WaitQueue::new();

pub const INIT_PID: Pid = 1;

/// si_code values of SIGCHLD.
const CLD_EXITED: i32 = 1;
const CLD_KILLED: i32 = 2;
const CLD_STOPPED: i32 = 5;

/// The register state that starts `image` in user mode.
fn entry_frame(image: &Image) -> TrapFrame {
    TrapFrame {
        rip: image.entry,
        rsp: image.stack_pointer,
        cs: USER_CODE_SELECTOR.into(),
        ss: USER_DATA_SELECTOR.into(),
        rflags: 0x202, // IF
        ..TrapFrame::default()
    }
}

/// Create the first process (pid 1) from `image`, with fds 0-2 on the console, in
/// its own session and process group.
pub fn spawn_init(image: Image, cmdline: Vec<String>, exe: String) -> Result<Pid, Errno> {
    let kstack = KernelStack::new().map_err(|_| Errno::ENOMEM)?;
    with_table(|t| {
        let (pid, slot) = t.allocate_ids().ok_or(Errno::EAGAIN)?;
        scheduler::context(slot).prepare_user(kstack.top(), &entry_frame(&image));
        t.insert_runnable(Box::new(Process {
            pid,
            tgid: pid,
            parent: 0,
            children: Vec::new(),
            state: State::Runnable,
            memory: Some(ProcessMemory::new(image.space, image.memory)),
            kstack,
            context_slot: slot,
            fpu: Box::new(FpuState::initial()),
            fs_base: 0,
            files: Arc::new(Mutex::new(FdTable::with_console())),
            cwd: crate::fs::vfs::root(),
            umask: 0o022,
            cmdline,
            exe,
            cpu: Default::default(),
            start_ticks: crate::time::ticks(),
            signals: Signals::default(),
            pgid: pid,
            sid: pid,
            unreported_change: None,
            alarm_at: None,
            alarm_interval: 0,
            clear_child_tid: 0,
            vfork_parent: None,
            limits: Default::default(),
            group_exit: None,
            robust_list: 0,
            ended_by_exec: false,
            thread_name: None,
            groups: Vec::new(),
            nice: 0,
        }));
        Ok(pid)
    })
}

/// Waiting vfork parents; woken when a vfork child execs or exits.
static VFORK_RELEASED: WaitQueue = WaitQueue::new();

/// What clone(2) asks for beyond a plain fork.
#[derive(Debug, Clone, Copy, Default)]
pub struct CloneOptions {
    /// The child's stack pointer.
    pub stack: Option<u64>,
    /// The child's thread pointer (FS base).
    pub tls: Option<u64>,
    /// Where the child's tid is cleared at exit (CLONE_CHILD_CLEARTID).
    pub clear_child_tid: u64,
    /// Where the child's tid is stored in the child's memory before it first
    /// runs (CLONE_CHILD_SETTID; glibc's fork reads it in the child at once).
    pub set_child_tid: Option<u64>,
    /// Where the child's tid is stored in the caller's memory before the child
    /// can run (CLONE_PARENT_SETTID; pthread_join relies on the order).
    pub set_parent_tid: Option<u64>,
    /// The parent waits until the child execs or exits (CLONE_VFORK).
    pub vfork: bool,
    /// A thread of the caller's group (CLONE_THREAD; Linux requires CLONE_VM and
    /// CLONE_SIGHAND with it).
    pub thread: bool,
    /// The caller's memory itself, not a copy (CLONE_VM).
    pub share_memory: bool,
    /// The caller's descriptor table itself (CLONE_FILES).
    pub share_files: bool,
    /// The child's parent is the caller's parent (CLONE_PARENT).
    pub sibling: bool,
}

/// fork/clone: a copy of the current process whose call returns 0. Memory is
/// always copied (eagerly); a vfork parent waits until the child execs or exits,
/// so a CLONE_VM|CLONE_VFORK child (musl's posix_spawn) behaves as on Linux.
pub fn fork(frame: &TrapFrame, options: CloneOptions) -> Result<Pid, Errno> {
    let pid = copy_current(frame, options)?;
    if options.vfork {
        let _ = VFORK_RELEASED
            .wait_until(|| with_table(|t| t.procs.get(&pid).is_none_or(|c| c.vfork_parent.is_none()).then_some(())));
    }
    Ok(pid)
}

/// A vfork child has exec'd or exited: its parent may go on.
fn release_vfork_parent(p: &mut Process) {
    if p.vfork_parent.take().is_some() {
        VFORK_RELEASED.wake_all();
    }
}

/// Frames a copy of a process with `pages` pages and `tables` page tables needs,
/// its kernel stack included.
fn frames_for_copy(pages: usize, tables: usize) -> u64 {
    (pages + tables) as u64 + crate::layout::KERNEL_STACK_SLOT / 4096
}

/// fork's copy. It fails with EAGAIN, as Linux's fork does when resources run
/// out: at RLIMIT_NPROC (counted over every process, zombies included: everyone
/// is the same user, and there are no capabilities to exempt root yet), when the
/// process table is full, or when free memory outside the kernel's reserve cannot
/// hold the copy (checked before copying, so a fork bomb stops early).
fn copy_current(frame: &TrapFrame, options: CloneOptions) -> Result<Pid, Errno> {
    let kstack = KernelStack::new().map_err(|_| Errno::EAGAIN)?;
    with_table(|t| {
        let caller_tid = t.current().expect("fork from a process");
        let caller = t.procs.get(&caller_tid).expect("current process");
        if t.procs.len() as u64 >= caller.limits.soft(kabi::process::RLIMIT_NPROC) {
            return Err(Errno::EAGAIN);
        }
        let memory = if options.share_memory {
            caller.memory.clone().ok_or(Errno::EAGAIN)?
        } else {
            let memory = caller.memory().ok_or(Errno::EAGAIN)?;
            let (pages, tables) = memory.space.usage();
            if crate::mm::frames::stats().free < crate::mm::frames::reserve() + frames_for_copy(pages, tables) {
                return Err(Errno::EAGAIN);
            }
            ProcessMemory::new(memory.space.clone_eager().map_err(|_| Errno::EAGAIN)?, memory.layout.clone())
        };
        let files =
            if options.share_files { caller.files.clone() } else { Arc::new(Mutex::new(caller.files.lock().clone())) };
        // A new process's parent is the caller's group (any of its threads may
        // wait for it), or the caller's parent with CLONE_PARENT; a thread's is
        // its group's parent.
        let parent = if options.thread || options.sibling { caller.parent } else { caller.tgid };
        let mut fpu = caller.fpu.clone();
        fpu.save(); // the caller's live registers
        let child = Process {
            pid: 0,
            tgid: 0,
            parent,
            children: Vec::new(),
            state: State::Runnable,
            memory: Some(memory),
            kstack,
            context_slot: 0,
            fpu,
            fs_base: options.tls.unwrap_or(caller.fs_base),
            files,
            cwd: caller.cwd.clone(),
            umask: caller.umask,
            cmdline: caller.cmdline.clone(),
            exe: caller.exe.clone(),
            cpu: Default::default(),
            start_ticks: crate::time::ticks(),
            signals: Signals { pending: 0, info: Default::default(), ..caller.signals.clone() },
            pgid: caller.pgid,
            sid: caller.sid,
            unreported_change: None,
            alarm_at: None,
            alarm_interval: 0,
            clear_child_tid: options.clear_child_tid,
            vfork_parent: options.vfork.then_some(caller_tid),
            limits: caller.limits,
            group_exit: None,
            robust_list: 0,
            ended_by_exec: false,
            thread_name: caller.thread_name.clone(),
            groups: caller.groups.clone(),
            nice: caller.nice,
        };
        let caller_tgid = caller.tgid;
        let (pid, slot) = t.allocate_ids().ok_or(Errno::EAGAIN)?;
        let tgid = if options.thread { caller_tgid } else { pid };
        let tid_bytes = (pid as i32).to_le_bytes();
        if let (Some(addr), Some(mut memory)) =
            (options.set_parent_tid, t.procs.get(&caller_tid).and_then(|c| c.memory()))
        {
            let _ = crate::mm::user::copy_to_user(&mut memory.space, addr, &tid_bytes);
        }
        if let (Some(addr), Some(mut memory)) = (options.set_child_tid, child.memory()) {
            // As Linux's schedule_tail, a bad address is ignored.
            let _ = crate::mm::user::copy_to_user(&mut memory.space, addr, &tid_bytes);
        }
        let mut child_frame = frame.clone();
        child_frame.rax = 0;
        if let Some(stack) = options.stack {
            child_frame.rsp = stack;
        }
        scheduler::context(slot).prepare_user(child.kstack.top(), &child_frame);
        if !options.thread
            && let Some(parent) = t.procs.get_mut(&parent)
        {
            parent.children.push(pid);
        }
        t.insert_runnable(Box::new(Process { pid, tgid, context_slot: slot, ..child }));
        Ok(pid)
    })
}

/// Replace the current program with `image` (execve's commit): the old memory is
/// freed, close-on-exec files closed, caught signals reset, and `frame` returns into
/// the new entry point.
pub fn commit_exec(image: Image, cmdline: Vec<String>, exe: String, frame: &mut TrapFrame) {
    *frame = entry_frame(&image);
    let old = scheduler::with_current(|p| {
        let old = p.memory.replace(ProcessMemory::new(image.space, image.memory));
        if let Some(memory) = p.memory() {
            memory.space.activate();
        }
        p.fs_base = 0;
        crate::arch::set_fs_base(0);
        p.cmdline = cmdline;
        p.exe = exe;
        p.thread_name = None;
        // execve gives the program a table of its own (Linux's unshare_files),
        // then closes the close-on-exec descriptors.
        let table = p.files.lock().clone();
        p.files = Arc::new(Mutex::new(table));
        p.files.lock().close_on_exec();
        p.signals.reset_for_exec();
        p.clear_child_tid = 0;
        release_vfork_parent(p);
        *p.fpu = FpuState::initial();
        p.fpu.restore();
        old
    });
    drop(old);
}

/// Tell the parent of `child` about a change: SIGCHLD (unless it asked not to hear
/// of stops) and a wakeup of its wait4.
fn notify_parent(t: &mut Table, child: Pid, code: i32, status: i32) {
    let Some(parent_pid) = t.procs.get(&child).map(|p| p.parent) else { return };
    // SIGCHLD goes to the parent process: to one of its live threads.
    let Some(&receiver) = receivers(t, parent_pid, Some(Signal::SIGCHLD)).first() else { return };
    let wake = t.procs.get_mut(&receiver).is_some_and(|parent| {
        let quiet = code == CLD_STOPPED && parent.signals.action(Signal::SIGCHLD).sa_flags & SA_NOCLDSTOP != 0;
        !quiet && signal::post(parent, Signal::SIGCHLD, signal::child_info(child, code, status))
    });
    if wake {
        t.wake_locked(receiver);
    }
}

/// How much of its thread group a task's exit ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitScope {
    /// exit(2): this thread; the group ends with its last thread.
    Thread,
    /// exit_group(2) or a fatal signal: every thread of the group.
    Group,
}

/// End the current task with a Linux wait status. Never returns.
///
/// Before its memory goes, the thread's CLONE_CHILD_CLEARTID word is cleared and
/// its waiters woken, and its robust futexes are marked as their owner's death
/// (proc/futex.rs). A group exit makes every other thread of the group exit
/// too (SIGKILL) with the status asked for. When the group's last thread ends,
/// the leader becomes a zombie for its parent's wait4 and its children go to init;
/// a thread that is not the leader is removed once the CPU has left its stack.
pub fn exit_current(status: i32, scope: ExitScope) -> ! {
    super::futex::release_on_exit();
    crate::arch::cpu::disable_interrupts();
    let (tgid, name, leftovers) = with_table(|t| {
        let tid = t.current().expect("exit from a process");
        let tgid = t.procs.get(&tid).expect("current process").tgid;
        if scope == ExitScope::Group {
            end_group(t, tgid, tid, status);
        }
        let others_live = t.procs.values().any(|p| p.tgid == tgid && p.pid != tid && p.is_live());
        let p = t.procs.get_mut(&tid).expect("current process");
        release_vfork_parent(p);
        let mut leftovers = (p.memory.take(), core::mem::take(&mut p.files), Vec::new());
        if tid != tgid {
            p.state = State::Exited;
            scheduler::reap_after_switch(tid);
        }
        if others_live {
            if tid == tgid {
                p.state = State::Exited; // the leader stays for its group
            }
            return (tgid, None, leftovers);
        }
        let leader = t.procs.get_mut(&tgid).expect("a thread group keeps its leader");
        let group_status = leader.group_exit.unwrap_or(status);
        leader.state = State::Zombie(group_status);
        leftovers.2 = core::mem::take(&mut leader.children);
        let name = String::from(leader.name());
        for task in t.procs.values_mut().filter(|task| leftovers.2.contains(&task.tgid)) {
            task.parent = INIT_PID;
        }
        if let Some(init) = t.procs.get_mut(&INIT_PID) {
            init.children.extend_from_slice(&leftovers.2);
        }
        // SIGCHLD's si_status: the exit code, or the signal that killed it.
        let (code, si_status) = if group_status & 0x7f == 0 {
            (CLD_EXITED, (group_status >> 8) & 0xff)
        } else {
            (CLD_KILLED, group_status & 0x7f)
        };
        notify_parent(t, tgid, code, si_status);
        (tgid, Some((name, group_status)), leftovers)
    });
    drop(leftovers); // frees the memory (switching to the kernel's table first) and closes the files
    if let Some((name, group_status)) = name {
        if tgid == INIT_PID {
            init_ended(&name, group_status);
        }
        CHILD_CHANGED.wake_all();
    }
    scheduler::schedule_away()
}

/// exit_group or a fatal signal in `tid`: the group `tgid` ends with `status`
/// (the first such request wins); every other live thread gets SIGKILL.
fn end_group(t: &mut Table, tgid: Pid, tid: Pid, status: i32) {
    if let Some(leader) = t.procs.get_mut(&tgid) {
        leader.group_exit.get_or_insert(status);
    }
    let others: Vec<Pid> =
        t.procs.values().filter(|p| p.tgid == tgid && p.pid != tid && p.is_live()).map(|p| p.pid).collect();
    for other in others {
        let p = t.procs.get_mut(&other).expect("listed above");
        if signal::post(p, Signal::SIGKILL, signal::kernel_info(Signal::SIGKILL, 0x80, 0)) {
            t.wake_locked(other);
        }
    }
}

/// pid 1 is gone: report and stop the machine.
fn init_ended(name: &str, status: i32) -> ! {
    log::info!("init ({name}) exited with wait status {status:#x}; stopping");
    stop_without_init(status == 0)
}

/// The system cannot go on without init: halt. Under QEMU, exit with the agreed
/// status instead, the verdict of a boot test that ran a test program as init.
pub fn stop_without_init(success: bool) -> ! {
    if success {
        crate::ktest::pass()
    }
    crate::arch::qemu::exit(crate::arch::qemu::ExitCode::Failure);
    crate::arch::cpu::halt_forever()
}

/// End the current process (its whole thread group) by `signal`; a thread that
/// another's execve ended goes alone.
pub fn exit_by_signal(signal: Signal) -> ! {
    let scope = if scheduler::with_current(|p| p.ended_by_exec) { ExitScope::Thread } else { ExitScope::Group };
    exit_current(wait_status_signaled(signal as u8, false), scope)
}

/// execve's point of no return in a thread group (Linux's de_thread): every other
/// thread ends (SIGKILL) and the caller waits until they are gone; a caller that
/// is not the leader then takes the leader's place, and its id.
pub fn become_sole_thread() {
    loop {
        let others = with_table(|t| {
            let me = t.current().expect("exec from a process");
            let tgid = t.procs.get(&me).expect("current process").tgid;
            let others: Vec<Pid> =
                t.procs.values().filter(|p| p.tgid == tgid && p.pid != me && p.is_live()).map(|p| p.pid).collect();
            for &other in &others {
                let p = t.procs.get_mut(&other).expect("listed above");
                p.ended_by_exec = true;
                if signal::post(p, Signal::SIGKILL, signal::kernel_info(Signal::SIGKILL, 0x80, 0)) {
                    t.wake_locked(other);
                }
            }
            others.len()
        });
        if others == 0 {
            break;
        }
        scheduler::schedule(); // let them run to their end
    }
    let old_leader = with_table(|t| {
        let me = t.current().expect("exec from a process");
        let tgid = t.procs.get(&me).expect("current process").tgid;
        if me == tgid {
            return None;
        }
        let leader = t.remove(tgid)?;
        let mut task = t.procs.remove(&me).expect("current process");
        task.pid = tgid;
        task.parent = leader.parent;
        task.children = leader.children.clone();
        t.procs.insert(tgid, task);
        t.set_current(tgid);
        Some(leader)
    });
    drop(old_leader);
}

/// exit (this thread) or exit_group (`scope`).
pub fn exit_with_code(code: u8, scope: ExitScope) -> ! {
    exit_current(wait_status_exited(code), scope)
}

/// Stop the current thread on `signal` until SIGCONT (a stop signal is posted to
/// every thread of a group, each stops itself; the leader tells the parent).
pub fn stop_current(signal: Signal) {
    crate::arch::cpu::without_interrupts(|| {
        with_table(|t| {
            let pid = t.current().expect("a process stops itself");
            let p = t.procs.get_mut(&pid).expect("current process");
            p.state = State::Stopped(signal);
            if p.is_leader() {
                p.unreported_change = Some(wait_status_stopped(signal as u8));
                notify_parent(t, pid, CLD_STOPPED, signal as i32);
            }
        });
        CHILD_CHANGED.wake_all();
        scheduler::schedule();
    });
}

/// Which children wait4's pid argument selects: -1 any, > 0 that one, 0 the
/// caller's group, < -1 group -pid.
fn selects(t: &Table, wanted: i64, caller_group: Pid, child: Pid) -> bool {
    let group = t.procs.get(&child).map_or(0, |c| c.pgid);
    match wanted {
        -1 => true,
        0 => group == caller_group,
        w if w < -1 => i64::from(group) == -w,
        w => w == i64::from(child),
    }
}

/// wait4 options.
#[derive(Debug, Clone, Copy)]
pub struct WaitOptions {
    pub nohang: bool,
    pub untraced: bool,
    pub continued: bool,
}

/// wait4: a child's exit (reaped), stop or continue; Ok(None) for WNOHANG with
/// nothing to report.
pub fn wait(wanted: i64, options: WaitOptions) -> Result<Option<(Pid, i32)>, Errno> {
    CHILD_CHANGED
        .wait_until(|| {
            with_table(|t| {
                // Any thread waits for the children of its whole group (kept by
                // the group's leader).
                let me = t.current().expect("wait from a process");
                let (group, leader) = t.procs.get(&me).map(|p| (p.pgid, p.tgid)).expect("current process");
                let caller = t.procs.get(&leader).expect("a thread group keeps its leader");
                let candidates: Vec<Pid> =
                    caller.children.iter().copied().filter(|&c| selects(t, wanted, group, c)).collect();
                if candidates.is_empty() {
                    return Some(Err(Errno::ECHILD));
                }
                for child in candidates {
                    let c = t.procs.get_mut(&child)?;
                    match (c.state, c.unreported_change) {
                        (State::Zombie(status), _) => {
                            let leader = t.procs.get_mut(&leader).expect("a thread group keeps its leader");
                            leader.children.retain(|&x| x != child);
                            drop(t.remove(child));
                            return Some(Ok(Some((child, status))));
                        }
                        (State::Stopped(_), Some(status)) if options.untraced => {
                            c.unreported_change = None;
                            return Some(Ok(Some((child, status))));
                        }
                        (State::Runnable | State::Blocked, Some(status)) if options.continued => {
                            c.unreported_change = None;
                            return Some(Ok(Some((child, status))));
                        }
                        _ => {}
                    }
                }
                options.nohang.then_some(Ok(None))
            })
        })
        .unwrap_or(Err(Errno::EINTR))
}

/// Where kill sends a signal.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The process (thread group) with this pid.
    Process(Pid),
    /// One thread, in the group `group` if given (tgkill).
    Thread {
        tid: Pid,
        group: Option<Pid>,
    },
    Group(Pid),
    /// Every process but init and the sender (kill -1).
    All,
}

/// kill(2): post `signal` (None = existence and permission check only). A signal
/// for a process goes to one of its threads that does not block it (or to its
/// first live thread); SIGKILL, SIGSTOP and SIGCONT act on every thread.
pub fn kill(target: Target, signal: Option<Signal>) -> Result<(), Errno> {
    with_table(|t| {
        let sender_tid = t.current().unwrap_or(0);
        let sender = t.procs.get(&sender_tid).map_or(0, |p| p.tgid);
        let tids: Vec<Pid> = match target {
            Target::Thread { tid, group } => t
                .procs
                .get(&tid)
                .filter(|p| p.is_live() && group.is_none_or(|g| g == p.tgid))
                .map(|p| alloc::vec![p.pid])
                .unwrap_or_default(),
            _ => {
                let groups: Vec<Pid> = t
                    .procs
                    .values()
                    .filter(|p| p.is_live())
                    .filter(|p| match target {
                        Target::Process(pid) => p.tgid == pid,
                        Target::Group(group) => p.pgid == group,
                        Target::All => p.tgid != INIT_PID && p.tgid != sender,
                        Target::Thread { .. } => false,
                    })
                    .map(|p| p.tgid)
                    .collect::<alloc::collections::BTreeSet<Pid>>()
                    .into_iter()
                    .collect();
                groups.into_iter().flat_map(|g| receivers(t, g, signal)).collect()
            }
        };
        if tids.is_empty() {
            return Err(Errno::ESRCH);
        }
        if let Some(signal) = signal {
            for tid in tids {
                let p = t.procs.get_mut(&tid).expect("listed above");
                if signal::post(p, signal, signal::user_info(signal, sender)) {
                    t.wake_locked(tid);
                }
            }
        }
        Ok(())
    })
}

/// The threads of group `tgid` a process-directed `signal` is posted to: every
/// live one for SIGKILL, SIGSTOP and SIGCONT (they act on the whole group); else
/// the first that does not block it, or the first live one.
fn receivers(t: &Table, tgid: Pid, signal: Option<Signal>) -> Vec<Pid> {
    let live: Vec<&Process> = t.procs.values().filter(|p| p.tgid == tgid && p.is_live()).map(|p| &**p).collect();
    let whole_group = matches!(signal, Some(Signal::SIGKILL | Signal::SIGSTOP | Signal::SIGCONT));
    if whole_group {
        return live.iter().map(|p| p.pid).collect();
    }
    let unblocked = signal.and_then(|s| live.iter().find(|p| p.signals.mask & s.mask_bit() == 0));
    unblocked.or(live.first()).map(|p| alloc::vec![p.pid]).unwrap_or_default()
}

/// Raise `signal` on the current process (SIGPIPE from a write).
pub fn raise_on_current(signal: Signal) {
    scheduler::with_current(|p| {
        let pid = p.pid;
        signal::post(p, signal, signal::user_info(signal, pid));
    });
}

/// The process group and session of a process (for the TTY and setpgid).
pub fn group_of(pid: Pid) -> Option<(Pid, Pid)> {
    with_table(|t| t.procs.get(&pid).map(|p| (p.pgid, p.sid)))
}
