//! Starting programs (fork + execve, retried while fork fails) and waiting for one.
use std::ffi::CString;
use std::thread;
use std::time::Duration;

use ulib::diag::report_error;
use ulib::process::{self, Fork, WaitStatus, pid_t};

use crate::PROGRAM;

/// How long init waits before trying again after a failed fork or wait.
pub const RETRY_DELAY: Duration = Duration::from_secs(1);

/// Forks a child that runs `argv` (`argv[0]` the program's path), retrying until
/// fork succeeds; a child whose execve fails says why and exits with 127 after a
/// pause (so a broken entry does not spin).
pub fn start(argv: &[String]) -> pid_t {
    let path = CString::new(argv[0].as_str()).unwrap_or_default();
    let args: Vec<CString> = argv.iter().filter_map(|arg| CString::new(arg.as_str()).ok()).collect();
    let envp = process::current_environment();
    loop {
        match process::fork() {
            Ok(Fork::Child) => {
                let err = process::execve(&path, &args, &envp);
                report_error(PROGRAM, &argv[0], &err);
                thread::sleep(RETRY_DELAY);
                process::exit_immediately(127);
            }
            Ok(Fork::Parent { child }) => return child,
            Err(err) => {
                report_error(PROGRAM, "fork", &err);
                thread::sleep(RETRY_DELAY);
            }
        }
    }
}

/// Reaps children until `child` is among them, and returns its status (`None` if
/// it is somehow gone without one). Every other child reaped on the way is passed
/// to `other`.
pub fn wait_for(child: pid_t, mut other: impl FnMut(pid_t, WaitStatus)) -> Option<WaitStatus> {
    loop {
        match process::wait4(-1, 0) {
            Ok(Some((pid, status))) if pid == child => return Some(status),
            Ok(Some((pid, status))) => other(pid, status),
            Ok(None) => {}
            Err(err) if err.raw_os_error() == Some(libc::ECHILD) => return None,
            Err(err) => {
                report_error(PROGRAM, "wait4", &err);
                thread::sleep(RETRY_DELAY);
            }
        }
    }
}

/// Runs `argv` and waits for it, reporting a failure.
pub fn run(argv: &[String]) {
    let child = start(argv);
    match wait_for(child, |_, _| {}) {
        Some(status) if status.exit_code() == Some(0) => {}
        Some(status) => ulib::diag::report(PROGRAM, format_args!("{} failed ({status})", argv.join(" "))),
        None => {}
    }
}
