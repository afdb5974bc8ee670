//! Shared pieces of the kernel's boot-test programs (the `ktest-*` binaries): the
//! verdict line, checks (errno values included), forking a child and waiting for it,
//! a deliberate store, what the file tests share (a scratch directory, raw
//! descriptors through libc, free memory, finding programs to execute), signal
//! actions, masks and sets through libc, resource limits, `--flag N` options,
//! anonymous mappings and the raw brk, mappings and the calls on them (`mapping`),
//! whether the test runs on Kestrel, and for
//! the thread tests: threads started and joined with failures as errors, thread ids,
//! tgkill, a handler that records its thread, bounded waits (for a condition, for a
//! child), and turning core dumps off.
//!
//! Each test prints what it does, then exactly `KTEST PASS <name>` and exits 0, or
//! `KTEST FAIL <name>: <reason>` and exits 1. The tests pass on Linux too.
use std::arch::asm;
use std::borrow::Cow;
use std::ffi::{CStr, CString, OsStr, OsString, c_int, c_long, c_uint, c_void};
use std::fmt::{self, Debug, Display};
use std::fs::{self, File};
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;
use std::sync::atomic::{AtomicI32, Ordering};
use std::thread::{JoinHandle, Scope, ScopedJoinHandle};
use std::time::{Duration, Instant};
use std::{env, io, mem, ptr, thread};

use ulib::diag::error_text;
use ulib::process::{self, Fork};
pub use ulib::process::{WaitStatus, pid_t, signal_description, signal_name};
pub use ulib::sys::check;

pub mod mapping;

/// What a test, or one of its steps, comes to: `Err` holds the reason it failed.
pub type Outcome = Result<(), String>;

/// Runs the test `name` and prints its verdict; the exit code is 0 for a pass.
pub fn run(name: &str, test: impl FnOnce() -> Outcome) -> ExitCode {
    match test() {
        Ok(()) => {
            println!("KTEST PASS {name}");
            ExitCode::SUCCESS
        }
        Err(reason) => {
            println!("KTEST FAIL {name}: {reason}");
            ExitCode::FAILURE
        }
    }
}

/// As process 1 of a Linux initramfs: mounts devtmpfs on /dev when there is no
/// /dev/null, and when Linux started it without descriptors (no /dev/console in
/// its initramfs), opens /dev/console as standard input, output and error;
/// elsewhere (Kestrel gives init its console and devices) does nothing. For the
/// programs `make bench` runs under Linux as well.
pub fn console_as_linux_init() {
    if std::process::id() != 1 {
        return;
    }
    if !Path::new("/dev/null").exists() {
        let _ = fs::create_dir_all("/dev");
        // SAFETY: the strings are NUL-terminated literals; a failure (already
        // mounted) only leaves the device opens after to fail.
        unsafe { libc::mount(c"devtmpfs".as_ptr(), c"/dev".as_ptr(), c"devtmpfs".as_ptr(), 0, ptr::null()) };
    }
    // SAFETY: F_GETFD only asks whether descriptor 1 is open.
    if unsafe { libc::fcntl(1, libc::F_GETFD) } != -1 {
        return;
    }
    // SAFETY: open takes a NUL-terminated path; dup2 plain descriptor numbers.
    unsafe {
        let console = libc::open(c"/dev/console".as_ptr(), libc::O_RDWR);
        if console >= 0 {
            for fd in 0..3 {
                libc::dup2(console, fd);
            }
        }
    }
}

/// Fails with the reason `why` gives unless `condition` holds.
pub fn ensure(condition: bool, why: impl FnOnce() -> String) -> Outcome {
    if condition { Ok(()) } else { Err(why()) }
}

/// Forks a child that runs `child` and exits at once with the code it returns.
pub fn spawn(child: impl FnOnce() -> c_int) -> Result<pid_t, String> {
    match process::fork() {
        Ok(Fork::Child) => process::exit_immediately(child()),
        Ok(Fork::Parent { child }) => Ok(child),
        Err(err) => Err(format!("fork: {}", error_text(&err))),
    }
}

/// Waits (wait4 without options) for the child `pid` and returns its status.
pub fn wait_for(pid: pid_t) -> Result<WaitStatus, String> {
    match process::wait4(pid, 0) {
        Ok(Some((reaped, status))) if reaped == pid => Ok(status),
        Ok(Some((reaped, _))) => Err(format!("wait4({pid}) reaped process {reaped}")),
        Ok(None) => Err(format!("wait4({pid}) returned 0 without WNOHANG")),
        Err(err) => Err(format!("wait4({pid}): {}", error_text(&err))),
    }
}

/// The status of the child `pid` if it has ended (wait4 with WNOHANG), else None.
pub fn try_wait(pid: pid_t) -> Result<Option<WaitStatus>, String> {
    match process::wait4(pid, libc::WNOHANG) {
        Ok(Some((_, status))) => Ok(Some(status)),
        Ok(None) => Ok(None),
        Err(err) => Err(format!("wait4({pid}, WNOHANG): {}", error_text(&err))),
    }
}

/// How often [`wait_until`] and [`wait_within`] look again.
const POLL_INTERVAL: Duration = Duration::from_millis(1);

/// Checks `done` every millisecond until it holds (true) or `limit` has passed (false).
pub fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(POLL_INTERVAL);
    }
}

