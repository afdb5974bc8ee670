//! procfs, mounted at /proc: the nodes and how they are found. System files
//! (system.rs), `self`, `sys/kernel/` parameters, and a directory per process
//! with stat, status, cmdline, comm, maps, environ, mounts, mountinfo, the exe
//! link, `fd/` (a link per descriptor to what it is open on) and
//! `task/TID/{stat,status,comm}` for each thread (their text: process.rs), and
//! `bus/pci` (pci.rs). A file's text is generated when it is opened.
mod pci;
mod process;
mod system;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use kabi::Errno;

use crate::task::Pid;

use super::processes::processes;

/// System-wide files of /proc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemFile {
    Meminfo,
    Uptime,
    Loadavg,
    Cpuinfo,
    Mounts,
    Filesystems,
    Version,
    Stat,
    KernelHeap,
    /// Kestrel's count of ENOSYS returns by system call number.
    Enosys,
    /// The kernel profiler's samples by function (profile.rs).
    KernelProfile,
}

const SYSTEM_FILES: [(&str, SystemFile); 11] = [
    ("meminfo", SystemFile::Meminfo),
    ("uptime", SystemFile::Uptime),
    ("loadavg", SystemFile::Loadavg),
    ("cpuinfo", SystemFile::Cpuinfo),
    ("mounts", SystemFile::Mounts),
    ("filesystems", SystemFile::Filesystems),
    ("version", SystemFile::Version),
    ("stat", SystemFile::Stat),
    ("kheap", SystemFile::KernelHeap),
    ("enosys", SystemFile::Enosys),
    ("kprofile", SystemFile::KernelProfile),
];

/// The parameters in /proc/sys/kernel (read-only here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KernelParam {
    Hostname,
    Osrelease,
    Ostype,
    PidMax,
    RandomizeVaSpace,
}

const KERNEL_PARAMS: [(&str, KernelParam); 5] = [
    ("hostname", KernelParam::Hostname),
    ("osrelease", KernelParam::Osrelease),
    ("ostype", KernelParam::Ostype),
    ("pid_max", KernelParam::PidMax),
    ("randomize_va_space", KernelParam::RandomizeVaSpace),
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
    /// The environment strings, as the process's memory holds them.
    Environ,
    Mounts,
    Mountinfo,
}

const PROCESS_FILES: [(&str, ProcessFile); 9] = [
    ("stat", ProcessFile::Stat),
    ("status", ProcessFile::Status),
    ("cmdline", ProcessFile::Cmdline),
    ("comm", ProcessFile::Comm),
    ("exe", ProcessFile::Exe),
    ("maps", ProcessFile::Maps),
    ("environ", ProcessFile::Environ),
    ("mounts", ProcessFile::Mounts),
    ("mountinfo", ProcessFile::Mountinfo),
];

/// A node of /proc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcNode {
    Root,
    /// `self`, a symlink to the caller's directory.
    SelfLink,
    System(SystemFile),
    /// `sys` and `sys/kernel`.
    Sys,
    SysKernel,
    KernelParam(KernelParam),
    Process(Pid),
    ProcessEntry(Pid, ProcessFile),
    /// `PID/fd`: a symlink per open descriptor.
    Fds(Pid),
    Fd(Pid, i32),
    /// `PID/task`: a directory of the process's threads.
    Tasks(Pid),
    /// `PID/task/TID` (process, thread).
    Task(Pid, Pid),
    /// A file of `PID/task/TID`: stat, status or comm of that thread.
    TaskEntry(Pid, Pid, ProcessFile),
    /// `bus`, `bus/pci` and `bus/pci/devices`.
    Bus,
    BusPci,
    PciDevices,
    /// `bus/pci/BB`: a directory per bus with functions.
    PciBus(u8),
    /// `bus/pci/BB/DD.F`: a function's configuration space.
    PciConfig(::pci::Address),
}

/// The files a thread's directory has.
const TASK_FILES: [ProcessFile; 3] = [ProcessFile::Stat, ProcessFile::Status, ProcessFile::Comm];

