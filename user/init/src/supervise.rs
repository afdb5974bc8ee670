//! The inittab's entries at run time: starting `once` and `respawn` entries when
//! their terminal exists (a missing one is reported once and looked for again
//! every `DEVICE_RETRY`), starting respawning ones again when they end (rate
//! limited), marking their utmp records dead, reaping orphans, and stopping when a
//! signal asks for a shutdown.
use std::path::Path;
use std::time::{Duration, Instant};

use init::inittab::{Action, Entry};
use init::respawn::{PAUSE, Respawner};
use ulib::diag::report;
use ulib::jobctl::{self, wait4_once};
use ulib::process::pid_t;
use ulib::utmp;

use crate::shutdown::Kind;
use crate::{PROGRAM, children};

/// How often init looks again for a terminal that does not exist.
const DEVICE_RETRY: Duration = Duration::from_secs(30);
/// The longest init sleeps in wait4 without looking at its signals (a signal that
/// comes just before the call would otherwise wait for the next child to end).
const LONGEST_WAIT: Duration = Duration::from_secs(5);

/// The signals init acts on.
pub const SIGNALS: [libc::c_int; 4] = [libc::SIGUSR1, libc::SIGUSR2, libc::SIGTERM, libc::SIGINT];

/// One entry and its state.
struct Running {
    entry: Entry,
    pid: Option<pid_t>,
    /// When it may start next; `None` once a `once` entry has started.
    due: Option<Duration>,
    respawner: Respawner,
    /// Whether its missing terminal was reported.
    reported_missing: bool,
}

/// A shutdown a signal asked for, if one did.
fn shutdown_requested() -> Option<Kind> {
    SIGNALS.into_iter().find(|&signal| jobctl::take_caught(signal)).and_then(Kind::of_signal)
}

/// Whether the entry's terminal exists (an entry without one always may start).
fn terminal_exists(entry: &Entry) -> bool {
    entry.id.is_empty() || Path::new("/dev").join(&entry.id).exists()
}

/// Runs the `once` and `respawn` entries until a shutdown is asked for.
pub fn run(entries: Vec<Entry>) -> Kind {
    let epoch = Instant::now();
    let mut table: Vec<Running> = entries
        .into_iter()
        .filter(|entry| matches!(entry.action, Action::Once | Action::Respawn))
        .map(|entry| Running {
            entry,
            pid: None,
            due: Some(Duration::ZERO),
            respawner: Respawner::default(),
            reported_missing: false,
        })
        .collect();
    loop {
        if let Some(kind) = shutdown_requested() {
            return kind;
        }
        let now = epoch.elapsed();
        let mut missing = Vec::new();
        for running in table.iter_mut().filter(|running| running.pid.is_none()) {
            match running.due {
                Some(due) if due <= now => {}
                _ => continue,
            }
            if !terminal_exists(&running.entry) {
                if !running.reported_missing {
                    missing.push(format!("/dev/{}", running.entry.id));
                    running.reported_missing = true;
                }
                running.due = Some(now + DEVICE_RETRY);
                continue;
            }
            running.pid = Some(children::start(&running.entry.argv));
            running.respawner.started(now);
            running.due = None;
        }
        if !missing.is_empty() {
            let (names, retry) = (missing.join(" "), DEVICE_RETRY.as_secs());
            report(PROGRAM, format_args!("no such terminal: {names}; looking again every {retry} s"));
        }
        let next_due = table.iter().filter(|running| running.pid.is_none()).filter_map(|running| running.due).min();
        let wait = next_due.map_or(LONGEST_WAIT, |due| due.saturating_sub(now)).min(LONGEST_WAIT);
        // SAFETY: alarm takes a plain count of seconds; its SIGALRM (caught) only
        // interrupts the wait below.
        unsafe { libc::alarm(wait.as_secs().max(1) as libc::c_uint) };
        let reaped = wait4_once(-1, 0);
        // SAFETY: as above; 0 cancels the alarm.
        unsafe { libc::alarm(0) };
        jobctl::take_caught(libc::SIGALRM);
        match reaped {
            Ok(Some((pid, status))) => {
                let Some(running) = table.iter_mut().find(|running| running.pid == Some(pid)) else { continue };
                running.pid = None;
                let _ = utmp::end_session(utmp::PATH, pid);
                if running.entry.action == Action::Respawn {
                    let (due, too_fast) = running.respawner.next_start(epoch.elapsed());
                    if too_fast {
                        report(
                            PROGRAM,
                            format_args!(
                                "'{}' ({status}) respawning too fast: disabled for {} minutes",
                                running.entry.argv.join(" "),
                                PAUSE.as_secs() / 60
                            ),
                        );
                    }
                    running.due = Some(due);
                }
            }
            Err(err) if err.raw_os_error() == Some(libc::ECHILD) => {
                // No children at all: sleep until something is due (or a signal).
                std::thread::sleep(wait.max(Duration::from_millis(100)));
            }
            _ => {}
        }
    }
}
