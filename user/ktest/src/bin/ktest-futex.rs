//! ktest-futex: futex(2) itself, through the raw system call between std threads
//! (AtomicU32 futex words), as Linux gives it:
//! - FUTEX_WAIT (and _PRIVATE, and WAIT_BITSET) expecting a value the word does not
//!   hold fails with EAGAIN at once; FUTEX_WAIT with a relative timeout fails with
//!   ETIMEDOUT no earlier than the timeout;
//! - FUTEX_WAKE of 2 with 4 waiters returns 2 and 2 threads wake while the others
//!   sleep on, until a wake of all returns the other 2;
//! - FUTEX_WAIT_BITSET/FUTEX_WAKE_BITSET: a wake with bits no waiter has wakes none,
//!   and each waiter wakes only for its own bits; WAIT_BITSET's timeout is absolute on
//!   CLOCK_MONOTONIC (in the past: ETIMEDOUT at once; 100 ms ahead: ETIMEDOUT when
//!   the clock has passed it), or on CLOCK_REALTIME with FUTEX_CLOCK_REALTIME;
//! - FUTEX_REQUEUE wakes 1 of 3 waiters and moves the others to a second word, where
//!   a FUTEX_WAKE finds them (none are left on the first); FUTEX_CMP_REQUEUE fails
//!   with EAGAIN when the word does not hold the value given, and moves waiters
//!   when it does;
//! - FUTEX_WAKE_OP with FUTEX_OP_ADD 1 and FUTEX_OP_CMP_GT 0: the second word goes
//!   0, 1, 2, and its waiter wakes only on the second call, when the old value was
//!   greater than 0; each call wakes 1 waiter of the first word;
//! - a handled signal without SA_RESTART (tgkill to the waiting thread) ends its
//!   FUTEX_WAIT with EINTR, the handler running in that thread;
//! - FUTEX_WAIT_PRIVATE/FUTEX_WAKE_PRIVATE between threads;
//! - errors: unknown operations (99, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, a WAKE_OP
//!   operation 7, which leaves the second word alone) are ENOSYS; bitset 0, a
//!   timeout of 10^9 ns and unaligned words are EINVAL; NULL is EFAULT (for the
//!   waits the word's value does not match, so a kernel that skips a check fails the
//!   test rather than hanging it);
//! - set_robust_list with a length other than 24 is EINVAL, get_robust_list of an
//!   unknown thread ESRCH; a thread that registers its own robust list (head, a lock
//!   word holding its tid with FUTEX_WAITERS, and a free lock after it) and exits
//!   without unlocking: get_robust_list(0) gave back its head, and the main thread,
//!   asleep in FUTEX_WAIT on the held word, wakes to find FUTEX_OWNER_DIED set and
//!   the tid cleared (FUTEX_WAITERS kept), the free lock untouched.
//!
//! Where waiters must be asleep before a wake, the test waits a little after they
//! start; wakes are repeated until the expected number of waiters has been woken,
//! and a check that cannot be repeated is run again with more time if a waiter was
//! late. Every wait is bounded, so a missing wake fails the test instead of hanging it.
//!
//! Usage: `ktest-futex`.
use std::ffi::{c_int, c_long};
use std::mem::offset_of;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicI64, AtomicPtr, AtomicU32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use std::{io, ptr, thread};

use ktest::{
    Action, Context, Outcome, Signals, check, ensure, expect_eq, expect_failure, getpid, gettid, handler_thread,
    join_scoped, pid_t, record_thread, set_action, start_scoped, tgkill, wait_until,
};
use libc::{
    FUTEX_CLOCK_REALTIME, FUTEX_CMP_REQUEUE, FUTEX_OP_ADD, FUTEX_OP_CMP_GT, FUTEX_OWNER_DIED, FUTEX_PRIVATE_FLAG,
    FUTEX_REQUEUE, FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_WAITERS, FUTEX_WAKE, FUTEX_WAKE_BITSET, FUTEX_WAKE_OP,
};
use ulib::diag::error_text;

