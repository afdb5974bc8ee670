//! ktest-threadgroup: what the threads of one process share, as on Linux, each
//! check in a forked child that the test waits for:
//! - resource limits: setrlimit(RLIMIT_NOFILE, soft 64) in a second thread; the main
//!   thread's getrlimit then gives soft 64, and opening descriptors in the main
//!   thread fails with EMFILE once 63 is the highest one;
//! - the alarm: alarm(5) in a second thread; the main thread's getitimer(ITIMER_REAL)
//!   then shows time left, and its alarm(0) returns 4 or 5 (and cancels it);
//! - the umask and the working directory: umask(0o027) in a second thread, and the
//!   main thread's umask(0o022) returns 0o027; chdir to a scratch directory in a
//!   second thread, and the main thread's getcwd gives the second thread's, and its
//!   "." is that directory;
//! - the process's pending signals: with SIGUSR1 blocked in both threads (the second
//!   inherits the main thread's mask), kill(getpid(), SIGUSR1) leaves it pending in
//!   the sigpending(2) of both; the second thread unblocks it and the process-wide
//!   handler runs there at once, after which the main thread has nothing pending;
//! - retargeting: the second thread unblocks SIGUSR2, then blocks it again; with
//!   both blocking it, kill(getpid(), SIGUSR2) leaves it pending, and when the main
//!   thread unblocks it the handler runs in the main thread;
//! - the process group: setpgid(0, 0) in the main thread while a second thread
//!   exists; getpgid(0) in the second thread gives the new group, and kill(-pgid,
//!   SIGUSR1) runs the handler exactly once;
//! - signal handlers: SIGUSR1's handler installed with sigaction in a second thread
//!   is the one the main thread sees, and runs in it when tgkill sends it SIGUSR1.
//!
//! Usage: `ktest-threadgroup [DIR]`: DIR holds the scratch directory of the
//! working-directory check (default: TMPDIR or /tmp).
use std::ffi::c_int;
use std::fs;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};
use std::thread;
use std::time::Duration;
use std::{env, io, mem};

use ktest::{
    Action, Context, Outcome, Scratch, Signals, change_blocked, child_check, current_handler, ensure, expect_eq,
    expect_exit, expect_failure, forget_handler_thread, get_limit, getpid, gettid, handler_thread, join_scoped,
    open_fd, pending_signals, pid_t, record_thread, set_action, set_limit, set_umask, spawn, start_scoped, tgkill,
    wait_until, wait_within,
};
use ulib::jobctl::{kill, setpgid};

const NAME: &str = "threadgroup";
/// The soft RLIMIT_NOFILE that the second thread sets.
const FILE_LIMIT: u64 = 64;
/// The most descriptors the limit check opens before it gives up.
const MAX_OPENS: usize = 1_000;
/// The alarm that the second thread sets, in seconds.
const ALARM_SECONDS: u32 = 5;
const THREAD_UMASK: libc::mode_t = 0o027;
const MAIN_UMASK: libc::mode_t = 0o022;
/// The longest one thread waits for another, or a handler to run.
const STEP: Duration = Duration::from_secs(2);
/// The longest the test waits for a child.
const LIMIT: Duration = Duration::from_secs(10);
/// How long the process-group check waits for a second run of the handler.
const QUIET: Duration = Duration::from_millis(200);

/// Forks a child that runs `check` and exits 0 if it passes, and waits for it.
fn in_child(what: &str, check: impl FnOnce() -> Outcome) -> Outcome {
    let pid = spawn(|| child_check(what, check))?;
    expect_exit(wait_within(pid, 0, LIMIT)?, 0).map_err(|reason| format!("{what}: {reason}"))
}

/// Runs `body` in a second thread and gives its value once the thread has ended.
fn in_second_thread<T: Send>(body: impl FnOnce() -> T + Send) -> Result<T, String> {
    thread::scope(|scope| join_scoped(start_scoped(scope, body)?))
}

