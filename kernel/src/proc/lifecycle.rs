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
use crate::task::scheduler::{self as task, TaskStart};
use crate::task::wait_queue::WaitQueue;

use super::group::ThreadGroup;
use super::process::{FsContext, Pid, Process, ProcessMemory, State};
use super::signal::{self, Signals};
use super::table::{Table, with_table};

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
        let start = TaskStart {
            kstack,
            frame: &entry_frame(&image),
            fpu: Box::new(FpuState::initial()),
            fs_base: 0,
            root: image.space.root(),
        };
        let pid = task::create(start).ok_or(Errno::EAGAIN)?;
        t.procs.insert(
            pid,
            Box::new(Process {
                pid,
                tgid: pid,
                parent: 0,
                children: Vec::new(),
                state: State::Live,
                memory: Some(ProcessMemory::new(image.space, image.memory)),
                files: Arc::new(Mutex::new(FdTable::with_console())),
                fs: FsContext::new(crate::fs::vfs::root(), 0o022),
                group: ThreadGroup::new(pid, pid, image.creds),
                cmdline,
                exe,
                start_ticks: crate::time::ticks(),
                signals: Signals::default(),
                unreported_change: None,
                clear_child_tid: 0,
                vfork_parent: None,
                robust_list: 0,
                ended_by_exec: false,
                thread_name: None,
                nice: 0,
                pdeath_signal: 0,
                no_new_privs: false,
                keep_caps: false,
                timer_slack: super::process::DEFAULT_TIMER_SLACK,
            }),
        );
        task::start(pid);
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
    /// The caller's working directory and umask (CLONE_FS).
    pub share_fs: bool,
    /// The caller's signal handlers (CLONE_SIGHAND).
    pub share_handlers: bool,
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

/// Frames fork leaves free besides the kernel's reserve, for the processes
/// already running to grow (1 MiB): a fork bomb stops while the shell that is to
/// kill it can still take a page.
const FORK_HEADROOM_FRAMES: u64 = 256;

/// fork's copy. It fails with EAGAIN, as Linux's fork does when resources run
/// out: at RLIMIT_NPROC (the tasks of the caller's real uid, zombies included;
/// unlike Linux, root is not exempt), when the process table is full, or when
/// free memory outside the kernel's reserve cannot hold the copy and leave
/// `FORK_HEADROOM_FRAMES` (checked as each page is copied: the copy is undone).
fn copy_current(frame: &TrapFrame, options: CloneOptions) -> Result<Pid, Errno> {
    let kstack = KernelStack::new().map_err(|_| Errno::EAGAIN)?;
    let caller_memory = with_table(|t| {
        let caller = t.procs.get(&task::current()).expect("current process");
        let uid = caller.group().creds.user.real;
        let tasks = t.procs.values().filter(|p| p.group().creds.user.real == uid).count();
        if tasks as u64 >= caller.limits().soft(kabi::process::RLIMIT_NPROC) {
            return Err(Errno::EAGAIN);
        }
        caller.memory.clone().ok_or(Errno::EAGAIN)
    })?;
    // The copy holds only the caller's memory (a sleeping lock), with interrupts
    // on: the process table stays free however large the memory is.
    let memory = if options.share_memory {
        caller_memory.clone()
    } else {
        let source = caller_memory.lock();
        let space = source.space.clone_eager(FORK_HEADROOM_FRAMES).map_err(|_| Errno::EAGAIN)?;
        ProcessMemory::new(space, source.layout.clone())
    };
    let root = memory.lock().space.root();
    let pid = with_table(|t| {
        let caller_tid = task::current();
        let caller = t.procs.get(&caller_tid).expect("current process");
        let files =
            if options.share_files { caller.files.clone() } else { Arc::new(Mutex::new(caller.files.lock().clone())) };
        // A new process's parent is the caller's group (any of its threads may
        // wait for it), or the caller's parent with CLONE_PARENT; a thread's is
        // its group's parent.
        let parent = if options.thread || options.sibling { caller.parent } else { caller.tgid };
        let mut child_frame = frame.clone();
        child_frame.rax = 0;
        if let Some(stack) = options.stack {
            child_frame.rsp = stack;
        }
        let start = TaskStart {
            kstack,
            frame: &child_frame,
            fpu: task::fpu_snapshot(),
            fs_base: options.tls.unwrap_or_else(task::fs_base),
            root,
        };
        let pid = task::create(start).ok_or(Errno::EAGAIN)?;
        let child = Process {
            pid,
            tgid: if options.thread { caller.tgid } else { pid },
            parent,
            children: Vec::new(),
            state: State::Live,
            memory: Some(memory.clone()),
            files,
            fs: if options.share_fs { caller.fs.clone() } else { Arc::new(Mutex::new(caller.fs.lock().clone())) },
            group: if options.thread { caller.group.clone() } else { caller.group().for_child() },
            cmdline: caller.cmdline.clone(),
            exe: caller.exe.clone(),
            start_ticks: crate::time::ticks(),
            signals: caller.signals.for_child(options.share_handlers, options.share_memory && !options.vfork),
            unreported_change: None,
            clear_child_tid: options.clear_child_tid,
            vfork_parent: options.vfork.then_some(caller_tid),
            robust_list: 0,
            ended_by_exec: false,
            thread_name: caller.thread_name.clone(),
            nice: caller.nice,
            pdeath_signal: 0,
            no_new_privs: caller.no_new_privs,
            keep_caps: caller.keep_caps,
            timer_slack: caller.timer_slack,
        };
        if !options.thread
            && let Some(parent) = t.procs.get_mut(&parent)
        {
            parent.children.push(pid);
        }
        t.procs.insert(pid, Box::new(child));
        Ok(pid)
    })?;
    // The new task exists but cannot run yet: the tids are in place before it
    // does (glibc's fork reads CLONE_CHILD_SETTID's word in the child at once).
    let tid_bytes = (pid as i32).to_le_bytes();
    if let Some(addr) = options.set_parent_tid {
        let _ = crate::mm::user::copy_to_user(&mut caller_memory.lock().space, addr, &tid_bytes);
    }
    if let Some(addr) = options.set_child_tid {
        // As Linux's schedule_tail, a bad address is ignored.
        let _ = crate::mm::user::copy_to_user(&mut memory.lock().space, addr, &tid_bytes);
    }
    task::start(pid);
    Ok(pid)
}