/// Waits (wait4 with `options`, such as `WUNTRACED`) for the child `pid` for at most
/// `limit`; after that it kills the child with SIGKILL, reaps it and fails, so that a
/// test fails rather than hangs.
pub fn wait_within(pid: pid_t, options: c_int, limit: Duration) -> Result<WaitStatus, String> {
    let mut status = Ok(None);
    if wait_until(limit, || {
        status = process::wait4(pid, options | libc::WNOHANG);
        !matches!(status, Ok(None))
    }) {
        return match status {
            Ok(Some((_, status))) => Ok(status),
            Ok(None) => Err(format!("wait4({pid}) returned 0 after all")),
            Err(err) => Err(format!("wait4({pid}, {options:#x}): {}", error_text(&err))),
        };
    }
    let _ = ulib::jobctl::kill(pid, libc::SIGKILL);
    let status = wait_for(pid)?;
    Err(format!("child {pid} was still running after {limit:?}: killed ({status})"))
}

/// [`spawn`], then [`wait_for`].
pub fn fork_and_wait(child: impl FnOnce() -> c_int) -> Result<WaitStatus, String> {
    wait_for(spawn(child)?)
}

/// Checks that `status` is a normal exit with `code`.
pub fn expect_exit(status: WaitStatus, code: c_int) -> Outcome {
    ensure(status.exit_code() == Some(code), || {
        format!("expected exit status {code}, got {status} (raw {:#x})", status.raw())
    })
}

/// Checks that `status` is death by `signal`.
pub fn expect_signal(status: WaitStatus, signal: c_int) -> Outcome {
    ensure(status.killing_signal() == Some(signal), || {
        format!(
            "expected death by signal {signal} ({}), got {status} (raw {:#x})",
            signal_description(signal),
            status.raw()
        )
    })
}

/// Checks that a failed call's error is `errno`; `what` names the call.
pub fn expect_errno(what: &str, err: &io::Error, errno: c_int) -> Outcome {
    let expected = io::Error::from_raw_os_error(errno);
    ensure(err.raw_os_error() == Some(errno), || {
        format!("{what}: expected \"{}\", got \"{}\"", error_text(&expected), error_text(err))
    })
}

/// Checks that a call failed with `errno`, and prints `what: ENAME`.
pub fn expect_failure<T: Debug>(what: &str, result: io::Result<T>, errno: c_int) -> Outcome {
    match result {
        Ok(value) => Err(format!("{what}: expected {}, but it succeeded ({value:?})", errno_name(errno))),
        Err(err) => {
            expect_errno(what, &err, errno)?;
            println!("{what}: {}", errno_name(errno));
            Ok(())
        }
    }
}

/// Checks that `actual` is `expected`, and prints `what: actual`.
pub fn expect_eq<T: PartialEq + Debug>(what: &str, actual: T, expected: T) -> Outcome {
    ensure(actual == expected, || format!("{what}: expected {expected:?}, got {actual:?}"))?;
    println!("{what}: {actual:?}");
    Ok(())
}

/// Bytes as text for messages (invalid UTF-8 shows as U+FFFD).
pub fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// The symbolic name of a Linux errno value, such as `ENOENT`.
pub fn errno_name(errno: c_int) -> String {
    let name = match errno {
        libc::EPERM => "EPERM",
        libc::ENOENT => "ENOENT",
        libc::ESRCH => "ESRCH",
        libc::EINTR => "EINTR",
        libc::EIO => "EIO",
        libc::ENXIO => "ENXIO",
        libc::E2BIG => "E2BIG",
        libc::ENOEXEC => "ENOEXEC",
        libc::EBADF => "EBADF",
        libc::ECHILD => "ECHILD",
        libc::EAGAIN => "EAGAIN",
        libc::ENOMEM => "ENOMEM",
        libc::EACCES => "EACCES",
        libc::EFAULT => "EFAULT",
        libc::EBUSY => "EBUSY",
        libc::EEXIST => "EEXIST",
        libc::EXDEV => "EXDEV",
        libc::ENODEV => "ENODEV",
        libc::ENOTDIR => "ENOTDIR",
        libc::EISDIR => "EISDIR",
        libc::EINVAL => "EINVAL",
        libc::ENFILE => "ENFILE",
        libc::EMFILE => "EMFILE",
        libc::ENOTTY => "ENOTTY",
        libc::EFBIG => "EFBIG",
        libc::ENOSPC => "ENOSPC",
        libc::ESPIPE => "ESPIPE",
        libc::EROFS => "EROFS",
        libc::EMLINK => "EMLINK",
        libc::EPIPE => "EPIPE",
        libc::ERANGE => "ERANGE",
        libc::ENAMETOOLONG => "ENAMETOOLONG",
        libc::ENOSYS => "ENOSYS",
        libc::ENOTEMPTY => "ENOTEMPTY",
        libc::ELOOP => "ELOOP",
        libc::ELIBBAD => "ELIBBAD",
        libc::ETIMEDOUT => "ETIMEDOUT",
        libc::EOPNOTSUPP => "EOPNOTSUPP",
        _ => return format!("errno {errno}"),
    };
    name.into()
}

/// Turns an I/O error into a test failure that names the call.
pub trait Context<T> {
    /// The value, or the failure `what: error text`.
    fn context(self, what: impl Display) -> Result<T, String>;
}

impl<T> Context<T> for io::Result<T> {
    fn context(self, what: impl Display) -> Result<T, String> {
        self.map_err(|err| format!("{what}: {}", error_text(&err)))
    }
}

/// `bytes` as a C string, or a failure if they hold a NUL.
pub fn c_string(bytes: &[u8]) -> Result<CString, String> {
    CString::new(bytes).map_err(|_| format!("{} holds a NUL", String::from_utf8_lossy(bytes)))
}

