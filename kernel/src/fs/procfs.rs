//! procfs, mounted at /proc: system files (meminfo, uptime, loadavg, cpuinfo,
//! mounts, version, stat, and Kestrel's kheap: the kernel heap's claimed and
//! allocated bytes, for exact leak checks), `self`, and a directory per process
//! with stat, status, cmdline, comm, maps, the exe link and task/TID/{stat,status,comm}
//! for each thread, in Linux's formats (enough for `ps` and `free`). A file's
//! text is generated when it is opened.
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use kabi::Errno;

use crate::task::{Pid, scheduler};
use crate::time;

use super::processes::{ProcessInfo, processes};

/// System-wide files of /proc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemFile {
    Meminfo,
    Uptime,
    Loadavg,
    Cpuinfo,
    Mounts,
    Version,
    Stat,
    KernelHeap,
}

const SYSTEM_FILES: [(&str, SystemFile); 8] = [
    ("meminfo", SystemFile::Meminfo),
    ("uptime", SystemFile::Uptime),
    ("loadavg", SystemFile::Loadavg),
    ("cpuinfo", SystemFile::Cpuinfo),
    ("mounts", SystemFile::Mounts),
    ("version", SystemFile::Version),
    ("stat", SystemFile::Stat),
    ("kheap", SystemFile::KernelHeap),
];

/// Files of a process directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessFile {
    Stat,
    Status,
    Cmdline,
    Comm,
    /// A symlink to the program.
    Exe,
    /// The memory regions, in Linux's format.
    Maps,
}

const PROCESS_FILES: [(&str, ProcessFile); 6] = [
    ("stat", ProcessFile::Stat),
    ("status", ProcessFile::Status),
    ("cmdline", ProcessFile::Cmdline),
    ("comm", ProcessFile::Comm),
    ("exe", ProcessFile::Exe),
    ("maps", ProcessFile::Maps),
];

/// A node of /proc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcNode {
    Root,
    /// `self`, a symlink to the caller's directory.
    SelfLink,
    System(SystemFile),
    Process(Pid),
    ProcessEntry(Pid, ProcessFile),
    /// `PID/task`: a directory of the process's threads.
    Tasks(Pid),
    /// `PID/task/TID` (process, thread).
    Task(Pid, Pid),
    /// A file of `PID/task/TID`: stat, status or comm of that thread.
    TaskEntry(Pid, Pid, ProcessFile),
}

/// The files a thread's directory has.
const TASK_FILES: [ProcessFile; 3] = [ProcessFile::Stat, ProcessFile::Status, ProcessFile::Comm];

fn process_file_name(file: ProcessFile) -> &'static str {
    PROCESS_FILES.iter().find(|&&(_, f)| f == file).map_or("", |&(n, _)| n)
}

/// What kind of object a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Directory,
    File,
    Symlink,
}

/// Inode numbers: /proc is 0x2_0000, system files follow, processes above.
const ROOT_INO: u64 = 0x2_0000;

impl ProcNode {
    pub fn kind(self) -> NodeKind {
        match self {
            ProcNode::Root | ProcNode::Process(_) | ProcNode::Tasks(_) | ProcNode::Task(..) => NodeKind::Directory,
            ProcNode::SelfLink | ProcNode::ProcessEntry(_, ProcessFile::Exe) => NodeKind::Symlink,
            _ => NodeKind::File,
        }
    }

    pub fn ino(self) -> u64 {
        match self {
            ProcNode::Root => ROOT_INO,
            ProcNode::SelfLink => ROOT_INO + 1,
            ProcNode::System(f) => ROOT_INO + 2 + SYSTEM_FILES.iter().position(|&(_, s)| s == f).unwrap_or(0) as u64,
            ProcNode::Process(pid) => (u64::from(pid) << 8) | 0x1_0000_0000,
            ProcNode::ProcessEntry(pid, f) => {
                (u64::from(pid) << 8)
                    | 0x1_0000_0000
                    | (1 + PROCESS_FILES.iter().position(|&(_, p)| p == f).unwrap_or(0) as u64)
            }
            ProcNode::Tasks(pid) => (u64::from(pid) << 8) | 0x1_0000_0000 | 0xff,
            ProcNode::Task(_, tid) => (u64::from(tid) << 8) | 0x2_0000_0000,
            ProcNode::TaskEntry(_, tid, f) => {
                (u64::from(tid) << 8)
                    | 0x2_0000_0000
                    | (1 + TASK_FILES.iter().position(|&t| t == f).unwrap_or(0) as u64)
            }
        }
    }

