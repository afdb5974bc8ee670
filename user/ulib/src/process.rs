//! Processes through libc, so the kernel sees exactly fork, execve, wait4 and
//! exit_group: the calls, a PATH search for execve, Linux wait statuses, and signal
//! names and descriptions.
use std::ffi::{CStr, CString, OsStr, c_char, c_int};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::{env, fmt, fs, io, iter, ptr};

use crate::jobctl::wait4_once;
use crate::sys::check;

pub use libc::pid_t;

/// Which side of a fork this process is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fork {
    Child,
    Parent { child: pid_t },
}

/// fork(2).
pub fn fork() -> io::Result<Fork> {
    // SAFETY: fork has no memory-safety preconditions; Kestrel's programs are
    // single-threaded, so the child's copy of every lock and of the heap is consistent.
    match check(unsafe { libc::fork() })? {
        0 => Ok(Fork::Child),
        child => Ok(Fork::Parent { child }),
    }
}

/// execve(2): returns only when the kernel refused, with its error.
pub fn execve(path: &CStr, argv: &[CString], envp: &[CString]) -> io::Error {
    let argv = null_terminated(argv);
    let envp = null_terminated(envp);
    // SAFETY: `path` is NUL-terminated; `argv` and `envp` are NULL-terminated arrays
    // of pointers to NUL-terminated strings, all alive for the duration of the call.
    unsafe { libc::execve(path.as_ptr(), argv.as_ptr(), envp.as_ptr()) };
    io::Error::last_os_error()
}

/// access(2): whether this process may access `path` as `mode` says (`R_OK`,
/// `W_OK`, `X_OK`).
pub fn can_access(path: &str, mode: c_int) -> bool {
    CString::new(path).is_ok_and(|path| {
        // SAFETY: `path` is a NUL-terminated string alive for the call.
        unsafe { libc::access(path.as_ptr(), mode) == 0 }
    })
}

/// Whether this process runs as root (effective user 0).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// umask(2): sets the file mode creation mask and returns the old one.
pub fn umask(mask: u32) -> u32 {
    // SAFETY: umask takes a plain integer and cannot fail.
    unsafe { libc::umask(mask as libc::mode_t) as u32 }
}

/// CPU time used so far, in microseconds: (user, system) of this process and
/// (user, system) of its waited-for children, from getrusage(2).
pub fn cpu_times() -> [u64; 4] {
    let usage = |who| {
        // SAFETY: an all-zero rusage is a valid value for getrusage to overwrite.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `usage` is a live rusage for the kernel to fill.
        unsafe { libc::getrusage(who, &mut usage) };
        (micros(usage.ru_utime), micros(usage.ru_stime))
    };
    let (user, system) = usage(libc::RUSAGE_SELF);
    let (child_user, child_system) = usage(libc::RUSAGE_CHILDREN);
    [user, system, child_user, child_system]
}

fn micros(time: libc::timeval) -> u64 {
    time.tv_sec as u64 * 1_000_000 + time.tv_usec as u64
}

/// What wait4(2) tells of the resources a child used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// User and system CPU time, in microseconds.
    pub user: u64,
    pub system: u64,
    /// The largest resident set, in KiB.
    pub max_resident: u64,
    pub minor_faults: u64,
    pub major_faults: u64,
    pub swaps: u64,
    pub inputs: u64,
    pub outputs: u64,
    pub voluntary_switches: u64,
    pub involuntary_switches: u64,
}

/// wait4(2) for `pid` with its resource usage, retried when a signal interrupts it.
pub fn wait4_usage(pid: pid_t) -> io::Result<(WaitStatus, Usage)> {
    let mut status: c_int = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are live values for the kernel to write.
        match check(unsafe { libc::wait4(pid, &mut status, 0, &mut usage) }) {
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
            Ok(_) => break,
        }
    }
    let count = |value: libc::c_long| value.max(0) as u64;
    let usage = Usage {
        user: micros(usage.ru_utime),
        system: micros(usage.ru_stime),
        max_resident: count(usage.ru_maxrss),
        minor_faults: count(usage.ru_minflt),
        major_faults: count(usage.ru_majflt),
        swaps: count(usage.ru_nswap),
        inputs: count(usage.ru_inblock),
        outputs: count(usage.ru_oublock),
        voluntary_switches: count(usage.ru_nvcsw),
        involuntary_switches: count(usage.ru_nivcsw),
    };
    Ok((WaitStatus::from_raw(status), usage))
}

/// The PATH that `execvp` searches when there is none (musl's default).
pub const DEFAULT_PATH: &str = "/usr/local/bin:/bin:/usr/bin";

/// The files `execvp` tries for `name`, in order: `name` itself when it holds a `/`,
/// else `name` in each directory of `path` (an empty entry is the current directory).
pub fn path_candidates(name: &OsStr, path: Option<&OsStr>) -> Vec<PathBuf> {
    if name.as_bytes().contains(&b'/') {
        return vec![PathBuf::from(name)];
    }
    let path = path.unwrap_or(OsStr::new(DEFAULT_PATH));
    path.as_bytes()
        .split(|&byte| byte == b':')
        .map(|directory| {
            let directory = if directory.is_empty() { OsStr::new(".") } else { OsStr::from_bytes(directory) };
            PathBuf::from(directory).join(name)
        })
        .collect()
}