/// `path` as a C string (InvalidInput if it holds a NUL).
pub fn c_path(path: impl AsRef<Path>) -> io::Result<CString> {
    CString::new(path.as_ref().as_os_str().as_bytes()).map_err(|_| io::ErrorKind::InvalidInput.into())
}

/// open(2) with exactly `flags`: unlike std, which always adds O_CLOEXEC.
pub fn open_fd(path: impl AsRef<Path>, flags: c_int, mode: libc::mode_t) -> io::Result<OwnedFd> {
    let path = c_path(path)?;
    // SAFETY: `path` is a NUL-terminated string that outlives the call.
    let fd = check(unsafe { libc::open(path.as_ptr(), flags, c_uint::from(mode)) })?;
    // SAFETY: open just returned `fd`, a new descriptor that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// pipe(2): the read end and the write end, as `File`s (std reads and writes any
/// descriptor through them).
pub fn pipe() -> io::Result<(File, File)> {
    let mut fds = [0; 2];
    // SAFETY: pipe stores two descriptors into the two-element `fds`.
    check(unsafe { libc::pipe(fds.as_mut_ptr()) })?;
    Ok(pipe_ends(fds))
}

/// pipe2(2) with `flags` (O_CLOEXEC, O_NONBLOCK): the read end and the write end.
pub fn pipe2(flags: c_int) -> io::Result<(File, File)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 stores two descriptors into the two-element `fds`.
    check(unsafe { libc::pipe2(fds.as_mut_ptr(), flags) })?;
    Ok(pipe_ends(fds))
}

fn pipe_ends([read, write]: [RawFd; 2]) -> (File, File) {
    // SAFETY: pipe or pipe2 just returned these two new descriptors, owned by no one.
    unsafe { (File::from_raw_fd(read), File::from_raw_fd(write)) }
}

/// fcntl(2) with an integer argument, for F_GETFD, F_SETFD, F_GETFL, F_SETFL,
/// F_DUPFD and F_DUPFD_CLOEXEC only (other commands take pointers).
pub fn fcntl(fd: RawFd, command: c_int, arg: c_int) -> io::Result<c_int> {
    const INTEGER_COMMANDS: [c_int; 6] =
        [libc::F_GETFD, libc::F_SETFD, libc::F_GETFL, libc::F_SETFL, libc::F_DUPFD, libc::F_DUPFD_CLOEXEC];
    assert!(INTEGER_COMMANDS.contains(&command), "fcntl command {command} takes a pointer");
    // SAFETY: these commands take an integer (or nothing) and touch no memory of ours.
    check(unsafe { libc::fcntl(fd, command, arg) })
}

/// dup(2): the lowest free descriptor number, a copy of `fd` without FD_CLOEXEC.
pub fn dup(fd: RawFd) -> io::Result<RawFd> {
    // SAFETY: dup only adds a descriptor to the process's table.
    check(unsafe { libc::dup(fd) })
}

/// dup2(2): makes `new` a copy of `old` (closing what `new` was) and returns `new`.
pub fn dup2(old: RawFd, new: RawFd) -> io::Result<RawFd> {
    // SAFETY: dup2 only changes the descriptor table; callers pass a `new` that they
    // own or know to be free, so no Rust owner loses its descriptor.
    check(unsafe { libc::dup2(old, new) })
}

/// dup3(2): dup2 with `flags` (O_CLOEXEC), which refuses `old == new`.
pub fn dup3(old: RawFd, new: RawFd, flags: c_int) -> io::Result<RawFd> {
    // SAFETY: as for dup2.
    check(unsafe { libc::dup3(old, new, flags) })
}

/// lseek(2) on a raw descriptor: the new offset.
pub fn lseek(fd: RawFd, offset: i64, whence: c_int) -> io::Result<i64> {
    // SAFETY: lseek only reads and moves the offset of the open file behind `fd`.
    check(unsafe { libc::lseek(fd, offset, whence) })
}

/// read(2) on a raw descriptor, which may be invalid (the EBADF checks).
pub fn read_fd(fd: RawFd, buffer: &mut [u8]) -> io::Result<usize> {
    // SAFETY: read stores at most buffer.len() bytes into `buffer`.
    let count = check(unsafe { libc::read(fd, buffer.as_mut_ptr().cast(), buffer.len()) })?;
    Ok(count.unsigned_abs())
}

/// write(2) on a raw descriptor, which may be invalid (the EBADF checks).
pub fn write_fd(fd: RawFd, bytes: &[u8]) -> io::Result<usize> {
    // SAFETY: write reads at most bytes.len() bytes from `bytes`.
    let count = check(unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) })?;
    Ok(count.unsigned_abs())
}

/// close(2) on a raw descriptor that no `OwnedFd` or `File` owns (or an invalid one).
pub fn close_fd(fd: RawFd) -> io::Result<()> {
    // SAFETY: the caller owns `fd` (or it is not open), so closing it pulls it from
    // under no Rust owner.
    check(unsafe { libc::close(fd) }).map(drop)
}

/// umask(2): sets the file-creation mask and returns the previous one.
pub fn set_umask(mask: libc::mode_t) -> libc::mode_t {
    // SAFETY: umask only swaps the process's creation mask.
    unsafe { libc::umask(mask) }
}

/// A set of the standard signals, 1 to 63 (bit N for signal N): a signal mask or the
/// pending set, in a form that a signal handler can store in an atomic.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Signals(u64);

impl Signals {
    pub const EMPTY: Self = Self(0);

