//! ktest-forkbomb: a fork bomb that a boot test drives from the shell, and the
//! memory it leaves behind once it is killed. `ktest-forkbomb start` measures free
//! memory (free memory plus its own resident pages, as ktest-forkloop), then forks
//! the bomb's leader into a new process group and prints `forkbomb: bomb pgid=P`.
//! In the bomb every process forks children, and its children do the same, until
//! fork fails or the shape's bound is reached: at most `--children` children each
//! (default 3), and no deeper than `--max-depth` levels below the leader (default
//! 5: at most 364 processes, safe on a host where root is exempt from RLIMIT_NPROC;
//! the Kestrel boot test passes `--max-depth 12`, so that memory or the process
//! table runs out first). Each successful fork writes `+` to a pipe; a process whose
//! fork failed writes `E` and the errno (one write), then it, like a process that
//! has reached the bound, pauses forever. The starter, in its own process group,
//! reads the pipe until no fork has succeeded for 2 seconds, then prints
//! `forkbomb: saturated with N processes, fork failed with EAGAIN` (or ENOMEM, the
//! errors seen), or `forkbomb: bounded at N processes ..., fork never failed`. It
//! then waits for someone to kill the group (the boot test types `kill -9 -P`):
//! every 200 ms it reaps the leader if it is dead and checks the group with
//! kill(-P, 0) until ESRCH (init reaps the rest). A second later it measures again
//! and prints `forkbomb: memory before B after A`, then `KTEST PASS forkbomb`; with
//! `--exact` the figures must be equal, else `KTEST FAIL forkbomb: N bytes leaked`.
//! A fork error other than EAGAIN or ENOMEM fails the test too.
//!
//! With `--kill` the starter kills the group itself once it is saturated (for a
//! run as init, which then reaps the whole bomb), and `--rounds R` runs the bomb R
//! times, the exact check applying to the last round only.
//!
//! Usage: `ktest-forkbomb start [--nproc N] [--max-depth D] [--children C]
//! [--rounds R] [--exact] [--kill]`, run in the background (`&`) from a shell, or
//! as init with `--kill`. `--nproc N` makes the leader set RLIMIT_NPROC (soft and
//! hard) to N first.
use std::collections::BTreeSet;
use std::env;
use std::ffi::{OsString, c_int};
use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::process::ExitCode;
use std::thread::sleep;
use std::time::{Duration, Instant};

use ktest::{
    Context, Outcome, check, ensure, errno_name, memory_outside_self, operands, option_value, pipe2, read_fd,
    set_limit, write_fd,
};
use ulib::diag::error_text;
use ulib::jobctl::{kill, setpgid};
use ulib::process::{self, Fork, exit_immediately, pid_t};

const NAME: &str = "forkbomb";
const START: &str = "start";
const EXACT_FLAG: &str = "--exact";
const KILL_FLAG: &str = "--kill";
const VALUED_OPTIONS: [&str; 4] = ["nproc", "max-depth", "children", "rounds"];
const DEFAULT_MAX_DEPTH: u32 = 5;
const DEFAULT_CHILDREN: u32 = 3;
/// The bomb counts as saturated when no fork has succeeded for this long.
const QUIET: Duration = Duration::from_secs(2);
const POLL_EVERY: Duration = Duration::from_millis(200);
/// How long after the group is gone the second measurement waits.
const SETTLE: Duration = Duration::from_secs(1);
/// What the bomb's processes write to the pipe.
const FORKED: u8 = b'+';
const FORK_FAILED: u8 = b'E';
const SETUP_FAILED: u8 = b'S';

/// What the starter was told.
#[derive(Clone, Copy)]
struct Options {
    nproc: Option<u64>,
    max_depth: u32,
    children: u32,
    exact: bool,
    /// Kill the group itself once it is saturated (`--kill`; as init).
    kill: bool,
    rounds: u32,
}

/// The most processes the shape allows: 1 + C + C^2 + ... + C^depth.
fn bound(options: &Options) -> u64 {
    let (mut total, mut level) = (0u64, 1u64);
    for _ in 0..=options.max_depth {
        total = total.saturating_add(level);
        level = level.saturating_mul(u64::from(options.children));
    }
    total
}

fn pause_forever() -> ! {
    loop {
        // SAFETY: pause has no preconditions; it returns only after a handled signal.
        unsafe { libc::pause() };
    }
}

