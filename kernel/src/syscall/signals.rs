//! Signal syscalls: rt_sigaction, rt_sigprocmask, sigaltstack, rt_sigreturn, kill,
//! tgkill, pause, rt_sigsuspend, rt_sigpending, alarm, setitimer and getitimer;
//! the signal mask the waiting calls put in place for their wait.
use kabi::signal::{
    MINSIGSTKSZ, NSIG, SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK, SS_DISABLE, SS_ONSTACK, Signal, UNBLOCKABLE_MASK,
};
use kabi::{Errno, SigAction, SigAltStack, Timeval};

use super::{SysResult, user};
use crate::arch::trap::TrapFrame;
use crate::proc::lifecycle::{self, Origin, Target};
use crate::proc::signal;
use crate::proc::table::{current_pid, with_current};
use crate::task::wait_queue::WaitQueue;

/// A signal argument: 0 (probe only) or a valid signal.
fn signal_arg(number: i32) -> Result<Option<Signal>, Errno> {
    match number {
        0 => Ok(None),
        n => u32::try_from(n).ok().and_then(Signal::from_raw).map(Some).ok_or(Errno::EINVAL),
    }
}

fn read_sigset(addr: u64, size: usize) -> Result<Option<u64>, Errno> {
    if size != 8 {
        return Err(Errno::EINVAL);
    }
    if addr == 0 { Ok(None) } else { user::read_u64(addr).map(Some) }
}

pub fn rt_sigaction(number: i32, act: u64, old: u64, sigset_size: usize) -> SysResult {
    if sigset_size != 8 || !(1..=NSIG as i32).contains(&number) {
        return Err(Errno::EINVAL);
    }
    let index = number as usize - 1;
    let new = if act == 0 { None } else { Some(SigAction::from_bytes(&user::read_array(act)?)) };
    if new.is_some() && UNBLOCKABLE_MASK & (1 << index) != 0 {
        return Err(Errno::EINVAL); // SIGKILL and SIGSTOP cannot be caught or ignored
    }
    let previous = lifecycle::change_action(number as u32, new);
    user::copy_out_optional(old, &previous.to_bytes()).map(|()| 0)
}

pub fn rt_sigprocmask(how: i32, set: u64, old: u64, sigset_size: usize) -> SysResult {
    let new = read_sigset(set, sigset_size)?;
    let previous = with_current(|p| {
        let previous = p.signals.mask;
        if let Some(set) = new {
            p.signals.mask = match how as u32 {
                SIG_BLOCK => previous | set,
                SIG_UNBLOCK => previous & !set,
                SIG_SETMASK => set,
                _ => return Err(Errno::EINVAL),
            } & !UNBLOCKABLE_MASK;
        }
        Ok(previous)
    })?;
    user::copy_out_optional(old, &previous.to_le_bytes()).map(|()| 0)
}

pub fn rt_sigpending(out: u64, sigset_size: usize) -> SysResult {
    if sigset_size != 8 {
        return Err(Errno::EINVAL);
    }
    let pending = with_current(|p| signal::pending_set(p) & p.signals.mask);
    user::copy_out(out, &pending.to_le_bytes()).map(|()| 0)
}

pub fn sigaltstack(new: u64, old: u64, frame: &TrapFrame) -> SysResult {
    let new = if new == 0 {
        None
    } else {
        let bytes = user::copy_in(new, SigAltStack::SIZE)?;
        Some(SigAltStack::from_bytes(bytes.as_slice().try_into().map_err(|_| Errno::EFAULT)?))
    };
    with_current(|p| {
        let current = p.signals.alt_stack;
        let on_it =
            current.ss_flags & SS_DISABLE == 0 && (current.ss_sp..current.ss_sp + current.ss_size).contains(&frame.rsp);
        let reported = SigAltStack { ss_flags: if on_it { SS_ONSTACK } else { current.ss_flags }, ..current };
        if let Some(new) = new {
            if on_it {
                return Err(Errno::EPERM);
            }
            if new.ss_flags & !SS_DISABLE != 0 {
                return Err(Errno::EINVAL);
            }
            if new.ss_flags & SS_DISABLE == 0 && new.ss_size < MINSIGSTKSZ {
                return Err(Errno::ENOMEM);
            }
            p.signals.alt_stack = new;
        }
        Ok(reported)
    })
    .and_then(|reported| user::copy_out_optional(old, &reported.to_bytes()))
    .map(|()| 0)
}

/// rt_sigreturn: back from a handler to the interrupted code. Returns the restored
/// RAX, so the dispatcher leaves it as it was.
pub fn rt_sigreturn(frame: &mut TrapFrame) -> SysResult {
    let restored =
        signal::read_frame(frame.rsp).and_then(|context| with_current(|p| signal::sigreturn(p, &context, frame)));
    match restored {
        Ok(()) => Ok(frame.rax as usize),
        Err(_) => {
            log::warn!("pid {}: bad signal frame in rt_sigreturn", current_pid());
            lifecycle::exit_by_signal(Signal::SIGSEGV)
        }
    }
}

/// kill: pid > 0 one process; 0 the caller's group; -1 all but init and the
/// caller; < -1 group -pid.
pub fn kill(pid: i32, number: i32) -> SysResult {
    let signal = signal_arg(number)?;
    let target = match pid {
        1.. => Target::Process(pid as u32),
        0 => Target::Group(with_current(|p| p.pgid())),
        -1 => Target::All,
        _ => Target::Group(pid.unsigned_abs()),
    };
    lifecycle::kill(target, signal, Origin::Caller).map(|()| 0)
}

