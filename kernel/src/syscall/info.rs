//! Time and system information: clock_gettime, gettimeofday, nanosleep, uname,
//! getrandom.
use kabi::{Errno, Sysinfo, Timespec, Timeval, Utsname};

use super::{SysResult, user};
use crate::task::sleep;
use crate::{time, uts};

const CLOCK_REALTIME: i32 = 0;
const CLOCK_MONOTONIC: i32 = 1;
const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
const CLOCK_MONOTONIC_RAW: i32 = 4;
const CLOCK_REALTIME_COARSE: i32 = 5;
const CLOCK_MONOTONIC_COARSE: i32 = 6;
const CLOCK_BOOTTIME: i32 = 7;
const TIMER_ABSTIME: i32 = 1;

/// Nanoseconds on `clock`.
fn now_ns(clock: i32) -> Result<u64, Errno> {
    match clock {
        CLOCK_REALTIME | CLOCK_REALTIME_COARSE => Ok(time::realtime_ns()),
        CLOCK_MONOTONIC | CLOCK_MONOTONIC_RAW | CLOCK_MONOTONIC_COARSE | CLOCK_BOOTTIME => Ok(time::uptime_ns()),
        CLOCK_PROCESS_CPUTIME_ID | CLOCK_THREAD_CPUTIME_ID => Ok(time::uptime_ns()),
        _ => Err(Errno::EINVAL),
    }
}

fn timespec(ns: u64) -> Timespec {
    Timespec { tv_sec: (ns / 1_000_000_000) as i64, tv_nsec: (ns % 1_000_000_000) as i64 }
}

pub fn clock_gettime(clock: i32, out: u64) -> SysResult {
    let ns = now_ns(clock)?;
    user::copy_out(out, &timespec(ns).to_bytes()).map(|()| 0)
}

/// time(2): seconds since the epoch, also stored at `out` unless it is NULL.
pub fn time(out: u64) -> SysResult {
    let seconds = time::realtime_ns() / 1_000_000_000;
    user::copy_out_optional(out, &seconds.to_le_bytes()).map(|()| seconds as usize)
}

pub fn gettimeofday(out: u64) -> SysResult {
    let ns = time::realtime_ns();
    let tv = Timeval { tv_sec: (ns / 1_000_000_000) as i64, tv_usec: (ns % 1_000_000_000 / 1000) as i64 };
    user::copy_out_optional(out, &tv.to_bytes()).map(|()| 0)
}