/// Waits for the second thread to move `step` to `value` (or past it).
fn wait_for_step(step: &AtomicU32, value: u32, what: &str) -> Outcome {
    ensure(wait_until(STEP, || step.load(Ordering::SeqCst) >= value), || format!("the second thread never {what}"))
}

/// Waits for the main thread to move `step` to `value` (or past it), from the
/// second thread.
fn wait_for_main(step: &AtomicU32, value: u32, what: &str) -> Outcome {
    ensure(wait_until(STEP, || step.load(Ordering::SeqCst) >= value), || format!("the main thread never {what}"))
}

/// Waits for [`record_thread`] to run somewhere: the thread it ran in.
fn wait_for_handler(signal: &str) -> Result<pid_t, String> {
    ensure(wait_until(STEP, || handler_thread() != 0), || format!("the handler of {signal} never ran"))?;
    Ok(handler_thread())
}

fn handle(signal: c_int, name: &str) -> Outcome {
    set_action(signal, Action::Handle(record_thread), 0, Signals::EMPTY).context(format_args!("sigaction({name})"))
}

fn file_limit() -> Outcome {
    in_child("file limit child", || {
        let before = get_limit(libc::RLIMIT_NOFILE).context("getrlimit RLIMIT_NOFILE")?;
        ensure(before.hard >= FILE_LIMIT, || format!("RLIMIT_NOFILE is only {before}"))?;
        in_second_thread(|| set_limit(libc::RLIMIT_NOFILE, FILE_LIMIT, before.hard))?
            .context("setrlimit RLIMIT_NOFILE in the second thread")?;
        let after = get_limit(libc::RLIMIT_NOFILE).context("getrlimit RLIMIT_NOFILE")?;
        expect_eq(
            "setrlimit(RLIMIT_NOFILE, soft 64) in a second thread: the main thread's soft limit",
            after.soft,
            64,
        )?;
        let mut opened: Vec<OwnedFd> = Vec::new();
        let failure = loop {
            ensure(opened.len() < MAX_OPENS, || format!("{MAX_OPENS} descriptors opened under a limit of 64"))?;
            match open_fd("/", libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC, 0) {
                Ok(fd) => opened.push(fd),
                Err(err) => break err,
            }
        };
        let highest = opened.iter().map(AsRawFd::as_raw_fd).max().unwrap_or(-1);
        expect_eq("the highest descriptor the main thread could open", highest, 63)?;
        expect_failure("the next open in the main thread", Err::<(), _>(failure), libc::EMFILE)
    })
}

/// getitimer(ITIMER_REAL): the time left until the alarm, in microseconds.
fn real_timer_left() -> io::Result<i64> {
    // SAFETY: struct itimerval is plain integers, so all-zero bytes are a valid value.
    let mut timer: libc::itimerval = unsafe { mem::zeroed() };
    // SAFETY: getitimer writes one struct itimerval into the valid, writable `timer`.
    ktest::check(unsafe { libc::getitimer(libc::ITIMER_REAL, &mut timer) })?;
    Ok(timer.it_value.tv_sec * 1_000_000 + timer.it_value.tv_usec)
}

/// alarm(2): sets (0: cancels) the alarm, and returns the seconds the old one had left.
fn alarm(seconds: u32) -> u32 {
    // SAFETY: alarm only changes the process's ITIMER_REAL; it cannot fail.
    unsafe { libc::alarm(seconds) }
}

