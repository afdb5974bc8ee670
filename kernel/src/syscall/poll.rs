//! Waiting for descriptors to become ready: poll, ppoll, select and pselect6,
//! and what epoll_wait shares with them: the wait on many files' queues with a
//! deadline (`wait_ready`) and timeout arguments, which these calls write back
//! with the time left as Linux does.
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use kabi::events::timespec_of_ns;
use kabi::fs::{POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDBAND, POLLRDNORM, POLLWRBAND, POLLWRNORM};
use kabi::{Errno, PollFd, Timespec, Timeval};

use super::files::file;
use super::signals::{read_wait_mask, with_sigmask};
use super::{SysResult, user};
use crate::arch::cpu::without_interrupts;
use crate::fs::file::OpenFile;
use crate::proc::process::Process;
use crate::proc::table::read_current;
use crate::task::sleep;
use crate::task::wait_queue::WaitQueue;
use crate::time;

/// How many levels of epoll instances a wait follows for the files they watch
/// (fs/epoll.rs lets 4 nest).
const MAX_WATCH_DEPTH: usize = 5;

/// Up to this many pollfds are copied into a buffer on the stack, not the heap.
const POLLFDS_ON_STACK: usize = 32;

/// `files` and, recursively, the files they watch (epoll instances').
fn with_watched(files: &[Arc<OpenFile>]) -> Vec<Arc<OpenFile>> {
    let mut all = files.to_vec();
    let mut level = files.to_vec();
    for _ in 0..MAX_WATCH_DEPTH {
        level = level.iter().flat_map(|f| f.watched()).collect();
        if level.is_empty() {
            break;
        }
        all.extend(level.iter().cloned());
    }
    all
}

/// What one look at the files found.
enum Look<T> {
    Found(T),
    TimedOut,
    /// Woken: look up the queues again before waiting on.
    Again,
}

/// Wait until `check` finds what the caller waits for and return it: None once
/// uptime reaches `deadline` (ns; None waits for ever), EINTR for a signal. The
/// task sleeps on the queues of `files` and of the files they watch (looked up
/// again after each wakeup, as an epoll set may have changed) and on the sleep
/// queue for the deadline; `files` lists them, called only if it must wait.
/// `check` runs with interrupts off.
pub(super) fn wait_ready<T>(
    files: impl FnOnce() -> Vec<Arc<OpenFile>>,
    deadline: Option<u64>,
    mut check: impl FnMut() -> Option<T>,
) -> Result<Option<T>, Errno> {
    // Ready already, or not waiting at all (a zero timeout): no queues, and
    // the files are not even listed.
    if let Some(found) = without_interrupts(&mut check) {
        return Ok(Some(found));
    }
    if deadline.is_some_and(is_past) {
        return Ok(None);
    }
    let files = files();
    loop {
        let watched = with_watched(&files);
        let mut queues: Vec<&WaitQueue> = watched.iter().filter_map(|f| f.wait_queue()).collect();
        queues.push(sleep::queue());
        let mut looked = false;
        let look = WaitQueue::wait_until_any(&queues, || {
            if let Some(found) = check() {
                return Some(Look::Found(found));
            }
            if deadline.is_some_and(is_past) {
                return Some(Look::TimedOut);
            }
            if core::mem::replace(&mut looked, true) {
                return Some(Look::Again);
            }
            if let Some(d) = deadline {
                sleep::wake_at(d.div_ceil(1_000_000));
            }
            None
        })
        .map_err(|_| Errno::EINTR)?;
        match look {
            Look::Found(found) => return Ok(Some(found)),
            Look::TimedOut => return Ok(None),
            Look::Again => {}
        }
    }
}

/// The uptime (ns) `ns` from now; 0 (passed, without reading the clock) for a
/// zero timeout.
pub(super) fn deadline_in(ns: u64) -> u64 {
    if ns == 0 { 0 } else { time::uptime_ns().saturating_add(ns) }
}

/// Whether uptime reached `deadline`.
fn is_past(deadline: u64) -> bool {
    deadline == 0 || time::uptime_ns() >= deadline
}

/// A timeout of milliseconds (poll, epoll_wait): negative waits for ever.
pub(super) fn deadline_ms(timeout: i32) -> Option<u64> {
    u64::try_from(timeout).ok().map(|ms| deadline_in(ms.saturating_mul(1_000_000)))
}

/// How a timeout argument is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TimeFormat {
    /// select's `struct timeval`.
    Timeval,
    /// `struct timespec` (pselect6, ppoll, epoll_pwait2).
    Timespec,
}

/// A timeout argument: where it is, and the deadline it gives.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timeout {
    addr: u64,
    format: TimeFormat,
    /// Uptime (ns) at which the wait ends; None for ever (a NULL argument).
    pub deadline: Option<u64>,
}