fn read_timespec(addr: u64) -> Result<u64, Errno> {
    let bytes = user::copy_in(addr, 16)?;
    let ts = Timespec::from_bytes(bytes.as_slice().try_into().map_err(|_| Errno::EFAULT)?);
    if ts.tv_sec < 0 || !(0..1_000_000_000).contains(&ts.tv_nsec) {
        return Err(Errno::EINVAL);
    }
    Ok((ts.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(ts.tv_nsec as u64))
}

/// Sleep until uptime nanosecond `deadline_ns`. A signal ends it early with
/// EINTR, and the time left is stored at `remaining` (unless NULL), as Linux's
/// relative sleeps do.
fn sleep_until_ns(deadline_ns: u64, remaining: u64) -> SysResult {
    match sleep::sleep_until(deadline_ns.div_ceil(1_000_000)) {
        Ok(()) => Ok(0),
        Err(_) => {
            let left = deadline_ns.saturating_sub(time::uptime_ns());
            user::copy_out_optional(remaining, &timespec(left).to_bytes())?;
            Err(Errno::EINTR)
        }
    }
}

pub fn nanosleep(request: u64, remaining: u64) -> SysResult {
    let duration = read_timespec(request)?;
    sleep_until_ns(time::uptime_ns().saturating_add(duration), remaining)
}

pub fn clock_nanosleep(clock: i32, flags: i32, request: u64, remaining: u64) -> SysResult {
    let value = read_timespec(request)?;
    let now = now_ns(clock)?;
    let absolute = flags & TIMER_ABSTIME != 0;
    let wait = if absolute { value.saturating_sub(now) } else { value };
    // An absolute sleep leaves `remaining` alone, as on Linux.
    sleep_until_ns(time::uptime_ns().saturating_add(wait), if absolute { 0 } else { remaining })
}

pub fn uname(out: u64) -> SysResult {
    crate::ktest::panic_in_syscall_if_asked("uname");
    let field = Utsname::text_field;
    let uts = Utsname {
        sysname: field(uts::SYSNAME.as_bytes()),
        nodename: field(&uts::hostname()),
        release: field(uts::RELEASE.as_bytes()),
        version: field(uts::VERSION.as_bytes()),
        machine: field(uts::MACHINE.as_bytes()),
        domainname: field(b"(none)"),
    };
    user::copy_out(out, &uts.to_bytes()).map(|()| 0)
}

/// getrandom: as Linux, at most 32 MiB - 1 per call, moved a chunk at a time.
pub fn getrandom(buf: u64, len: usize) -> SysResult {
    user::transfer_out(buf, len.min((32 << 20) - 1), user::Flow::Whole, |chunk| {
        crate::arch::random::fill(chunk);
        Ok(chunk.len())
    })
}

/// sysinfo: uptime, memory (in bytes: mem_unit 1) and the number of processes.
pub fn sysinfo(out: u64) -> SysResult {
    let frames = crate::mm::frames::stats();
    let info = Sysinfo {
        uptime: (time::uptime_ns() / 1_000_000_000) as i64,
        totalram: frames.total * 4096,
        freeram: frames.free * 4096,
        procs: crate::proc::table::with_table(|t| t.procs.len()) as u16,
        mem_unit: 1,
        ..Sysinfo::default()
    };
    user::copy_out(out, &info.to_bytes()).map(|()| 0)
}

/// sethostname: root only (EPERM), at most 64 bytes (EINVAL); the name uname
/// and /proc/sys/kernel/hostname report.
pub fn sethostname(name: u64, len: usize) -> SysResult {
    if !super::ids::caller_is_privileged() {
        return Err(Errno::EPERM);
    }
    if len > uts::HOST_NAME_MAX {
        return Err(Errno::EINVAL);
    }
    uts::set_hostname(user::copy_in(name, len)?);
    Ok(0)
}

const REBOOT_MAGIC1: u32 = 0xfee1_dead;
const REBOOT_MAGIC2: [u32; 4] = [672_274_793, 85_072_278, 369_367_448, 537_993_216];
const REBOOT_CMD_RESTART: u32 = 0x0123_4567;
const REBOOT_CMD_HALT: u32 = 0xcdef_0123;
const REBOOT_CMD_POWER_OFF: u32 = 0x4321_fedc;

/// reboot(2): restart, halt or power off (root only: EPERM).
pub fn reboot(magic1: u32, magic2: u32, command: u32) -> SysResult {
    if !super::ids::caller_is_privileged() {
        return Err(Errno::EPERM);
    }
    if magic1 != REBOOT_MAGIC1 || !REBOOT_MAGIC2.contains(&magic2) {
        return Err(Errno::EINVAL);
    }
    match command {
        REBOOT_CMD_RESTART => {
            log::info!("reboot: restarting the system");
            crate::arch::power::reset();
        }
        REBOOT_CMD_POWER_OFF => {
            log::info!("reboot: power down");
            crate::arch::power::power_off();
            log::warn!("reboot: ACPI power-off did not take; halting");
        }
        REBOOT_CMD_HALT => log::info!("reboot: system halted"),
        _ => return Err(Errno::EINVAL),
    }
    crate::arch::cpu::halt_forever()
}

/// getrlimit: the caller's limit of `resource` (a NULL `out` is EFAULT here,
/// while prlimit64 takes NULL as "not wanted").
pub fn getrlimit(resource: u32, out: u64) -> SysResult {
    let limit = crate::proc::table::with_current(|p| p.limits().get(resource))?;
    user::copy_out(out, &limit.to_bytes()).map(|()| 0)
}

/// setrlimit: change the caller's limit (a NULL pointer is EFAULT).
pub fn setrlimit(resource: u32, new: u64) -> SysResult {
    let limit = kabi::Rlimit::from_bytes(&user::read_array(new)?);
    crate::proc::table::with_current(|p| {
        let mut group = p.group();
        let privileged = group.creds.is_privileged();
        group.limits.set(resource, limit, privileged)
    })
    .map(|()| 0)
}

/// prlimit64: read and change the limits of the caller or of another process
/// (EPERM for another user's, without privilege). The new value is read and
/// checked before anything changes; the old one is returned through `old`.
pub fn prlimit(pid: i32, resource: u32, new: u64, old: u64) -> SysResult {
    let new = if new == 0 { None } else { Some(kabi::Rlimit::from_bytes(&user::read_array(new)?)) };
    let target = match pid {
        0 => crate::proc::table::current_pid(),
        p if p > 0 => p as u32,
        _ => return Err(Errno::ESRCH),
    };
    let previous = crate::proc::table::with_table(|t| {
        let me = t.current().and_then(|tid| t.procs.get(&tid)).map(|p| p.creds()).expect("a process");
        let p = t.procs.get_mut(&target).ok_or(Errno::ESRCH)?;
        if !me.may_change_limits_of(&p.creds()) {
            return Err(Errno::EPERM);
        }
        let previous = p.limits().get(resource)?;
        if let Some(limit) = new {
            p.group().limits.set(resource, limit, me.is_privileged())?;
        }
        Ok(previous)
    })?;
    user::copy_out_optional(old, &previous.to_bytes()).map(|()| 0)
}

/// getrusage: user time from the ticks the process ran.
pub fn getrusage(out: u64) -> SysResult {
    let ticks = crate::task::scheduler::cpu_ticks(crate::task::scheduler::current());
    let us = ticks * 1_000_000 / u64::from(time::TIMER_HZ);
    let usage = kabi::Rusage {
        ru_utime: Timeval { tv_sec: (us / 1_000_000) as i64, tv_usec: (us % 1_000_000) as i64 },
        ..kabi::Rusage::default()
    };
    user::copy_out(out, &usage.to_bytes()).map(|()| 0)
}
