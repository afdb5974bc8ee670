//! System calls that make and use event files: eventfd and eventfd2; epoll
//! (create, ctl, wait with its timeouts and signal mask); timerfd (create,
//! settime, gettime); signalfd and signalfd4.
use alloc::sync::Arc;
use alloc::vec::Vec;

use kabi::Errno;
use kabi::events::*;
use kabi::fs::{O_CLOEXEC, O_NONBLOCK, O_RDWR};
use kabi::process::{CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_REALTIME_ALARM};

use super::files::{file, install};
use super::poll::{TimeFormat, Timeout, deadline_ms, duration_ns, wait_ready};
use super::signals::{read_wait_mask, with_sigmask};
use super::{SysResult, user};
use crate::fs::epoll::Epoll;
use crate::fs::eventfd::{EFD_SEMAPHORE, EventFd};
use crate::fs::file::OpenFile;
use crate::fs::signalfd::SignalFd;
use crate::fs::timerfd::{Clock, TimerFd};

/// eventfd2(initval, flags): EFD_CLOEXEC and EFD_NONBLOCK are O_CLOEXEC and
/// O_NONBLOCK; EFD_SEMAPHORE makes reads count down by one.
pub fn eventfd2(initial: u32, flags: u32) -> SysResult {
    if flags & !(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE) != 0 {
        return Err(Errno::EINVAL);
    }
    let file = OpenFile::other(Arc::new(EventFd::new(initial, flags)), O_RDWR | (flags & O_NONBLOCK));
    install(file, flags & O_CLOEXEC != 0)
}

pub fn epoll_create1(flags: u32) -> SysResult {
    if flags & !EPOLL_CLOEXEC != 0 {
        return Err(Errno::EINVAL);
    }
    install(OpenFile::other(Arc::new(Epoll::default()), O_RDWR), flags & EPOLL_CLOEXEC != 0)
}

/// epoll_create: the size hint must be positive, and is otherwise unused.
pub fn epoll_create(size: i32) -> SysResult {
    if size <= 0 {
        return Err(Errno::EINVAL);
    }
    epoll_create1(0)
}

/// epoll_ctl, with Linux's checks in Linux's order: EFAULT for the event,
/// EBADF for either descriptor, EPERM for a file that cannot be polled (a
/// regular file, a directory), EINVAL for an epoll instance added to itself,
/// for `epfd` not being one, for EPOLLEXCLUSIVE where it may not be and for an
/// unknown operation.
pub fn epoll_ctl(epfd: i32, op: i32, fd: i32, event: u64) -> SysResult {
    let event =
        if op == EPOLL_CTL_DEL { EpollEvent::default() } else { EpollEvent::from_bytes(&user::read_array(event)?) };
    let (instance, target) = (file(epfd)?, file(fd)?);
    if target.wait_queue().is_none() {
        return Err(Errno::EPERM);
    }
    let epoll = instance.downcast::<Epoll>().filter(|_| !Arc::ptr_eq(&instance, &target)).ok_or(Errno::EINVAL)?;
    if event.events & EPOLLEXCLUSIVE != 0
        && (op == EPOLL_CTL_MOD
            || op == EPOLL_CTL_ADD
                && (target.downcast::<Epoll>().is_some() || event.events & !EPOLLEXCLUSIVE_OK_BITS != 0))
    {
        return Err(Errno::EINVAL);
    }
    match op {
        EPOLL_CTL_ADD => epoll.add(fd, &target, event.events, event.data()),
        EPOLL_CTL_MOD => epoll.modify(fd, &target, event.events, event.data()),
        EPOLL_CTL_DEL => epoll.remove(fd, &target),
        _ => Err(Errno::EINVAL),
    }
    .map(|()| 0)
}

/// epoll_wait's work: up to `max` ready events into the array at `events`,
/// waiting until one is ready or `deadline`.
fn wait_events(epfd: i32, events: u64, max: i32, deadline: Option<u64>) -> SysResult {
    if !(1..=EP_MAX_EVENTS).contains(&max) {
        return Err(Errno::EINVAL);
    }
    let instance = file(epfd)?;
    let epoll = instance.downcast::<Epoll>().ok_or(Errno::EINVAL)?;
    let found = wait_ready(
        || alloc::vec![instance.clone()],
        deadline,
        || {
            let found = epoll.collect(max as usize);
            (!found.is_empty()).then_some(found)
        },
    )?
    .unwrap_or_default();
    let bytes: Vec<u8> = found.iter().flat_map(|&(bits, data)| EpollEvent::new(bits, data).to_bytes()).collect();
    user::copy_out(events, &bytes).map(|()| found.len())
}

