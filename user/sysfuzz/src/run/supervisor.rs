//! The supervisor: sets up the pool, starts the workers and watches them every
//! 100 ms (reaping the ended ones, orphans too when it is init, killing and
//! replacing those whose record stopped moving), prints progress every 2 s, and at
//! the end stops and reaps everything, puts the terminal back, cleans up, runs the
//! post-check and prints the verdict.
use std::collections::BTreeSet;
use std::ffi::{OsString, c_int};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::FileExt;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ktest::{Action, Signals, WaitStatus, pid_t, signal_name};
use sysfuzz::cli::Options;
use sysfuzz::layout::{self, ARENA_BASE, ARENA_END, GUARD_PAGE, SCRATCH_LEN};
use sysfuzz::record::{RECORD_SIZE, Record};
use sysfuzz::report;
use sysfuzz::rules::effective_nr;
use ulib::process::{self as uproc, Fork};
use ulib::term::Termios;

use super::pool::Pool;
use super::postcheck;
use super::worker::{self, Params, Worker};

/// How often the supervisor looks at the workers.
const TICK: Duration = Duration::from_millis(100);
/// How often it prints a progress line.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);
/// How long a killed worker may take to be reaped.
const KILL_GRACE: Duration = Duration::from_secs(2);
/// How long the end waits for orphans (as init) before killing them.
const ORPHAN_GRACE: Duration = Duration::from_secs(3);
/// Consecutive failed forks after which the campaign gives up.
const MAX_FORK_FAILURES: u32 = 50;

/// Set by SIGINT or SIGTERM: end the campaign early (and still check and clean up).
static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_stop(_: c_int) {
    STOP.store(true, Ordering::Relaxed);
}

/// One worker position: the current generation's process and its record file.
#[derive(Debug)]
struct Slot {
    worker: u32,
    generation: u32,
    pid: Option<pid_t>,
    record: File,
    record_path: String,
    last_index: Option<u64>,
    last_change: Instant,
    killed_at: Option<Instant>,
}

#[derive(Debug, Default)]
struct Tally {
    /// Calls of the generations that have ended.
    completed_calls: u64,
    /// Workers killed because they made no progress.
    workers_killed: u64,
    started: u64,
    exited: u64,
    signalled: u64,
    orphans: u64,
}

#[derive(Debug)]
struct Campaign<'a> {
    options: &'a Options,
    me: pid_t,
    slots: Vec<Slot>,
    tally: Tally,
    failures: Vec<String>,
    stopping: bool,
    fork_failures: u32,
}

/// The terminal's modes and foreground group at the start, which a worker's
/// ioctls may change.
struct Terminal {
    modes: Option<Termios>,
    foreground: Option<pid_t>,
}

impl Terminal {
    fn save() -> Self {
        // SAFETY: tcgetpgrp only asks about descriptor 1.
        let foreground = unsafe { libc::tcgetpgrp(1) };
        Self { modes: Termios::get(1).ok(), foreground: (foreground > 0).then_some(foreground) }
    }

    fn restore(&self) {
        if let Some(modes) = &self.modes {
            let _ = modes.set(1);
        }
        if let Some(group) = self.foreground {
            let _ = ulib::jobctl::tcsetpgrp(1, group);
        }
    }
}