/// One process of the bomb, at `depth` below the leader: forks until fork fails or
/// the bound is reached, in the children too, then pauses forever.
fn bomb(report: &File, mut depth: u32, options: &Options) -> ! {
    let fd = report.as_raw_fd();
    let mut forked = 0;
    while depth < options.max_depth && forked < options.children {
        match process::fork() {
            Ok(Fork::Child) => {
                depth += 1;
                forked = 0;
            }
            Ok(Fork::Parent { .. }) => {
                forked += 1;
                let _ = write_fd(fd, &[FORKED]);
            }
            Err(err) => {
                let errno = err.raw_os_error().unwrap_or(0);
                let _ = write_fd(fd, &[FORK_FAILED, u8::try_from(errno).unwrap_or(u8::MAX)]);
                break;
            }
        }
    }
    pause_forever()
}

/// The bomb's leader: its own process group, the process limit, then the bomb.
fn leader(report: &File, options: &Options) -> ! {
    let prepared = setpgid(0, 0).and_then(|()| match options.nproc {
        Some(limit) => set_limit(libc::RLIMIT_NPROC, limit, limit),
        None => Ok(()),
    });
    if let Err(err) = prepared {
        let errno = err.raw_os_error().unwrap_or(0);
        let _ = write_fd(report.as_raw_fd(), &[SETUP_FAILED, u8::try_from(errno).unwrap_or(u8::MAX)]);
        exit_immediately(1);
    }
    bomb(report, 0, options)
}

/// What the starter has read from the pipe.
#[derive(Default)]
struct Tally {
    forks: u64,
    /// The errnos of failed forks.
    failures: BTreeSet<c_int>,
    /// Why the leader could not start the bomb (setpgid or RLIMIT_NPROC failed).
    leader_failure: Option<c_int>,
    /// The tag of a two-byte message whose errno has not been read yet.
    pending: Option<u8>,
    /// The pipe's end of file: every process of the bomb is gone.
    ended: bool,
}

impl Tally {
    fn take(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            match self.pending.take() {
                Some(FORK_FAILED) => {
                    self.failures.insert(c_int::from(byte));
                }
                Some(SETUP_FAILED) => self.leader_failure = Some(c_int::from(byte)),
                Some(_) => {}
                None if byte == FORKED => self.forks += 1,
                None => self.pending = Some(byte),
            }
        }
    }

    /// Reads what the pipe holds, waiting at most `timeout`; false if nothing came.
    fn read(&mut self, reader: &File, timeout: Duration) -> Result<bool, String> {
        if self.ended {
            sleep(timeout);
            return Ok(false);
        }
        let mut poll = libc::pollfd { fd: reader.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        let millis = c_int::try_from(timeout.as_millis()).unwrap_or(c_int::MAX);
        // SAFETY: poll reads and writes the one pollfd `poll`.
        match check(unsafe { libc::poll(&mut poll, 1, millis) }) {
            Ok(0) => return Ok(false),
            Ok(_) => {}
            Err(err) if err.kind() == io::ErrorKind::Interrupted => return Ok(false),
            Err(err) => return Err(format!("poll: {}", error_text(&err))),
        }
        let mut buffer = [0; 4096];
        let count = read_fd(reader.as_raw_fd(), &mut buffer).context("read from the bomb's pipe")?;
        self.ended = count == 0;
        self.take(&buffer[..count]);
        Ok(count > 0)
    }

    /// The errnos of failed forks, by name: `EAGAIN and ENOMEM`.
    fn failure_names(&self) -> String {
        self.failures.iter().map(|&errno| errno_name(errno)).collect::<Vec<_>>().join(" and ")
    }
}

/// Reads the pipe until no fork has succeeded for [`QUIET`] (or the bomb is gone).
fn until_saturated(reader: &File, tally: &mut Tally) -> Outcome {
    let mut last_fork = Instant::now();
    while !tally.ended && last_fork.elapsed() < QUIET {
        let forks = tally.forks;
        tally.read(reader, QUIET.saturating_sub(last_fork.elapsed()))?;
        if tally.forks != forks {
            last_fork = Instant::now();
        }
    }
    Ok(())
}

/// Waits until the bomb's group `pgid` is gone, reaping every child of this
/// process (the leader; as init, the whole bomb) and draining the pipe as it goes.
/// As init it also waits until nothing is left to reap, so that no zombie keeps
/// memory when it measures.
fn until_killed(reader: &File, tally: &mut Tally, pgid: pid_t) -> Outcome {
    let is_init = std::process::id() == 1;
    loop {
        tally.read(reader, POLL_EVERY)?;
        let mut children_left = false;
        loop {
            match process::wait4(-1, libc::WNOHANG) {
                Ok(Some(_)) => {}
                Ok(None) => {
                    children_left = true;
                    break;
                }
                Err(err) if err.raw_os_error() == Some(libc::ECHILD) => break,
                Err(err) => return Err(format!("wait4: {}", error_text(&err))),
            }
        }
        match kill(-pgid, 0) {
            Ok(()) => {}
            Err(err) if err.raw_os_error() == Some(libc::ESRCH) => {
                if !is_init || !children_left {
                    return Ok(());
                }
            }
            Err(err) => return Err(format!("kill(-{pgid}, 0): {}", error_text(&err))),
        }
    }
}