const NAME: &str = "futex";
const FUTEX_WAIT_PRIVATE: c_int = FUTEX_WAIT | FUTEX_PRIVATE_FLAG;
const FUTEX_WAKE_PRIVATE: c_int = FUTEX_WAKE | FUTEX_PRIVATE_FLAG;
/// The bitset of plain FUTEX_WAIT and FUTEX_WAKE (FUTEX_BITSET_MATCH_ANY).
const MATCH_ANY: u32 = u32::MAX;
/// A count meaning all waiters (INT_MAX).
const ALL: u32 = i32::MAX as u32;
/// What [`release`] stores in a word so that late waiters do not sleep.
const RELEASED: u32 = 0xdead;
/// A waiter's own timeout: a wake that never comes fails the test instead of hanging it.
const WAITER_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest the test waits for threads to get somewhere, or for a wait to end.
const LIMIT: Duration = Duration::from_secs(5);
/// How long "at once" may take.
const PROMPT: Duration = Duration::from_secs(1);
/// How long waiters get, after they start, to fall asleep in the kernel (doubled on
/// each new attempt of a check that found one late).
const SETTLE: Duration = Duration::from_millis(50);
const ATTEMPTS: u32 = 5;
/// The timeouts that the timeout checks wait for.
const TIMEOUT: Duration = Duration::from_millis(100);
/// How often the EINTR check signals the waiting thread until its wait ends.
const SIGNAL_INTERVAL: Duration = Duration::from_millis(20);

/// futex(2), the raw system call. `arg4` is the timeout pointer of the waits, the
/// number of waiters to move (requeue) or to wake on `word2` (wake-op).
fn futex(word: *const u32, op: c_int, value: u32, arg4: usize, word2: *const u32, value3: u32) -> io::Result<c_long> {
    // SAFETY: the words are live AtomicU32s, which the kernel may read and change
    // like any other thread (or deliberately bad addresses that it must refuse), and
    // `arg4` is a count or the address of a timespec that outlives the call.
    check(unsafe {
        libc::syscall(libc::SYS_futex, word, c_long::from(op), c_long::from(value), arg4, word2, c_long::from(value3))
    })
}

/// A wait (`op`: FUTEX_WAIT or FUTEX_WAIT_BITSET, with flags) on `word` while it
/// holds `expected`.
fn wait(
    word: &AtomicU32,
    op: c_int,
    expected: u32,
    timeout: Option<&libc::timespec>,
    bitset: u32,
) -> io::Result<c_long> {
    let timeout = timeout.map_or(0, |timeout| ptr::from_ref(timeout).expose_provenance());
    futex(word.as_ptr(), op, expected, timeout, ptr::null(), bitset)
}

/// A wake (`op`: FUTEX_WAKE or FUTEX_WAKE_BITSET, with flags) of up to `count` waiters.
fn wake(word: &AtomicU32, op: c_int, count: u32, bitset: u32) -> io::Result<c_long> {
    futex(word.as_ptr(), op, count, 0, ptr::null(), bitset)
}

/// FUTEX_REQUEUE or FUTEX_CMP_REQUEUE (`op`): wakes up to `wake` waiters of `word`
/// and moves up to `requeue` others to `word2` (CMP: only if `word` holds `expected`).
fn requeue(
    word: &AtomicU32,
    op: c_int,
    wake: u32,
    requeue: u32,
    word2: &AtomicU32,
    expected: u32,
) -> io::Result<c_long> {
    futex(word.as_ptr(), op, wake, requeue as usize, word2.as_ptr(), expected)
}

/// FUTEX_WAKE_OP: applies `operation` to `word2`, wakes up to `wake` waiters of
/// `word`, and up to `wake2` of `word2` if the comparison held for its old value.
fn wake_op(word: &AtomicU32, wake: u32, word2: &AtomicU32, wake2: u32, operation: u32) -> io::Result<c_long> {
    futex(word.as_ptr(), FUTEX_WAKE_OP, wake, wake2 as usize, word2.as_ptr(), operation)
}

/// FUTEX_OP for FUTEX_WAKE_OP's last argument.
fn wake_operation(op: c_int, oparg: c_int, cmp: c_int, cmparg: c_int) -> u32 {
    libc::FUTEX_OP(op, oparg, cmp, cmparg) as u32
}

fn timespec(time: Duration) -> libc::timespec {
    let seconds = i64::try_from(time.as_secs()).unwrap_or(i64::MAX);
    libc::timespec { tv_sec: seconds, tv_nsec: time.subsec_nanos().into() }
}