/// Runs a whole campaign and prints the verdict; exit 0 for a pass.
pub fn run(options: &Options) -> ExitCode {
    let me = std::process::id() as pid_t;
    // The supervisor must go on printing whatever the workers do to the terminal
    // (a foreign foreground group, a hangup) or to shared descriptors (SIGIO).
    for signal in [libc::SIGTTOU, libc::SIGTTIN, libc::SIGHUP, libc::SIGIO, libc::SIGPIPE] {
        let _ = ktest::set_action(signal, Action::Ignore, 0, Signals::EMPTY);
    }
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let _ = ktest::set_action(signal, Action::Handle(on_stop), 0, Signals::EMPTY);
    }
    let terminal = Terminal::save();
    let calls = options.calls.map_or_else(|| "unlimited".to_owned(), |calls| calls.to_string());
    println!(
        "sysfuzz: seed={} workers={} seconds={} calls={calls} timeout_ms={} pid={me}",
        options.seed, options.workers, options.seconds, options.timeout_ms
    );
    let before = leftovers_snapshot();
    let pool = match Pool::create() {
        Ok(pool) => pool,
        Err(reason) => return ktest::run("sysfuzz", || Err(format!("setting up the pool: {reason}"))),
    };
    println!("sysfuzz: pool {}", pool.describe());
    println!(
        "sysfuzz: arena {ARENA_BASE:#x}..{ARENA_END:#x} scratch={SCRATCH_LEN} bytes guard={GUARD_PAGE:#x} \
         record=/tmp/sysfuzz-W.rec"
    );
    let mut campaign = match Campaign::new(options, me) {
        Ok(campaign) => campaign,
        Err(reason) => return ktest::run("sysfuzz", || Err(reason)),
    };
    let started = Instant::now();
    campaign.fuzz(started, &pool);
    let fuzz_time = started.elapsed();
    campaign.stop_all();
    campaign.reap_orphans();
    pool.close();
    terminal.restore();
    let calls = campaign.tally.completed_calls;
    let t = &campaign.tally;
    println!(
        "sysfuzz: workers started={} exited={} signalled={} killed_for_no_progress={} orphans_reaped={}",
        t.started, t.exited, t.signalled, t.workers_killed, t.orphans
    );
    for problem in pool.remove_files().into_iter().chain(campaign.remove_records()) {
        println!("sysfuzz: warning: {problem}");
    }
    report_leftovers(&before);
    let checked = postcheck::run();
    campaign.reap_orphans();
    let per_second = report::rate(calls, fuzz_time.as_millis() as u64);
    println!("{}", report::done_line(options.seed, calls, campaign.tally.workers_killed, per_second));
    let mut failures = campaign.failures;
    if calls == 0 {
        failures.push("no call was made".to_owned());
    }
    if let Err(reason) = checked {
        failures.push(format!("post-check: {reason}"));
    }
    ktest::run("sysfuzz", || if failures.is_empty() { Ok(()) } else { Err(failures.join("; ")) })
}