impl Timeout {
    /// Read the timeout at `addr` (NULL: none). A timeval's microseconds past
    /// a second carry into the seconds, as Linux's select; a negative time is
    /// EINVAL, and so is a timespec's nanoseconds field out of range.
    pub fn read(addr: u64, format: TimeFormat) -> Result<Self, Errno> {
        let ns = match (addr, format) {
            (0, _) => None,
            (_, TimeFormat::Timeval) => {
                let tv = Timeval::from_bytes(&user::read_array(addr)?);
                let seconds = tv.tv_sec.checked_add(tv.tv_usec / 1_000_000).ok_or(Errno::EINVAL)?;
                Some(duration_ns(seconds, tv.tv_usec % 1_000_000 * 1000)?)
            }
            (_, TimeFormat::Timespec) => {
                let ts = Timespec::from_bytes(&user::read_array(addr)?);
                Some(duration_ns(ts.tv_sec, ts.tv_nsec)?)
            }
        };
        // A zero timeout is never written back (Linux's "no update for zero
        // timeout").
        let addr = if ns == Some(0) { 0 } else { addr };
        Ok(Self { addr, format, deadline: ns.map(deadline_in) })
    }

    /// Store the time left (zero once past) where the timeout came from. A
    /// failed copy is ignored, as on Linux.
    pub fn write_back(&self) {
        let (addr, Some(deadline)) = (self.addr, self.deadline) else { return };
        if addr == 0 {
            return;
        }
        let left = timespec_of_ns(deadline.saturating_sub(time::uptime_ns()));
        let _ = match self.format {
            TimeFormat::Timeval => {
                user::copy_out(addr, &Timeval { tv_sec: left.tv_sec, tv_usec: left.tv_nsec / 1000 }.to_bytes())
            }
            TimeFormat::Timespec => user::copy_out(addr, &left.to_bytes()),
        };
    }
}

/// Nanoseconds of a valid (seconds, nanoseconds) pair, else EINVAL.
pub(super) fn duration_ns(seconds: i64, nanoseconds: i64) -> Result<u64, Errno> {
    if seconds < 0 || !(0..1_000_000_000).contains(&nanoseconds) {
        return Err(Errno::EINVAL);
    }
    Ok((seconds as u64).saturating_mul(1_000_000_000).saturating_add(nanoseconds as u64))
}

/// poll over `count` pollfds until `deadline`.
fn poll_fds(fds: u64, count: usize, deadline: Option<u64>) -> SysResult {
    let over_limit = |p: &Process| count as u64 > p.limits().soft(kabi::process::RLIMIT_NOFILE);
    // The pollfds stay in the bytes copied in: each look writes its revents
    // there, and the same bytes go back out. A count beyond the stack buffer is
    // checked against the limit before its buffer is allocated.
    let (mut small, mut large) = ([0; POLLFDS_ON_STACK * PollFd::SIZE], Vec::new());
    if count > POLLFDS_ON_STACK && read_current(over_limit) {
        return Err(Errno::EINVAL);
    }
    let raw = user::scratch(count * PollFd::SIZE, &mut small, &mut large)?;
    let copied = user::read_into(fds, raw);
    let (mut few, mut many) = ([const { None }; POLLFDS_ON_STACK], Vec::new());
    let files: &mut [Option<Arc<OpenFile>>] = if count <= POLLFDS_ON_STACK {
        &mut few[..count]
    } else {
        many.try_reserve_exact(count).map_err(|_| Errno::ENOMEM)?;
        many.resize(count, None);
        &mut many
    };
    read_current(|p| {
        if over_limit(p) {
            return Err(Errno::EINVAL); // before EFAULT, as Linux
        }
        copied?;
        let table = p.files.lock();
        for (file, entry) in files.iter_mut().zip(raw.chunks_exact(PollFd::SIZE)) {
            *file = table.get(entry_fd(entry)).ok();
        }
        Ok(())
    })?;
    let ready = wait_ready(
        || files.iter().flatten().cloned().collect(),
        deadline,
        || {
            let mut ready = 0;
            for (entry, file) in raw.chunks_exact_mut(PollFd::SIZE).zip(files.iter()) {
                let events = i16::from_le_bytes([entry[EVENTS], entry[EVENTS + 1]]);
                let revents = match file {
                    _ if entry_fd(entry) < 0 => 0,
                    Some(f) => f.poll_ready(events),
                    None => POLLNVAL,
                };
                ready += usize::from(revents != 0);
                entry[REVENTS..].copy_from_slice(&revents.to_le_bytes());
            }
            (ready > 0).then_some(ready)
        },
    )?
    .unwrap_or(0);
    user::copy_out(fds, raw).map(|()| ready)
}

/// Offsets in a `struct pollfd` (kabi's PollFd): the events and revents fields.
const EVENTS: usize = 4;
const REVENTS: usize = 6;
const _: () = assert!(PollFd::SIZE == REVENTS + 2);