/// Runs the bomb `--rounds` times; only the last round's memory figures must be
/// equal with `--exact` (the first rounds let the kernel's tables reach their
/// size, as ktest-forkloop's warm-up does).
fn start(options: &Options) -> Outcome {
    for round in 1..options.rounds {
        round_of(&Options { exact: false, ..*options })?;
        println!("forkbomb: round {round} of {} done", options.rounds);
    }
    round_of(options)
}

fn round_of(options: &Options) -> Outcome {
    let before = memory_outside_self()?;
    println!(
        "forkbomb: at most {} processes (depth {}, {} children each){}",
        bound(options),
        options.max_depth,
        options.children,
        options.nproc.map_or(String::new(), |limit| format!(", RLIMIT_NPROC {limit}"))
    );
    let (reader, writer) = pipe2(libc::O_CLOEXEC).context("pipe2")?;
    let pgid = match process::fork() {
        Ok(Fork::Child) => {
            drop(reader);
            leader(&writer, options)
        }
        Ok(Fork::Parent { child }) => child,
        Err(err) => return Err(format!("fork: {}", error_text(&err))),
    };
    drop(writer);
    // Both sides set the group, so that it exists whichever runs first. This side
    // may fail only when the leader is gone already, having failed to make it.
    let _ = setpgid(pgid, pgid);
    println!("forkbomb: bomb pgid={pgid}");

    let mut tally = Tally::default();
    until_saturated(&reader, &mut tally)?;
    let processes = tally.forks + 1;
    if let Some(errno) = tally.leader_failure {
        println!("forkbomb: the leader could not make its group or set RLIMIT_NPROC: {}", errno_name(errno));
    } else if tally.failures.is_empty() {
        println!("forkbomb: bounded at {processes} processes (the shape's limit), fork never failed");
    } else {
        println!("forkbomb: saturated with {processes} processes, fork failed with {}", tally.failure_names());
    }
    if tally.ended {
        println!("forkbomb: the bomb's processes are gone already");
    }
    if options.kill {
        println!("forkbomb: killing the group (kill -9 -{pgid})");
        kill(-pgid, libc::SIGKILL).map_err(|e| format!("kill(-{pgid}, SIGKILL): {}", error_text(&e)))?;
    } else {
        println!("forkbomb: waiting for the group to be killed (kill -9 -{pgid})");
    }
    until_killed(&reader, &mut tally, pgid)?;
    println!("forkbomb: the bomb group is gone ({} forks in all)", tally.forks);
    // The pipe was made after the first measurement: it must not count as a leak.
    drop(reader);
    sleep(SETTLE);
    let after = memory_outside_self()?;
    println!("forkbomb: memory before {before} after {after}");

    if let Some(errno) = tally.leader_failure {
        return Err(format!("the leader could not make its group or set RLIMIT_NPROC: {}", errno_name(errno)));
    }
    let unexpected: Vec<c_int> =
        tally.failures.iter().copied().filter(|&errno| errno != libc::EAGAIN && errno != libc::ENOMEM).collect();
    ensure(unexpected.is_empty(), || format!("fork failed with {}", tally.failure_names()))?;
    ensure(!options.exact || before == after, || format!("{} bytes leaked", before as i64 - after as i64))
}

fn parse(args: &[OsString]) -> Result<Options, String> {
    let usage =
        "usage: ktest-forkbomb start [--nproc N] [--max-depth D] [--children C] [--rounds R] [--exact] [--kill]";
    let words = operands(args, &VALUED_OPTIONS);
    ensure(words.len() == 1 && words[0] == START, || usage.into())?;
    let nproc = option_value(args, "nproc", 0)?;
    Ok(Options {
        nproc: (nproc > 0).then_some(nproc),
        max_depth: option_value(args, "max-depth", DEFAULT_MAX_DEPTH)?,
        children: option_value(args, "children", DEFAULT_CHILDREN)?,
        exact: args.iter().any(|arg| arg == EXACT_FLAG),
        kill: args.iter().any(|arg| arg == KILL_FLAG),
        rounds: option_value(args, "rounds", 1u32)?.max(1),
    })
}

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().collect();
    ktest::run(NAME, || start(&parse(&args)?))
}