/// Whether `path` is a file with an execute permission bit set (what a PATH search
/// looks for among [`path_candidates`]).
pub fn is_executable_file(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
}

/// execvp(3): execve of each of `path_candidates` in turn. Returns only when none
/// could be run: with the error for the last one that exists (such as EACCES), else
/// ENOENT.
pub fn execvp(name: &OsStr, path: Option<&OsStr>, argv: &[CString], envp: &[CString]) -> io::Error {
    let mut error = io::Error::from_raw_os_error(libc::ENOENT);
    for candidate in path_candidates(name, path) {
        let Ok(candidate) = CString::new(candidate.into_os_string().into_vec()) else { continue };
        let err = execve(&candidate, argv, envp);
        match err.raw_os_error() {
            Some(libc::ENOENT | libc::ENOTDIR) => {}
            _ => error = err,
        }
    }
    error
}

fn null_terminated(strings: &[CString]) -> Vec<*const c_char> {
    strings.iter().map(|string| string.as_ptr()).chain(iter::once(ptr::null())).collect()
}

/// This process's environment as execve wants it: `NAME=value` strings.
pub fn current_environment() -> Vec<CString> {
    env::vars_os()
        .filter_map(|(name, value)| {
            let mut entry = name.as_bytes().to_vec();
            entry.push(b'=');
            entry.extend_from_slice(value.as_bytes());
            CString::new(entry).ok()
        })
        .collect()
}

/// wait4(2) without resource usage, retried when a signal interrupts it. `Ok(None)`
/// is the 0 that WNOHANG gives while the children are still running.
pub fn wait4(pid: pid_t, options: c_int) -> io::Result<Option<(pid_t, WaitStatus)>> {
    loop {
        match wait4_once(pid, options) {
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            result => return result,
        }
    }
}

/// _exit(2): ends the process at once, without flushing std's buffers or running
/// exit handlers (what a forked child whose execve failed must do).
pub fn exit_immediately(code: c_int) -> ! {
    // SAFETY: _exit has no preconditions and does not return.
    unsafe { libc::_exit(code) }
}

/// A wait status in Linux's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitStatus(c_int);

impl WaitStatus {
    pub fn from_raw(raw: c_int) -> Self {
        Self(raw)
    }

    pub fn raw(self) -> c_int {
        self.0
    }

    /// The exit code, if the process exited.
    pub fn exit_code(self) -> Option<c_int> {
        libc::WIFEXITED(self.0).then(|| libc::WEXITSTATUS(self.0))
    }

    /// The signal that killed the process, if one did.
    pub fn killing_signal(self) -> Option<c_int> {
        libc::WIFSIGNALED(self.0).then(|| libc::WTERMSIG(self.0))
    }

    /// The status as a shell's `$?`: the exit code, or 128 + the killing signal.
    pub fn shell_status(self) -> c_int {
        match (self.exit_code(), self.killing_signal()) {
            (Some(code), _) => code,
            (None, Some(signal)) => 128 + signal,
            (None, None) => 128,
        }
    }
}

impl fmt::Display for WaitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.exit_code(), self.killing_signal()) {
            (Some(code), _) => write!(f, "exit status {code}"),
            (None, Some(signal)) => write!(f, "killed by signal {signal} ({})", signal_description(signal)),
            (None, None) => write!(f, "wait status {:#x}", self.0),
        }
    }
}

/// Linux's signal names (without `SIG`), in number order from 1.
pub const SIGNAL_NAMES: [&str; 31] = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
    "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL",
    "PWR", "SYS",
];

/// The name of a signal number (`KILL` for 9), if it has one.
pub fn signal_name(signal: c_int) -> Option<&'static str> {
    usize::try_from(signal)
        .ok()
        .and_then(|number| number.checked_sub(1))
        .and_then(|index| SIGNAL_NAMES.get(index))
        .copied()
}

/// The number of a signal given as `KILL`, `kill`, `SIGKILL`, `IO` (another name for
/// POLL), `IOT` (ABRT) or `9` (0 included: it checks whether a process exists).
pub fn signal_number(text: &str) -> Option<c_int> {
    if let Ok(number) = text.parse::<c_int>() {
        return (0..=64).contains(&number).then_some(number);
    }
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    let name = match name {
        "IO" => "POLL",
        "IOT" => "ABRT",
        "CLD" => "CHLD",
        other => other,
    };
    SIGNAL_NAMES.iter().position(|&known| known == name).and_then(|index| c_int::try_from(index + 1).ok())
}