fn clock_now(clock: libc::clockid_t) -> Result<Duration, String> {
    let mut now = timespec(Duration::ZERO);
    // SAFETY: clock_gettime writes one timespec into `now`.
    check(unsafe { libc::clock_gettime(clock, &mut now) }).context("clock_gettime")?;
    Ok(Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
}

/// FUTEX_WAIT for at most WAITER_TIMEOUT (`op` may add FUTEX_PRIVATE_FLAG).
fn wait_bounded(word: &AtomicU32, op: c_int, expected: u32) -> io::Result<c_long> {
    wait(word, op, expected, Some(&timespec(WAITER_TIMEOUT)), MATCH_ANY)
}

/// FUTEX_WAIT_BITSET for `bitset`, until WAITER_TIMEOUT from now on CLOCK_MONOTONIC.
fn wait_bitset_bounded(word: &AtomicU32, expected: u32, bitset: u32) -> io::Result<c_long> {
    let deadline = clock_now(libc::CLOCK_MONOTONIC).map_err(io::Error::other)? + WAITER_TIMEOUT;
    wait(word, FUTEX_WAIT_BITSET, expected, Some(&timespec(deadline)), bitset)
}

/// Ends every wait on `words`: a value no waiter expects (so a late one does not
/// sleep), then a shared and a private wake of all.
fn release(words: &[&AtomicU32]) {
    for word in words {
        word.store(RELEASED, Ordering::SeqCst);
        let _ = wake(word, FUTEX_WAKE, ALL, MATCH_ANY);
        let _ = wake(word, FUTEX_WAKE_PRIVATE, ALL, MATCH_ANY);
    }
}

/// A waiter thread's futex call.
type Call<'env> = Box<dyn FnOnce() -> io::Result<c_long> + Send + 'env>;

fn call<'env>(call: impl FnOnce() -> io::Result<c_long> + Send + 'env) -> Call<'env> {
    Box::new(call)
}

/// What the waiter threads of [`with_waiters`] have done: how many have started,
/// and each one's result once its call has returned.
struct Waiters {
    started: AtomicUsize,
    /// The result (a count, or minus the errno) of each waiter, NOT_YET before.
    results: Vec<AtomicI64>,
}

impl Waiters {
    const NOT_YET: i64 = i64::MIN;

    /// Waits until `count` waiters have started, then `settle` longer, so that they
    /// are asleep in the kernel.
    fn settle(&self, count: usize, settle: Duration) -> Outcome {
        let started = wait_until(LIMIT, || self.started.load(Ordering::SeqCst) >= count);
        ensure(started, || format!("{count} waiter threads did not all start"))?;
        thread::sleep(settle);
        Ok(())
    }

    /// The result of waiter `index`'s call, if it has returned.
    fn result(&self, index: usize) -> Option<Result<c_long, c_int>> {
        match self.results[index].load(Ordering::SeqCst) {
            Self::NOT_YET => None,
            result if result < 0 => Some(Err(-result as c_int)),
            result => Some(Ok(result)),
        }
    }

    fn returned(&self) -> usize {
        (0..self.results.len()).filter(|&index| self.result(index).is_some()).count()
    }

    /// Waits until `count` waiters' calls have returned.
    fn await_returned(&self, count: usize) -> Outcome {
        let returned = wait_until(LIMIT, || self.returned() >= count);
        ensure(returned, || format!("{} waiters returned, not {count}", self.returned()))
    }

    /// Checks, after a moment, that exactly `count` waiters have returned.
    fn expect_returned(&self, what: &str, count: usize) -> Outcome {
        self.await_returned(count)?;
        thread::sleep(SETTLE);
        expect_eq(what, self.returned(), count)
    }
}

/// Runs `steps` while a thread per call makes its call; then releases `words`, so
/// that every waiter returns, and joins them. Gives what `steps` gave and each call's
/// result.
fn with_waiters<'env, T>(
    words: &[&AtomicU32],
    calls: Vec<Call<'env>>,
    steps: impl FnOnce(&Waiters) -> Result<T, String>,
) -> Result<(T, Vec<io::Result<c_long>>), String> {
    let waiters = Waiters {
        started: AtomicUsize::new(0),
        results: calls.iter().map(|_| AtomicI64::new(Waiters::NOT_YET)).collect(),
    };
    thread::scope(|scope| {
        let handles = calls
            .into_iter()
            .enumerate()
            .map(|(index, call)| {
                let waiters = &waiters;
                start_scoped(scope, move || {
                    waiters.started.fetch_add(1, Ordering::SeqCst);
                    let result = call();
                    let code = match &result {
                        Ok(count) => *count,
                        Err(err) => -i64::from(err.raw_os_error().unwrap_or(libc::EINVAL)),
                    };
                    waiters.results[index].store(code, Ordering::SeqCst);
                    result
                })
            })
            .collect::<Result<Vec<_>, _>>();
        let outcome = match &handles {
            Ok(_) => steps(&waiters),
            Err(err) => Err(err.clone()),
        };
        release(words);
        let results = handles?.into_iter().map(join_scoped).collect::<Result<Vec<_>, _>>()?;
        Ok((outcome?, results))
    })
}

/// Checks that every waiter's call returned 0: woken.
fn all_woken(what: &str, results: Vec<io::Result<c_long>>) -> Outcome {
    for (index, result) in results.into_iter().enumerate() {
        let result = result.context(format_args!("{what}: waiter {index}"))?;
        ensure(result == 0, || format!("{what}: waiter {index}'s wait returned {result}"))?;
    }
    Ok(())
}

