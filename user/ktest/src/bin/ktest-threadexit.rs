//! ktest-threadexit: what threads mean for the whole process, as on Linux, each in
//! a forked child that the test waits for:
//! - exit_group in a second thread (the main thread in join) ends the process with
//!   its status (42);
//! - the raw exit system call in a second thread ends only that thread (tgkill to it
//!   then gives ESRCH, and /proc/self/task, where it exists, lists one thread); the
//!   main thread carries on, starts another thread, and exits 0;
//! - execve in a second thread: the new image (this program with `--noop`) reports
//!   through a pipe that its pid and its tid are the old process's pid, and that it
//!   has one thread, and its exit status 7 reaches the parent;
//! - fork in a second thread (two threads, where /proc/self/task exists): the child
//!   has one thread, gettid is its pid, it can start a thread, and it exits 0; the
//!   main thread, not the forking one, reaps it;
//! - SIGSEGV (a store to NULL) in a second thread, at the default action, kills the
//!   whole process with SIGSEGV;
//! - kill(getpid(), SIGUSR1) while the main thread blocks SIGUSR1 runs the handler
//!   in the thread that does not block it, and leaves nothing pending;
//! - tgkill delivers to the thread it names (each of three, and the main thread),
//!   and gives ESRCH for a thread named with another process's id;
//! - SIGSTOP stops both threads of a child that tick into a pipe (wait4 WUNTRACED
//!   reports it, no tick for 200 ms), SIGCONT resumes both (wait4 WCONTINUED).
//!
//! Usage: `ktest-threadexit`. It executes itself (argv[0], or /bin/argv[0]) as
//! `ktest-threadexit --noop --report-fd FD`, which writes `PID TID THREADS` to FD
//! (THREADS 0 without /proc/self/task) and exits 7.
use std::ffi::{CString, OsString, c_int, c_long};
use std::fs::{self, File};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::thread;
use std::time::Duration;
use std::{env, io};

use ktest::{
    Action, Context, Outcome, Signals, c_string, change_blocked, child_check, disable_core_dumps, ensure, expect_eq,
    expect_exit, expect_failure, expect_signal, forget_handler_thread, getpid, gettid, handler_thread, join_scoped,
    join_thread, option_value, own_path, pending_signals, pid_t, pipe, pipe2, read_fd, record_thread, set_action,
    spawn, start_scoped, start_thread, store_byte, tgkill, wait_until, wait_within, write_fd,
};
use ulib::diag::error_text;
use ulib::jobctl::kill;
use ulib::process::execve;

const NAME: &str = "threadexit";
/// The flag of the image executed by the execve check, its option, and its status.
const NOOP_FLAG: &str = "--noop";
const REPORT_FD_OPTION: &str = "report-fd";
const NOOP_STATUS: u8 = 7;
const EXIT_GROUP_STATUS: c_int = 42;
/// The status of the raw exit of one thread, which must not become the process's.
const THREAD_EXIT_STATUS: c_int = 5;
/// The longest a check waits for a child or a thread.
const LIMIT: Duration = Duration::from_secs(10);
/// How often the ticking threads write, and how long a stopped child must stay quiet.
const TICK: Duration = Duration::from_millis(2);
const QUIET: Duration = Duration::from_millis(200);
const TICKERS: [u8; 2] = *b"ab";

/// The threads of this process, if /proc/self/task exists.
fn thread_count() -> Option<usize> {
    fs::read_dir("/proc/self/task").ok().map(Iterator::count)
}

/// Forks a child that runs `check` and exits 0 if it passes.
fn child(what: &str, check: impl FnOnce() -> Outcome) -> Result<pid_t, String> {
    spawn(|| child_check(what, check))
}

/// Checks that the calling thread can still start a thread and join it.
fn can_start_threads() -> Outcome {
    let value = join_thread(start_thread(|| 6 * 7)?)?;
    ensure(value == 42, || format!("a new thread returned {value}"))
}

fn exit_group_in_thread() -> Outcome {
    let pid = child("exit_group child", || {
        let worker = start_thread(|| {
            // SAFETY: exit_group ends the whole process; nothing after it runs.
            unsafe { libc::syscall(libc::SYS_exit_group, c_long::from(EXIT_GROUP_STATUS)) };
        })?;
        let _ = worker.join();
        Err("the main thread's join returned after exit_group in another thread".into())
    })?;
    expect_exit(wait_within(pid, 0, LIMIT)?, EXIT_GROUP_STATUS)?;
    println!("exit_group(42) in a second thread while the main thread joins it: the process exited with status 42");
    Ok(())
}

