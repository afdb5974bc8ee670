//! Job control through libc: process groups, the terminal's foreground group,
//! sending signals, signal dispositions (with a catcher that only records the
//! signal), stopped wait statuses, and a wait4 that a caught signal interrupts.
use std::ffi::c_int;
use std::os::fd::RawFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::{io, mem, ptr};

use crate::process::{WaitStatus, pid_t};
use crate::sys::check;

/// setpgid(2): puts process `pid` (0: this one) in group `pgid` (0: a new group
/// named after it).
pub fn setpgid(pid: pid_t, pgid: pid_t) -> io::Result<()> {
    // SAFETY: setpgid takes plain integers and touches no memory of ours.
    check(unsafe { libc::setpgid(pid, pgid) }).map(drop)
}

/// getpgrp(2): this process's group.
pub fn getpgrp() -> pid_t {
    // SAFETY: getpgrp has no preconditions and cannot fail.
    unsafe { libc::getpgrp() }
}

/// tcsetpgrp(3) (`TIOCSPGRP`): makes `pgid` the foreground group of the terminal on `fd`.
pub fn tcsetpgrp(fd: RawFd, pgid: pid_t) -> io::Result<()> {
    // SAFETY: tcsetpgrp passes a pointer to its own local copy of `pgid`.
    check(unsafe { libc::tcsetpgrp(fd, pgid) }).map(drop)
}

/// kill(2): sends `signal` to `pid` (a negative `pid` is a process group).
pub fn kill(pid: pid_t, signal: c_int) -> io::Result<()> {
    // SAFETY: kill takes plain integers and touches no memory of ours.
    check(unsafe { libc::kill(pid, signal) }).map(drop)
}

/// What a process does when a signal arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Default,
    Ignore,
    /// Record it for [`take_caught`]; a blocking call it interrupts fails with EINTR
    /// (no `SA_RESTART`).
    Catch,
}

/// One bit per signal number that arrived and was not yet taken.
static CAUGHT: AtomicU64 = AtomicU64::new(0);

extern "C" fn record(signal: c_int) {
    CAUGHT.fetch_or(1 << signal, Ordering::SeqCst);
}

/// sigaction(2): sets what `signal` does.
pub fn set_disposition(signal: c_int, disposition: Disposition) -> io::Result<()> {
    let handler = match disposition {
        Disposition::Default => libc::SIG_DFL,
        Disposition::Ignore => libc::SIG_IGN,
        Disposition::Catch => record as extern "C" fn(c_int) as libc::sighandler_t,
    };
    // SAFETY: an all-zero sigaction is valid: no flags and an empty mask.
    let mut action: libc::sigaction = unsafe { mem::zeroed() };
    action.sa_sigaction = handler;
    // SAFETY: `action` is a valid sigaction for the call to read; the handler only
    // does an atomic OR, which is async-signal-safe.
    check(unsafe { libc::sigaction(signal, &action, ptr::null_mut()) }).map(drop)
}

/// Whether `signal` is ignored (as a process may have been started with it ignored).
pub fn is_ignored(signal: c_int) -> bool {
    // SAFETY: an all-zero sigaction is a valid value for sigaction to overwrite.
    let mut current: libc::sigaction = unsafe { mem::zeroed() };
    // SAFETY: a null new action only reads the current one into `current`.
    let read = unsafe { libc::sigaction(signal, ptr::null(), &mut current) };
    read == 0 && current.sa_sigaction == libc::SIG_IGN
}

/// Whether `signal` was caught since the last call, clearing the record.
pub fn take_caught(signal: c_int) -> bool {
    CAUGHT.fetch_and(!(1 << signal), Ordering::SeqCst) & (1 << signal) != 0
}

/// Whether `signal` was caught and not yet taken.
pub fn is_caught_pending(signal: c_int) -> bool {
    CAUGHT.load(Ordering::SeqCst) & (1 << signal) != 0
}

/// wait4(2) once, without resource usage: like `process::wait4` (which retries it),
/// but a signal that interrupts it is returned (as `ErrorKind::Interrupted`).
pub fn wait4_once(pid: pid_t, options: c_int) -> io::Result<Option<(pid_t, WaitStatus)>> {
    let mut status: c_int = 0;
    // SAFETY: `status` is a live c_int for the kernel to write; a null rusage pointer
    // asks for none.
    match check(unsafe { libc::wait4(pid, &mut status, options, ptr::null_mut()) })? {
        0 => Ok(None),
        child => Ok(Some((child, WaitStatus::from_raw(status)))),
    }
}

impl WaitStatus {
    /// The signal that stopped the process, if it is stopped (waited for with `WUNTRACED`).
    pub fn stop_signal(self) -> Option<c_int> {
        libc::WIFSTOPPED(self.raw()).then(|| libc::WSTOPSIG(self.raw()))
    }

    /// Whether the process dumped core when a signal killed it.
    pub fn core_dumped(self) -> bool {
        libc::WIFSIGNALED(self.raw()) && libc::WCOREDUMP(self.raw())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::{Fork, exit_immediately, fork, wait4};

    #[test]
    fn stopped_statuses() {
        let stopped = WaitStatus::from_raw((libc::SIGTSTP << 8) | 0x7f);
        assert_eq!(stopped.stop_signal(), Some(libc::SIGTSTP));
        assert_eq!(stopped.exit_code(), None);
        assert_eq!(stopped.killing_signal(), None);
        assert_eq!(WaitStatus::from_raw(3 << 8).stop_signal(), None);
        assert!(WaitStatus::from_raw(libc::SIGSEGV | 0x80).core_dumped());
        assert!(!WaitStatus::from_raw(libc::SIGSEGV).core_dumped());
    }

    #[test]
    fn caught_signals_are_recorded_once() {
        set_disposition(libc::SIGUSR2, Disposition::Catch).unwrap();
        // raise, not kill: the test runner has other threads that could take it later.
        // SAFETY: raise sends a signal to this thread; SIGUSR2 is now only recorded.
        assert_eq!(unsafe { libc::raise(libc::SIGUSR2) }, 0);
        assert!(take_caught(libc::SIGUSR2));
        assert!(!take_caught(libc::SIGUSR2));
        assert!(!is_ignored(libc::SIGUSR2));
        set_disposition(libc::SIGUSR2, Disposition::Ignore).unwrap();
        assert!(is_ignored(libc::SIGUSR2));
        set_disposition(libc::SIGUSR2, Disposition::Default).unwrap();
    }

    #[test]
    fn a_child_in_its_own_group_stops_and_continues() {
        match fork().unwrap() {
            Fork::Child => {
                let _ = setpgid(0, 0);
                // SAFETY: pause has no preconditions; it returns after a signal.
                unsafe { libc::pause() };
                exit_immediately(0);
            }
            Fork::Parent { child } => {
                let _ = setpgid(child, child);
                kill(-child, libc::SIGSTOP).unwrap();
                let (_, status) = wait4(child, libc::WUNTRACED).unwrap().unwrap();
                assert_eq!(status.stop_signal(), Some(libc::SIGSTOP));
                kill(-child, libc::SIGCONT).unwrap();
                kill(-child, libc::SIGKILL).unwrap();
                let (_, status) = wait4(child, 0).unwrap().unwrap();
                assert_eq!(status.killing_signal(), Some(libc::SIGKILL));
            }
        }
    }

    #[test]
    fn wait4_once_without_children_fails() {
        assert_eq!(wait4_once(i32::MAX, libc::WNOHANG).unwrap_err().raw_os_error(), Some(libc::ECHILD));
    }
}
