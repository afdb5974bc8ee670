//! Time and system information: clock_gettime, gettimeofday, nanosleep, uname,
//! getrandom.
use kabi::{Errno, Sysinfo, Timespec, Timeval, Utsname};

use super::{SysResult, user};
use crate::proc::sleep;
use crate::time;

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

/// Sleep until uptime nanosecond `deadline_ns`; EINTR if a signal ends it early.
fn sleep_until_ns(deadline_ns: u64) -> SysResult {
    sleep::sleep_until(deadline_ns.div_ceil(1_000_000)).map(|()| 0).map_err(|_| Errno::EINTR)
}

pub fn nanosleep(request: u64, _remaining: u64) -> SysResult {
    let duration = read_timespec(request)?;
    sleep_until_ns(time::uptime_ns().saturating_add(duration))
}

pub fn clock_nanosleep(clock: i32, flags: i32, request: u64, _remaining: u64) -> SysResult {
    let value = read_timespec(request)?;
    let now = now_ns(clock)?;
    let wait = if flags & TIMER_ABSTIME != 0 { value.saturating_sub(now) } else { value };
    sleep_until_ns(time::uptime_ns().saturating_add(wait))
}

pub fn uname(out: u64) -> SysResult {
    let field = Utsname::text_field;
    let uts = Utsname {
        sysname: field(b"Kestrel"),
        nodename: field(b"kestrel"),
        release: field(env!("CARGO_PKG_VERSION").as_bytes()),
        version: field(b"#1"),
        machine: field(b"x86_64"),
        domainname: field(b"(none)"),
    };
    user::copy_out(out, &uts.to_bytes()).map(|()| 0)
}

pub fn getrandom(buf: u64, len: usize) -> SysResult {
    let len = len.min(1 << 20);
    let mut bytes = alloc::vec![0u8; len];
    crate::arch::random::fill(&mut bytes);
    user::copy_out(buf, &bytes).map(|()| len)
}

/// sysinfo: uptime, memory (in bytes: mem_unit 1) and the number of processes.
pub fn sysinfo(out: u64) -> SysResult {
    let frames = crate::mm::frames::stats();
    let info = Sysinfo {
        uptime: (time::uptime_ns() / 1_000_000_000) as i64,
        totalram: frames.total * 4096,
        freeram: frames.free * 4096,
        procs: crate::proc::scheduler::with_table(|t| t.procs.len()) as u16,
        mem_unit: 1,
        ..Sysinfo::default()
    };
    user::copy_out(out, &info.to_bytes()).map(|()| 0)
}