/// The tid of the thread that ends itself with the raw exit.
static EXITING_TID: AtomicI32 = AtomicI32::new(0);

fn exit_in_thread() -> Outcome {
    let pid = child("exit child", || {
        let worker = start_thread(|| {
            EXITING_TID.store(gettid(), Ordering::SeqCst);
            // SAFETY: exit ends this thread only, without running the rest of std's
            // thread code: nothing will join it, and nothing it owns is used again.
            unsafe { libc::syscall(libc::SYS_exit, c_long::from(THREAD_EXIT_STATUS)) };
        })?;
        // Detached: a join would find no result, as the thread never returns.
        drop(worker);
        ensure(wait_until(LIMIT, || EXITING_TID.load(Ordering::SeqCst) != 0), || "the thread never ran".into())?;
        let tid = EXITING_TID.load(Ordering::SeqCst);
        let gone =
            wait_until(LIMIT, || tgkill(getpid(), tid, 0).is_err_and(|err| err.raw_os_error() == Some(libc::ESRCH)));
        ensure(gone, || format!("thread {tid} was still there after its exit"))?;
        expect_failure("tgkill(pid, tid, 0) of the thread that called exit", tgkill(getpid(), tid, 0), libc::ESRCH)?;
        if let Some(count) = thread_count() {
            expect_eq("threads in /proc/self/task after it", count, 1)?;
        }
        can_start_threads()
    })?;
    expect_exit(wait_within(pid, 0, LIMIT)?, 0)?;
    println!("exit(5) in a second thread ended only it: the main thread started another thread and exited 0");
    Ok(())
}

fn exec_in_thread(path: &CString) -> Outcome {
    let (mut reader, writer) = pipe().context("pipe")?;
    let argv = vec![
        path.clone(),
        c_string(NOOP_FLAG.as_bytes())?,
        c_string(format!("--{REPORT_FD_OPTION}").as_bytes())?,
        c_string(writer.as_raw_fd().to_string().as_bytes())?,
    ];
    println!(
        "execve {} in a second thread:",
        argv.iter().map(|arg| arg.to_string_lossy()).collect::<Vec<_>>().join(" ")
    );
    let pid = child("exec child", || {
        let path = path.clone();
        let worker = start_thread(move || execve(&path, &argv, &[]))?;
        let err = join_thread(worker)?;
        Err(format!("execve in a thread: {}", error_text(&err)))
    })?;
    drop(writer);
    let status = wait_within(pid, 0, LIMIT)?;
    let mut report = String::new();
    reader.read_to_string(&mut report).context("reading the new image's report")?;
    expect_exit(status, NOOP_STATUS.into())?;
    println!("the exec'd process exited with status {NOOP_STATUS}");
    let numbers: Vec<i64> = report.split_whitespace().filter_map(|word| word.parse().ok()).collect();
    let &[reported_pid, reported_tid, threads] = numbers.as_slice() else {
        return Err(format!("the new image reported {report:?}"));
    };
    expect_eq("its getpid and gettid, as the forked pid", (reported_pid, reported_tid), (pid.into(), pid.into()))?;
    if threads != 0 {
        expect_eq("threads in its /proc/self/task", threads, 1)?;
    }
    Ok(())
}

/// The image that the execve check runs: reports its pid, tid and thread count.
fn noop(args: &[OsString]) -> ExitCode {
    if let Ok(fd) = option_value(args, REPORT_FD_OPTION, -1)
        && fd >= 0
    {
        let report = format!("{} {} {}", getpid(), gettid(), thread_count().unwrap_or(0));
        let _ = write_fd(fd, report.as_bytes());
    }
    ExitCode::from(NOOP_STATUS)
}