/// Calls `wake` (given how many the calls have woken or moved so far) until their
/// results add up to `expected`, as a waiter may not have been asleep at the first
/// call; fails if they add up to more, or do not get there within LIMIT.
fn wake_until(what: &str, expected: c_long, mut wake: impl FnMut(c_long) -> io::Result<c_long>) -> Outcome {
    let mut total = 0;
    let mut error = None;
    wait_until(LIMIT, || match wake(total) {
        Ok(count) => {
            total += count;
            total >= expected
        }
        Err(err) => {
            error = Some(err);
            true
        }
    });
    if let Some(err) = error {
        return Err(format!("{what}: {}", error_text(&err)));
    }
    expect_eq(what, total, expected)
}

/// Runs `attempt` with a settling time that doubles each time it finds that a
/// waiter was not asleep in time (it returns Ok(false)).
fn with_retries(what: &str, mut attempt: impl FnMut(Duration) -> Result<bool, String>) -> Outcome {
    let mut settle = SETTLE;
    for _ in 0..ATTEMPTS {
        if attempt(settle)? {
            return Ok(());
        }
        println!("{what}: a waiter was not asleep in time; again, letting them settle longer");
        settle *= 2;
    }
    Err(format!("{what}: waiters were not asleep in time in {ATTEMPTS} attempts"))
}

/// Makes a wait on `word` in this thread and gives its result and how long it
/// took; a watchdog thread wakes `word` if it has not returned within LIMIT, and
/// the check fails.
fn watched(
    word: &AtomicU32,
    call: impl FnOnce() -> io::Result<c_long>,
) -> Result<(io::Result<c_long>, Duration), String> {
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        let watchdog = start_scoped(scope, || {
            let returned = wait_until(LIMIT, || done.load(Ordering::SeqCst));
            if !returned {
                release(&[word]);
            }
            returned
        })?;
        let started = Instant::now();
        let result = call();
        let took = started.elapsed();
        done.store(true, Ordering::SeqCst);
        let returned = join_scoped(watchdog)?;
        ensure(returned, || format!("the wait had not returned after {LIMIT:?}"))?;
        Ok((result, took))
    })
}

fn wrong_value() -> Outcome {
    let word = AtomicU32::new(1);
    for (op, name) in [(FUTEX_WAIT, "FUTEX_WAIT"), (FUTEX_WAIT_PRIVATE, "FUTEX_WAIT_PRIVATE")] {
        let (result, took) = watched(&word, || wait(&word, op, 0, None, MATCH_ANY))?;
        expect_failure(&format!("{name} for 0 on a word holding 1"), result, libc::EAGAIN)?;
        ensure(took < PROMPT, || format!("{name} took {took:?} to fail"))?;
    }
    let (result, took) = watched(&word, || wait_bitset_bounded(&word, 0, MATCH_ANY))?;
    expect_failure("FUTEX_WAIT_BITSET for 0 on a word holding 1", result, libc::EAGAIN)?;
    ensure(took < PROMPT, || format!("FUTEX_WAIT_BITSET took {took:?} to fail"))
}

fn relative_timeout() -> Outcome {
    let word = AtomicU32::new(0);
    let (result, took) = watched(&word, || wait(&word, FUTEX_WAIT, 0, Some(&timespec(TIMEOUT)), MATCH_ANY))?;
    expect_failure("FUTEX_WAIT with a relative timeout of 100 ms", result, libc::ETIMEDOUT)?;
    ensure(took >= TIMEOUT, || format!("the 100 ms timeout ended the wait after {took:?}"))?;
    println!("... after {} ms", took.as_millis());
    Ok(())
}

/// FUTEX_WAIT_BITSET with an absolute timeout on `clock` (FUTEX_CLOCK_REALTIME for
/// CLOCK_REALTIME): in the past it fails at once, ahead only once the clock is past it.
fn absolute_timeouts(clock: libc::clockid_t, name: &str) -> Outcome {
    let op = if clock == libc::CLOCK_REALTIME { FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME } else { FUTEX_WAIT_BITSET };
    let word = AtomicU32::new(0);
    let past = timespec(clock_now(clock)?.saturating_sub(Duration::from_secs(1)));
    let (result, took) = watched(&word, || wait(&word, op, 0, Some(&past), MATCH_ANY))?;
    expect_failure(&format!("FUTEX_WAIT_BITSET until a second ago on {name}"), result, libc::ETIMEDOUT)?;
    ensure(took < PROMPT, || format!("it took {took:?}"))?;

    let deadline = clock_now(clock)? + TIMEOUT;
    let (result, took) = watched(&word, || wait(&word, op, 0, Some(&timespec(deadline)), MATCH_ANY))?;
    let now = clock_now(clock)?;
    expect_failure(&format!("FUTEX_WAIT_BITSET until 100 ms from now on {name}"), result, libc::ETIMEDOUT)?;
    ensure(now >= deadline, || format!("it returned {:?} before the deadline", deadline - now))?;
    println!("... after {} ms, with {name} past the deadline", took.as_millis());
    Ok(())
}