/// Replace the current program with `image` (execve's commit): the old memory is
/// freed, close-on-exec files closed, caught signals reset, and `frame` returns into
/// the new entry point.
pub fn commit_exec(image: Image, cmdline: Vec<String>, exe: String, frame: &mut TrapFrame) {
    *frame = entry_frame(&image);
    let (old, closed) = super::table::with_current(|p| {
        task::set_page_table(image.space.root());
        let old = p.memory.replace(ProcessMemory::new(image.space, image.memory));
        p.group().creds = image.creds;
        task::set_fs_base(0);
        p.cmdline = cmdline;
        p.exe = exe;
        p.thread_name = None;
        // execve gives the program a table of its own (Linux's unshare_files),
        // then closes the close-on-exec descriptors.
        let table = p.files.lock().clone();
        p.files = Arc::new(Mutex::new(table));
        let closed = p.files.lock().close_on_exec();
        p.signals.reset_for_exec();
        p.group().undumpable = false;
        p.clear_child_tid = 0;
        release_vfork_parent(p);
        task::with_current_fpu(|fpu| {
            *fpu = FpuState::initial();
            fpu.restore();
        });
        (old, closed)
    });
    drop(old);
    drop(closed); // with the table's lock released: a last close may signal processes
}

/// Tell the parent of `child` about a change: SIGCHLD (unless it asked not to hear
/// of stops) and a wakeup of its wait4.
fn notify_parent(t: &mut Table, child: Pid, code: i32, status: i32) {
    let Some(parent_pid) = t.procs.get(&child).map(|p| p.parent) else { return };
    let quiet = t.procs.get(&parent_pid).is_none_or(|parent| {
        code == CLD_STOPPED && parent.signals.action(Signal::SIGCHLD).sa_flags & SA_NOCLDSTOP != 0
    });
    if !quiet {
        signal_process(t, parent_pid, Signal::SIGCHLD, signal::child_info(child, code, status));
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
/// a thread that is not the leader leaves the table at once (the task layer frees
/// its stack once the CPU has left it).
pub fn exit_current(status: i32, scope: ExitScope) -> ! {
    super::futex::release_on_exit();
    crate::arch::cpu::disable_interrupts();
    let (tgid, name, leftovers) = with_table(|t| {
        let tid = task::current();
        let tgid = t.procs.get(&tid).expect("current process").tgid;
        if scope == ExitScope::Group {
            end_group(t, tgid, tid, status);
        }
        let others_live = t.procs.values().any(|p| p.tgid == tgid && p.pid != tid && p.is_live());
        let p = t.procs.get_mut(&tid).expect("current process");
        release_vfork_parent(p);
        p.state = State::Exited;
        super::usage::account_ending(p, task::cpu_sample(tid).unwrap_or_default());
        let mut leftovers = (p.memory.take(), core::mem::take(&mut p.files), Vec::new());
        if tid != tgid {
            drop(t.remove(tid));
        }
        if others_live {
            return (tgid, None, leftovers); // a leader stays for its group
        }
        let leader = t.procs.get_mut(&tgid).expect("a thread group keeps its leader");
        let group_status = leader.group().exit_status.unwrap_or(status);
        leader.state = State::Zombie(group_status);
        leftovers.2 = core::mem::take(&mut leader.children);
        let name = String::from(leader.name());
        let leads_session = leader.sid() == tgid;
        let reaper = reaper_for(t, tgid);
        let mut death_signals = Vec::new();
        for task in t.procs.values_mut().filter(|task| leftovers.2.contains(&task.tgid)) {
            task.parent = reaper;
            if task.pdeath_signal != 0 && task.is_live() {
                death_signals.push((task.tgid, task.pdeath_signal));
            }
        }
        if let Some(reaper) = t.procs.get_mut(&reaper) {
            reaper.children.extend_from_slice(&leftovers.2);
        }
        for (child, number) in death_signals {
            if let Some(signal) = Signal::from_raw(number) {
                signal_process(t, child, signal, signal::kernel_info(signal, 0x80, 0));
            }
        }
        // SIGCHLD's si_status: the exit code, or the signal that killed it.
        let (code, si_status) = if group_status & 0x7f == 0 {
            (CLD_EXITED, (group_status >> 8) & 0xff)
        } else {
            (CLD_KILLED, group_status & 0x7f)
        };
        notify_parent(t, tgid, code, si_status);
        (tgid, Some((name, group_status, leads_session)), leftovers)
    });
    drop(leftovers); // frees the memory (switching to the kernel's table first) and closes the files
    if let Some((name, group_status, leads_session)) = name {
        if tgid == INIT_PID {
            init_ended(&name, group_status);
        }
        if leads_session {
            crate::fs::tty::session_ended(tgid, true);
        }
        CHILD_CHANGED.wake_all();
    }
    task::end_current()
}

/// exit_group or a fatal signal in `tid`: the group `tgid` ends with `status`
/// (the first such request wins); every other live thread gets SIGKILL.
fn end_group(t: &mut Table, tgid: Pid, tid: Pid, status: i32) {
    if let Some(leader) = t.procs.get(&tgid) {
        leader.group().exit_status.get_or_insert(status);
    }
    let others: Vec<Pid> =
        t.procs.values().filter(|p| p.tgid == tgid && p.pid != tid && p.is_live()).map(|p| p.pid).collect();
    for other in others {
        let p = t.procs.get_mut(&other).expect("listed above");
        signal::post(p, Signal::SIGKILL, signal::kernel_info(Signal::SIGKILL, 0x80, 0));
    }
}

/// Who adopts the children of the ending process `tgid`: its nearest living
/// ancestor that is a child subreaper (PR_SET_CHILD_SUBREAPER), else init.
fn reaper_for(t: &Table, tgid: Pid) -> Pid {
    let mut at = t.procs.get(&tgid).map_or(0, |p| p.parent);
    while at != 0 && at != INIT_PID {
        match t.procs.get(&at) {
            Some(p) if p.group().child_subreaper && !matches!(p.state, State::Zombie(_)) => return at,
            Some(p) => at = p.parent,
            None => break,
        }
    }
    INIT_PID
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
    let scope = if super::table::with_current(|p| p.ended_by_exec) { ExitScope::Thread } else { ExitScope::Group };
    exit_current(wait_status_signaled(signal as u8, false), scope)
}

/// execve's point of no return in a thread group (Linux's de_thread): every other
/// thread ends (SIGKILL) and the caller waits until they are gone; a caller that
/// is not the leader then takes the leader's place, and its id.
pub fn become_sole_thread() {
    loop {
        let others = with_table(|t| {
            let me = task::current();
            let tgid = t.procs.get(&me).expect("current process").tgid;
            let others: Vec<Pid> =
                t.procs.values().filter(|p| p.tgid == tgid && p.pid != me && p.is_live()).map(|p| p.pid).collect();
            for &other in &others {
                let p = t.procs.get_mut(&other).expect("listed above");
                p.ended_by_exec = true;
                signal::post(p, Signal::SIGKILL, signal::kernel_info(Signal::SIGKILL, 0x80, 0));
            }
            others.len()
        });
        if others == 0 {
            break;
        }
        task::schedule(); // let them run to their end
    }
    let old_leader = with_table(|t| {
        let me = task::current();
        let tgid = t.procs.get(&me).expect("current process").tgid;
        if me == tgid {
            return None;
        }
        let leader = t.remove(tgid)?;
        let mut caller = t.procs.remove(&me).expect("current process");
        caller.pid = tgid;
        caller.parent = leader.parent;
        caller.children = leader.children.clone();
        t.procs.insert(tgid, caller);
        task::rename_current(tgid);
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
            let pid = task::current();
            let p = t.procs.get_mut(&pid).expect("current process");
            p.state = State::Stopped(signal);
            if p.is_leader() {
                p.unreported_change = Some(wait_status_stopped(signal as u8));
                notify_parent(t, pid, CLD_STOPPED, signal as i32);
            }
        });
        CHILD_CHANGED.wake_all();
        task::stop_current();
    });
}