fn fork_in_thread() -> Outcome {
    let pid = child("forking child", || {
        let worker = start_thread(|| -> Result<pid_t, String> {
            if let Some(count) = thread_count() {
                expect_eq("threads in /proc/self/task before the fork", count, 2)?;
            }
            child("child of the fork in a thread", || {
                if let Some(count) = thread_count() {
                    expect_eq("threads in /proc/self/task of the child forked in a second thread", count, 1)?;
                }
                expect_eq("its gettid is its getpid", gettid(), getpid())?;
                can_start_threads()
            })
        })?;
        let grandchild = join_thread(worker)??;
        expect_exit(wait_within(grandchild, 0, LIMIT)?, 0)?;
        println!("the main thread reaped the child that the second thread forked: exit status 0");
        Ok(())
    })?;
    expect_exit(wait_within(pid, 0, LIMIT)?, 0)
}

fn segv_in_thread() -> Outcome {
    let pid = child("SIGSEGV child", || {
        disable_core_dumps()?;
        set_action(libc::SIGSEGV, Action::Default, 0, Signals::EMPTY).context("sigaction(SIGSEGV)")?;
        // SAFETY: the store to NULL faults; SIGSEGV at its default action ends the process.
        let worker = start_thread(|| unsafe { store_byte(0) })?;
        let _ = worker.join();
        Err("the process survived its second thread's SIGSEGV".into())
    })?;
    expect_signal(wait_within(pid, 0, LIMIT)?, libc::SIGSEGV)?;
    println!("a store to NULL in a second thread: the process was killed by SIGSEGV");
    Ok(())
}

fn handle(signal: c_int) -> Outcome {
    set_action(signal, Action::Handle(record_thread), 0, Signals::EMPTY).context(format_args!("sigaction({signal})"))
}

fn process_signal_to_unblocked_thread() -> Outcome {
    let pid = child("kill child", || {
        handle(libc::SIGUSR1)?;
        let usr1 = Signals::of(&[libc::SIGUSR1]);
        change_blocked(libc::SIG_BLOCK, usr1).context("sigprocmask")?;
        let worker_tid = AtomicI32::new(0);
        thread::scope(|scope| {
            let worker = start_scoped(scope, || -> Outcome {
                change_blocked(libc::SIG_UNBLOCK, usr1).context("pthread_sigmask")?;
                worker_tid.store(gettid(), Ordering::SeqCst);
                let handled = wait_until(LIMIT, || handler_thread() != 0);
                ensure(handled, || "the process's SIGUSR1 was never handled".into())
            })?;
            let started = wait_until(LIMIT, || worker_tid.load(Ordering::SeqCst) != 0);
            ensure(started, || "the second thread never started".into())?;
            kill(getpid(), libc::SIGUSR1).context("kill(getpid(), SIGUSR1)")?;
            join_scoped(worker)?
        })?;
        expect_eq(
            "kill(getpid(), SIGUSR1), blocked in the main thread: handled in the second thread",
            handler_thread(),
            worker_tid.load(Ordering::SeqCst),
        )?;
        let pending = pending_signals().context("sigpending")?;
        ensure(!pending.contains(libc::SIGUSR1), || format!("SIGUSR1 is still pending: {pending:?}"))
    })?;
    expect_exit(wait_within(pid, 0, LIMIT)?, 0)
}

fn tgkill_to_thread() -> Outcome {
    let pid = child("tgkill child", || {
        handle(libc::SIGUSR2)?;
        let tids = [const { AtomicI32::new(0) }; 3];
        let done = AtomicBool::new(false);
        thread::scope(|scope| {
            for tid in &tids {
                let done = &done;
                start_scoped(scope, move || {
                    tid.store(gettid(), Ordering::SeqCst);
                    wait_until(LIMIT, || done.load(Ordering::SeqCst));
                })?;
            }
            let outcome = (|| {
                let started = wait_until(LIMIT, || tids.iter().all(|tid| tid.load(Ordering::SeqCst) != 0));
                ensure(started, || "the threads never started".into())?;
                let tids = tids.each_ref().map(|tid| tid.load(Ordering::SeqCst));
                for (label, target) in [("second", tids[1]), ("third", tids[2]), ("first", tids[0]), ("main", gettid())]
                {
                    forget_handler_thread();
                    tgkill(getpid(), target, libc::SIGUSR2).context("tgkill")?;
                    wait_until(LIMIT, || handler_thread() != 0);
                    let handled = handler_thread();
                    expect_eq(
                        &format!("tgkill(pid, tid, SIGUSR2) to the {label} thread: handled in"),
                        handled,
                        target,
                    )?;
                }
                // SAFETY: getppid has no preconditions and cannot fail.
                let parent = unsafe { libc::getppid() };
                expect_failure("tgkill naming a thread with the parent's pid", tgkill(parent, tids[0], 0), libc::ESRCH)
            })();
            done.store(true, Ordering::SeqCst);
            outcome
        })
    })?;
    expect_exit(wait_within(pid, 0, LIMIT)?, 0)
}