    /// Permission bits: directories r-x, files r--, links rwx.
    pub fn permissions(self) -> u32 {
        match self.kind() {
            NodeKind::Directory => 0o555,
            NodeKind::File => 0o444,
            NodeKind::Symlink => 0o777,
        }
    }

    /// The entry `name` of this directory.
    pub fn child(self, name: &[u8]) -> Result<ProcNode, Errno> {
        let name = core::str::from_utf8(name).map_err(|_| Errno::ENOENT)?;
        match self {
            ProcNode::Root => {
                if name == "self" {
                    return Ok(ProcNode::SelfLink);
                }
                if let Some(&(_, f)) = SYSTEM_FILES.iter().find(|(n, _)| *n == name) {
                    return Ok(ProcNode::System(f));
                }
                let pid: Pid = name.parse().map_err(|_| Errno::ENOENT)?;
                processes().snapshot(pid).map(|_| ProcNode::Process(pid)).ok_or(Errno::ENOENT)
            }
            ProcNode::Process(pid) if name == "task" => Ok(ProcNode::Tasks(pid)),
            ProcNode::Process(pid) => PROCESS_FILES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|&(_, f)| ProcNode::ProcessEntry(pid, f))
                .ok_or(Errno::ENOENT),
            ProcNode::Tasks(pid) => {
                let tid: Pid = name.parse().map_err(|_| Errno::ENOENT)?;
                processes().threads(pid).contains(&tid).then_some(ProcNode::Task(pid, tid)).ok_or(Errno::ENOENT)
            }
            ProcNode::Task(pid, tid) => TASK_FILES
                .iter()
                .find(|&&f| process_file_name(f) == name)
                .map(|&f| ProcNode::TaskEntry(pid, tid, f))
                .ok_or(Errno::ENOENT),
            _ => Err(Errno::ENOTDIR),
        }
    }

    /// The directory holding this node (/proc's own parent is the mount's).
    pub fn parent(self) -> Option<ProcNode> {
        match self {
            ProcNode::Root => None,
            ProcNode::ProcessEntry(pid, _) | ProcNode::Tasks(pid) => Some(ProcNode::Process(pid)),
            ProcNode::Task(pid, _) => Some(ProcNode::Tasks(pid)),
            ProcNode::TaskEntry(pid, tid, _) => Some(ProcNode::Task(pid, tid)),
            _ => Some(ProcNode::Root),
        }
    }

    /// A directory's entries (without `.` and `..`): (name, node).
    pub fn entries(self) -> Result<Vec<(String, ProcNode)>, Errno> {
        match self {
            ProcNode::Root => {
                let mut out: Vec<(String, ProcNode)> =
                    SYSTEM_FILES.iter().map(|&(n, f)| (String::from(n), ProcNode::System(f))).collect();
                out.push((String::from("self"), ProcNode::SelfLink));
                out.extend(processes().pids().into_iter().map(|pid| (format!("{pid}"), ProcNode::Process(pid))));
                Ok(out)
            }
            ProcNode::Process(pid) => {
                let mut out: Vec<(String, ProcNode)> =
                    PROCESS_FILES.iter().map(|&(n, f)| (String::from(n), ProcNode::ProcessEntry(pid, f))).collect();
                out.push((String::from("task"), ProcNode::Tasks(pid)));
                Ok(out)
            }
            ProcNode::Tasks(pid) => Ok(processes()
                .threads(pid)
                .into_iter()
                .map(|tid| (format!("{tid}"), ProcNode::Task(pid, tid)))
                .collect()),
            ProcNode::Task(pid, tid) => Ok(TASK_FILES
                .iter()
                .map(|&f| (String::from(process_file_name(f)), ProcNode::TaskEntry(pid, tid, f)))
                .collect()),
            _ => Err(Errno::ENOTDIR),
        }
    }

    /// A symlink's target.
    pub fn read_link(self) -> Result<Vec<u8>, Errno> {
        match self {
            ProcNode::SelfLink => Ok(format!("{}", processes().caller().pid).into_bytes()),
            ProcNode::ProcessEntry(pid, ProcessFile::Exe) => {
                processes().snapshot(pid).map(|p| p.exe.into_bytes()).ok_or(Errno::ENOENT)
            }
            _ => Err(Errno::EINVAL),
        }
    }

    /// A file's contents now.
    pub fn contents(self) -> Result<Vec<u8>, Errno> {
        let text = match self {
            ProcNode::System(f) => system_file(f),
            ProcNode::ProcessEntry(pid, f) | ProcNode::TaskEntry(_, pid, f) => {
                let p = processes().snapshot(pid).ok_or(Errno::ESRCH)?;
                return Ok(process_file(&p, f));
            }
            ProcNode::Root | ProcNode::Process(_) | ProcNode::Tasks(_) | ProcNode::Task(..) => {
                return Err(Errno::EISDIR);
            }
            ProcNode::SelfLink => return Err(Errno::EINVAL),
        };
        Ok(text.into_bytes())
    }
}