/// Which children wait4's pid argument selects: -1 any, > 0 that one, 0 the
/// caller's group, < -1 group -pid.
fn selects(t: &Table, wanted: i64, caller_group: Pid, child: Pid) -> bool {
    let group = t.procs.get(&child).map_or(0, |c| c.pgid());
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
                let me = task::current();
                let (group, leader) = t.procs.get(&me).map(|p| (p.pgid(), p.tgid)).expect("current process");
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
                            let zombie = t.remove(child).expect("listed above");
                            let leader = t.procs.get_mut(&leader).expect("a thread group keeps its leader");
                            leader.children.retain(|&x| x != child);
                            super::usage::account_reaped(&zombie, leader);
                            return Some(Ok(Some((child, status))));
                        }
                        (State::Stopped(_), Some(status)) if options.untraced => {
                            c.unreported_change = None;
                            return Some(Ok(Some((child, status))));
                        }
                        (State::Live, Some(status)) if options.continued => {
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

/// Who sends a signal: a process by kill(2) and tgkill(2), whose permission is
/// checked, or the kernel (the terminal's ^C, the OOM killer), which may signal
/// anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Caller,
    Kernel,
}

/// kill(2): post `signal` (None = existence and permission check only), to one
/// thread or to whole processes (`signal_process`). A calling process may signal
/// the processes it may (Linux's check_kill_permission: its own, those its
/// credentials allow, SIGCONT within its session); for one process or thread
/// that it may not, EPERM; for a group, EPERM if it may signal none of them;
/// kill -1 passes over those it may not signal.
pub fn kill(target: Target, signal: Option<Signal>, origin: Origin) -> Result<(), Errno> {
    with_table(|t| {
        let sender = task::try_current().and_then(|tid| t.procs.get(&tid)).map(|p| (p.tgid, p.sid(), p.creds()));
        let sender_pid = sender.as_ref().map_or(0, |&(tgid, _, _)| tgid);
        let sender_uid = sender.as_ref().map_or(0, |(_, _, creds)| creds.user.real);
        let permitted = |p: &Process| match (&sender, origin) {
            (Some((tgid, sid, creds)), Origin::Caller) => {
                p.tgid == *tgid
                    || creds.may_signal(&p.group().creds)
                    || (signal == Some(Signal::SIGCONT) && p.sid() == *sid)
            }
            _ => true,
        };
        if let Target::Thread { tid, group } = target {
            let p = t.procs.get_mut(&tid).filter(|p| p.is_live() && group.is_none_or(|g| g == p.tgid));
            let p = p.ok_or(Errno::ESRCH)?;
            if !permitted(p) {
                return Err(Errno::EPERM);
            }
            if let Some(signal) = signal {
                signal::post(p, signal, signal::user_info(signal, sender_pid, sender_uid));
            }
            return Ok(());
        }
        if let Target::Process(pid) = target {
            // One process: no set of them to gather (the common kill).
            if t.live_threads(pid).next().is_none() {
                return Err(Errno::ESRCH);
            }
            if !t.procs.get(&pid).is_some_and(|p| permitted(p)) {
                return Err(Errno::EPERM);
            }
            if let Some(signal) = signal {
                signal_process(t, pid, signal, signal::user_info(signal, sender_pid, sender_uid));
            }
            return Ok(());
        }
        let processes: alloc::collections::BTreeSet<Pid> = t
            .procs
            .values()
            .filter(|p| p.is_live())
            .filter(|p| match target {
                Target::Process(pid) => p.tgid == pid,
                Target::Group(group) => p.pgid() == group,
                Target::All => p.tgid != INIT_PID && p.tgid != sender_pid,
                Target::Thread { .. } => false,
            })
            .map(|p| p.tgid)
            .collect();
        if processes.is_empty() {
            return Err(Errno::ESRCH);
        }
        let allowed: Vec<Pid> =
            processes.into_iter().filter(|pid| t.procs.get(pid).is_some_and(|p| permitted(p))).collect();
        if let Some(signal) = signal {
            for &pid in &allowed {
                signal_process(t, pid, signal, signal::user_info(signal, sender_pid, sender_uid));
            }
        }
        match target {
            Target::Process(_) | Target::Group(_) if allowed.is_empty() => Err(Errno::EPERM),
            _ => Ok(()),
        }
    })
}