fn timeouts() -> Outcome {
    relative_timeout()?;
    absolute_timeouts(libc::CLOCK_MONOTONIC, "CLOCK_MONOTONIC")?;
    absolute_timeouts(libc::CLOCK_REALTIME, "CLOCK_REALTIME (FUTEX_CLOCK_REALTIME)")
}

fn wake_counts() -> Outcome {
    const WAITERS: usize = 4;
    let word = AtomicU32::new(0);
    let calls = (0..WAITERS).map(|_| call(|| wait_bounded(&word, FUTEX_WAIT, 0))).collect();
    let ((), results) = with_waiters(&[&word], calls, |waiters| {
        waiters.settle(WAITERS, SETTLE)?;
        wake_until("FUTEX_WAKE of 2 with 4 waiters: woken", 2, |woken| wake(&word, FUTEX_WAKE, (2 - woken) as u32, 0))?;
        waiters.expect_returned("waiters whose FUTEX_WAIT returned", 2)?;
        wake_until("FUTEX_WAKE of all: woken", 2, |_| wake(&word, FUTEX_WAKE, ALL, 0))?;
        waiters.await_returned(WAITERS)
    })?;
    all_woken("FUTEX_WAKE", results)
}

fn bitsets() -> Outcome {
    let word = AtomicU32::new(0);
    let calls = vec![call(|| wait_bitset_bounded(&word, 0, 0b01)), call(|| wait_bitset_bounded(&word, 0, 0b10))];
    let ((), results) = with_waiters(&[&word], calls, |waiters| {
        waiters.settle(2, SETTLE)?;
        let woken = wake(&word, FUTEX_WAKE_BITSET, ALL, 0b100).context("FUTEX_WAKE_BITSET")?;
        expect_eq("FUTEX_WAKE_BITSET 0b100 with waiters for 0b01 and 0b10: woken", woken, 0)?;
        waiters.expect_returned("waiters whose wait returned", 0)?;
        wake_until("FUTEX_WAKE_BITSET 0b01: woken", 1, |_| wake(&word, FUTEX_WAKE_BITSET, ALL, 0b01))?;
        waiters.expect_returned("waiters whose wait returned", 1)?;
        ensure(waiters.result(0).is_some(), || "the waiter for 0b10 woke instead of the one for 0b01".into())?;
        wake_until("FUTEX_WAKE_BITSET 0b11: woken (the waiter for 0b10)", 1, |_| {
            wake(&word, FUTEX_WAKE_BITSET, ALL, 0b11)
        })?;
        waiters.await_returned(2)
    })?;
    all_woken("FUTEX_WAIT_BITSET", results)
}

fn requeues() -> Outcome {
    const WAITERS: usize = 3;
    let (first, second) = (AtomicU32::new(0), AtomicU32::new(0));
    let calls = (0..WAITERS).map(|_| call(|| wait_bounded(&first, FUTEX_WAIT, 0))).collect();
    let ((), results) = with_waiters(&[&first, &second], calls, |waiters| {
        waiters.settle(WAITERS, SETTLE)?;
        // A requeue wakes first, then moves: the first waiter it finds is woken.
        let mut woken = 0;
        wake_until("FUTEX_REQUEUE waking 1 of 3 and moving the rest: woken + moved", 3, |_| {
            let count = requeue(&first, FUTEX_REQUEUE, 1 - woken, ALL, &second, 0)?;
            woken = woken.max(u32::from(count > 0));
            Ok(count)
        })?;
        waiters.expect_returned("waiters whose FUTEX_WAIT returned", 1)?;
        let left = wake(&first, FUTEX_WAKE, ALL, 0).context("FUTEX_WAKE")?;
        expect_eq("FUTEX_WAKE of all on the first word: woken", left, 0)?;
        wake_until("FUTEX_WAKE of all on the second word: woken", 2, |_| wake(&second, FUTEX_WAKE, ALL, 0))?;
        waiters.await_returned(WAITERS)
    })?;
    all_woken("FUTEX_REQUEUE", results)?;

    let (first, second) = (AtomicU32::new(5), AtomicU32::new(0));
    let mismatch = requeue(&first, FUTEX_CMP_REQUEUE, 1, ALL, &second, 4);
    expect_failure("FUTEX_CMP_REQUEUE expecting 4 on a word holding 5", mismatch, libc::EAGAIN)?;
    let calls = (0..2).map(|_| call(|| wait_bounded(&first, FUTEX_WAIT, 5))).collect();
    let ((), results) = with_waiters(&[&first, &second], calls, |waiters| {
        waiters.settle(2, SETTLE)?;
        wake_until("FUTEX_CMP_REQUEUE expecting 5, waking none, moving all: moved", 2, |_| {
            requeue(&first, FUTEX_CMP_REQUEUE, 0, ALL, &second, 5)
        })?;
        waiters.expect_returned("waiters whose FUTEX_WAIT returned", 0)?;
        wake_until("FUTEX_WAKE of all on the second word: woken", 2, |_| wake(&second, FUTEX_WAKE, ALL, 0))?;
        waiters.await_returned(2)
    })?;
    all_woken("FUTEX_CMP_REQUEUE", results)
}