fn shared_alarm() -> Outcome {
    in_child("alarm child", || {
        let earlier = in_second_thread(|| alarm(ALARM_SECONDS))?;
        expect_eq("alarm(5) in a second thread: the earlier alarm's seconds", earlier, 0)?;
        let left = real_timer_left().context("getitimer(ITIMER_REAL)")?;
        ensure(left > 0 && left <= i64::from(ALARM_SECONDS) * 1_000_000, || {
            format!("getitimer(ITIMER_REAL) in the main thread: {left} µs left")
        })?;
        println!("getitimer(ITIMER_REAL) in the main thread: time left, up to 5 s");
        let seconds = alarm(0);
        ensure(seconds == ALARM_SECONDS || seconds == ALARM_SECONDS - 1, || {
            format!("alarm(0) in the main thread returned {seconds}, not 4 or 5")
        })?;
        println!("alarm(0) in the main thread: the alarm had 4 or 5 seconds left");
        expect_eq("getitimer(ITIMER_REAL) after alarm(0): µs left", real_timer_left().context("getitimer")?, 0)
    })
}

/// getcwd(2).
fn current_dir() -> Result<PathBuf, String> {
    env::current_dir().context("getcwd")
}

fn shared_umask_and_cwd() -> Outcome {
    in_child("umask child", || {
        let earlier = in_second_thread(|| set_umask(THREAD_UMASK))?;
        println!("umask(0o027) in a second thread (the mask was {earlier:#o})");
        let old = set_umask(MAIN_UMASK);
        ensure(old == THREAD_UMASK, || format!("umask(0o022) in the main thread returned {old:#o}, not 0o27"))?;
        println!("umask(0o022) in the main thread: the old mask {old:#o}");
        Ok(())
    })?;
    let scratch = Scratch::create(NAME)?;
    in_child("cwd child", || {
        let seen_there = in_second_thread(|| -> Result<PathBuf, String> {
            env::set_current_dir(scratch.path()).context(format_args!("chdir {}", scratch.path().display()))?;
            current_dir()
        })??;
        println!("chdir to the scratch directory in a second thread: its getcwd {}", seen_there.display());
        expect_eq("getcwd in the main thread", current_dir()?, seen_there)?;
        let here = fs::metadata(".").context("stat .")?;
        let scratch = fs::metadata(scratch.path()).context("stat the scratch directory")?;
        expect_eq(
            "the main thread's \".\" is the scratch directory",
            (here.dev(), here.ino()),
            (scratch.dev(), scratch.ino()),
        )
    })?;
    scratch.remove()
}

fn pending_in_both_threads() -> Outcome {
    in_child("pending child", || {
        handle(libc::SIGUSR1, "SIGUSR1")?;
        forget_handler_thread();
        let usr1 = Signals::of(&[libc::SIGUSR1]);
        change_blocked(libc::SIG_BLOCK, usr1).context("sigprocmask")?;
        // 1: the second thread started; 2: SIGUSR1 sent; 3: the second thread saw it
        // pending; 4: it may unblock SIGUSR1.
        let step = AtomicU32::new(0);
        let second_tid = AtomicI32::new(0);
        thread::scope(|scope| {
            let second = start_scoped(scope, || -> Outcome {
                second_tid.store(gettid(), Ordering::SeqCst);
                step.store(1, Ordering::SeqCst);
                wait_for_main(&step, 2, "sent SIGUSR1")?;
                let pending = pending_signals().context("sigpending in the second thread")?;
                ensure(pending.contains(libc::SIGUSR1), || {
                    format!("sigpending in the second thread: {pending:?}, without SIGUSR1")
                })?;
                step.store(3, Ordering::SeqCst);
                wait_for_main(&step, 4, "let the second thread go on")?;
                change_blocked(libc::SIG_UNBLOCK, usr1).context("pthread_sigmask in the second thread")?;
                let _ = wait_for_handler("SIGUSR1");
                Ok(())
            })?;
            let outcome = (|| {
                wait_for_step(&step, 1, "started")?;
                kill(getpid(), libc::SIGUSR1).context("kill(getpid(), SIGUSR1)")?;
                let pending = pending_signals().context("sigpending")?;
                ensure(pending.contains(libc::SIGUSR1), || {
                    format!("sigpending in the main thread: {pending:?}, without SIGUSR1")
                })?;
                step.store(2, Ordering::SeqCst);
                wait_for_step(&step, 3, "saw SIGUSR1 pending")?;
                println!("kill(getpid(), SIGUSR1), blocked in both threads: pending in the sigpending of both");
                expect_eq("the thread SIGUSR1 was handled in so far (0: none)", handler_thread(), 0)
            })();
            step.store(4, Ordering::SeqCst);
            let second = join_scoped(second)?;
            outcome?;
            second
        })?;
        let handled = wait_for_handler("SIGUSR1")?;
        expect_eq(
            "the second thread unblocked SIGUSR1: handled in the second thread",
            handled,
            second_tid.load(Ordering::SeqCst),
        )?;
        let pending = pending_signals().context("sigpending")?;
        ensure(!pending.contains(libc::SIGUSR1), || {
            format!("SIGUSR1 is still pending in the main thread: {pending:?}")
        })?;
        println!("afterwards nothing is pending in the main thread");
        Ok(())
    })
}

