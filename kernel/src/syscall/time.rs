//! Clocks, sleeps and CPU time: clock_gettime, clock_getres, clock_settime,
//! gettimeofday, settimeofday, time, nanosleep, clock_nanosleep, times and
//! getrusage. The wall and monotonic clocks come from the same data page the
//! vDSO reads (`time`), the CPU-time clocks and usage from `proc::usage`; errors
//! in Linux's order and with its values.
use kabi::time::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME,
    CLOCK_REALTIME_COARSE, CLOCK_TAI, CpuClock, CpuClockKind, RUSAGE_CHILDREN, RUSAGE_SELF, RUSAGE_THREAD,
    TIMER_ABSTIME, USER_HZ,
};
use kabi::{Errno, Rusage, Timespec, Timeval, Timezone, Tms};
use timekeeping::{NSEC_PER_SEC, Split};

use super::{SysResult, user};
use crate::proc::usage::{self, Who};
use crate::task::sleep;
use crate::time::{self, TICK_NSEC};

/// The latest second clock_settime accepts (Linux's TIME_SETTOD_SEC_MAX: 30
/// years of uptime short of where nanoseconds in an i64 end, in 2262).
const SETTOD_SEC_MAX: i64 = i64::MAX / NSEC_PER_SEC as i64 - 30 * 365 * 24 * 3600;
/// settimeofday's limit on the time zone, in minutes either way.
const TIMEZONE_MINUTES_MAX: i32 = 15 * 60;

/// Clock `clock` now, in nanoseconds: one the data page holds, or a CPU-time clock.
fn now_ns(clock: i32) -> Result<u64, Errno> {
    match time::clock_ns(clock) {
        Some(ns) => Ok(ns),
        None => usage::clock_ns(CpuClock::decode(clock).ok_or(Errno::EINVAL)?),
    }
}

fn timespec(ns: u64) -> Timespec {
    Timespec { tv_sec: (ns / NSEC_PER_SEC) as i64, tv_nsec: (ns % NSEC_PER_SEC) as i64 }
}

fn timeval(ns: u64) -> Timeval {
    Timeval { tv_sec: (ns / NSEC_PER_SEC) as i64, tv_usec: (ns % NSEC_PER_SEC / 1000) as i64 }
}

pub fn clock_gettime(clock: i32, out: u64) -> SysResult {
    let ns = now_ns(clock)?;
    user::copy_out(out, &timespec(ns).to_bytes()).map(|()| 0)
}

/// clock_getres: 1 ns for the clocks read from the TSC and for the run-time
/// clocks, a tick for the coarse clocks and the tick-sampled CPU clocks.
pub fn clock_getres(clock: i32, out: u64) -> SysResult {
    let ns = match clock {
        CLOCK_REALTIME | CLOCK_MONOTONIC | CLOCK_MONOTONIC_RAW | CLOCK_BOOTTIME | CLOCK_TAI => 1,
        CLOCK_REALTIME_COARSE | CLOCK_MONOTONIC_COARSE => TICK_NSEC,
        _ => {
            let cpu = CpuClock::decode(clock).ok_or(Errno::EINVAL)?;
            usage::check_clock(cpu)?;
            if cpu.kind == CpuClockKind::Sched { 1 } else { TICK_NSEC }
        }
    };
    user::copy_out_optional(out, &timespec(ns).to_bytes()).map(|()| 0)
}

/// clock_settime: only CLOCK_REALTIME can be set (root only on Linux; everyone
/// is root here). Another process's or thread's CPU-time clock is EPERM, any
/// other clock EINVAL before the time is even read.
pub fn clock_settime(clock: i32, new: u64) -> SysResult {
    let cpu_clock = CpuClock::decode(clock).filter(|_| clock < 0);
    if clock != CLOCK_REALTIME && cpu_clock.is_none() {
        return Err(Errno::EINVAL);
    }
    let ts = Timespec::from_bytes(&user::read_array(new)?);
    if let Some(cpu) = cpu_clock {
        usage::check_clock(cpu)?;
        return Err(Errno::EPERM);
    }
    set_realtime(ts).map(|()| 0)
}

/// Set CLOCK_REALTIME, if `ts` is a time it may be (Linux's
/// timespec64_valid_settod, and not before the boot).
fn set_realtime(ts: Timespec) -> Result<(), Errno> {
    if !(0..SETTOD_SEC_MAX).contains(&ts.tv_sec) || !(0..NSEC_PER_SEC as i64).contains(&ts.tv_nsec) {
        return Err(Errno::EINVAL);
    }
    time::set_realtime(ts.tv_sec as u64 * NSEC_PER_SEC + ts.tv_nsec as u64).map_err(|_| Errno::EINVAL)
}

pub fn gettimeofday(tv: u64, tz: u64) -> SysResult {
    user::copy_out_optional(tv, &timeval(time::realtime_ns()).to_bytes())?;
    let (tz_minuteswest, tz_dsttime) = time::timezone();
    user::copy_out_optional(tz, &Timezone { tz_minuteswest, tz_dsttime }.to_bytes()).map(|()| 0)
}