fn process_file_name(file: ProcessFile) -> &'static str {
    PROCESS_FILES.iter().find(|&&(_, f)| f == file).map_or("", |&(n, _)| n)
}

/// The position of `item` in a name table, as an inode-number offset.
fn index_of<T: PartialEq>(table: &[(&str, T)], item: T) -> u64 {
    table.iter().position(|(_, t)| *t == item).unwrap_or(0) as u64
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
            ProcNode::Root
            | ProcNode::Sys
            | ProcNode::SysKernel
            | ProcNode::Process(_)
            | ProcNode::Fds(_)
            | ProcNode::Tasks(_)
            | ProcNode::Task(..)
            | ProcNode::Bus
            | ProcNode::BusPci
            | ProcNode::PciBus(_) => NodeKind::Directory,
            ProcNode::SelfLink | ProcNode::ProcessEntry(_, ProcessFile::Exe) | ProcNode::Fd(..) => NodeKind::Symlink,
            _ => NodeKind::File,
        }
    }

    pub fn ino(self) -> u64 {
        match self {
            ProcNode::Root => ROOT_INO,
            ProcNode::SelfLink => ROOT_INO + 1,
            ProcNode::System(f) => ROOT_INO + 2 + index_of(&SYSTEM_FILES, f),
            ProcNode::Sys => ROOT_INO + 0x100,
            ProcNode::SysKernel => ROOT_INO + 0x101,
            ProcNode::KernelParam(k) => ROOT_INO + 0x110 + index_of(&KERNEL_PARAMS, k),
            ProcNode::Bus => ROOT_INO + 0x200,
            ProcNode::BusPci => ROOT_INO + 0x201,
            ProcNode::PciDevices => ROOT_INO + 0x202,
            ProcNode::PciBus(bus) => ROOT_INO + 0x300 + u64::from(bus),
            ProcNode::PciConfig(at) => ROOT_INO + 0x1_0000 + (u64::from(at.bus) << 8 | u64::from(at.devfn())),
            ProcNode::Process(pid) => (u64::from(pid) << 8) | 0x1_0000_0000,
            ProcNode::ProcessEntry(pid, f) => (u64::from(pid) << 8) | 0x1_0000_0000 | (1 + index_of(&PROCESS_FILES, f)),
            ProcNode::Tasks(pid) => (u64::from(pid) << 8) | 0x1_0000_0000 | 0xff,
            ProcNode::Fds(pid) => (u64::from(pid) << 8) | 0x1_0000_0000 | 0xfe,
            ProcNode::Fd(pid, fd) => (u64::from(pid) << 24) | 0x4000_0000_0000_0000 | (fd as u64 & 0xff_ffff),
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
                if name == "sys" {
                    return Ok(ProcNode::Sys);
                }
                if name == "bus" {
                    return Ok(ProcNode::Bus);
                }
                if let Some(&(_, f)) = SYSTEM_FILES.iter().find(|(n, _)| *n == name) {
                    return Ok(ProcNode::System(f));
                }
                let pid: Pid = name.parse().map_err(|_| Errno::ENOENT)?;
                processes().snapshot(pid).map(|_| ProcNode::Process(pid)).ok_or(Errno::ENOENT)
            }
            ProcNode::Sys if name == "kernel" => Ok(ProcNode::SysKernel),
            ProcNode::Bus if name == "pci" => Ok(ProcNode::BusPci),
            ProcNode::BusPci | ProcNode::PciBus(_) => pci::child(self, name),
            ProcNode::SysKernel => KERNEL_PARAMS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|&(_, k)| ProcNode::KernelParam(k))
                .ok_or(Errno::ENOENT),
            ProcNode::Process(pid) if name == "task" => Ok(ProcNode::Tasks(pid)),
            ProcNode::Process(pid) if name == "fd" => Ok(ProcNode::Fds(pid)),
            ProcNode::Fds(pid) => {
                let fd: i32 = name.parse().map_err(|_| Errno::ENOENT)?;
                processes()
                    .open_files(pid)
                    .ok_or(Errno::ENOENT)?
                    .iter()
                    .find(|(n, _)| *n == fd)
                    .ok_or(Errno::ENOENT)?;
                Ok(ProcNode::Fd(pid, fd))
            }
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
            ProcNode::ProcessEntry(pid, _) | ProcNode::Tasks(pid) | ProcNode::Fds(pid) => Some(ProcNode::Process(pid)),
            ProcNode::Fd(pid, _) => Some(ProcNode::Fds(pid)),
            ProcNode::SysKernel => Some(ProcNode::Sys),
            ProcNode::KernelParam(_) => Some(ProcNode::SysKernel),
            ProcNode::Task(pid, _) => Some(ProcNode::Tasks(pid)),
            ProcNode::TaskEntry(pid, tid, _) => Some(ProcNode::Task(pid, tid)),
            ProcNode::BusPci => Some(ProcNode::Bus),
            ProcNode::PciDevices | ProcNode::PciBus(_) => Some(ProcNode::BusPci),
            ProcNode::PciConfig(at) => Some(ProcNode::PciBus(at.bus)),
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
                out.push((String::from("sys"), ProcNode::Sys));
                out.push((String::from("bus"), ProcNode::Bus));
                out.extend(processes().pids().into_iter().map(|pid| (format!("{pid}"), ProcNode::Process(pid))));
                Ok(out)
            }
            ProcNode::Process(pid) => {
                let mut out: Vec<(String, ProcNode)> =
                    PROCESS_FILES.iter().map(|&(n, f)| (String::from(n), ProcNode::ProcessEntry(pid, f))).collect();
                out.push((String::from("task"), ProcNode::Tasks(pid)));
                out.push((String::from("fd"), ProcNode::Fds(pid)));
                Ok(out)
            }
            ProcNode::Sys => Ok(alloc::vec![(String::from("kernel"), ProcNode::SysKernel)]),
            ProcNode::Bus => Ok(alloc::vec![(String::from("pci"), ProcNode::BusPci)]),
            ProcNode::BusPci | ProcNode::PciBus(_) => Ok(pci::entries(self)),
            ProcNode::SysKernel => {
                Ok(KERNEL_PARAMS.iter().map(|&(n, k)| (String::from(n), ProcNode::KernelParam(k))).collect())
            }
            ProcNode::Fds(pid) => Ok(processes()
                .open_files(pid)
                .ok_or(Errno::ENOENT)?
                .into_iter()
                .map(|(fd, _)| (format!("{fd}"), ProcNode::Fd(pid, fd)))
                .collect()),
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
            ProcNode::Fd(pid, fd) => processes()
                .open_files(pid)
                .and_then(|files| files.into_iter().find(|(n, _)| *n == fd))
                .map(|(_, file)| file.link_target())
                .ok_or(Errno::ENOENT),
            _ => Err(Errno::EINVAL),
        }
    }

    /// A file's contents now.
    pub fn contents(self) -> Result<Vec<u8>, Errno> {
        let text = match self {
            ProcNode::System(f) => system::text(f),
            ProcNode::KernelParam(k) => system::kernel_param(k),
            ProcNode::ProcessEntry(pid, f) | ProcNode::TaskEntry(_, pid, f) => {
                let p = processes().snapshot(pid).ok_or(Errno::ESRCH)?;
                return Ok(process::text(&p, f));
            }
            ProcNode::PciDevices => pci::devices(),
            ProcNode::PciConfig(at) => {
                let root = processes().credentials().is_privileged();
                return Ok(pci::config(at, root));
            }
            ProcNode::Root
            | ProcNode::Bus
            | ProcNode::BusPci
            | ProcNode::PciBus(_)
            | ProcNode::Sys
            | ProcNode::SysKernel
            | ProcNode::Process(_)
            | ProcNode::Fds(_)
            | ProcNode::Tasks(_)
            | ProcNode::Task(..) => return Err(Errno::EISDIR),
            ProcNode::SelfLink | ProcNode::Fd(..) => return Err(Errno::EINVAL),
        };
        Ok(text.into_bytes())
    }
}