fn system_file(file: SystemFile) -> String {
    let mut s = String::new();
    let ticks_to_seconds =
        |t: u64| (t / u64::from(time::TIMER_HZ), t % u64::from(time::TIMER_HZ) * 100 / u64::from(time::TIMER_HZ));
    match file {
        SystemFile::Meminfo => {
            let f = crate::mm::frames::stats();
            for (name, kib) in [
                ("MemTotal", f.total * 4),
                ("MemFree", f.free * 4),
                ("MemAvailable", f.free * 4),
                ("Buffers", 0),
                ("Cached", 0),
                ("SwapTotal", 0),
                ("SwapFree", 0),
            ] {
                let _ = writeln!(s, "{:<16}{kib:>8} kB", format!("{name}:"));
            }
        }
        SystemFile::KernelHeap => {
            let heap = crate::mm::heap::stats();
            let _ = writeln!(s, "claimed {}\nallocated {}", heap.claimed, heap.allocated);
        }
        SystemFile::Uptime => {
            let (up_s, up_c) = ticks_to_seconds(time::ticks());
            let (idle_s, idle_c) = ticks_to_seconds(scheduler::idle_ticks());
            let _ = writeln!(s, "{up_s}.{up_c:02} {idle_s}.{idle_c:02}");
        }
        SystemFile::Loadavg => {
            let pids = processes().pids();
            let running = scheduler::runnable_count();
            let _ = writeln!(s, "0.00 0.00 0.00 {running}/{} {}", pids.len(), pids.last().copied().unwrap_or(0));
        }
        SystemFile::Cpuinfo => {
            use crate::arch::cpuid;
            let (family, model, stepping) = cpuid::signature();
            let _ = write!(
                s,
                "processor\t: 0\nvendor_id\t: {}\ncpu family\t: {family}\nmodel\t\t: {model}\nmodel name\t: {}\nstepping\t: {stepping}\nflags\t\t: {}\n\n",
                cpuid::vendor(),
                cpuid::model_name(),
                cpuid::flags().join(" ")
            );
        }
        SystemFile::Mounts => {
            for m in super::mounts::list() {
                let _ = writeln!(s, "{} {} {} rw 0 0", m.source, m.path, m.fs_type);
            }
        }
        SystemFile::Version => {
            let _ = writeln!(s, "Kestrel version {} (rustc, stable) #1", env!("CARGO_PKG_VERSION"));
        }
        SystemFile::Stat => {
            let idle = scheduler::idle_ticks() / 10;
            let busy = time::ticks().saturating_sub(scheduler::idle_ticks()) / 10;
            let _ = writeln!(s, "cpu  {busy} 0 0 {idle} 0 0 0 0 0 0");
            let _ = writeln!(s, "cpu0 {busy} 0 0 {idle} 0 0 0 0 0 0");
            let _ = writeln!(s, "btime {}", time::realtime_ns() / 1_000_000_000 - time::uptime_ns() / 1_000_000_000);
            let _ = writeln!(s, "processes {}", scheduler::tasks_created());
            let _ = writeln!(s, "procs_running 1");
        }
    }
    s
}