/// tgkill (and tkill, `tgid` -1): a signal for the thread `tid`, which must be
/// in the group `tgid`.
pub fn tgkill(tgid: i32, tid: i32, number: i32) -> SysResult {
    if tid <= 0 || (tgid != -1 && tgid <= 0) {
        return Err(Errno::EINVAL);
    }
    let signal = signal_arg(number)?;
    let group = (tgid > 0).then_some(tgid as u32);
    lifecycle::kill(Target::Thread { tid: tid as u32, group }, signal, Origin::Caller).map(|()| 0)
}

/// Nothing ever wakes this queue: pause and sigsuspend end only by signals.
static NEVER: WaitQueue = WaitQueue::new();

pub fn pause() -> SysResult {
    NEVER.wait_until(|| None::<()>).map(|()| 0).map_err(|_| Errno::EINTR)
}

/// rt_sigsuspend: wait for a signal with `mask` in place; the old mask comes back
/// when the handler returns (it is what the signal frame saves).
pub fn rt_sigsuspend(mask: u64, sigset_size: usize) -> SysResult {
    let mask = read_sigset(mask, sigset_size)?.ok_or(Errno::EFAULT)?;
    with_sigmask(Some(mask), pause)
}

/// The signal mask a waiting call (ppoll, pselect6, epoll_pwait) puts in
/// place: a sigset of `size` bytes at `addr`, or none for NULL.
pub(super) fn read_wait_mask(addr: u64, size: usize) -> Result<Option<u64>, Errno> {
    if addr == 0 { Ok(None) } else { read_sigset(addr, size) }
}

/// Run `wait` with `mask` (if any) as the caller's signal mask. If a signal
/// the mask lets through ends the wait, the mask stays for that signal's
/// handler and the old one comes back when the handler returns (the signal
/// frame saves it); otherwise it comes back at once.
pub(super) fn with_sigmask(mask: Option<u64>, wait: impl FnOnce() -> SysResult) -> SysResult {
    let Some(mask) = mask else { return wait() };
    let old = with_current(|p| core::mem::replace(&mut p.signals.mask, mask & !UNBLOCKABLE_MASK));
    let result = wait();
    with_current(|p| {
        if result == Err(Errno::EINTR) && signal::next_deliverable(p).is_some() {
            p.signals.saved_mask = Some(old);
        } else {
            p.signals.mask = old;
        }
    });
    result
}

/// alarm(seconds): SIGALRM after that long; returns the seconds left of the old one.
pub fn alarm(seconds: u32) -> SysResult {
    let now = crate::time::uptime_ms();
    let at = (seconds > 0).then(|| now + u64::from(seconds) * 1000);
    let previous = with_current(|p| {
        let mut group = p.group();
        group.alarm_interval = 0;
        core::mem::replace(&mut group.alarm_at, at)
    });
    if let Some(at) = at {
        crate::proc::alarm::due_at(at);
    }
    Ok(previous.map_or(0, |p| p.saturating_sub(now).div_ceil(1000)) as usize)
}

const ITIMER_REAL: i32 = 0;

fn timeval_ms(tv: &Timeval) -> u64 {
    (tv.tv_sec as u64).saturating_mul(1000).saturating_add((tv.tv_usec as u64).div_ceil(1000))
}

fn ms_timeval(ms: u64) -> Timeval {
    Timeval { tv_sec: (ms / 1000) as i64, tv_usec: (ms % 1000 * 1000) as i64 }
}

/// An ITIMER_REAL as `struct itimerval` bytes: (interval, value).
fn itimer_bytes(interval_ms: u64, remaining_ms: u64) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[..16].copy_from_slice(&ms_timeval(interval_ms).to_bytes());
    out[16..].copy_from_slice(&ms_timeval(remaining_ms).to_bytes());
    out
}

pub fn getitimer(which: i32, out: u64) -> SysResult {
    if which != ITIMER_REAL {
        return Err(Errno::EINVAL);
    }
    let now = crate::time::uptime_ms();
    let (interval, remaining) = with_current(|p| {
        let group = p.group();
        (group.alarm_interval, group.alarm_at.map_or(0, |a| a.saturating_sub(now)))
    });
    user::copy_out(out, &itimer_bytes(interval, remaining)).map(|()| 0)
}

/// setitimer(ITIMER_REAL): SIGALRM after `value`, then every `interval` (if not
/// zero); a zero value disarms it.
pub fn setitimer(which: i32, new: u64, old: u64) -> SysResult {
    if which != ITIMER_REAL {
        return Err(Errno::EINVAL);
    }
    let bytes = user::copy_in(new, 32)?;
    let interval = Timeval::from_bytes(bytes[..16].try_into().map_err(|_| Errno::EFAULT)?);
    let value = Timeval::from_bytes(bytes[16..].try_into().map_err(|_| Errno::EFAULT)?);
    let valid = |tv: &Timeval| tv.tv_sec >= 0 && (0..1_000_000).contains(&tv.tv_usec);
    if !valid(&interval) || !valid(&value) {
        return Err(Errno::EINVAL);
    }
    let now = crate::time::uptime_ms();
    let delay = timeval_ms(&value);
    let at = (delay > 0).then(|| now.saturating_add(delay));
    let new_interval = if at.is_some() { timeval_ms(&interval) } else { 0 };
    let (previous, previous_interval) = with_current(|p| {
        let mut group = p.group();
        (core::mem::replace(&mut group.alarm_at, at), core::mem::replace(&mut group.alarm_interval, new_interval))
    });
    if let Some(at) = at {
        crate::proc::alarm::due_at(at);
    }
    let remaining = previous.map_or(0, |p| p.saturating_sub(now));
    user::copy_out_optional(old, &itimer_bytes(previous_interval, remaining))?;
    Ok(0)
}
