//! A task (a thread; Linux's task_struct): identity, family, state, memory,
//! kernel stack and saved context, FPU state, files, working directory and
//! command line. Tasks with the same `tgid` form a thread group, a process: they
//! share its memory and descriptor table (Arc objects) and its signal handlers
//! (kept equal in every task of the group); the group's leader (tid == tgid) holds
//! its children and its exit status, and stays in the table until the group has
//! ended and been reaped. See docs/ARCHITECTURE.md.
use alloc::string::String;
use alloc::vec::Vec;

use alloc::sync::Arc;

use spin::{Mutex, MutexGuard};

use crate::arch::fpu::FpuState;
use crate::fs::FdTable;
use crate::mm::address_space::AddressSpace;
use crate::mm::kstack::KernelStack;

use super::memory::UserMemory;

/// A process's memory: its address space and where its heap and stack are.
#[derive(Debug)]
pub struct ProcessMemory {
    pub space: AddressSpace,
    pub layout: UserMemory,
}

impl ProcessMemory {
    pub fn new(space: AddressSpace, layout: UserMemory) -> Arc<Mutex<Self>> {
        Arc::new(Mutex::new(Self { space, layout }))
    }
}

pub type Pid = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Running or waiting in the run queue.
    Runnable,
    /// Waiting on a wait queue.
    Blocked,
    /// Stopped by a signal until SIGCONT.
    Stopped(kabi::signal::Signal),
    /// The thread group has ended (this is its leader); the wait status waits
    /// for the parent's wait4.
    Zombie(i32),
    /// This thread has ended while others of its group run on. A leader stays
    /// so (its group's children and status live here); any other thread is
    /// removed from the table at the next switch.
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
    pub memory: Option<Arc<Mutex<ProcessMemory>>>,
    pub kstack: KernelStack,
    /// Index of its slot in the scheduler's context pool.
    pub context_slot: usize,
    pub fpu: alloc::boxed::Box<FpuState>,
    pub fs_base: u64,
    /// Its descriptor table (shared with CLONE_FILES).
    pub files: Arc<Mutex<FdTable>>,
    pub cwd: crate::fs::vfs::Node,
    /// File-creation mask.
    pub umask: u32,
    pub cmdline: Vec<String>,
    /// The program's path, as /proc/<pid>/exe shows it.
    pub exe: String,
    /// CPU time used, and the uptime tick it was created at.
    pub cpu: crate::time::cputime::CpuTime,
    pub start_ticks: u64,
    pub signals: super::signal::Signals,
    /// Process group and session.
    pub pgid: Pid,
    pub sid: Pid,
    /// A stop or continue the parent's wait4 has not seen yet (a wait status).
    pub unreported_change: Option<i32>,
    /// When SIGALRM is due (uptime ms), if an alarm is set, and the period after
    /// which it fires again (setitimer's interval; 0 for a one-shot alarm).
    pub alarm_at: Option<u64>,
    pub alarm_interval: u64,
    pub clear_child_tid: u64,
    /// The parent of a vfork child, waiting until this one execs or exits.
    pub vfork_parent: Option<Pid>,
    /// Resource limits.
    pub limits: super::limits::Limits,
    /// The status the whole group ends with, once exit_group or a fatal signal
    /// has asked for it (kept by the leader).
    pub group_exit: Option<i32>,
    /// The robust futex list head (set_robust_list), walked at exit.
    pub robust_list: u64,
    /// Supplementary group ids (setgroups; inherited, none at boot as on Linux).
    pub groups: Vec<u32>,
    /// The nice value, -20..=19 (getpriority/setpriority; the round-robin
    /// scheduler does not weigh it yet).
    pub nice: i32,
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
            self.state = State::Blocked; // the caller wakes it, which makes it runnable
            self.unreported_change = Some(kabi::process::wait_status_continued());
        }
    }

    /// Its memory, locked (callers hold the process table, so the lock is never
    /// contended); None once it has exited.
    pub fn memory(&self) -> Option<MutexGuard<'_, ProcessMemory>> {
        self.memory.as_ref().map(|m| m.lock())
    }

    /// How many descriptors it may have (RLIMIT_NOFILE's soft limit).
    pub fn fd_limit(&self) -> usize {
        usize::try_from(self.limits.soft(kabi::process::RLIMIT_NOFILE)).unwrap_or(usize::MAX)
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
