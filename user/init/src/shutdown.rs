//! Taking the system down (busybox init's way): the signal that asks for it picks
//! halt, power-off or reboot; /etc/rc.shutdown and the inittab's `shutdown`
//! entries run; every process gets SIGTERM (and SIGCONT, so stopped ones see
//! it), a grace period while init reaps them, then SIGKILL; sync; reboot(2).
use std::io::{self, Write};
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use ulib::diag::{error_text, report};
use ulib::jobctl::{self, wait4_once};

use crate::{PROGRAM, children};

/// How long processes have between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_secs(2);
const SCRIPT: &str = "/etc/rc.shutdown";
/// How often init looks for ended processes during the grace period.
const POLL: Duration = Duration::from_millis(50);

/// What the system does at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Halt,
    PowerOff,
    Reboot,
}

impl Kind {
    /// The kind a signal to init asks for (busybox's: USR1 halt, USR2 power-off,
    /// TERM reboot; INT, Ctrl-Alt-Del, reboot).
    pub fn of_signal(signal: libc::c_int) -> Option<Self> {
        match signal {
            libc::SIGUSR1 => Some(Self::Halt),
            libc::SIGUSR2 => Some(Self::PowerOff),
            libc::SIGTERM | libc::SIGINT => Some(Self::Reboot),
            _ => None,
        }
    }

    fn command(self) -> libc::c_int {
        match self {
            Self::Halt => libc::LINUX_REBOOT_CMD_HALT,
            Self::PowerOff => libc::LINUX_REBOOT_CMD_POWER_OFF,
            Self::Reboot => libc::LINUX_REBOOT_CMD_RESTART,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Halt => "halt",
            Self::PowerOff => "poweroff",
            Self::Reboot => "reboot",
        }
    }
}

/// Reaps every ended child until none is left or `deadline` passes; whether none is left.
fn reap_until(deadline: Instant) -> bool {
    loop {
        match wait4_once(-1, libc::WNOHANG) {
            Ok(Some(_)) => continue,
            Err(err) if err.raw_os_error() == Some(libc::ECHILD) => return true,
            _ => {}
        }
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(POLL);
    }
}

/// Sends `signal` to every process but init (kill(-1)).
fn signal_all(signal: libc::c_int) {
    if let Err(err) = jobctl::kill(-1, signal)
        && err.raw_os_error() != Some(libc::ESRCH)
    {
        report(PROGRAM, format_args!("kill -1: {}", error_text(&err)));
    }
}

/// Takes the system down; `scripts` are the inittab's shutdown entries.
pub fn go(kind: Kind, scripts: &[Vec<String>]) -> ! {
    if Path::new(SCRIPT).is_file() {
        children::run(&["/bin/sh".to_owned(), SCRIPT.to_owned()]);
    }
    for argv in scripts {
        children::run(argv);
    }
    let mut console = io::stdout();
    let _ = writeln!(console, "\nThe system is going down NOW!");
    signal_all(libc::SIGTERM);
    signal_all(libc::SIGCONT);
    let _ = writeln!(console, "Sent SIGTERM to all processes");
    if !reap_until(Instant::now() + GRACE) {
        signal_all(libc::SIGKILL);
        let _ = writeln!(console, "Sent SIGKILL to all processes");
        reap_until(Instant::now() + GRACE);
    }
    let _ = writeln!(console, "Requesting system {}", kind.name());
    let _ = console.flush();
    // SAFETY: sync and reboot take no pointers; reboot returns only when it fails.
    let result = unsafe {
        libc::sync();
        libc::reboot(kind.command())
    };
    if result != 0 {
        report(PROGRAM, format_args!("reboot: {}", error_text(&io::Error::last_os_error())));
    }
    loop {
        // SAFETY: pause has no preconditions; init has nothing left to do but wait.
        unsafe { libc::pause() };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_pick_the_kind() {
        assert_eq!(Kind::of_signal(libc::SIGUSR1), Some(Kind::Halt));
        assert_eq!(Kind::of_signal(libc::SIGUSR2), Some(Kind::PowerOff));
        assert_eq!(Kind::of_signal(libc::SIGTERM), Some(Kind::Reboot));
        assert_eq!(Kind::of_signal(libc::SIGINT), Some(Kind::Reboot));
        assert_eq!(Kind::of_signal(libc::SIGHUP), None);
        assert_eq!(Kind::PowerOff.command(), libc::LINUX_REBOOT_CMD_POWER_OFF);
    }
}
