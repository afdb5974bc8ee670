//! Snapshots of processes for /proc and ps: identity, state, command line,
//! memory and CPU time, taken under the table lock and then formatted freely.
use alloc::string::String;
use alloc::vec::Vec;

use super::process::{Pid, State};
use super::scheduler::with_table;

#[derive(Debug, Clone)]
pub struct ProcessInfo {
    /// The task's id (a thread id; the pid for a process's leader).
    pub pid: Pid,
    /// The thread group's id (the process's pid).
    pub tgid: Pid,
    pub ppid: Pid,
    /// Linux's state letter: R (runnable), S (sleeping), Z (zombie).
    pub state: char,
    pub name: String,
    pub cmdline: Vec<String>,
    pub exe: String,
    /// User pages mapped, and page-table frames.
    pub resident_pages: usize,
    pub table_frames: usize,
    /// Timer ticks spent running.
    pub cpu_ticks: u64,
    /// Uptime in ticks when the process was created.
    pub start_ticks: u64,
    /// Its memory regions, ascending: start, end, access, and `[heap]`,
    /// `[stack]`, `[vvar]` or `[vdso]` for those; then the vsyscall page.
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
    pub name: &'static str,
}

/// The regions of `memory`, named as Linux names the heap, the stack and the
/// vDSO's pages, and the vsyscall page, last as on Linux.
fn map_entries(memory: &super::process::ProcessMemory) -> Vec<MapEntry> {
    let heap = memory.layout.brk_start.next_multiple_of(4096)..memory.layout.brk.next_multiple_of(4096);
    let stack = memory.layout.stack_bottom;
    memory
        .space
        .regions()
        .iter()
        .map(|r| MapEntry {
            start: r.start,
            end: r.end,
            read: r.access.user,
            write: r.access.write,
            execute: r.access.execute,
            name: if let Some(shared) = memory.space.shared_name(r.start) {
                shared
            } else if r.start >= stack {
                "[stack]"
            } else if heap.contains(&r.start) {
                "[heap]"
            } else {
                ""
            },
        })
        .chain([vsyscall_entry()])
        .collect()
}

/// The vsyscall page, in every process's maps as on Linux (execute only).
fn vsyscall_entry() -> MapEntry {
    let start = crate::layout::VSYSCALL_PAGE;
    MapEntry { start, end: start + 4096, read: false, write: false, execute: true, name: "[vsyscall]" }
}

/// Every process's pid (zombies included; a thread group counts once, as its
/// leader), ascending.
pub fn pids() -> Vec<Pid> {
    with_table(|t| t.procs.values().filter(|p| p.is_leader()).map(|p| p.pid).collect())
}

/// The thread ids of the process `pid` that still run, ascending.
pub fn threads(pid: Pid) -> Vec<Pid> {
    with_table(|t| t.procs.values().filter(|p| p.tgid == pid && p.is_live()).map(|p| p.pid).collect())
}

/// How many threads the process `pid` has running.
pub fn thread_count(pid: Pid) -> usize {
    with_table(|t| t.procs.values().filter(|p| p.tgid == pid && p.is_live()).count())
}

/// How many processes are runnable (for /proc/loadavg).
pub fn runnable_count() -> usize {
    with_table(|t| t.procs.values().filter(|p| p.state == State::Runnable).count())
}

pub fn snapshot(pid: Pid) -> Option<ProcessInfo> {
    with_table(|t| {
        let p = t.procs.get(&pid)?;
        let usage = p.memory().map_or((0, 0), |m| m.space.usage());
        Some(ProcessInfo {
            pid,
            tgid: p.tgid,
            ppid: p.parent,
            state: match p.state {
                State::Runnable => 'R',
                State::Blocked => 'S',
                State::Stopped(_) => 'T',
                State::Zombie(_) | State::Exited => 'Z',
            },
            name: String::from(p.name()),
            cmdline: p.cmdline.clone(),
            exe: p.exe.clone(),
            resident_pages: usage.0,
            table_frames: usage.1,
            cpu_ticks: p.cpu.ticks(),
            start_ticks: p.start_ticks,
            regions: p.memory().map(|m| map_entries(&m)).unwrap_or_default(),
        })
    })
}