/// Two waiters on a first word and one on a second (at 0); FUTEX_WAKE_OP waking 1
/// on each, with `second += 1` and the condition `old second > 0`, twice. Ok(false)
/// when a waiter was not asleep in time.
fn wake_op_attempt(settle: Duration) -> Result<bool, String> {
    let (first, second) = (AtomicU32::new(0), AtomicU32::new(0));
    let calls = vec![
        call(|| wait_bounded(&first, FUTEX_WAIT, 0)),
        call(|| wait_bounded(&first, FUTEX_WAIT, 0)),
        call(|| wait_bounded(&second, FUTEX_WAIT, 0)),
    ];
    let operation = wake_operation(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 0);
    let (settled, results) = with_waiters(&[&first, &second], calls, |waiters| {
        waiters.settle(3, settle)?;
        let woken = wake_op(&first, 1, &second, 1, operation).context("FUTEX_WAKE_OP")?;
        if woken == 0 {
            return Ok(false);
        }
        thread::sleep(settle);
        match waiters.result(2) {
            Some(Err(libc::EAGAIN)) => return Ok(false),
            Some(result) => {
                return Err(format!("the second word's waiter returned {result:?} (old value 0 is not > 0)"));
            }
            None => {}
        }
        println!("FUTEX_WAKE_OP (1 and 1; second += 1, wake there if old > 0), second word at 0:");
        expect_eq("  woken", woken, 1)?;
        expect_eq("  the second word after it", second.load(Ordering::SeqCst), 1)?;
        expect_eq("  waiters of the first word that returned", waiters.returned(), 1)?;
        let woken = wake_op(&first, 1, &second, 1, operation).context("FUTEX_WAKE_OP")?;
        if woken == 1 && waiters.result(2).is_none() {
            // Only the second word's waiter was asleep: one of the first word's was late.
            return Ok(false);
        }
        println!("the same with the second word at 1:");
        expect_eq("  woken (1 on each word)", woken, 2)?;
        expect_eq("  the second word after it", second.load(Ordering::SeqCst), 2)?;
        waiters.await_returned(3)?;
        Ok(true)
    })?;
    if settled {
        all_woken("FUTEX_WAKE_OP", results)?;
    }
    Ok(settled)
}

fn wake_op_check() -> Outcome {
    with_retries("FUTEX_WAKE_OP", wake_op_attempt)
}

fn interrupted_wait() -> Outcome {
    set_action(libc::SIGUSR1, Action::Handle(record_thread), 0, Signals::EMPTY).context("sigaction(SIGUSR1)")?;
    let word = AtomicU32::new(0);
    let tid = AtomicI32::new(0);
    let calls = vec![call(|| {
        tid.store(gettid(), Ordering::SeqCst);
        wait_bounded(&word, FUTEX_WAIT, 0)
    })];
    let outcome = with_waiters(&[&word], calls, |waiters| {
        waiters.settle(1, SETTLE)?;
        let target = tid.load(Ordering::SeqCst);
        // A signal that comes before the thread is asleep only runs the handler: the
        // test signals again until the wait has returned.
        let mut error = None;
        let returned = wait_until(LIMIT, || {
            if let Err(err) = tgkill(getpid(), target, libc::SIGUSR1) {
                error = Some(err);
                return true;
            }
            wait_until(SIGNAL_INTERVAL, || waiters.returned() == 1)
        });
        if let Some(err) = error {
            return Err(format!("tgkill: {err}"));
        }
        ensure(returned, || "SIGUSR1 did not end the FUTEX_WAIT".into())?;
        expect_eq("the SIGUSR1 handler ran in the waiting thread", handler_thread(), target)
    });
    set_action(libc::SIGUSR1, Action::Default, 0, Signals::EMPTY).context("sigaction(SIGUSR1)")?;
    let ((), results) = outcome?;
    let result = results.into_iter().next().ok_or("no waiter result")?;
    expect_failure("FUTEX_WAIT in a thread sent a handled SIGUSR1 (no SA_RESTART)", result, libc::EINTR)
}

