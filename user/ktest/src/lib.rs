//! Shared pieces of the kernel's boot-test programs (the `ktest-*` binaries): the
//! verdict line, checks, forking a child and waiting for it, and a deliberate store.
//!
//! Each test prints what it does, then exactly `KTEST PASS <name>` and exits 0, or
//! `KTEST FAIL <name>: <reason>` and exits 1. The tests pass on Linux too.
use std::arch::asm;
use std::ffi::c_int;
use std::io;
use std::process::ExitCode;

use ulib::diag::error_text;
use ulib::process::{self, Fork};
pub use ulib::process::{WaitStatus, pid_t, signal_description};

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
    fn errno_checks() {
        let err = io::Error::from_raw_os_error(libc::ENOENT);
        expect_errno("open", &err, libc::ENOENT).unwrap();
        assert_eq!(
            expect_errno("open", &err, libc::EACCES),
            Err("open: expected \"Permission denied\", got \"No such file or directory\"".into())
        );
    }

    #[test]
    fn ensure_gives_the_reason() {
        assert_eq!(ensure(true, || "no".into()), Ok(()));
        assert_eq!(ensure(false, || "no".into()), Err("no".into()));
    }
}