/// Send `signal` to the process `tgid`: SIGKILL, SIGCONT and stops by default
/// action act on every live thread (the whole group stops); any other waits in
/// the thread group for a thread that does not block it (the first such one is
/// told).
pub fn signal_process(t: &mut Table, tgid: Pid, signal: Signal, info: kabi::SigInfo) {
    let default_stop = signal.default_action() == kabi::signal::DefaultAction::Stop
        && t.procs.get(&tgid).is_some_and(|p| p.signals.action(signal).sa_handler == kabi::signal::SIG_DFL);
    if matches!(signal, Signal::SIGKILL | Signal::SIGSTOP | Signal::SIGCONT) || default_stop {
        let live: Vec<Pid> = t.live_threads(tgid).map(|p| p.pid).collect();
        for tid in live {
            signal::post(t.procs.get_mut(&tid).expect("listed above"), signal, info);
        }
        return;
    }
    let receiver = t.live_threads(tgid).find(|p| p.signals.mask & signal.mask_bit() == 0).map(|p| p.pid);
    // A process whose threads have all ended is still sent to (its leader
    // holds the group), as Linux queues to a zombie-led group.
    let first_live = t.live_threads(tgid).next().map(|p| p.pid);
    let Some(any) = first_live.or(t.procs.contains_key(&tgid).then_some(tgid)) else { return };
    signal::post_to_group(t.procs.get_mut(&any).expect("listed above"), receiver, signal, info);
}