fn private_futexes() -> Outcome {
    const WAITERS: usize = 2;
    let word = AtomicU32::new(0);
    let calls = (0..WAITERS).map(|_| call(|| wait_bounded(&word, FUTEX_WAIT_PRIVATE, 0))).collect();
    let ((), results) = with_waiters(&[&word], calls, |waiters| {
        waiters.settle(WAITERS, SETTLE)?;
        wake_until("FUTEX_WAKE_PRIVATE of all with 2 FUTEX_WAIT_PRIVATE waiters: woken", 2, |_| {
            wake(&word, FUTEX_WAKE_PRIVATE, ALL, 0)
        })?;
        waiters.await_returned(WAITERS)
    })?;
    all_woken("FUTEX_WAIT_PRIVATE", results)
}

fn errors() -> Outcome {
    let (word, second) = (AtomicU32::new(0), AtomicU32::new(0));
    let word_address = word.as_ptr().cast_const();
    let unaligned = word_address.cast::<u8>().wrapping_add(1).cast::<u32>();
    // The waits expect 1 where the word holds 0, so that they cannot sleep.
    let cases: [(&str, io::Result<c_long>, c_int); 11] = [
        ("futex operation 99", futex(word_address, 99, 1, 0, ptr::null(), 0), libc::ENOSYS),
        ("FUTEX_WAKE | FUTEX_CLOCK_REALTIME", wake(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, 0), libc::ENOSYS),
        ("FUTEX_WAKE_OP with operation 7", wake_op(&word, 1, &second, 1, 7 << 28), libc::ENOSYS),
        ("FUTEX_WAIT_BITSET with bitset 0", wait(&word, FUTEX_WAIT_BITSET, 1, None, 0), libc::EINVAL),
        ("FUTEX_WAKE_BITSET with bitset 0", wake(&word, FUTEX_WAKE_BITSET, 1, 0), libc::EINVAL),
        (
            "FUTEX_WAIT with a timeout of 10^9 ns",
            wait(&word, FUTEX_WAIT, 1, Some(&libc::timespec { tv_sec: 0, tv_nsec: 1_000_000_000 }), MATCH_ANY),
            libc::EINVAL,
        ),
        ("FUTEX_WAIT at an unaligned address", futex(unaligned, FUTEX_WAIT, 1, 0, ptr::null(), 0), libc::EINVAL),
        ("FUTEX_WAKE at an unaligned address", futex(unaligned, FUTEX_WAKE, 1, 0, ptr::null(), 0), libc::EINVAL),
        ("FUTEX_WAIT at NULL", futex(ptr::null(), FUTEX_WAIT, 1, 0, ptr::null(), 0), libc::EFAULT),
        ("FUTEX_WAIT_PRIVATE at NULL", futex(ptr::null(), FUTEX_WAIT_PRIVATE, 1, 0, ptr::null(), 0), libc::EFAULT),
        ("FUTEX_WAKE at NULL", futex(ptr::null(), FUTEX_WAKE, 1, 0, ptr::null(), 0), libc::EFAULT),
    ];
    for (what, result, errno) in cases {
        expect_failure(what, result, errno)?;
    }
    expect_eq("the second word after the unknown FUTEX_WAKE_OP operation", second.load(Ordering::SeqCst), 0)
}

/// struct robust_list: a link in a thread's circular list of held robust locks.
#[repr(C)]
struct RobustLink {
    next: AtomicPtr<RobustLink>,
}

/// struct robust_list_head, which set_robust_list registers for the calling thread.
#[repr(C)]
struct RobustListHead {
    list: RobustLink,
    /// Where a lock's futex word is, from its link.
    futex_offset: c_long,
    list_op_pending: AtomicPtr<RobustLink>,
}

/// A lock as a C library's robust mutex keeps one: its link, then its futex word.
#[repr(C)]
struct RobustLock {
    link: RobustLink,
    word: AtomicU32,
}

impl RobustLink {
    fn new() -> Self {
        Self { next: AtomicPtr::new(ptr::null_mut()) }
    }

    fn point_at(&self, next: &Self) {
        self.next.store(ptr::from_ref(next).cast_mut(), Ordering::SeqCst);
    }
}

fn set_robust_list(head: *const RobustListHead, length: usize) -> io::Result<c_long> {
    // SAFETY: the kernel only records the address; it reads the list when the
    // thread exits, and callers keep it alive until then.
    check(unsafe { libc::syscall(libc::SYS_set_robust_list, head, length) })
}

