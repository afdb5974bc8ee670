//! A process: identity, family, state, address space, kernel stack and saved
//! context, FPU state, files, working directory and command line.
use alloc::string::String;
use alloc::vec::Vec;

use kabi::SigAction;

use crate::arch::fpu::FpuState;
use crate::fs::FdTable;
use crate::mm::address_space::AddressSpace;
use crate::mm::kstack::KernelStack;

use super::memory::UserMemory;

pub type Pid = u32;

/// Number of signals (1..=64) whose actions are recorded.
pub const SIGNALS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Running or waiting in the run queue.
    Runnable,
    /// Waiting on a wait queue.
    Blocked,
    /// Exited; the wait status waits for the parent's wait4.
    Zombie(i32),
}

#[derive(Debug)]
pub struct Process {
    pub pid: Pid,
    pub parent: Pid,
    pub children: Vec<Pid>,
    pub state: State,
    /// None once the process has exited.
    pub space: Option<AddressSpace>,
    pub memory: UserMemory,
    pub kstack: KernelStack,
    /// Index of its slot in the scheduler's context pool.
    pub context_slot: usize,
    pub fpu: alloc::boxed::Box<FpuState>,
    pub fs_base: u64,
    pub files: FdTable,
    pub cwd: ramfs::InodeRef,
    pub cmdline: Vec<String>,
    /// A signal whose default action ends the process, delivered on its way back to
    /// user mode.
    pub pending_fatal: Option<kabi::signal::Signal>,
    pub signal_actions: [SigAction; SIGNALS],
    pub signal_mask: u64,
    pub alt_stack: kabi::SigAltStack,
    pub clear_child_tid: u64,
}

impl Process {
    /// The program name for log lines (argv[0]'s last component).
    pub fn name(&self) -> &str {
        self.cmdline.first().map_or("?", |a| a.rsplit('/').next().unwrap_or(a))
    }
}
