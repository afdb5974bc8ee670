//! The narrow interface through which files reach the processes above them: the
//! caller's ids, credentials and signal state for terminals' job control and
//! permission checks, signals for terminals and pipes, the caller's pending
//! signals for signalfd, snapshots of processes for /proc, and unmapping the pages
//! a truncate cuts off a file. The process layer registers its implementation at
//! boot, so fs/ never imports proc/.
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use creds::Credentials;
use kabi::SigInfo;
use kabi::signal::Signal;

use crate::task::Pid;

use super::file::OpenFile;
use super::vfs::Node;

/// Who is calling: its process, process group and session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub pid: Pid,
    pub pgid: Pid,
    pub sid: Pid,
}

/// A snapshot of one task, taken under the process table's lock and then
/// formatted freely.
#[derive(Debug, Clone)]
pub struct ProcessInfo {
    /// The task's id (a thread id; the pid for a process's leader).
    pub pid: Pid,
    /// The thread group's id (the process's pid).
    pub tgid: Pid,
    pub ppid: Pid,
    pub pgid: Pid,
    pub sid: Pid,
    /// Its user and group ids and supplementary groups.
    pub creds: Credentials,
    /// Linux's state letter: R (runnable), S (sleeping), T (stopped), Z (zombie).
    pub state: char,
    pub name: String,
    pub cmdline: Vec<String>,
    pub exe: String,
    /// User pages mapped, those of them the process owns (anonymous memory and
    /// private copies, not the pages of files and shared memory it maps), and
    /// page-table frames.
    pub resident_pages: usize,
    pub anonymous_pages: usize,
    pub table_frames: usize,
    /// Timer ticks spent running.
    pub cpu_ticks: u64,
    /// Uptime in ticks when the task was created.
    pub start_ticks: u64,
    /// Threads its process has running.
    pub threads: usize,
    /// Its nice value (-20..=19).
    pub nice: i32,
    /// Its memory regions, ascending.
    pub regions: Vec<MapEntry>,
}

/// One line of /proc/PID/maps.
#[derive(Debug, Clone)]
pub struct MapEntry {
    pub start: u64,
    pub end: u64,
    pub read: bool,
    pub write: bool,
    pub execute: bool,
    /// Shared memory (`s` in /proc/PID/maps), not private (`p`).
    pub shared: bool,
    /// Where in its object (a file, shared memory) the region starts; 0 for
    /// anonymous private memory.
    pub offset: u64,
    /// The mapped file's device and inode numbers (0 for memory of no file).
    pub device: u64,
    pub inode: u64,
    /// The mapped file's path, `[heap]`, `[stack]`, `[vdso]`..., or empty.
    pub name: String,
}

/// What the process layer offers to files.
pub trait Processes: Sync {
    /// The calling process.
    fn caller(&self) -> Caller;
    /// The calling process's credentials.
    fn credentials(&self) -> Credentials;
    /// Whether `signal` would reach the calling thread (neither blocked nor
    /// ignored).
    fn caller_accepts(&self, signal: Signal) -> bool;
    /// The signals pending for the calling thread: its own and its process's
    /// (signalfd's readiness).
    fn pending_signals(&self) -> u64;
    /// Take the lowest pending signal in `mask` from the calling thread (its
    /// own first, then its process's), with its details (a signalfd read).
    fn take_signal(&self, mask: u64) -> Option<SigInfo>;
    /// Raise `signal` on the calling thread (SIGPIPE).
    fn raise(&self, signal: Signal);
    /// Send `signal` to every process of group `pgid` (a terminal's ^C, SIGTTIN).
    fn signal_group(&self, pgid: Pid, signal: Signal);
    /// Send `signal` to process `pid` (a hung-up terminal's session leader).
    fn signal_process(&self, pid: Pid, signal: Signal);
    /// Whether process group `pgid` has a member in session `sid`.
    fn group_in_session(&self, pgid: Pid, sid: Pid) -> bool;
    /// Every process's pid (zombies included), ascending.
    fn pids(&self) -> Vec<Pid>;
    /// The thread ids of process `pid` that still run, ascending.
    fn threads(&self, pid: Pid) -> Vec<Pid>;
    /// A snapshot of task `tid`.
    fn snapshot(&self, tid: Pid) -> Option<ProcessInfo>;
    /// The environment strings of process `pid` as its memory holds them now
    /// (NUL-separated, as /proc/PID/environ gives them).
    fn environ(&self, pid: Pid) -> Option<Vec<u8>>;
    /// The working directory of process `pid`.
    fn cwd(&self, pid: Pid) -> Option<Node>;
    /// The open descriptors of process `pid` and their files.
    fn open_files(&self, pid: Pid) -> Option<Vec<(i32, Arc<OpenFile>)>>;
    /// Remove every mapping of `frames` (sorted: pages a truncate cut off a
    /// mapped file) from every process's memory, before they are freed, and
    /// private copies of pages past the end of their file.
    fn unmap_frames(&self, frames: &[u64]);
}

static PROCESSES: spin::Once<&'static dyn Processes> = spin::Once::new();

/// The process layer's implementation (registered once, before the first process).
pub fn register(processes: &'static dyn Processes) {
    PROCESSES.call_once(|| processes);
}

/// The registered process layer.
pub fn processes() -> &'static dyn Processes {
    *PROCESSES.get().expect("the process layer registers itself at boot")
}