fn get_robust_list(tid: pid_t) -> io::Result<(*mut RobustListHead, usize)> {
    let mut head: *mut RobustListHead = ptr::null_mut();
    let mut length = 0usize;
    // SAFETY: get_robust_list writes a pointer into `head` and a size into `length`.
    check(unsafe { libc::syscall(libc::SYS_get_robust_list, c_long::from(tid), &raw mut head, &raw mut length) })?;
    Ok((head, length))
}

fn robust_list_errors() -> Outcome {
    let head = RobustListHead { list: RobustLink::new(), futex_offset: 0, list_op_pending: AtomicPtr::default() };
    head.list.point_at(&head.list);
    for length in [0, 8, 32] {
        expect_failure(&format!("set_robust_list with length {length}"), set_robust_list(&head, length), libc::EINVAL)?;
    }
    expect_failure("get_robust_list of thread INT_MAX", get_robust_list(pid_t::MAX), libc::ESRCH)
}

/// A thread registers a robust list of a lock it holds (with FUTEX_WAITERS) and a
/// free lock, and exits; the main thread waits on the held lock's word. Ok(false)
/// when the thread exited before the main thread was asleep.
fn robust_attempt(settle: Duration) -> Result<bool, String> {
    let head = RobustListHead {
        list: RobustLink::new(),
        futex_offset: offset_of!(RobustLock, word) as c_long,
        list_op_pending: AtomicPtr::default(),
    };
    let held = RobustLock { link: RobustLink::new(), word: AtomicU32::new(0) };
    let free = RobustLock { link: RobustLink::new(), word: AtomicU32::new(0) };
    head.list.point_at(&held.link);
    held.link.point_at(&free.link);
    free.link.point_at(&head.list);
    let owner_tid = AtomicI32::new(0);
    let main_waiting = AtomicBool::new(false);
    thread::scope(|scope| {
        let owner = start_scoped(scope, || -> Outcome {
            set_robust_list(&head, size_of::<RobustListHead>()).context("set_robust_list")?;
            let (registered, length) = get_robust_list(0).context("get_robust_list(0)")?;
            ensure(registered.cast_const() == ptr::from_ref(&head) && length == size_of::<RobustListHead>(), || {
                format!("get_robust_list(0) gave {registered:p} and {length}, not the head {:p} and 24", &head)
            })?;
            let tid = gettid();
            held.word.store(tid as u32 | FUTEX_WAITERS, Ordering::SeqCst);
            owner_tid.store(tid, Ordering::SeqCst);
            wait_until(LIMIT, || main_waiting.load(Ordering::SeqCst));
            thread::sleep(settle);
            Ok(())
        })?;
        if !wait_until(LIMIT, || owner_tid.load(Ordering::SeqCst) != 0 || owner.is_finished()) {
            return Err("the lock owner never took the lock".into());
        }
        let value = held.word.load(Ordering::SeqCst);
        main_waiting.store(true, Ordering::SeqCst);
        let result =
            if owner_tid.load(Ordering::SeqCst) == 0 { Ok(-1) } else { wait_bounded(&held.word, FUTEX_WAIT, value) };
        join_scoped(owner)??;
        println!("get_robust_list(0) in the thread gave back its head, length 24");
        let tid = owner_tid.load(Ordering::SeqCst) as u32;
        ensure(value == tid | FUTEX_WAITERS, || {
            format!("the held word was {value:#x}, not tid {tid} | FUTEX_WAITERS")
        })?;
        let what = "FUTEX_WAIT on the word of the lock the exiting thread held";
        match result {
            Err(err) if err.raw_os_error() == Some(libc::EAGAIN) => return Ok(false),
            Err(err) => return Err(format!("{what}: {}", error_text(&err))),
            Ok(result) => expect_eq(what, result, 0)?,
        }
        let after = held.word.load(Ordering::SeqCst);
        ensure(after == FUTEX_WAITERS | FUTEX_OWNER_DIED, || {
            format!("the held word after it is {after:#x}, not FUTEX_WAITERS | FUTEX_OWNER_DIED (0xc0000000)")
        })?;
        println!("the word after it: {after:#x}, FUTEX_WAITERS | FUTEX_OWNER_DIED, the tid cleared");
        expect_eq("the word of the free lock after it in the list", free.word.load(Ordering::SeqCst), 0)?;
        Ok(true)
    })
}

fn robust_lists() -> Outcome {
    robust_list_errors()?;
    with_retries("robust list", robust_attempt)
}

fn futex_test() -> Outcome {
    wrong_value()?;
    timeouts()?;
    wake_counts()?;
    bitsets()?;
    requeues()?;
    wake_op_check()?;
    interrupted_wait()?;
    private_futexes()?;
    errors()?;
    robust_lists()
}

fn main() -> ExitCode {
    ktest::run(NAME, futex_test)
}