/// The descriptor of the pollfd in `entry` (PollFd::SIZE bytes).
fn entry_fd(entry: &[u8]) -> i32 {
    i32::from_le_bytes([entry[0], entry[1], entry[2], entry[3]])
}

pub fn poll(fds: u64, count: usize, timeout_ms: i32) -> SysResult {
    poll_fds(fds, count, deadline_ms(timeout_ms))
}

/// ppoll: poll with a timespec timeout (written back with the time left) and
/// a signal mask for the wait.
pub fn ppoll(fds: u64, count: usize, timeout: u64, mask: u64, mask_size: usize) -> SysResult {
    let timeout = Timeout::read(timeout, TimeFormat::Timespec)?;
    let mask = read_wait_mask(mask, mask_size)?;
    let result = with_sigmask(mask, || poll_fds(fds, count, timeout.deadline));
    timeout.write_back();
    result
}

/// What select counts as readable, writable and exceptional (Linux's
/// POLLIN_SET, POLLOUT_SET and POLLEX_SET).
const SELECT_SETS: [i16; 3] =
    [POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR, POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR, POLLPRI];

/// select and pselect6: the descriptors below `nfds` in the read, write and
/// except fd_sets at `sets` (NULL for none), each ready one kept in its sets
/// (the others cleared), until one is or `deadline`. Returns the number of
/// bits set. `nfds` is cut to the descriptor limit (Linux cuts it to its
/// table's size); a descriptor in a set that is not open is EBADF.
fn select_fds(nfds: i32, sets: [u64; 3], deadline: Option<u64>) -> SysResult {
    let n = usize::try_from(nfds).map_err(|_| Errno::EINVAL)?.min(read_current(|p| p.fd_limit()));
    let words = n.div_ceil(64);
    let mut wanted = [vec![0u64; words], vec![0u64; words], vec![0u64; words]];
    for (set, &addr) in wanted.iter_mut().zip(&sets) {
        if addr != 0 {
            let bytes = user::copy_in(addr, words * 8)?;
            for (word, chunk) in set.iter_mut().zip(bytes.chunks_exact(8)) {
                *word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            }
        }
        if let Some(last) = set.last_mut()
            && n % 64 != 0
        {
            *last &= (1 << (n % 64)) - 1;
        }
    }
    let mut watched: Vec<(usize, Arc<OpenFile>)> = Vec::new();
    for fd in 0..n {
        if wanted.iter().any(|set| set[fd / 64] & (1 << (fd % 64)) != 0) {
            watched.push((fd, file(fd as i32)?));
        }
    }
    let files: Vec<Arc<OpenFile>> = watched.iter().map(|(_, f)| f.clone()).collect();
    let mut found = wanted.clone();
    let count = wait_ready(
        || files.clone(),
        deadline,
        || {
            found.iter_mut().for_each(|set| set.fill(0));
            let mut count = 0;
            for (fd, file) in &watched {
                let ready = file.poll_ready(SELECT_SETS.iter().fold(0, |all, set| all | set));
                let (word, bit) = (fd / 64, 1 << (fd % 64));
                for ((set, out), events) in wanted.iter().zip(found.iter_mut()).zip(SELECT_SETS) {
                    if set[word] & bit != 0 && ready & events != 0 {
                        out[word] |= bit;
                        count += 1;
                    }
                }
            }
            (count > 0).then_some(count)
        },
    )?;
    for (set, &addr) in found.iter().zip(&sets) {
        if addr != 0 {
            let bytes: Vec<u8> = set.iter().flat_map(|w| w.to_le_bytes()).collect();
            user::copy_out(addr, &bytes)?;
        }
    }
    Ok(count.unwrap_or(0))
}

/// select: a timeval timeout, written back with the time left.
pub fn select(nfds: i32, read: u64, write: u64, except: u64, timeout: u64) -> SysResult {
    let timeout = Timeout::read(timeout, TimeFormat::Timeval)?;
    let result = select_fds(nfds, [read, write, except], timeout.deadline);
    timeout.write_back();
    result
}

/// pselect6: a timespec timeout (written back like select's: C libraries pass
/// a copy) and, at `mask_arg`, a `{ const sigset_t *ss; size_t ss_len; }` whose
/// mask is in place during the wait.
pub fn pselect6(nfds: i32, read: u64, write: u64, except: u64, timeout: u64, mask_arg: u64) -> SysResult {
    let timeout = Timeout::read(timeout, TimeFormat::Timespec)?;
    let mask = match mask_arg {
        0 => None,
        addr => {
            let words: [u8; 16] = user::read_array(addr)?;
            let [set, size] = [&words[..8], &words[8..]].map(|w| u64::from_le_bytes(w.try_into().unwrap_or([0; 8])));
            read_wait_mask(set, size as usize)?
        }
    };
    let result = with_sigmask(mask, || select_fds(nfds, [read, write, except], timeout.deadline));
    timeout.write_back();
    result
}