/// The ticks waiting in the non-blocking pipe `ticks`.
fn drain(ticks: &File) -> Result<Vec<u8>, String> {
    let mut all = Vec::new();
    let mut buffer = [0; 256];
    loop {
        match read_fd(ticks.as_raw_fd(), &mut buffer) {
            Ok(0) => return Ok(all),
            Ok(count) => all.extend_from_slice(&buffer[..count]),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(all),
            Err(err) => return Err(format!("reading ticks: {}", error_text(&err))),
        }
    }
}

/// Waits for a tick from each ticking thread.
fn expect_ticks(ticks: &File, when: &str) -> Outcome {
    let mut seen = [false; TICKERS.len()];
    let mut error = None;
    let all = wait_until(LIMIT, || {
        match drain(ticks) {
            Ok(bytes) => bytes.iter().for_each(|byte| seen.iter_mut().zip(TICKERS).for_each(|(s, t)| *s |= *byte == t)),
            Err(err) => error = Some(err),
        }
        error.is_some() || seen.iter().all(|&seen| seen)
    });
    if let Some(err) = error {
        return Err(err);
    }
    ensure(all, || format!("{when}: ticks seen from the threads: {seen:?}"))?;
    println!("{when}: both threads tick");
    Ok(())
}

fn stop_and_continue() -> Outcome {
    let (ticks, tick_writer) = pipe2(libc::O_NONBLOCK).context("pipe2")?;
    let (go_reader, mut go) = pipe().context("pipe")?;
    let tick_fd = tick_writer.as_raw_fd();
    let pid = child("ticking child", || {
        for tag in TICKERS {
            // The tickers run until the process exits.
            drop(start_thread(move || {
                loop {
                    let _ = write_fd(tick_fd, &[tag]);
                    thread::sleep(TICK);
                }
            })?);
        }
        let count = read_fd(go_reader.as_raw_fd(), &mut [0]).context("read")?;
        ensure(count == 1, || "the parent closed the pipe".into())
    })?;
    drop((tick_writer, go_reader));
    let outcome = (|| {
        expect_ticks(&ticks, "before SIGSTOP")?;
        kill(pid, libc::SIGSTOP).context("kill SIGSTOP")?;
        let stopped = wait_within(pid, libc::WUNTRACED, LIMIT)?;
        expect_eq("wait4 WUNTRACED after SIGSTOP: stopped by", stopped.stop_signal(), Some(libc::SIGSTOP))?;
        drain(&ticks)?;
        thread::sleep(QUIET);
        let late = drain(&ticks)?;
        ensure(late.is_empty(), || format!("ticks while stopped: {:?}", String::from_utf8_lossy(&late)))?;
        println!("no tick from either thread for {} ms while stopped", QUIET.as_millis());
        kill(pid, libc::SIGCONT).context("kill SIGCONT")?;
        let continued = wait_within(pid, libc::WCONTINUED, LIMIT)?;
        expect_eq("wait4 WCONTINUED after SIGCONT: WIFCONTINUED", libc::WIFCONTINUED(continued.raw()), true)?;
        expect_ticks(&ticks, "after SIGCONT")?;
        go.write_all(b"g").context("write to the child")
    })();
    if outcome.is_err() {
        let _ = kill(pid, libc::SIGKILL);
    }
    let status = wait_within(pid, 0, LIMIT)?;
    outcome?;
    expect_exit(status, 0)
}

fn threadexit_test(args: &[OsString]) -> Outcome {
    let path = own_path(args.first().map_or("".as_ref(), |arg| arg.as_os_str()))?;
    exit_group_in_thread()?;
    exit_in_thread()?;
    exec_in_thread(&path)?;
    fork_in_thread()?;
    segv_in_thread()?;
    process_signal_to_unblocked_thread()?;
    tgkill_to_thread()?;
    stop_and_continue()
}

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().collect();
    if args.iter().any(|arg| arg == NOOP_FLAG) {
        return noop(&args);
    }
    ktest::run(NAME, || threadexit_test(&args))
}