/// What the C library's strsignal says about a Linux signal number.
pub fn signal_description(signal: c_int) -> &'static str {
    match signal {
        libc::SIGHUP => "Hangup",
        libc::SIGINT => "Interrupt",
        libc::SIGQUIT => "Quit",
        libc::SIGILL => "Illegal instruction",
        libc::SIGTRAP => "Trace/breakpoint trap",
        libc::SIGABRT => "Aborted",
        libc::SIGBUS => "Bus error",
        libc::SIGFPE => "Floating point exception",
        libc::SIGKILL => "Killed",
        libc::SIGUSR1 => "User defined signal 1",
        libc::SIGSEGV => "Segmentation fault",
        libc::SIGUSR2 => "User defined signal 2",
        libc::SIGPIPE => "Broken pipe",
        libc::SIGALRM => "Alarm clock",
        libc::SIGTERM => "Terminated",
        libc::SIGSTKFLT => "Stack fault",
        libc::SIGCHLD => "Child exited",
        libc::SIGCONT => "Continued",
        libc::SIGSTOP => "Stopped (signal)",
        libc::SIGTSTP => "Stopped",
        libc::SIGTTIN => "Stopped (tty input)",
        libc::SIGTTOU => "Stopped (tty output)",
        libc::SIGURG => "Urgent I/O condition",
        libc::SIGXCPU => "CPU time limit exceeded",
        libc::SIGXFSZ => "File size limit exceeded",
        libc::SIGVTALRM => "Virtual timer expired",
        libc::SIGPROF => "Profiling timer expired",
        libc::SIGWINCH => "Window changed",
        libc::SIGIO => "I/O possible",
        libc::SIGPWR => "Power failure",
        libc::SIGSYS => "Bad system call",
        _ => "Unknown signal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exited_status() {
        let status = WaitStatus::from_raw(3 << 8);
        assert_eq!(status.exit_code(), Some(3));
        assert_eq!(status.killing_signal(), None);
        assert_eq!(status.shell_status(), 3);
        assert_eq!(status.to_string(), "exit status 3");
    }

    #[test]
    fn signaled_status() {
        let status = WaitStatus::from_raw(libc::SIGSEGV);
        assert_eq!(status.exit_code(), None);
        assert_eq!(status.killing_signal(), Some(libc::SIGSEGV));
        assert_eq!(status.shell_status(), 139);
        assert_eq!(status.to_string(), "killed by signal 11 (Segmentation fault)");
    }

    #[test]
    fn core_dump_flag_does_not_hide_the_signal() {
        let status = WaitStatus::from_raw(libc::SIGILL | 0x80);
        assert_eq!(status.killing_signal(), Some(libc::SIGILL));
    }

    #[test]
    fn signal_names_and_numbers() {
        assert_eq!(signal_name(libc::SIGKILL), Some("KILL"));
        assert_eq!(signal_name(libc::SIGSYS), Some("SYS"));
        assert_eq!(signal_name(libc::SIGIO), Some("POLL"));
        assert_eq!(signal_name(0), None);
        assert_eq!(signal_name(32), None);
        assert_eq!(signal_number("9"), Some(9));
        assert_eq!(signal_number("0"), Some(0));
        assert_eq!(signal_number("term"), Some(libc::SIGTERM));
        assert_eq!(signal_number("SIGUSR1"), Some(libc::SIGUSR1));
        assert_eq!(signal_number("IO"), Some(libc::SIGIO));
        assert_eq!(signal_number("nosuch"), None);
        assert_eq!(signal_number("-1"), None);
        for (index, name) in SIGNAL_NAMES.iter().enumerate() {
            assert_eq!(signal_number(name), Some(index as c_int + 1));
        }
        assert_eq!(signal_number("STKFLT"), Some(libc::SIGSTKFLT));
        assert_eq!(signal_number("PWR"), Some(libc::SIGPWR));
    }

    #[test]
    fn path_search_order() {
        let path = Some(OsStr::new("/usr/bin::/bin"));
        assert_eq!(path_candidates(OsStr::new("ls"), path), ["/usr/bin/ls", "./ls", "/bin/ls"].map(PathBuf::from));
        assert_eq!(path_candidates(OsStr::new("./x"), path), [PathBuf::from("./x")]);
        assert_eq!(path_candidates(OsStr::new("ls"), None).len(), 3);
    }

    #[test]
    fn execvp_of_a_missing_program_is_enoent() {
        let err = execvp(OsStr::new("kestrel-no-such-program"), Some(OsStr::new("/nonexistent")), &[], &[]);
        assert_eq!(err.raw_os_error(), Some(libc::ENOENT));
    }

    #[test]
    fn unknown_signal() {
        assert_eq!(signal_description(64), "Unknown signal");
    }

    #[test]
    fn environment_entries_are_name_equals_value() {
        assert!(current_environment().iter().all(|entry| entry.as_bytes().contains(&b'=')));
    }

    #[test]
    fn fork_exit_and_wait() {
        match fork().unwrap() {
            Fork::Child => exit_immediately(5),
            Fork::Parent { child } => {
                let (reaped, status) = wait4(child, 0).unwrap().unwrap();
                assert_eq!(reaped, child);
                assert_eq!(status.exit_code(), Some(5));
            }
        }
    }
}
