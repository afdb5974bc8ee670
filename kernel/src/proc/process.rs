//! A task's process-level state (Linux's task_struct without what the task layer
//! keeps: registers, kernel stack, FPU, run state): identity, family, signal mask
//! and pending set, command line, and references to the objects it shares with
//! other tasks: memory, descriptor table, working directory (`FsContext`),
//! signal handlers and the thread group's own state (`ThreadGroup`). Tasks with
//! the same `tgid` form a thread group, a process; its leader (tid == tgid) holds
//! its children, and stays in the table until the group has ended and been
//! reaped. See docs/ARCHITECTURE.md.
use alloc::string::String;
use alloc::vec::Vec;

use alloc::sync::Arc;

use spin::{Mutex, MutexGuard};

use crate::fs::FdTable;
use crate::mm::address_space::AddressSpace;
use crate::mm::user::SpaceLock;
use crate::task::mutex::SleepMutex;

use super::group::ThreadGroup;
use super::limits::Limits;
use super::memory::UserMemory;

/// The working directory and file-creation mask (Linux's fs_struct), shared by
/// CLONE_FS tasks (the threads of a process).
#[derive(Debug, Clone)]
pub struct FsContext {
    pub cwd: crate::fs::vfs::Node,
    pub umask: u32,
}

impl FsContext {
    pub fn new(cwd: crate::fs::vfs::Node, umask: u32) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Self { cwd, umask }))
    }
}

/// A process's memory: its address space and where its heap and stack are.
#[derive(Debug)]
pub struct ProcessMemory {
    pub space: AddressSpace,
    pub layout: UserMemory,
}

/// A process's memory as its tasks share it. Its lock sleeps, so fork's copy and
/// user copies hold it with interrupts on; take it before any spin lock.
pub type SharedMemory = Arc<SleepMutex<ProcessMemory>>;

impl ProcessMemory {
    pub fn new(space: AddressSpace, layout: UserMemory) -> SharedMemory {
        Arc::new(SleepMutex::new(Self { space, layout }))
    }
}

impl SpaceLock for SleepMutex<ProcessMemory> {
    fn with_space(&self, f: &mut dyn FnMut(&mut AddressSpace)) {
        f(&mut self.lock().space);
    }
}

pub use crate::task::Pid;

/// Linux's default timer slack, in nanoseconds (PR_GET_TIMERSLACK).
pub const DEFAULT_TIMER_SLACK: u64 = 50_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Running, runnable or waiting (the task layer knows which).
    Live,
    /// Stopped by a signal until SIGCONT.
    Stopped(kabi::signal::Signal),
    /// The thread group has ended (this is its leader); the wait status waits
    /// for the parent's wait4.
    Zombie(i32),
    /// This thread has ended while others of its group run on: a leader stays
    /// so (its group's children and status live here).
    Exited,
}

#[derive(Debug)]
pub struct Process {
    /// This task's id (the thread id; the pid for a group's leader).
    pub pid: Pid,
    /// The thread group's id: what getpid returns.
    pub tgid: Pid,
    pub parent: Pid,
    pub children: Vec<Pid>,
    pub state: State,
    /// The memory it runs in (shared by the threads of a group, and by a
    /// CLONE_VM child); None once the task has exited.
    pub memory: Option<SharedMemory>,
    /// Its descriptor table (shared with CLONE_FILES).
    pub files: Arc<Mutex<FdTable>>,
    /// Working directory and umask (shared with CLONE_FS).
    pub fs: Arc<Mutex<FsContext>>,
    /// What its thread group shares (ids, limits, process-directed signals...).
    pub group: Arc<Mutex<ThreadGroup>>,
    pub cmdline: Vec<String>,
    /// The program's path, as /proc/<pid>/exe shows it.
    pub exe: String,
    /// The uptime tick it was created at.
    pub start_ticks: u64,
    pub signals: super::signal::Signals,
    /// A stop or continue the parent's wait4 has not seen yet (a wait status).
    pub unreported_change: Option<i32>,
    pub clear_child_tid: u64,
    /// The parent of a vfork child, waiting until this one execs or exits.
    pub vfork_parent: Option<Pid>,
    /// The robust futex list head (set_robust_list), walked at exit.
    pub robust_list: u64,
    /// The nice value, -20..=19 (getpriority/setpriority; the round-robin
    /// scheduler does not weigh it yet).
    pub nice: i32,
    /// The signal it gets when its parent ends (PR_SET_PDEATHSIG; 0 for none;
    /// not inherited by fork).
    pub pdeath_signal: u32,
    /// PR_SET_NO_NEW_PRIVS: execve grants no privilege (set-user-ID bits are
    /// ignored); inherited and never cleared.
    pub no_new_privs: bool,
    /// PR_SET_KEEPCAPS (kept and reported; there are no capabilities to keep).
    pub keep_caps: bool,
    /// PR_SET_TIMERSLACK, in nanoseconds (kept and reported; timers are not
    /// coalesced).
    pub timer_slack: u64,
    /// The name prctl(PR_SET_NAME) set (thread names; execve clears it).
    pub thread_name: Option<String>,
    /// Killed because another thread of its group execs: it ends alone, not
    /// taking the group with it.
    pub ended_by_exec: bool,
}

impl Process {
    /// SIGCONT (or SIGKILL) on a stopped process: it runs again.
    pub fn continue_if_stopped(&mut self) {
        if let State::Stopped(_) = self.state {
            self.state = State::Live;
            self.unreported_change = Some(kabi::process::wait_status_continued());
            crate::task::scheduler::resume(self.pid);
        }
    }

    /// How many descriptors it may have (RLIMIT_NOFILE's soft limit).
    pub fn fd_limit(&self) -> usize {
        usize::try_from(self.limits().soft(kabi::process::RLIMIT_NOFILE)).unwrap_or(usize::MAX)
    }

    /// Its thread group's shared state, locked.
    pub fn group(&self) -> MutexGuard<'_, ThreadGroup> {
        self.group.lock()
    }

    pub fn pgid(&self) -> Pid {
        self.group().pgid
    }

    pub fn sid(&self) -> Pid {
        self.group().sid
    }

    pub fn limits(&self) -> Limits {
        self.group().limits
    }

    /// Its thread group's credentials.
    pub fn creds(&self) -> creds::Credentials {
        self.group().creds.clone()
    }

    pub fn cwd(&self) -> crate::fs::vfs::Node {
        self.fs.lock().cwd.clone()
    }

    pub fn umask(&self) -> u32 {
        self.fs.lock().umask
    }

    /// Whether this task still runs (or can run): not ended.
    pub fn is_live(&self) -> bool {
        !matches!(self.state, State::Zombie(_) | State::Exited)
    }

    /// Whether it leads its thread group (its tid is the pid).
    pub fn is_leader(&self) -> bool {
        self.pid == self.tgid
    }

    /// The task's name (Linux's comm): the one prctl(PR_SET_NAME) gave it, else
    /// its program's (argv[0]'s last component).
    pub fn name(&self) -> &str {
        match &self.thread_name {
            Some(name) => name,
            None => self.cmdline.first().map_or("?", |a| a.rsplit('/').next().unwrap_or(a)),
        }
    }
}
