//! What the process layer shows to files (the `fs::processes::Processes`
//! interface, registered at boot): the caller's ids and signal state for
//! terminals, its credentials, signals for terminals and pipes, pending signals for
//! signalfd, snapshots of processes for /proc, and every process's memory for
//! unmapping the pages a truncate cuts off a file.
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use kabi::SigInfo;
use kabi::signal::Signal;

use crate::fs::file::OpenFile;
use crate::fs::processes::{Caller, MapEntry, ProcessInfo, Processes};
use crate::task::scheduler::{self as task, RunState};

use super::lifecycle::{self, Origin, Target};
use super::process::{Pid, ProcessMemory, SharedMemory, State};
use super::signal;
use super::table::{read_current, with_current, with_table};

/// The most of a process's environment /proc/PID/environ shows.
const ENVIRON_MAX: usize = 256 * 1024;

/// The process layer as files see it.
struct ProcessView;

static VIEW: ProcessView = ProcessView;

/// Offer the process layer to files (once, at boot).
pub fn register() {
    crate::fs::processes::register(&VIEW);
}

/// The regions of `memory`, named as Linux names the heap, the stack and the
/// vDSO's pages, a mapped file by its path (with its device and inode), and the
/// vsyscall page, last as on Linux.
fn map_entries(memory: &ProcessMemory) -> Vec<MapEntry> {
    let heap = memory.layout.brk_start.next_multiple_of(4096)..memory.layout.brk.next_multiple_of(4096);
    let stack = memory.layout.stack_bottom;
    memory
        .space
        .regions()
        .iter()
        .map(|r| {
            let object = r.value.object();
            let special = object.and_then(|(object, _)| object.special_name());
            let file = object.and_then(|(object, _)| object.file());
            MapEntry {
                start: r.start,
                end: r.end,
                read: r.value.access.user,
                write: r.value.access.write,
                execute: r.value.access.execute,
                shared: r.value.is_shared() && special.is_none(),
                offset: object.map_or(0, |(_, offset)| offset),
                device: file.map_or(0, |file| file.device),
                inode: file.map_or(0, |file| file.inode),
                name: if let Some(file) = file {
                    String::from_utf8_lossy(&file.path).into_owned()
                } else if let Some(special) = special {
                    special.into()
                } else if r.start >= stack {
                    "[stack]".into()
                } else if heap.contains(&r.start) {
                    "[heap]".into()
                } else {
                    String::new()
                },
            }
        })
        .chain([vsyscall_entry()])
        .collect()
}

/// The vsyscall page, in every process's maps as on Linux (execute only).
fn vsyscall_entry() -> MapEntry {
    let start = crate::layout::VSYSCALL_PAGE;
    MapEntry {
        start,
        end: start + 4096,
        read: false,
        write: false,
        execute: true,
        shared: false,
        offset: 0,
        device: 0,
        inode: 0,
        name: "[vsyscall]".into(),
    }
}

impl Processes for ProcessView {
    fn caller(&self) -> Caller {
        read_current(|p| Caller { pid: p.tgid, pgid: p.pgid(), sid: p.sid() })
    }

    /// Root's for the kernel's own work, when no process calls (starting init).
    fn credentials(&self) -> creds::Credentials {
        with_table(|t| t.current_process().map_or(creds::Credentials::ROOT, |p| p.creds()))
    }

    fn caller_accepts(&self, signal: Signal) -> bool {
        read_current(|p| !p.signals.ignores(signal) && p.signals.mask & signal.mask_bit() == 0)
    }

    fn pending_signals(&self) -> u64 {
        read_current(signal::pending_set)
    }

    fn take_signal(&self, mask: u64) -> Option<SigInfo> {
        with_current(|p| signal::take_pending(p, mask))
    }

    fn raise(&self, signal: Signal) {
        lifecycle::raise_on_current(signal);
    }

    fn signal_group(&self, pgid: Pid, signal: Signal) {
        let _ = lifecycle::kill(Target::Group(pgid), Some(signal), Origin::Kernel);
    }

    fn signal_process(&self, pid: Pid, signal: Signal) {
        let _ = lifecycle::kill(Target::Process(pid), Some(signal), Origin::Kernel);
    }

    fn group_in_session(&self, pgid: Pid, sid: Pid) -> bool {
        with_table(|t| t.procs.values().any(|p| p.pgid() == pgid && p.sid() == sid))
    }

    fn pids(&self) -> Vec<Pid> {
        with_table(|t| t.procs.values().filter(|p| p.is_leader()).map(|p| p.pid).collect())
    }

    fn threads(&self, pid: Pid) -> Vec<Pid> {
        with_table(|t| t.live_threads(pid).map(|p| p.pid).collect())
    }

    fn environ(&self, pid: Pid) -> Option<Vec<u8>> {
        let memory = with_table(|t| t.procs.get(&pid)?.memory.clone())?;
        let mut memory = memory.lock();
        let env = memory.layout.env.clone();
        let len = usize::try_from(env.end.saturating_sub(env.start)).ok()?.min(ENVIRON_MAX);
        let mut bytes = crate::mm::heap::try_zeroed_bytes(len).ok()?;
        crate::mm::user::copy_from_user(&mut memory.space, env.start, &mut bytes).ok()?;
        Some(bytes)
    }

    fn cwd(&self, pid: Pid) -> Option<crate::fs::vfs::Node> {
        with_table(|t| Some(t.procs.get(&pid)?.cwd()))
    }

    fn open_files(&self, pid: Pid) -> Option<Vec<(i32, Arc<OpenFile>)>> {
        with_table(|t| Some(t.procs.get(&pid)?.files.lock().open_files()))
    }

    fn unmap_frames(&self, frames: &[u64]) {
        // Each memory once (threads share theirs), locked after the table is
        // released: its lock sleeps.
        let memories: BTreeMap<usize, SharedMemory> = with_table(|t| {
            t.procs.values().filter_map(|p| p.memory.clone()).map(|m| (Arc::as_ptr(&m) as usize, m)).collect()
        });
        for memory in memories.into_values() {
            memory.lock().space.unmap_cut(frames);
        }
    }

    fn snapshot(&self, tid: Pid) -> Option<ProcessInfo> {
        let (mut info, memory) = with_table(|t| {
            let p = t.procs.get(&tid)?;
            let info = ProcessInfo {
                pid: tid,
                tgid: p.tgid,
                ppid: p.parent,
                pgid: p.pgid(),
                sid: p.sid(),
                creds: p.creds(),
                state: match p.state {
                    State::Live => match task::run_state(tid) {
                        Some(RunState::Runnable) => 'R',
                        Some(RunState::Stopped) => 'T',
                        _ => 'S',
                    },
                    State::Stopped(_) => 'T',
                    State::Zombie(_) | State::Exited => 'Z',
                },
                name: String::from(p.name()),
                cmdline: p.cmdline.clone(),
                exe: p.exe.clone(),
                resident_pages: 0,
                anonymous_pages: 0,
                table_frames: 0,
                cpu_ticks: task::cpu_ticks(tid),
                start_ticks: p.start_ticks,
                threads: t.live_threads(p.tgid).count(),
                nice: p.nice,
                regions: Vec::new(),
            };
            Some((info, p.memory.clone()))
        })?;
        // The memory's lock sleeps: taken after the table's is released.
        if let Some(memory) = memory {
            let memory = memory.lock();
            let usage = memory.space.usage();
            (info.resident_pages, info.anonymous_pages, info.table_frames) =
                (usage.resident, usage.owned, usage.tables);
            info.regions = map_entries(&memory);
        }
        Some(info)
    }
}
