//! `init`, process 1: runs the startup script /etc/rc (with /bin/sh, once, waiting
//! for it) when there is one, then starts /bin/sh with fork + execve, starts it
//! again whenever it exits, and reaps every other child (orphans are handed to
//! process 1). It never exits.
use std::ffi::{CStr, CString};
use std::path::Path;
use std::thread;
use std::time::Duration;

use ulib::diag::{report, report_error};
use ulib::process::{self, Fork, WaitStatus, pid_t};

const PROGRAM: &str = "init";
const SHELL: &CStr = c"/bin/sh";
const STARTUP: &CStr = c"/etc/rc";
/// How long init waits before trying again after a failed fork, execve or wait.
const RETRY_DELAY: Duration = Duration::from_secs(1);

/// Forks a child that becomes the shell with `argv`, retrying until fork succeeds.
fn start_shell(argv: &[CString]) -> pid_t {
    let envp = process::current_environment();
    loop {
        match process::fork() {
            Ok(Fork::Child) => {
                let err = process::execve(SHELL, argv, &envp);
                report_error(PROGRAM, SHELL.to_string_lossy(), &err);
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

/// Reaps children until `shell` (or the startup script) is among them, and
/// returns its status (`None` if it is somehow gone without one).
fn wait_for_shell(shell: pid_t) -> Option<WaitStatus> {
    loop {
        match process::wait4(-1, 0) {
            Ok(Some((child, status))) if child == shell => return Some(status),
            Ok(_) => {}
            Err(err) if err.raw_os_error() == Some(libc::ECHILD) => return None,
            Err(err) => {
                report_error(PROGRAM, "wait4", &err);
                thread::sleep(RETRY_DELAY);
            }
        }
    }
}

fn main() {
    if Path::new(STARTUP.to_str().unwrap_or_default()).is_file() {
        let startup = start_shell(&[CString::from(c"sh"), CString::from(STARTUP)]);
        match wait_for_shell(startup) {
            Some(status) if status.exit_code() == Some(0) => {}
            Some(status) => report(PROGRAM, format_args!("{} failed ({status})", STARTUP.to_string_lossy())),
            None => {}
        }
    }
    let shell_name = SHELL.to_string_lossy();
    report(PROGRAM, format_args!("starting {shell_name}"));
    loop {
        let shell = start_shell(&[CString::from(c"sh")]);
        match wait_for_shell(shell) {
            Some(status) => report(PROGRAM, format_args!("{shell_name} ended ({status}); starting it again")),
            None => report(PROGRAM, format_args!("{shell_name} vanished; starting it again")),
        }
    }
}
