//! `init`, process 1. It gives up the console as its controlling terminal (the
//! gettys take their terminals), runs the startup script /etc/rc with /bin/sh
//! (once, waiting for it), then the entries of /etc/inittab (see `inittab`):
//! `wait` ones in turn, then `once` and `respawn` ones, starting respawning ones
//! again when they end and reaping every other child (orphans are handed to
//! process 1). Without an inittab it keeps a shell on its own console, as before
//! there was one. SIGTERM or SIGINT (Ctrl-Alt-Del) reboots, SIGUSR2 powers off,
//! SIGUSR1 halts (see `shutdown`). It never exits.
use std::fs;

use init::inittab::{self, Action, Entry};
use ulib::diag::{report, report_error};
use ulib::jobctl::{self, Disposition};
use ulib::sys::check;

mod children;
mod shutdown;
mod supervise;

const PROGRAM: &str = "init";
const STARTUP: &str = "/etc/rc";
const INITTAB: &str = "/etc/inittab";
const SHELL: &str = "/bin/sh";

/// Drops the controlling terminal (TIOCNOTTY). A kernel without the request, or
/// no terminal at all, is fine: the gettys take their terminals anyway.
fn drop_controlling_terminal() {
    // SAFETY: TIOCNOTTY takes no argument.
    if let Err(err) = check(unsafe { libc::ioctl(0, libc::TIOCNOTTY) })
        && !matches!(err.raw_os_error(), Some(libc::ENOTTY | libc::EINVAL | libc::EPERM))
    {
        report_error(PROGRAM, "TIOCNOTTY", &err);
    }
}

/// The inittab's entries; without the file, a shell on the console.
fn entries() -> Vec<Entry> {
    match fs::read_to_string(INITTAB) {
        Ok(text) => {
            let (entries, problems) = inittab::parse(&text);
            for problem in problems {
                report(PROGRAM, format_args!("{INITTAB}:{}: {}", problem.line, problem.reason));
            }
            entries
        }
        Err(err) => {
            report_error(PROGRAM, INITTAB, &err);
            report(PROGRAM, format_args!("starting {SHELL} on the console"));
            vec![Entry { id: String::new(), action: Action::Respawn, argv: vec![SHELL.to_owned()] }]
        }
    }
}

fn main() {
    // SIGHUP (TIOCNOTTY sends it to the terminal's foreground group, init's own)
    // and SIGALRM (the supervisor's timer) are caught and do nothing.
    for signal in supervise::SIGNALS.into_iter().chain([libc::SIGHUP, libc::SIGALRM]) {
        if let Err(err) = jobctl::set_disposition(signal, Disposition::Catch) {
            report_error(PROGRAM, format_args!("sigaction {signal}"), &err);
        }
    }
    drop_controlling_terminal();
    if std::path::Path::new(STARTUP).is_file() {
        children::run(&[SHELL.to_owned(), STARTUP.to_owned()]);
    }
    let entries = entries();
    for entry in entries.iter().filter(|entry| entry.action == Action::Wait) {
        children::run(&entry.argv);
    }
    let kind = supervise::run(entries.clone());
    let scripts: Vec<Vec<String>> =
        entries.into_iter().filter(|entry| entry.action == Action::Shutdown).map(|entry| entry.argv).collect();
    shutdown::go(kind, &scripts)
}
