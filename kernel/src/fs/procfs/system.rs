//! The text of /proc's system-wide files: meminfo, uptime, loadavg, cpuinfo,
//! mounts and mountinfo, filesystems, version, stat, Kestrel's kheap (the kernel
//! heap's claimed and allocated bytes, for exact leak checks) and enosys (the
//! system calls that returned ENOSYS), and /proc/sys/kernel's parameters.
use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use crate::task::scheduler;
use crate::{time, uts};

use super::super::mounts;
use super::super::processes::processes;
use super::{KernelParam, SystemFile};

/// Linux's default pid_max on 64-bit machines (Kestrel's ids grow without
/// wrapping; a boot would need four million tasks to pass it).
const PID_MAX: u32 = 4_194_304;

/// The text of system file `file` now.
pub fn text(file: SystemFile) -> String {
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
        SystemFile::Filesystems => {
            for fs_type in mounts::FILESYSTEMS {
                let _ = writeln!(s, "nodev\t{fs_type}");
            }
        }
        SystemFile::Enosys => {
            // "NUMBER NAME COUNT" per system call that returned ENOSYS.
            let (counts, others) = crate::enosys::counts();
            for (number, count) in counts {
                let _ = writeln!(s, "{number} {} {count}", kabi::nr::name(number).unwrap_or("unknown"));
            }
            if others > 0 {
                let _ = writeln!(s, "other - {others}");
            }
        }
        SystemFile::KernelProfile => match crate::profile::by_function() {
            // "SAMPLES FUNCTION", most first.
            Some(functions) => {
                for (samples, name) in functions {
                    let _ = writeln!(s, "{samples} {name}");
                }
            }
            None => s.push_str("# the kernel profiler is off: boot with profile=SHIFT\n"),
        },
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
            mounts(&mut s);
        }
        SystemFile::Version => {
            let _ = writeln!(s, "{} version {} (rustc, stable) {}", uts::SYSNAME, uts::RELEASE, uts::VERSION);
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

/// /proc/mounts (and /proc/PID/mounts): "SOURCE PATH TYPE OPTIONS 0 0".
pub fn mounts(s: &mut String) {
    for m in mounts::list() {
        let path = String::from_utf8_lossy(&m.path);
        let _ = writeln!(s, "{} {path} {} {}{} 0 0", m.source, m.fs_type, m.mount_options, m.fs_options);
    }
}

/// /proc/PID/mountinfo: "ID PARENT MAJOR:MINOR ROOT PATH OPTIONS - TYPE SOURCE
/// SUPER_OPTIONS", the root file system being mount 1 (its parent 0).
pub fn mountinfo(s: &mut String) {
    for m in mounts::list() {
        let path = String::from_utf8_lossy(&m.path);
        let options = format!("{}{}", if m.mount_options.starts_with("ro") { "ro" } else { "rw" }, m.fs_options);
        let _ = writeln!(
            s,
            "{} {} 0:{} / {path} {} - {} {} {options}",
            m.id, m.parent, m.device, m.mount_options, m.fs_type, m.source
        );
    }
}

/// A /proc/sys/kernel parameter's value, with its newline.
pub fn kernel_param(param: KernelParam) -> String {
    match param {
        KernelParam::Hostname => format!("{}\n", String::from_utf8_lossy(&uts::hostname())),
        KernelParam::Osrelease => format!("{}\n", uts::RELEASE),
        KernelParam::Ostype => format!("{}\n", uts::SYSNAME),
        KernelParam::PidMax => format!("{PID_MAX}\n"),
        // Linux's 2 (stack, mmap base, vDSO, PIE and heap randomized), 0 with
        // `norandmaps`.
        KernelParam::RandomizeVaSpace => format!("{}\n", if crate::config::get().randomize { 2 } else { 0 }),
    }
}