    /// The set of `signals` (each from 1 to 63).
    pub fn of(signals: &[c_int]) -> Self {
        signals.iter().fold(Self::EMPTY, |set, &signal| set.with(signal))
    }

    pub fn from_bits(bits: u64) -> Self {
        Self(bits)
    }

    pub fn bits(self) -> u64 {
        self.0
    }

    fn bit(signal: c_int) -> u64 {
        assert!((1..64).contains(&signal), "signal {signal} is out of range");
        1 << signal
    }

    pub fn contains(self, signal: c_int) -> bool {
        self.0 & Self::bit(signal) != 0
    }

    pub fn with(self, signal: c_int) -> Self {
        Self(self.0 | Self::bit(signal))
    }

    pub fn without(self, signal: c_int) -> Self {
        Self(self.0 & !Self::bit(signal))
    }

    /// The C library's set as `Signals` (async-signal-safe: sigismember only).
    fn from_sigset(set: &libc::sigset_t) -> Self {
        // SAFETY: sigismember only reads the valid set `set`.
        (1..64).filter(|&signal| unsafe { libc::sigismember(set, signal) } == 1).fold(Self::EMPTY, Self::with)
    }

    fn to_sigset(self) -> libc::sigset_t {
        let mut set = empty_sigset();
        for signal in (1..64).filter(|&signal| self.contains(signal)) {
            // SAFETY: sigaddset adds a valid signal number to the valid set `set`.
            unsafe { libc::sigaddset(&mut set, signal) };
        }
        set
    }
}

/// `{USR1, USR2}`: the names, in number order (a number for an unnamed signal).
impl Debug for Signals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = (1..64)
            .filter(|&signal| self.contains(signal))
            .map(|signal| signal_name(signal).map_or_else(|| signal.to_string(), str::to_owned))
            .collect();
        write!(f, "{{{}}}", names.join(", "))
    }
}

fn empty_sigset() -> libc::sigset_t {
    // SAFETY: sigset_t is a plain bit array, and all-zero bits are the empty set.
    unsafe { mem::zeroed() }
}

/// A signal handler: plain, or for `SA_SIGINFO`. Handlers run between any two
/// instructions, so they must be async-signal-safe: they store into atomics only.
pub type Handler = extern "C" fn(c_int);
/// A handler that is given the signal's siginfo (`SA_SIGINFO`).
pub type InfoHandler = extern "C" fn(c_int, *mut libc::siginfo_t, *mut c_void);

/// What a signal does when it is delivered.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    Default,
    Ignore,
    Handle(Handler),
    /// Handled with `SA_SIGINFO`.
    HandleInfo(InfoHandler),
}

/// The kernel's struct sigaction for rt_sigaction(2) (handler, flags, restorer,
/// mask), which the C library's differs from: for raw calls that set any address.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct KernelSigaction {
    pub handler: usize,
    pub flags: u64,
    pub restorer: usize,
    pub mask: u64,
}

/// sigaction(2): sets `signal`'s action, with `flags` (`SA_SIGINFO` is added for
/// [`Action::HandleInfo`]) and `mask`, the signals blocked while the handler runs
/// (the C library supplies `SA_RESTORER`).
pub fn set_action(signal: c_int, action: Action, flags: c_int, mask: Signals) -> io::Result<()> {
    let (handler, info_flag) = match action {
        Action::Default => (libc::SIG_DFL, 0),
        Action::Ignore => (libc::SIG_IGN, 0),
        Action::Handle(handler) => (handler as libc::sighandler_t, 0),
        Action::HandleInfo(handler) => (handler as libc::sighandler_t, libc::SA_SIGINFO),
    };
    // SAFETY: an all-zero sigaction is valid: no handler, no flags, an empty mask.
    let mut new: libc::sigaction = unsafe { mem::zeroed() };
    new.sa_sigaction = handler;
    new.sa_flags = flags | info_flag;
    new.sa_mask = mask.to_sigset();
    // SAFETY: `new` is a valid sigaction for the call to read; a handler is an
    // `extern "C"` function of the right kind, async-signal-safe by its contract.
    check(unsafe { libc::sigaction(signal, &new, ptr::null_mut()) }).map(drop)
}

/// sigaction(2) without a new action: `signal`'s handler, or `SIG_DFL` or `SIG_IGN`.
pub fn current_handler(signal: c_int) -> io::Result<libc::sighandler_t> {
    // SAFETY: an all-zero sigaction is a valid value for sigaction to overwrite.
    let mut current: libc::sigaction = unsafe { mem::zeroed() };
    // SAFETY: a null new action only reads the current one into `current`.
    check(unsafe { libc::sigaction(signal, ptr::null(), &mut current) })?;
    Ok(current.sa_sigaction)
}

/// The signals blocked now (async-signal-safe, for handlers too).
pub fn blocked_signals() -> Signals {
    let mut set = empty_sigset();
    // SAFETY: a null new set only reads the mask into `set`; it cannot fail.
    unsafe { libc::sigprocmask(libc::SIG_BLOCK, ptr::null(), &mut set) };
    Signals::from_sigset(&set)
}

/// sigprocmask(2): blocks (`SIG_BLOCK`) or unblocks (`SIG_UNBLOCK`) `signals`, or
/// makes them the mask (`SIG_SETMASK`); returns the previous mask.
pub fn change_blocked(how: c_int, signals: Signals) -> io::Result<Signals> {
    let new = signals.to_sigset();
    let mut old = empty_sigset();
    // SAFETY: sigprocmask reads the valid set `new` and writes the old mask to `old`.
    check(unsafe { libc::sigprocmask(how, &new, &mut old) })?;
    Ok(Signals::from_sigset(&old))
}