impl<'a> Campaign<'a> {
    fn new(options: &'a Options, me: pid_t) -> Result<Self, String> {
        let slots = (0..options.workers)
            .map(|worker| {
                let record_path = layout::record_path(worker);
                let record = OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .open(&record_path)
                    .map_err(|err| format!("creating {record_path}: {err}"))?;
                Ok(Slot {
                    worker,
                    generation: 0,
                    pid: None,
                    record,
                    record_path,
                    last_index: None,
                    last_change: Instant::now(),
                    killed_at: None,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Self {
            options,
            me,
            slots,
            tally: Tally::default(),
            failures: Vec::new(),
            stopping: false,
            fork_failures: 0,
        })
    }

    /// The fuzzing phase: until `--seconds` pass, `--calls` calls are made, a
    /// signal asks to stop, or forks keep failing.
    fn fuzz(&mut self, started: Instant, pool: &Pool) {
        let deadline = started + Duration::from_secs(self.options.seconds);
        let mut last_progress = started;
        for at in 0..self.slots.len() {
            self.spawn(at);
        }
        loop {
            std::thread::sleep(TICK);
            self.reap();
            let now = Instant::now();
            self.check_progress(now);
            if STOP.load(Ordering::Relaxed) {
                println!("sysfuzz: interrupted");
                break;
            }
            if now >= deadline || self.options.calls.is_some_and(|limit| self.total_calls() >= limit) {
                break;
            }
            if self.fork_failures >= MAX_FORK_FAILURES {
                self.failures.push(format!("{MAX_FORK_FAILURES} forks in a row failed"));
                break;
            }
            for at in 0..self.slots.len() {
                if self.slots[at].pid.is_none() {
                    self.spawn(at);
                }
            }
            if now.duration_since(last_progress) >= PROGRESS_EVERY {
                last_progress = now;
                let line = report::progress_line(
                    self.options.seed,
                    self.total_calls(),
                    self.tally.workers_killed,
                    now.duration_since(started).as_secs(),
                );
                println!("{line}");
                pool.truncate_file();
            }
        }
    }

    /// Starts the slot's current generation.
    fn spawn(&mut self, at: usize) {
        let slot = &mut self.slots[at];
        let _ = slot.record.set_len(0);
        let params = Params {
            seed: self.options.seed,
            worker: slot.worker,
            generation: slot.generation,
            supervisor_pid: self.me,
            record_path: Some(worker::path_buffer(&slot.record_path)),
        };
        let _ = io::stdout().flush();
        match uproc::fork() {
            Ok(Fork::Child) => Worker::set_up(params).run(),
            Ok(Fork::Parent { child }) => {
                // Also here, so that the group exists before the first kill (the
                // child may not have run yet); EACCES once it has exec'd is fine.
                // SAFETY: setpgid takes plain integers and touches no memory of ours.
                unsafe { libc::setpgid(child, child) };
                slot.pid = Some(child);
                slot.last_index = None;
                slot.last_change = Instant::now();
                slot.killed_at = None;
                self.tally.started += 1;
                self.fork_failures = 0;
            }
            Err(err) => {
                self.fork_failures += 1;
                println!("sysfuzz: fork for worker {}: {err}", slot.worker);
            }
        }
    }

    /// The record of the slot's current generation, if it has made a call.
    fn record_of(&self, slot: &Slot) -> Option<Record> {
        let mut bytes = [0; RECORD_SIZE];
        let read = slot.record.read_at(&mut bytes, 0).ok()?;
        Record::decode(&bytes[..read]).filter(|record| {
            let id = record.call.id;
            (id.seed, id.worker, id.generation) == (self.options.seed, slot.worker, slot.generation)
        })
    }

    /// Calls so far: the ended generations' and the live ones'.
    fn total_calls(&self) -> u64 {
        let live: u64 = self
            .slots
            .iter()
            .filter(|slot| slot.pid.is_some())
            .filter_map(|slot| self.record_of(slot))
            .map(|record| record.call.id.index + 1)
            .sum();
        self.tally.completed_calls + live
    }

    /// Reaps every ended child: a worker's end is counted and described; any other
    /// child is an orphan that came to init.
    fn reap(&mut self) {
        while let Ok(Some((pid, status))) = uproc::wait4(-1, libc::WNOHANG | libc::__WALL) {
            match self.slots.iter().position(|slot| slot.pid == Some(pid)) {
                Some(at) => self.finish(at, status),
                None => self.tally.orphans += 1,
            }
        }
    }

    /// The slot's worker ended with `status`.
    fn finish(&mut self, at: usize, status: WaitStatus) {
        let record = self.record_of(&self.slots[at]);
        self.tally.completed_calls += record.map_or(0, |record| record.call.id.index + 1);
        let slot = &mut self.slots[at];
        let pid = slot.pid.take().unwrap_or(0);
        let ours = slot.killed_at.take().is_some() || self.stopping;
        slot.generation += 1;
        if ours {
            return;
        }
        let how = match (status.exit_code(), status.killing_signal()) {
            (Some(code), _) => {
                self.tally.exited += 1;
                // The worker's own codes, unless its last call was an exit call.
                let exit_call = record.is_some_and(|record| {
                    matches!(effective_nr(record.call.nr) as usize, kabi::nr::EXIT | kabi::nr::EXIT_GROUP)
                });
                let meaning = worker::exit_meaning(code).filter(|_| !exit_call).map(|m| format!(" ({m})"));
                let meaning = meaning.unwrap_or_default();
                format!("exited with status {code}{meaning}")
            }
            (None, Some(signal)) => {
                self.tally.signalled += 1;
                format!("was killed by signal {signal} ({})", signal_name(signal).unwrap_or("real-time"))
            }
            (None, None) => format!("ended with wait status {:#x}", status.raw()),
        };
        println!("sysfuzz: worker {} (pid {pid}) {how}, {}", slot.worker, last_call(record));
    }

    /// Kills the workers whose record has not moved for `--timeout-ms`; gives up
    /// on those that SIGKILL did not end.
    fn check_progress(&mut self, now: Instant) {
        let timeout = Duration::from_millis(self.options.timeout_ms);
        for at in 0..self.slots.len() {
            let Some(pid) = self.slots[at].pid else { continue };
            if let Some(killed_at) = self.slots[at].killed_at {
                if now.duration_since(killed_at) >= KILL_GRACE {
                    let slot = &mut self.slots[at];
                    let waited = now.duration_since(killed_at).as_millis();
                    self.failures
                        .push(format!("worker {} (pid {pid}) still there {waited} ms after SIGKILL", slot.worker));
                    println!("sysfuzz: worker {} (pid {pid}) still there {waited} ms after SIGKILL", slot.worker);
                    slot.pid = None;
                    slot.killed_at = None;
                    slot.generation += 1;
                }
                continue;
            }
            let index = self.record_of(&self.slots[at]).map(|record| record.call.id.index);
            let slot = &mut self.slots[at];
            if index != slot.last_index {
                slot.last_index = index;
                slot.last_change = now;
            } else if now.duration_since(slot.last_change) >= timeout {
                kill_worker(pid);
                slot.killed_at = Some(now);
                self.tally.workers_killed += 1;
                let record = self.record_of(&self.slots[at]);
                let slot = &self.slots[at];
                println!(
                    "sysfuzz: worker {} (pid {pid}) made no progress for {} ms, killed; {}",
                    slot.worker,
                    now.duration_since(slot.last_change).as_millis(),
                    last_call(record)
                );
            }
        }
    }

    /// Kills every worker and reaps them.
    fn stop_all(&mut self) {
        self.stopping = true;
        for slot in &self.slots {
            if let Some(pid) = slot.pid {
                kill_worker(pid);
            }
        }
        let deadline = Instant::now() + Duration::from_millis(self.options.timeout_ms) + KILL_GRACE;
        while self.slots.iter().any(|slot| slot.pid.is_some()) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
            self.reap();
        }
        for slot in &self.slots {
            if let Some(pid) = slot.pid {
                self.failures.push(format!("worker {} (pid {pid}) did not end after SIGKILL", slot.worker));
            }
        }
    }

    /// As init, reaps the orphans that came to it, and kills those that do not end
    /// in time (kill(-1) spares init); otherwise only its own children remain,
    /// and there are none.
    fn reap_orphans(&mut self) {
        if self.me != 1 {
            return;
        }
        let start = Instant::now();
        let mut killed = false;
        loop {
            match uproc::wait4(-1, libc::WNOHANG | libc::__WALL) {
                Ok(Some(_)) => self.tally.orphans += 1,
                Ok(None) => {
                    let waited = start.elapsed();
                    if !killed && waited >= ORPHAN_GRACE {
                        // SAFETY: kill(-1) as init signals every other process.
                        unsafe { libc::kill(-1, libc::SIGKILL) };
                        killed = true;
                    } else if waited >= 2 * ORPHAN_GRACE {
                        self.failures.push("orphaned processes did not end after SIGKILL".to_owned());
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(_) => return,
            }
        }
    }

    /// Removes the record files.
    fn remove_records(&self) -> Vec<String> {
        self.slots
            .iter()
            .filter_map(|slot| {
                fs::remove_file(&slot.record_path).err().map(|err| format!("removing {}: {err}", slot.record_path))
            })
            .collect()
    }
}

/// SIGKILL to a worker's process group (its children) and to the worker itself
/// (which a call may have moved to another group). Never to a group of init's.
fn kill_worker(pid: pid_t) {
    if pid > 1 {
        // SAFETY: kill takes plain integers; `pid` is a worker's, so -pid is its group.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
            libc::kill(pid, libc::SIGKILL);
        }
    }
}

/// `last call S:W:G:I nr=... args=[...]`, or that there was none.
fn last_call(record: Option<Record>) -> String {
    match record {
        Some(record) => format!("last call {} {}", record.call.id, record.call),
        None => "before its first call".to_owned(),
    }
}

/// The entries of / and /tmp.
fn leftovers_snapshot() -> BTreeSet<OsString> {
    let mut names = BTreeSet::new();
    for dir in ["/", "/tmp"] {
        if let Ok(entries) = fs::read_dir(dir) {
            names.extend(entries.flatten().map(|entry| entry.path().into_os_string()));
        }
    }
    names
}

/// Prints what the calls left in / and /tmp (outside the workers' directory).
fn report_leftovers(before: &BTreeSet<OsString>) {
    let new: Vec<String> = leftovers_snapshot()
        .difference(before)
        .map(|path| path.to_string_lossy().into_owned())
        .filter(|path| !path.starts_with("/tmp/sysfuzz-check"))
        .collect();
    if !new.is_empty() {
        let shown: Vec<&str> = new.iter().take(10).map(String::as_str).collect();
        println!("sysfuzz: warning: {} new entries in / and /tmp: {}", new.len(), shown.join(" "));
    }
}