/// Clock ticks (USER_HZ, 100 a second) from timer ticks.
fn user_hz(ticks: u64) -> u64 {
    ticks * 100 / u64::from(time::TIMER_HZ)
}

fn process_file(p: &ProcessInfo, file: ProcessFile) -> Vec<u8> {
    let mut s = String::new();
    match file {
        ProcessFile::Stat => {
            // Linux's 52 fields; those Kestrel does not track are 0.
            let _ = write!(
                s,
                "{} ({}) {} {} {} {} 0 -1 0 0 0 0 0 {} 0 0 0 20 0 1 0 {} {} {}",
                p.pid,
                p.name,
                p.state,
                p.ppid,
                p.pgid,
                p.sid,
                user_hz(p.cpu_ticks),
                user_hz(p.start_ticks),
                p.resident_pages * 4096,
                p.resident_pages
            );
            for _ in 0..28 {
                s.push_str(" 0");
            }
            s.push('\n');
        }
        ProcessFile::Status => {
            let state = match p.state {
                'R' => "R (running)",
                'T' => "T (stopped)",
                'Z' => "Z (zombie)",
                _ => "S (sleeping)",
            };
            let (user, group) = (p.creds.user, p.creds.group);
            // Linux ends the Groups line with a space (kept for compatibility).
            let mut groups = p.creds.groups.iter().map(|g| format!("{g}")).collect::<Vec<_>>().join(" ");
            groups.push(' ');
            let _ = write!(
                s,
                "Name:\t{}\nState:\t{state}\nTgid:\t{}\nPid:\t{pid}\nPPid:\t{}\nUid:\t{}\t{}\t{}\t{}\nGid:\t{}\t{}\t{}\t{}\nGroups:\t{}\nVmRSS:\t{} kB\nVmPTE:\t{} kB\nThreads:\t{}\n",
                p.name,
                p.tgid,
                p.ppid,
                user.real,
                user.effective,
                user.saved,
                user.fs,
                group.real,
                group.effective,
                group.saved,
                group.fs,
                groups,
                p.resident_pages * 4,
                p.table_frames * 4,
                p.threads,
                pid = p.pid
            );
        }
        ProcessFile::Cmdline => {
            let mut bytes = Vec::new();
            for arg in &p.cmdline {
                bytes.extend_from_slice(arg.as_bytes());
                bytes.push(0);
            }
            return bytes;
        }
        ProcessFile::Comm => {
            let _ = writeln!(s, "{}", p.name);
        }
        ProcessFile::Maps => {
            // start-end perms offset dev inode name (anonymous: offset, device and
            // inode are 0, as Linux shows them).
            for r in &p.regions {
                let flag = |on: bool, c: char| if on { c } else { '-' };
                let perms = [flag(r.read, 'r'), flag(r.write, 'w'), flag(r.execute, 'x'), 'p'];
                let perms: String = perms.iter().collect();
                let line = format!("{:08x}-{:08x} {perms} 00000000 00:00 0", r.start, r.end);
                if r.name.is_empty() {
                    let _ = writeln!(s, "{line}");
                } else {
                    let _ = writeln!(s, "{line:<73}{}", r.name);
                }
            }
        }
        ProcessFile::Exe => {}
    }
    s.into_bytes()
}
