//! `init`, process 1: runs the startup script /etc/rc (with /bin/sh, once, waiting
//! for it) when there is one, then starts /bin/sh with fork + execve on the system
//! console (its own descriptors) and another on the first virtual console
//! (/dev/tty1, in a session of its own that it controls), starts each again
//! whenever it exits, and reaps every other child (orphans are handed to process
//! 1). It never exits.
use std::ffi::{CStr, CString};
use std::fs::OpenOptions;
use std::io;
use std::os::fd::{AsRawFd, IntoRawFd};
use std::path::Path;
use std::thread;
use std::time::Duration;

use ulib::diag::{report, report_error};
use ulib::fd;
use ulib::process::{self, Fork, WaitStatus, pid_t};

const PROGRAM: &str = "init";
const SHELL: &CStr = c"/bin/sh";
const STARTUP: &CStr = c"/etc/rc";
/// The terminal of the second shell.
const VT: &CStr = c"/dev/tty1";
/// How long init waits before trying again after a failed fork, execve or wait.
const RETRY_DELAY: Duration = Duration::from_secs(1);

/// Forks a child that becomes the shell with `argv`, retrying until fork succeeds;
/// with a `terminal`, the child first makes it its controlling terminal and its
/// standard input, output and error in a new session.
fn start_shell(argv: &[CString], terminal: Option<&CStr>) -> pid_t {
    let envp = process::current_environment();
    loop {
        match process::fork() {
            Ok(Fork::Child) => {
                if let Some(terminal) = terminal
                    && let Err(err) = take_terminal(terminal)
                {
                    report_error(PROGRAM, terminal.to_string_lossy(), &err);
                    thread::sleep(RETRY_DELAY);
                    process::exit_immediately(1);
                }
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

/// In a new session, opens `terminal` as its controlling terminal (taking it
/// from any other session) on descriptors 0, 1 and 2.
fn take_terminal(terminal: &CStr) -> io::Result<()> {
    // SAFETY: setsid takes no arguments.
    if unsafe { libc::setsid() } < 0 {
        return Err(io::Error::last_os_error());
    }
    let file = OpenOptions::new().read(true).write(true).open(terminal.to_string_lossy().as_ref())?;
    for target in 0..3 {
        fd::dup2(file.as_raw_fd(), target)?;
    }
    if (0..3).contains(&file.as_raw_fd()) {
        let _ = file.into_raw_fd(); // it is one of the three now
    }
    // SAFETY: TIOCSCTTY takes an integer argument.
    if unsafe { libc::ioctl(0, libc::TIOCSCTTY, 1) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Reaps children until one of `shells` (or the startup script) is among them,
/// and returns which and its status (`None` if they are somehow all gone).
fn wait_for_shell(shells: &[pid_t]) -> Option<(usize, WaitStatus)> {
    loop {
        match process::wait4(-1, 0) {
            Ok(Some((child, status))) => {
                if let Some(index) = shells.iter().position(|&shell| shell == child) {
                    return Some((index, status));
                }
            }
            Ok(None) => {}
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
        let startup = start_shell(&[CString::from(c"sh"), CString::from(STARTUP)], None);
        match wait_for_shell(&[startup]) {
            Some((_, status)) if status.exit_code() == Some(0) => {}
            Some((_, status)) => report(PROGRAM, format_args!("{} failed ({status})", STARTUP.to_string_lossy())),
            None => {}
        }
    }
    let shell_name = SHELL.to_string_lossy();
    report(PROGRAM, format_args!("starting {shell_name}"));
    let terminals = [None, Some(VT)];
    let mut shells = terminals.map(|terminal| start_shell(&[CString::from(c"sh")], terminal));
    loop {
        match wait_for_shell(&shells) {
            Some((index, status)) => {
                report(PROGRAM, format_args!("{shell_name} ended ({status}); starting it again"));
                shells[index] = start_shell(&[CString::from(c"sh")], terminals[index]);
            }
            None => {
                report(PROGRAM, format_args!("{shell_name} vanished; starting it again"));
                shells = terminals.map(|terminal| start_shell(&[CString::from(c"sh")], terminal));
            }
        }
    }
}