/// epoll_wait and epoll_pwait: a timeout in milliseconds (negative: for ever)
/// and a signal mask for the wait.
pub fn epoll_pwait(epfd: i32, events: u64, max: i32, timeout: i32, mask: u64, mask_size: usize) -> SysResult {
    let mask = read_wait_mask(mask, mask_size)?;
    with_sigmask(mask, || wait_events(epfd, events, max, deadline_ms(timeout)))
}

/// epoll_pwait2: a timespec timeout (NULL: for ever), not written back.
pub fn epoll_pwait2(epfd: i32, events: u64, max: i32, timeout: u64, mask: u64, mask_size: usize) -> SysResult {
    let deadline = Timeout::read(timeout, TimeFormat::Timespec)?.deadline;
    let mask = read_wait_mask(mask, mask_size)?;
    with_sigmask(mask, || wait_events(epfd, events, max, deadline))
}

/// timerfd_create: CLOCK_REALTIME, CLOCK_MONOTONIC or CLOCK_BOOTTIME (the
/// _ALARM ones as their base clocks: there is no suspend to wake from), with
/// TFD_CLOEXEC and TFD_NONBLOCK.
pub fn timerfd_create(clock: u32, flags: u32) -> SysResult {
    if flags & !(TFD_CLOEXEC | TFD_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let clock = match clock {
        CLOCK_REALTIME | CLOCK_REALTIME_ALARM => Clock::Realtime,
        CLOCK_MONOTONIC | CLOCK_BOOTTIME | CLOCK_BOOTTIME_ALARM => Clock::Monotonic,
        _ => return Err(Errno::EINVAL),
    };
    let file = OpenFile::other(Arc::new(TimerFd::new(clock)), O_RDWR | (flags & TFD_NONBLOCK));
    install(file, flags & TFD_CLOEXEC != 0)
}

/// A setting (time left, interval) as `struct itimerspec` bytes.
fn itimerspec(value: u64, interval: u64) -> [u8; Itimerspec::SIZE] {
    Itimerspec { it_interval: timespec_of_ns(interval), it_value: timespec_of_ns(value) }.to_bytes()
}

/// timerfd_settime: TFD_TIMER_ABSTIME takes the value as a time on the
/// timer's clock (TFD_TIMER_CANCEL_ON_SET is accepted; the wall clock is never
/// set here). The old setting goes to `old` unless it is NULL.
pub fn timerfd_settime(fd: i32, flags: u32, new: u64, old: u64) -> SysResult {
    if flags & !(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET) != 0 {
        return Err(Errno::EINVAL);
    }
    let setting = Itimerspec::from_bytes(&user::read_array(new)?);
    let [value, interval] = [setting.it_value, setting.it_interval].map(|t| duration_ns(t.tv_sec, t.tv_nsec));
    let (value, interval) = (value?, interval?);
    let file = file(fd)?;
    let timer = file.downcast::<TimerFd>().ok_or(Errno::EINVAL)?;
    let (left, previous_interval) = timer.set(value, interval, flags & TFD_TIMER_ABSTIME != 0);
    user::copy_out_optional(old, &itimerspec(left, previous_interval)).map(|()| 0)
}

/// timerfd_gettime: the time left until the next expiry and the interval.
pub fn timerfd_gettime(fd: i32, out: u64) -> SysResult {
    let file = file(fd)?;
    let (left, interval) = file.downcast::<TimerFd>().ok_or(Errno::EINVAL)?.get();
    user::copy_out(out, &itimerspec(left, interval)).map(|()| 0)
}

/// signalfd4: a new signalfd for the signals in the mask at `mask` (`fd` -1),
/// or a new mask for the signalfd open as `fd` (EINVAL if it is another kind
/// of file). The mask must be 8 bytes; SFD_CLOEXEC and SFD_NONBLOCK.
pub fn signalfd4(fd: i32, mask: u64, mask_size: usize, flags: u32) -> SysResult {
    if flags & !(SFD_CLOEXEC | SFD_NONBLOCK) != 0 || mask_size != 8 {
        return Err(Errno::EINVAL);
    }
    let mask = user::read_u64(mask)?;
    if fd == -1 {
        let file = OpenFile::other(Arc::new(SignalFd::new(mask)), O_RDWR | (flags & SFD_NONBLOCK));
        return install(file, flags & SFD_CLOEXEC != 0);
    }
    file(fd)?.downcast::<SignalFd>().ok_or(Errno::EINVAL)?.set_mask(mask);
    Ok(fd as usize)
}