fn retargeted_to_main() -> Outcome {
    in_child("retarget child", || {
        handle(libc::SIGUSR2, "SIGUSR2")?;
        forget_handler_thread();
        let usr2 = Signals::of(&[libc::SIGUSR2]);
        change_blocked(libc::SIG_BLOCK, usr2).context("sigprocmask")?;
        // 1: the second thread unblocked SIGUSR2; 2: it blocked it again; 3: the main
        // thread is done.
        let step = AtomicU32::new(0);
        thread::scope(|scope| {
            let second = start_scoped(scope, || -> Outcome {
                change_blocked(libc::SIG_UNBLOCK, usr2).context("pthread_sigmask in the second thread")?;
                step.store(1, Ordering::SeqCst);
                change_blocked(libc::SIG_BLOCK, usr2).context("pthread_sigmask in the second thread")?;
                step.store(2, Ordering::SeqCst);
                let _ = wait_for_main(&step, 3, "finished");
                Ok(())
            })?;
            let outcome = (|| {
                wait_for_step(&step, 1, "unblocked SIGUSR2")?;
                wait_for_step(&step, 2, "blocked SIGUSR2 again")?;
                kill(getpid(), libc::SIGUSR2).context("kill(getpid(), SIGUSR2)")?;
                let pending = pending_signals().context("sigpending")?;
                ensure(pending.contains(libc::SIGUSR2), || {
                    format!("sigpending in the main thread: {pending:?}, without SIGUSR2")
                })?;
                expect_eq("the thread SIGUSR2 was handled in so far (0: none)", handler_thread(), 0)?;
                println!("kill(getpid(), SIGUSR2), blocked in both threads: pending");
                change_blocked(libc::SIG_UNBLOCK, usr2).context("sigprocmask")?;
                let handled = wait_for_handler("SIGUSR2")?;
                expect_eq("the main thread unblocked SIGUSR2: handled in the main thread", handled, gettid())?;
                let pending = pending_signals().context("sigpending")?;
                ensure(!pending.contains(libc::SIGUSR2), || format!("SIGUSR2 is still pending: {pending:?}"))
            })();
            step.store(3, Ordering::SeqCst);
            join_scoped(second)??;
            outcome
        })
    })
}

/// How many times [`count_signal`] has run.
static HANDLED: AtomicU32 = AtomicU32::new(0);

/// A signal handler that counts its runs (async-signal-safe: an atomic add).
extern "C" fn count_signal(_signal: c_int) {
    HANDLED.fetch_add(1, Ordering::SeqCst);
}

/// getpgid(0): the calling process's group.
fn own_group() -> io::Result<pid_t> {
    // SAFETY: getpgid takes an integer and touches no memory.
    ktest::check(unsafe { libc::getpgid(0) })
}