/// sigpending(2): the blocked signals that are waiting to be delivered.
pub fn pending_signals() -> io::Result<Signals> {
    let mut set = empty_sigset();
    // SAFETY: sigpending writes the pending set into `set`.
    check(unsafe { libc::sigpending(&mut set) })?;
    Ok(Signals::from_sigset(&set))
}

/// sigsuspend(2): waits with `mask` as the signal mask until a handler has run, then
/// restores the mask; the result is always the error (EINTR).
pub fn suspend_with(mask: Signals) -> io::Result<c_int> {
    let mask = mask.to_sigset();
    // SAFETY: sigsuspend reads the valid set `mask`.
    check(unsafe { libc::sigsuspend(&mask) })
}

/// For a forked child: runs `check` and gives the exit code, 0 for a pass; a failure
/// is printed first as `what: reason`.
pub fn child_check(what: &str, check: impl FnOnce() -> Outcome) -> c_int {
    match check() {
        Ok(()) => 0,
        Err(reason) => {
            println!("{what}: {reason}");
            1
        }
    }
}

/// getpid(2): this process's id, the same in all of its threads.
pub fn getpid() -> pid_t {
    // SAFETY: getpid has no preconditions and cannot fail.
    unsafe { libc::getpid() }
}

/// gettid(2), the raw system call (a C library may cache the id): the calling
/// thread's id, which is the process id in the main thread.
pub fn gettid() -> pid_t {
    // SAFETY: gettid takes no arguments, touches no memory and cannot fail.
    let tid = unsafe { libc::syscall(libc::SYS_gettid) };
    tid as pid_t
}

/// tgkill(2): sends `signal` to the thread `tid` of the process `tgid` (signal 0
/// only checks that the thread exists).
pub fn tgkill(tgid: pid_t, tid: pid_t, signal: c_int) -> io::Result<()> {
    // SAFETY: tgkill takes plain integers and touches no memory of ours.
    check(unsafe { libc::syscall(libc::SYS_tgkill, c_long::from(tgid), c_long::from(tid), c_long::from(signal)) })
        .map(drop)
}

/// Starts a thread running `body` (through std's Builder, so that a failure to create
/// it is an error rather than a panic).
pub fn start_thread<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> Result<JoinHandle<T>, String> {
    thread::Builder::new().spawn(body).context("spawning a thread")
}

/// Joins `handle`: the thread's value, or a failure if it panicked.
pub fn join_thread<T>(handle: JoinHandle<T>) -> Result<T, String> {
    handle.join().map_err(|_| "a thread panicked".to_string())
}

/// [`start_thread`] for a thread of `scope`, which may borrow from the caller.
pub fn start_scoped<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    body: impl FnOnce() -> T + Send + 'scope,
) -> Result<ScopedJoinHandle<'scope, T>, String> {
    thread::Builder::new().spawn_scoped(scope, body).context("spawning a thread")
}

/// [`join_thread`] for a scoped thread.
pub fn join_scoped<T>(handle: ScopedJoinHandle<'_, T>) -> Result<T, String> {
    handle.join().map_err(|_| "a thread panicked".to_string())
}

/// The thread that [`record_thread`] last ran in, 0 for none.
static HANDLER_THREAD: AtomicI32 = AtomicI32::new(0);

/// A signal handler that records the thread it runs in, for [`handler_thread`]
/// (async-signal-safe: a system call and an atomic store).
pub extern "C" fn record_thread(_signal: c_int) {
    HANDLER_THREAD.store(gettid(), Ordering::SeqCst);
}

/// The thread id that [`record_thread`] recorded last (0: none since
/// [`forget_handler_thread`]).
pub fn handler_thread() -> pid_t {
    HANDLER_THREAD.load(Ordering::SeqCst)
}

pub fn forget_handler_thread() {
    HANDLER_THREAD.store(0, Ordering::SeqCst);
}

/// Sets the soft RLIMIT_CORE to 0, so that a child that is meant to die by a signal
/// leaves no core file.
pub fn disable_core_dumps() -> Outcome {
    let limit = get_limit(libc::RLIMIT_CORE).context("getrlimit RLIMIT_CORE")?;
    set_limit(libc::RLIMIT_CORE, 0, limit.hard).context("setrlimit RLIMIT_CORE")
}

/// sysinfo(2): uptime, memory sizes (in units of `mem_unit` bytes), process count.
pub fn sysinfo() -> Result<libc::sysinfo, String> {
    // SAFETY: struct sysinfo is plain integers, so all-zero bytes are a valid value.
    let mut info: libc::sysinfo = unsafe { std::mem::zeroed() };
    // SAFETY: sysinfo writes one struct sysinfo into the valid, writable `info`.
    check(unsafe { libc::sysinfo(&mut info) }).context("sysinfo")?;
    Ok(info)
}

/// Free memory in bytes, as sysinfo(2) reports it.
pub fn free_memory() -> Result<u64, String> {
    let info = sysinfo()?;
    Ok(info.freeram * u64::from(info.mem_unit))
}

/// A `Key:   N kB` figure of /proc/self/status, in bytes.
fn status_bytes(status: &str, key: &str) -> Result<u64, String> {
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix(key))
        .and_then(|value| value.trim().strip_suffix("kB"))
        .and_then(|number| number.trim().parse::<u64>().ok())
        .ok_or_else(|| format!("/proc/self/status has no {key} line"))?;
    Ok(kib * 1024)
}