/// rt_sigaction's change: `new` (if any) becomes the action for signal `number`
/// (1..=64) in the caller's handlers (shared by its threads); if that ignores the
/// signal, the pending instances in the process go (as on Linux). Returns the old
/// action.
pub fn change_action(number: u32, new: Option<kabi::SigAction>) -> kabi::SigAction {
    with_table(|t| {
        let me = t.procs.get(&task::current()).expect("current process");
        let Some(new) = new else { return me.signals.action_of(number) };
        let previous = me.signals.replace_action_of(number, new);
        let ignored = match Signal::from_raw(number) {
            Some(signal) => signal::action_ignores(&new, signal),
            None => new.sa_handler == kabi::signal::SIG_IGN,
        };
        if ignored {
            let bit = 1u64 << (number - 1);
            let tgid = me.tgid;
            me.group().pending.discard(bit);
            for p in t.procs.values_mut().filter(|p| p.tgid == tgid) {
                p.signals.pending.discard(bit);
            }
        }
        previous
    })
}

/// Raise `signal` on the current process (SIGPIPE from a write).
pub fn raise_on_current(signal: Signal) {
    super::table::with_current(|p| {
        let info = signal::user_info(signal, p.pid, p.group().creds.user.real);
        signal::post(p, signal, info);
    });
}

/// The process group and session of a process (for the TTY and setpgid).
pub fn group_of(pid: Pid) -> Option<(Pid, Pid)> {
    with_table(|t| t.procs.get(&pid).map(|p| (p.pgid(), p.sid())))
}