fn process_group() -> Outcome {
    in_child("process group child", || {
        set_action(libc::SIGUSR1, Action::Handle(count_signal), 0, Signals::EMPTY).context("sigaction(SIGUSR1)")?;
        let before = own_group().context("getpgid(0)")?;
        println!("the child's group before setpgid: {}", if before == getpid() { "its own" } else { "its parent's" });
        // 1: the second thread started; 2: the main thread called setpgid.
        let step = AtomicU32::new(0);
        let group_there = thread::scope(|scope| {
            let second = start_scoped(scope, || -> Result<pid_t, String> {
                step.store(1, Ordering::SeqCst);
                wait_for_main(&step, 2, "called setpgid")?;
                own_group().context("getpgid(0) in the second thread")
            })?;
            let outcome = wait_for_step(&step, 1, "started").and_then(|()| setpgid(0, 0).context("setpgid(0, 0)"));
            step.store(2, Ordering::SeqCst);
            let group = join_scoped(second)?;
            outcome?;
            group
        })?;
        expect_eq(
            "setpgid(0, 0) in the main thread: getpgid(0) in the second thread is the pid",
            group_there,
            getpid(),
        )?;
        let group = own_group().context("getpgid(0)")?;
        expect_eq("getpgid(0) in the main thread is the pid", group, getpid())?;
        kill(-group, libc::SIGUSR1).context("kill(-pgid, SIGUSR1)")?;
        let ran = wait_until(STEP, || HANDLED.load(Ordering::SeqCst) > 0);
        ensure(ran, || "kill(-pgid, SIGUSR1): the handler never ran".into())?;
        thread::sleep(QUIET);
        expect_eq("kill(-pgid, SIGUSR1): runs of the handler", HANDLED.load(Ordering::SeqCst), 1)
    })
}

/// The name of a handler for messages: `record_thread`, `SIG_DFL`, or an address.
fn handler_name(handler: libc::sighandler_t) -> String {
    match handler {
        libc::SIG_DFL => "SIG_DFL".into(),
        libc::SIG_IGN => "SIG_IGN".into(),
        _ if handler == record_thread as *const () as libc::sighandler_t => "record_thread".into(),
        _ => format!("{handler:#x}"),
    }
}

fn handler_from_second_thread() -> Outcome {
    in_child("handler child", || {
        set_action(libc::SIGUSR1, Action::Default, 0, Signals::EMPTY).context("sigaction(SIGUSR1)")?;
        forget_handler_thread();
        // 1: the second thread installed the handler; 2: the main thread is done.
        let step = AtomicU32::new(0);
        thread::scope(|scope| {
            let second = start_scoped(scope, || -> Outcome {
                let installed = handle(libc::SIGUSR1, "SIGUSR1 in the second thread");
                step.store(1, Ordering::SeqCst);
                installed?;
                let _ = wait_for_main(&step, 2, "finished");
                Ok(())
            })?;
            let outcome = (|| {
                wait_for_step(&step, 1, "installed the handler")?;
                let handler = current_handler(libc::SIGUSR1).context("sigaction(SIGUSR1) in the main thread")?;
                expect_eq(
                    "sigaction in a second thread: SIGUSR1's handler in the main thread",
                    handler_name(handler),
                    "record_thread".into(),
                )?;
                tgkill(getpid(), gettid(), libc::SIGUSR1).context("tgkill to the main thread")?;
                let handled = wait_for_handler("SIGUSR1")?;
                expect_eq("tgkill(pid, main tid, SIGUSR1): handled in the main thread", handled, gettid())
            })();
            step.store(2, Ordering::SeqCst);
            join_scoped(second)??;
            outcome
        })
    })
}

fn threadgroup_test() -> Outcome {
    file_limit()?;
    shared_alarm()?;
    shared_umask_and_cwd()?;
    pending_in_both_threads()?;
    retargeted_to_main()?;
    process_group()?;
    handler_from_second_thread()
}

fn main() -> ExitCode {
    ktest::run(NAME, threadgroup_test)
}