/// This program's own memory in bytes: its anonymous resident pages (private
/// memory and private copies of file pages, not the pages of files it maps, which
/// come from no free memory) and its page tables (RssAnon and VmPTE of
/// /proc/self/status).
pub fn resident_memory() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| format!("/proc/self/status: {e}"))?;
    Ok(status_bytes(&status, "RssAnon:")? + status_bytes(&status, "VmPTE:")?)
}

/// Memory the kernel accounts for outside this program: free memory plus this
/// program's own pages and page tables (its allocator may keep what it freed). A leak
/// check compares this figure before and after a loop.
pub fn memory_outside_self() -> Result<u64, String> {
    Ok(free_memory()? + resident_memory()? + kernel_heap_slack()?)
}

/// A leak check: `churn(warm_up)` first (one-time growth), then
/// [`memory_outside_self`] before and after `churn(rounds)`, printed after
/// `label`; with `exact` the two must be equal.
pub fn no_leak(
    label: &str,
    exact: bool,
    (warm_up, rounds): (usize, usize),
    mut churn: impl FnMut(usize) -> Outcome,
) -> Outcome {
    churn(warm_up)?;
    let before = memory_outside_self()?;
    churn(rounds)?;
    let after = memory_outside_self()?;
    println!("{label}: free memory + own resident memory {before} bytes before, {after} after");
    if exact && before != after {
        return Err(format!("{} bytes of memory leaked", before as i64 - after as i64));
    }
    Ok(())
}

/// Kestrel's /proc/kheap: bytes its kernel heap holds but has not handed out.
/// The heap keeps the frames it grew by, so a leak check counts them as free;
/// 0 where the file does not exist (Linux).
fn kernel_heap_slack() -> Result<u64, String> {
    let Ok(text) = fs::read_to_string("/proc/kheap") else { return Ok(0) };
    let figure = |key: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(key)?.trim().parse::<u64>().ok())
            .ok_or_else(|| format!("/proc/kheap has no {key} line"))
    };
    Ok(figure("claimed ")? - figure("allocated ")?)
}

/// The program's own path to execute: argv[0], or /bin/argv[0] when argv[0] holds
/// no `/` (Kestrel's init starts programs by absolute path; there may be no PATH).
pub fn own_path(argv0: &OsStr) -> Result<CString, String> {
    if argv0.as_bytes().contains(&b'/') {
        c_string(argv0.as_bytes())
    } else {
        c_string(&[b"/bin/", argv0.as_bytes()].concat())
    }
}

/// Where to look for programs when PATH is not set (a kernel's init has none).
const DEFAULT_PATH: &str = "/bin:/usr/bin";

/// The first executable regular file called `name` in a PATH directory.
pub fn find_executable(name: &str) -> Option<PathBuf> {
    let search = env::var_os("PATH").unwrap_or_else(|| DEFAULT_PATH.into());
    process::path_candidates(OsStr::new(name), Some(&search)).into_iter().find(|path| process::is_executable_file(path))
}

/// A directory of the test's own, `BASE/ktest-NAME-PID`, removed at the end (by
/// [`Scratch::remove`], which checks it, or quietly on drop). BASE is the test's
/// first argument that is not a `--flag`, else `std::env::temp_dir()` (TMPDIR or
/// /tmp: on Kestrel, /tmp on the writable root).
#[derive(Debug)]
pub struct Scratch {
    path: PathBuf,
    removed: bool,
}

impl Scratch {
    /// Creates the scratch directory of the test `name`.
    pub fn create(name: &str) -> Result<Self, String> {
        let base = env::args_os().skip(1).find(|arg| !arg.as_bytes().starts_with(b"--"));
        Self::create_in(name, &base.map_or_else(env::temp_dir, PathBuf::from))
    }

    /// Creates the scratch directory of the test `name` in `base`, for tests whose
    /// arguments are not a directory.
    pub fn create_in(name: &str, base: &Path) -> Result<Self, String> {
        let base = if base.is_absolute() { base.to_owned() } else { env::current_dir().context("getcwd")?.join(base) };
        let path = base.join(format!("ktest-{name}-{}", std::process::id()));
        fs::create_dir(&path).context(format_args!("mkdir {}", path.display()))?;
        println!("scratch directory {}", path.display());
        Ok(Self { path, removed: false })
    }

    /// The directory's absolute path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `relative` inside the directory.
    pub fn join(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.path.join(relative)
    }

    /// Removes the directory and everything in it.
    pub fn remove(mut self) -> Outcome {
        self.removed = true;
        fs::remove_dir_all(&self.path).context(format_args!("removing {}", self.path.display()))?;
        println!("removed the scratch directory");
        Ok(())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.removed {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// A resource limit as prlimit64(2) passes it: the soft limit, which the kernel
/// enforces, and the hard one, its ceiling; `RLIM_INFINITY` is `u64::MAX`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub soft: u64,
    pub hard: u64,
}

/// `soft 1024, hard 4096` (`unlimited` for RLIM_INFINITY).
impl Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = |limit: u64| if limit == u64::MAX { "unlimited".to_string() } else { limit.to_string() };
        write!(f, "soft {}, hard {}", value(self.soft), value(self.hard))
    }
}

/// prlimit64(2), the raw system call: `resource` (an `RLIMIT_*`, whatever integer
/// type the C library gives it) of process `pid` (0: this one) becomes `new` if it
/// is given; returns the limit as it was.
pub fn prlimit(pid: pid_t, resource: impl Into<c_long>, new: Option<Limit>) -> io::Result<Limit> {
    let mut old = Limit { soft: 0, hard: 0 };
    let new = new.as_ref().map_or(ptr::null(), ptr::from_ref);
    // SAFETY: prlimit64 reads a `struct rlimit64` (two u64, as `Limit`) from `new`,
    // which is null or a live `Limit`, and writes one into `old`.
    let result = unsafe { libc::syscall(libc::SYS_prlimit64, c_long::from(pid), resource.into(), new, &raw mut old) };
    check(result)?;
    Ok(old)
}

