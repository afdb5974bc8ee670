//! `reboot [-d DELAY] [-n] [-f]`: asks init to restart the machine (SIGTERM to
//! process 1, which runs its shutdown sequence); with `-f` it does not ask but
//! flushes the file systems (sync(2), unless `-n`) and restarts at once with
//! reboot(2). `halt` and `poweroff` are the same with their own signal and
//! command, as busybox's.
use std::ffi::{OsString, c_int};
use std::thread;
use std::time::Duration;

use ulib::args::Spec;
use ulib::diag::{error_text, report};
use ulib::jobctl;
use ulib::sys::check;

use crate::cli;

const PROGRAM: &str = "reboot";

pub const USAGE: &str = "Usage: reboot [-d DELAY] [-n] [-f]
Reboot the system: init runs its shutdown sequence.
  -d DELAY   wait DELAY seconds first
  -n         do not sync
  -f         force: reboot at once, without init";

/// The command line of halt, poweroff and reboot.
const SPEC: Spec = Spec { flags: "fn", valued: "d", ..Spec::NONE };

/// Halt, power off or reboot: `signal` to init, or with `-f` reboot(2) with
/// `command`. Returns only on failure.
pub fn shut_down(program: &str, args: Vec<OsString>, signal: c_int, command: c_int) -> u8 {
    let command_line = match cli::parse_without_operands(program, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    if let Some(delay) = command_line.value('d') {
        match delay.to_str().and_then(|delay| delay.parse::<u64>().ok()) {
            Some(seconds) => thread::sleep(Duration::from_secs(seconds)),
            None => return cli::usage_error(program, format_args!("invalid number '{}'", delay.display())),
        }
    }
    let result = if command_line.has('f') {
        if !command_line.has('n') {
            // SAFETY: sync takes no arguments and cannot fail.
            unsafe { libc::sync() };
        }
        // SAFETY: reboot takes a plain command; it returns only when it fails.
        check(unsafe { libc::reboot(command) }).map(drop)
    } else {
        jobctl::kill(1, signal)
    };
    match result {
        Ok(()) => 0,
        Err(err) => {
            report(program, error_text(&err));
            1
        }
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    shut_down(PROGRAM, args, libc::SIGTERM, libc::LINUX_REBOOT_CMD_RESTART)
}