/// settimeofday: the time (microseconds), the time zone, or both; both are read
/// and checked before either changes. Unlike Linux, a first call with only a
/// time zone does not shift the clock (no hardware clock keeps local time here).
pub fn settimeofday(tv: u64, tz: u64) -> SysResult {
    let time = match tv {
        0 => None,
        _ => {
            let tv = Timeval::from_bytes(&user::read_array(tv)?);
            if !(0..=1_000_000).contains(&tv.tv_usec) {
                return Err(Errno::EINVAL);
            }
            Some(Timespec { tv_sec: tv.tv_sec, tv_nsec: tv.tv_usec * 1000 })
        }
    };
    let zone = match tz {
        0 => None,
        _ => Some(Timezone::from_bytes(&user::read_array(tz)?)),
    };
    if time.is_some_and(|t| !(0..SETTOD_SEC_MAX).contains(&t.tv_sec) || t.tv_nsec >= NSEC_PER_SEC as i64) {
        return Err(Errno::EINVAL);
    }
    if let Some(zone) = zone {
        if !(-TIMEZONE_MINUTES_MAX..=TIMEZONE_MINUTES_MAX).contains(&zone.tz_minuteswest) {
            return Err(Errno::EINVAL);
        }
        time::set_timezone(zone.tz_minuteswest, zone.tz_dsttime);
    }
    time.map_or(Ok(()), set_realtime).map(|()| 0)
}

/// time(2): the seconds of CLOCK_REALTIME at the last tick (as Linux's), also
/// stored at `out` unless it is NULL.
pub fn time(out: u64) -> SysResult {
    let seconds = time::realtime_seconds();
    user::copy_out_optional(out, &seconds.to_le_bytes()).map(|()| seconds as usize)
}

fn read_timespec(addr: u64) -> Result<u64, Errno> {
    let ts = Timespec::from_bytes(&user::read_array(addr)?);
    if ts.tv_sec < 0 || !(0..NSEC_PER_SEC as i64).contains(&ts.tv_nsec) {
        return Err(Errno::EINVAL);
    }
    Ok((ts.tv_sec as u64).saturating_mul(NSEC_PER_SEC).saturating_add(ts.tv_nsec as u64))
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

/// clock_nanosleep on the wall and monotonic clocks, and on CPU time (until the
/// process or another thread has used that much, looked at every tick). Clocks
/// Linux cannot sleep on (the raw and coarse ones, CLOCK_THREAD_CPUTIME_ID) are
/// EOPNOTSUPP; the caller's own thread clock by id is EINVAL.
pub fn clock_nanosleep(clock: i32, flags: i32, request: u64, remaining: u64) -> SysResult {
    let cpu_clock = match clock {
        CLOCK_REALTIME | CLOCK_MONOTONIC | CLOCK_BOOTTIME | CLOCK_TAI => None,
        CLOCK_MONOTONIC_RAW | CLOCK_REALTIME_COARSE | CLOCK_MONOTONIC_COARSE => return Err(Errno::EOPNOTSUPP),
        _ => match CpuClock::decode(clock).ok_or(Errno::EINVAL)? {
            cpu if cpu.thread && clock >= 0 => return Err(Errno::EOPNOTSUPP),
            cpu if cpu.thread && (cpu.pid == 0 || cpu.pid == crate::proc::table::current_pid()) => {
                return Err(Errno::EINVAL);
            }
            cpu => Some(cpu),
        },
    };
    let value = read_timespec(request)?;
    let now = now_ns(clock)?;
    let absolute = flags & TIMER_ABSTIME != 0;
    // An absolute sleep leaves `remaining` alone, as on Linux.
    let remaining = if absolute { 0 } else { remaining };
    let deadline = if absolute { value } else { now.saturating_add(value) };
    match cpu_clock {
        None => sleep_until_ns(time::uptime_ns().saturating_add(deadline.saturating_sub(now)), remaining),
        Some(cpu) => loop {
            let used = usage::clock_ns(cpu)?;
            if used >= deadline {
                return Ok(0);
            }
            if sleep::sleep_until(time::uptime_ms() + 1).is_err() {
                user::copy_out_optional(remaining, &timespec(deadline - used).to_bytes())?;
                return Err(Errno::EINTR);
            }
        },
    }
}

/// Nanoseconds in clock ticks (`USER_HZ`).
fn clock_ticks(ns: u64) -> i64 {
    (ns / (NSEC_PER_SEC / USER_HZ)) as i64
}

/// times(2): the process's and its reaped children's user and system time, in
/// clock ticks; returns the ticks since boot.
pub fn times(out: u64) -> SysResult {
    let (own, children) = (usage::times(Who::Process), usage::times(Who::Children));
    let tms = Tms {
        tms_utime: clock_ticks(own.user),
        tms_stime: clock_ticks(own.system),
        tms_cutime: clock_ticks(children.user),
        tms_cstime: clock_ticks(children.system),
    };
    user::copy_out_optional(out, &tms.to_bytes())?;
    Ok(clock_ticks(time::uptime_ns()) as usize)
}

/// getrusage: user and system time of the process (RUSAGE_SELF), the calling
/// thread (RUSAGE_THREAD) or the reaped children (RUSAGE_CHILDREN); the other
/// fields are 0.
pub fn getrusage(who: i32, out: u64) -> SysResult {
    let who = match who {
        RUSAGE_SELF => Who::Process,
        RUSAGE_THREAD => Who::Thread,
        RUSAGE_CHILDREN => Who::Children,
        _ => return Err(Errno::EINVAL),
    };
    let Split { user: user_ns, system: system_ns } = usage::times(who);
    let usage = Rusage { ru_utime: timeval(user_ns), ru_stime: timeval(system_ns), ..Rusage::default() };
    user::copy_out(out, &usage.to_bytes()).map(|()| 0)
}