/// This process's limit of `resource`.
pub fn get_limit(resource: impl Into<c_long>) -> io::Result<Limit> {
    prlimit(0, resource, None)
}

/// Sets this process's limit of `resource` to `soft` and `hard`.
pub fn set_limit(resource: impl Into<c_long>, soft: u64, hard: u64) -> io::Result<()> {
    prlimit(0, resource, Some(Limit { soft, hard })).map(drop)
}

/// Whether the kernel calls itself Kestrel (uname's sysname), for what Linux and
/// Kestrel must do differently, such as a limit that Linux does not apply to root.
pub fn on_kestrel() -> bool {
    // SAFETY: struct utsname is arrays of C chars, so all-zero bytes are a valid value.
    let mut names: libc::utsname = unsafe { mem::zeroed() };
    // SAFETY: uname writes one struct utsname into the valid, writable `names`.
    if unsafe { libc::uname(&mut names) } != 0 {
        return false;
    }
    // SAFETY: uname stored a NUL-terminated string in the zeroed array `sysname`.
    unsafe { CStr::from_ptr(names.sysname.as_ptr()) }.to_bytes() == b"Kestrel"
}

/// The value of the option `--NAME N` (or `--NAME=N`) in `args`, parsed; `default`
/// when it is not given.
pub fn option_value<T: FromStr>(args: &[OsString], name: &str, default: T) -> Result<T, String> {
    let flag = format!("--{name}");
    let mut value = None;
    for (index, arg) in args.iter().enumerate() {
        let arg = arg.to_string_lossy();
        if arg == flag {
            value = Some(args.get(index + 1).ok_or_else(|| format!("{flag} needs a value"))?.to_string_lossy());
        } else if let Some(given) = arg.strip_prefix(&flag).and_then(|rest| rest.strip_prefix('=')) {
            value = Some(given.to_owned().into());
        }
    }
    match value {
        Some(text) => text.parse().map_err(|_| format!("{flag}: bad value {text:?}")),
        None => Ok(default),
    }
}

/// The operands in `args` (without argv[0]): the arguments that are neither a
/// `--flag` nor the value after one of the options `valued` (given as `--NAME N`).
pub fn operands<'a>(args: &'a [OsString], valued: &[&str]) -> Vec<&'a OsString> {
    let mut operands = Vec::new();
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        match arg.to_str().and_then(|text| text.strip_prefix("--")) {
            Some(name) if valued.contains(&name) => {
                rest.next();
            }
            Some(_) => {}
            None => operands.push(arg),
        }
    }
    operands
}

/// A private anonymous read-write mapping of `length` bytes, at an address the
/// kernel chooses.
pub fn map_anonymous(length: usize) -> io::Result<*mut u8> {
    map_anonymous_with(length, libc::PROT_READ | libc::PROT_WRITE)
}

/// A private anonymous mapping of `length` bytes with protection `prot`, at an
/// address the kernel chooses.
pub fn map_anonymous_with(length: usize, prot: c_int) -> io::Result<*mut u8> {
    // SAFETY: a new private anonymous mapping at an address the kernel chooses
    // touches no existing memory.
    let address = unsafe { libc::mmap(ptr::null_mut(), length, prot, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0) };
    if address == libc::MAP_FAILED { Err(io::Error::last_os_error()) } else { Ok(address.cast()) }
}

/// The raw brk system call: the new program break, or the old one when the break
/// cannot move there (0 asks for the break). Raw, because musl's sbrk refuses to
/// grow the heap.
///
/// # Safety
///
/// Memory between a lower `address` and the break is unmapped: nothing in use may
/// lie there (the C library's allocator may keep its heap below the break, so a
/// test allocates nothing between moving the break up and moving it back).
pub unsafe fn brk(address: usize) -> usize {
    // SAFETY: the caller promises that nothing in use lies above a lower break.
    unsafe { libc::syscall(libc::SYS_brk, address) as usize }
}

/// Stores a byte at `address` with one `mov`, which the compiler can neither check
/// nor remove: the tests use it to fault on purpose.
///
/// # Safety
///
/// `address` must not be memory the program uses: it is meant to be unmapped (or
/// null), so that the store kills the process with SIGSEGV.
pub unsafe fn store_byte(address: usize) {
    // SAFETY: the caller promises that no memory the program uses is at `address`.
    unsafe { asm!("mov byte ptr [{address}], 1", address = in(reg) address, options(nostack)) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_of_children() {
        expect_exit(fork_and_wait(|| 9).unwrap(), 9).unwrap();
        assert!(expect_exit(fork_and_wait(|| 8).unwrap(), 9).is_err());
        // SAFETY: the child stores to the null page, which is never mapped.
        let status = fork_and_wait(|| unsafe {
            store_byte(0);
            0
        });
        expect_signal(status.unwrap(), libc::SIGSEGV).unwrap();
    }

    #[test]
    fn thread_ids_and_bounded_waits() {
        assert_eq!(gettid(), gettid());
        let other = join_thread(start_thread(gettid).unwrap()).unwrap();
        assert_ne!(other, gettid());
        let scoped = thread::scope(|scope| join_scoped(start_scoped(scope, gettid).unwrap()).unwrap());
        assert_ne!(scoped, gettid());
        tgkill(getpid(), gettid(), 0).unwrap();
        assert!(wait_until(Duration::from_secs(1), || true));
        assert!(!wait_until(Duration::from_millis(5), || false));
        expect_exit(wait_within(spawn(|| 4).unwrap(), 0, Duration::from_secs(10)).unwrap(), 4).unwrap();
        forget_handler_thread();
        set_action(libc::SIGURG, Action::Handle(record_thread), 0, Signals::EMPTY).unwrap();
        // SAFETY: raise sends SIGURG to this thread, whose handler only records the thread.
        assert_eq!(unsafe { libc::raise(libc::SIGURG) }, 0);
        set_action(libc::SIGURG, Action::Default, 0, Signals::EMPTY).unwrap();
        assert_eq!(handler_thread(), gettid());
        // SAFETY: pause has no preconditions; the child waits for the SIGKILL.
        let stuck = spawn(|| unsafe { libc::pause() }).unwrap();
        assert!(wait_within(stuck, 0, Duration::from_millis(50)).is_err());
    }

    #[test]
    fn errno_checks() {
        let err = io::Error::from_raw_os_error(libc::ENOENT);
        expect_errno("open", &err, libc::ENOENT).unwrap();
        assert_eq!(
            expect_errno("open", &err, libc::EACCES),
            Err("open: expected \"Permission denied\", got \"No such file or directory\"".into())
        );
    }

    #[test]
    fn failures_must_have_the_errno() {
        let missing = fs::metadata("/nonexistent/ktest");
        expect_failure("stat", missing, libc::ENOENT).unwrap();
        assert!(expect_failure("stat", fs::metadata("/"), libc::ENOENT).is_err());
        assert_eq!(errno_name(libc::ENOTEMPTY), "ENOTEMPTY");
        assert_eq!(errno_name(4000), "errno 4000");
    }

    #[test]
    fn scratch_directory_comes_and_goes() {
        let scratch = Scratch::create("libtest").unwrap();
        let path = scratch.path().to_owned();
        fs::write(scratch.join("file"), b"x").unwrap();
        scratch.remove().unwrap();
        assert!(!path.exists());
    }

    #[test]
    fn pipes_and_raw_descriptors() {
        use std::io::{Read, Write};
        use std::os::fd::AsRawFd;
        let (mut reader, writer) = pipe2(libc::O_CLOEXEC).unwrap();
        assert_eq!(fcntl(writer.as_raw_fd(), libc::F_GETFD, 0).unwrap(), libc::FD_CLOEXEC);
        assert_eq!(write_fd(writer.as_raw_fd(), b"abc").unwrap(), 3);
        drop(writer);
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert_eq!(text, "abc");
        let (_, mut writer) = pipe().unwrap();
        assert!(writer.write(b"x").is_err());
        expect_failure("read", read_fd(-1, &mut [0]), libc::EBADF).unwrap();
    }

    #[test]
    fn signal_sets() {
        let set = Signals::of(&[libc::SIGUSR2, libc::SIGUSR1]);
        assert!(set.contains(libc::SIGUSR1) && !set.contains(libc::SIGTERM));
        assert_eq!(format!("{set:?}"), "{USR1, USR2}");
        assert_eq!(format!("{:?}", set.without(libc::SIGUSR1).with(40)), "{USR2, 40}");
        assert_eq!(Signals::from_sigset(&set.to_sigset()), set);
        assert_eq!(Signals::from_bits(set.bits()), set);
        assert_eq!(format!("{:?}", Signals::EMPTY), "{}");
    }

    #[test]
    fn finds_sh() {
        assert!(find_executable("sh").is_some_and(|path| path.ends_with("sh")));
        assert_eq!(find_executable("ktest-no-such-program"), None);
    }

    #[test]
    fn options_with_values() {
        let args: Vec<OsString> = ["prog", "--count", "7", "--seed=3", "dir", "--count", "9"].map(Into::into).into();
        assert_eq!(option_value(&args, "count", 1), Ok(9));
        assert_eq!(option_value(&args, "seed", 1u64), Ok(3));
        assert_eq!(option_value(&args, "depth", 5), Ok(5));
        let bad: Vec<OsString> = ["prog", "--count", "x"].map(Into::into).into();
        assert!(option_value(&bad, "count", 1).is_err());
        let missing: Vec<OsString> = ["prog", "--count"].map(Into::into).into();
        assert!(option_value(&missing, "count", 1).is_err());
        assert_eq!(operands(&args, &["count", "seed"]), [&OsString::from("dir")]);
        assert_eq!(operands(&args, &[]), ["7", "dir", "9"].map(OsString::from).iter().collect::<Vec<_>>());
    }

    #[test]
    fn limits_read_back() {
        let before = get_limit(libc::RLIMIT_CORE).unwrap();
        assert!(before.soft <= before.hard);
        set_limit(libc::RLIMIT_CORE, 0, before.hard).unwrap();
        assert_eq!(get_limit(libc::RLIMIT_CORE).unwrap(), Limit { soft: 0, hard: before.hard });
        assert_eq!(Limit { soft: 1024, hard: u64::MAX }.to_string(), "soft 1024, hard unlimited");
        set_limit(libc::RLIMIT_CORE, before.soft, before.hard).unwrap();
        assert!(!on_kestrel());
    }

    #[test]
    fn ensure_gives_the_reason() {
        assert_eq!(ensure(true, || "no".into()), Ok(()));
        assert_eq!(ensure(false, || "no".into()), Err("no".into()));
    }
}
