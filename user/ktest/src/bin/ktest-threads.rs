//! ktest-threads: Rust std threads, which need the kernel's clone with a new stack
//! and TLS, futexes, and thread exit that wakes the joiner: 64 threads spawned and
//! joined (each returns its own value); a Mutex counter that 8 threads increment
//! 10,000 times each (the exact total); an RwLock that 4 readers hold at once (a
//! writer's try_write fails meanwhile, and a reader's try_read while a writer holds
//! it), and readers that never see a writer's two-part update half done; a Condvar
//! bounded queue between a producer and a consumer, and a wait_timeout that times
//! out no earlier than asked; a Barrier of 8 used twice (one leader each time); mpsc
//! channels (unbounded and of capacity 1) with 4 senders, each sender's messages in
//! order; thread::scope borrowing a local array (mutably in chunks, then shared);
//! thread-locals (each thread its own value, a destructor run once per thread that
//! touched it); a panicking thread (join gives Err when panics unwind; with
//! `panic = "abort"`, as the workspace builds its programs, a forked child whose
//! thread panics dies by SIGABRT); available_parallelism (at least 1); gettid
//! (different in every thread, the pid in the main thread) and getpid (the same in
//! all); a thread's name (Builder::name) as thread::current() and, where
//! /proc/self/task exists, /proc/self/task/TID/comm give it.
//!
//! Usage: `ktest-threads` (the checks above); `ktest-threads stress` (200 threads
//! each add 10,000 times under one Mutex: exactly 2,000,000); `ktest-threads churn
//! [--exact]` (10,000 thread create/join cycles after 100 warm-up ones, comparing
//! free memory plus the program's own (memory_outside_self) before and after: with
//! `--exact`, the Kestrel boot test, the two must be equal; without it they are only
//! printed, as Linux's free memory moves).
use std::cell::Cell;
use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Barrier, Condvar, Mutex, MutexGuard, PoisonError, RwLock, TryLockError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};
use std::{env, fs, panic};

use ktest::{
    Context, Outcome, disable_core_dumps, ensure, expect_eq, expect_signal, getpid, gettid, join_scoped, join_thread,
    memory_outside_self, operands, spawn, start_scoped, start_thread, wait_until, wait_within,
};

const NAME: &str = "threads";
const SPAWNED: usize = 64;
const COUNTER_THREADS: usize = 8;
const INCREMENTS: usize = 10_000;
const READERS: usize = 4;
const TORN_READERS: usize = 3;
const WRITES: u64 = 1_000;
const ITEMS: u64 = 1_000;
const QUEUE_CAPACITY: usize = 4;
const WAIT_TIMEOUT: Duration = Duration::from_millis(200);
/// How much later than asked a timed-out wait may return (emulators are slow).
const TIMEOUT_SLACK: Duration = Duration::from_secs(3);
const BARRIER_THREADS: usize = 8;
const SENDERS: usize = 4;
const MESSAGES: usize = 1_000;
const TLS_THREADS: usize = 16;
const TLS_IDLE_THREADS: usize = 4;
const ID_THREADS: usize = 8;
/// The longest a check waits for other threads to get somewhere.
const LIMIT: Duration = Duration::from_secs(10);
/// A name short enough for Linux's 15-byte comm.
const THREAD_NAME: &str = "ktest-named";
const STRESS_THREADS: usize = 200;
const CHURN_CYCLES: usize = 10_000;
const CHURN_WARM_UP: usize = 100;
const CHURN_PROGRESS_EVERY: usize = 1_000;
const EXACT_FLAG: &str = "--exact";

/// Locks `mutex`; a poisoned lock (a holder panicked) is taken as it is.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn spawn_and_join() -> Outcome {
    let handles = (0..SPAWNED).map(|index| start_thread(move || index * index + 1)).collect::<Result<Vec<_>, _>>()?;
    for (index, handle) in handles.into_iter().enumerate() {
        let value = join_thread(handle)?;
        ensure(value == index * index + 1, || format!("thread {index} returned {value}"))?;
    }
    println!("{SPAWNED} threads spawned and joined, each returned its own value");
    Ok(())
}

/// `threads` threads each add 1 to a Mutex counter INCREMENTS times: the total.
fn count_under_mutex(threads: usize) -> Result<usize, String> {
    let counter = Mutex::new(0usize);
    thread::scope(|scope| {
        let handles = (0..threads)
            .map(|_| {
                start_scoped(scope, || {
                    for _ in 0..INCREMENTS {
                        *lock(&counter) += 1;
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        handles.into_iter().try_for_each(join_scoped)
    })?;
    Ok(*lock(&counter))
}

fn mutex_counter() -> Outcome {
    expect_eq(
        &format!("Mutex counter after {COUNTER_THREADS} threads x {INCREMENTS} increments"),
        count_under_mutex(COUNTER_THREADS)?,
        COUNTER_THREADS * INCREMENTS,
    )
}

/// Readers hold the lock together; a writer is kept out meanwhile, and keeps
/// readers out while it holds the lock.
fn rwlock_sharing() -> Outcome {
    let rwlock = RwLock::new(0u32);
    let inside = AtomicUsize::new(0);
    let leave = AtomicBool::new(false);
    thread::scope(|scope| {
        let readers = (0..READERS)
            .map(|_| {
                start_scoped(scope, || {
                    let guard = rwlock.read().unwrap_or_else(PoisonError::into_inner);
                    inside.fetch_add(1, Ordering::SeqCst);
                    let together = wait_until(LIMIT, || inside.load(Ordering::SeqCst) == READERS);
                    wait_until(LIMIT, || leave.load(Ordering::SeqCst));
                    drop(guard);
                    together
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let all_inside = wait_until(LIMIT, || inside.load(Ordering::SeqCst) == READERS);
        let blocked = matches!(rwlock.try_write(), Err(TryLockError::WouldBlock));
        leave.store(true, Ordering::SeqCst);
        let together = readers.into_iter().map(join_scoped).collect::<Result<Vec<_>, _>>()?;
        ensure(all_inside && together.iter().all(|&seen| seen), || {
            format!("{READERS} readers did not all hold the RwLock at once")
        })?;
        ensure(blocked, || "try_write succeeded while readers held the RwLock".into())
    })?;
    println!("RwLock: {READERS} readers held it at once; try_write meanwhile: WouldBlock");

    let held = AtomicBool::new(false);
    let release = AtomicBool::new(false);
    thread::scope(|scope| {
        let writer = start_scoped(scope, || {
            let mut guard = rwlock.write().unwrap_or_else(PoisonError::into_inner);
            *guard += 1;
            held.store(true, Ordering::SeqCst);
            wait_until(LIMIT, || release.load(Ordering::SeqCst));
        })?;
        let writing = wait_until(LIMIT, || held.load(Ordering::SeqCst));
        let blocked = matches!(rwlock.try_read(), Err(TryLockError::WouldBlock));
        release.store(true, Ordering::SeqCst);
        join_scoped(writer)?;
        ensure(writing, || "the writer never got the RwLock".into())?;
        ensure(blocked, || "try_read succeeded while a writer held the RwLock".into())
    })?;
    println!("RwLock: try_read while a writer held it: WouldBlock");
    expect_eq("RwLock value after the writer", *rwlock.read().unwrap_or_else(PoisonError::into_inner), 1)
}

/// A writer updates two fields one after the other (yielding between them) while
/// readers check that they always see the two equal.
fn rwlock_consistency() -> Outcome {
    let pair = RwLock::new((0u64, 0u64));
    let done = AtomicBool::new(false);
    let reads = thread::scope(|scope| {
        let readers = (0..TORN_READERS)
            .map(|_| {
                start_scoped(scope, || {
                    let mut reads = 0u64;
                    while !done.load(Ordering::SeqCst) {
                        let (first, second) = *pair.read().unwrap_or_else(PoisonError::into_inner);
                        if first != second {
                            return Err(format!("a reader saw a half-done write: {first} and {second}"));
                        }
                        reads += 1;
                        // Let the writer in on a single CPU.
                        thread::yield_now();
                    }
                    Ok(reads)
                })
            })
            .collect::<Result<Vec<_>, _>>();
        for _ in 0..WRITES {
            let mut guard = pair.write().unwrap_or_else(PoisonError::into_inner);
            guard.0 += 1;
            thread::yield_now();
            guard.1 += 1;
        }
        done.store(true, Ordering::SeqCst);
        readers?.into_iter().map(|reader| join_scoped(reader)?).sum::<Result<u64, String>>()
    })?;
    expect_eq(
        &format!("RwLock pair after {WRITES} writes (readers read it {reads} times, never half done)"),
        *pair.read().unwrap_or_else(PoisonError::into_inner),
        (WRITES, WRITES),
    )
}

/// A producer and a consumer through a bounded queue: each waits on its Condvar
/// when the queue is full or empty.
fn condvar_queue() -> Outcome {
    let queue = Mutex::new(VecDeque::new());
    let not_empty = Condvar::new();
    let not_full = Condvar::new();
    let sum = thread::scope(|scope| {
        let consumer = start_scoped(scope, || {
            let mut sum = 0;
            for _ in 0..ITEMS {
                let guard = lock(&queue);
                let mut guard =
                    not_empty.wait_while(guard, |queue| queue.is_empty()).unwrap_or_else(PoisonError::into_inner);
                sum += guard.pop_front().unwrap_or(0);
                not_full.notify_one();
            }
            sum
        })?;
        for item in 1..=ITEMS {
            let guard = lock(&queue);
            let mut guard = not_full
                .wait_while(guard, |queue| queue.len() >= QUEUE_CAPACITY)
                .unwrap_or_else(PoisonError::into_inner);
            guard.push_back(item);
            not_empty.notify_one();
        }
        join_scoped(consumer)
    })?;
    expect_eq(
        &format!("Condvar queue of {QUEUE_CAPACITY}: sum of the {ITEMS} items consumed"),
        sum,
        ITEMS * (ITEMS + 1) / 2,
    )
}

fn condvar_timeout() -> Outcome {
    let mutex = Mutex::new(());
    let condvar = Condvar::new();
    let started = Instant::now();
    let (_guard, result) = condvar.wait_timeout(lock(&mutex), WAIT_TIMEOUT).unwrap_or_else(PoisonError::into_inner);
    let waited = started.elapsed();
    ensure(result.timed_out(), || "wait_timeout without a notify did not time out".into())?;
    ensure(waited >= WAIT_TIMEOUT && waited < WAIT_TIMEOUT + TIMEOUT_SLACK, || {
        format!("wait_timeout({WAIT_TIMEOUT:?}) timed out after {waited:?}")
    })?;
    println!("Condvar wait_timeout({} ms): timed out after {} ms", WAIT_TIMEOUT.as_millis(), waited.as_millis());
    Ok(())
}

fn barrier() -> Outcome {
    let barrier = Barrier::new(BARRIER_THREADS);
    let arrived = AtomicUsize::new(0);
    let results = thread::scope(|scope| {
        let handles = (0..BARRIER_THREADS)
            .map(|_| {
                start_scoped(scope, || {
                    let mut rounds = Vec::new();
                    for round in 1..=2 {
                        arrived.fetch_add(1, Ordering::SeqCst);
                        let leader = barrier.wait().is_leader();
                        rounds.push((arrived.load(Ordering::SeqCst) >= round * BARRIER_THREADS, leader));
                    }
                    rounds
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        handles.into_iter().map(join_scoped).collect::<Result<Vec<_>, _>>()
    })?;
    for round in 0..2 {
        let all_arrived = results.iter().all(|rounds| rounds[round].0);
        ensure(all_arrived, || {
            format!("round {round}: a thread passed the Barrier before all {BARRIER_THREADS} arrived")
        })?;
        let leaders = results.iter().filter(|rounds| rounds[round].1).count();
        expect_eq(
            &format!("Barrier of {BARRIER_THREADS}, round {}: all arrived first; leaders", round + 1),
            leaders,
            1,
        )?;
    }
    Ok(())
}

/// Receives until every sender has gone: checks each sender's messages came in order.
fn receive_all(receiver: &Receiver<(usize, usize)>) -> Outcome {
    let mut next = [0; SENDERS];
    for (sender, sequence) in receiver.iter() {
        let expected = next.get_mut(sender).ok_or_else(|| format!("a message from sender {sender}"))?;
        ensure(sequence == *expected, || format!("sender {sender}: message {sequence} came when {expected} was due"))?;
        *expected += 1;
    }
    expect_eq("messages received from each sender, in order", next, [MESSAGES; SENDERS])
}

/// Either kind of mpsc sender (unbounded or bounded).
trait MessageSender: Clone + Send + 'static {
    fn send_message(&self, message: (usize, usize)) -> bool;
}

impl MessageSender for Sender<(usize, usize)> {
    fn send_message(&self, message: (usize, usize)) -> bool {
        self.send(message).is_ok()
    }
}

impl MessageSender for SyncSender<(usize, usize)> {
    fn send_message(&self, message: (usize, usize)) -> bool {
        self.send(message).is_ok()
    }
}

fn senders(sender: impl MessageSender, receiver: &Receiver<(usize, usize)>) -> Outcome {
    let handles = (0..SENDERS)
        .map(|index| {
            let sender = sender.clone();
            start_thread(move || (0..MESSAGES).all(|sequence| sender.send_message((index, sequence))))
        })
        .collect::<Result<Vec<_>, _>>()?;
    drop(sender);
    receive_all(receiver)?;
    for handle in handles {
        ensure(join_thread(handle)?, || "a send failed".into())?;
    }
    Ok(())
}

fn channels() -> Outcome {
    let (sender, receiver) = mpsc::channel();
    println!("mpsc::channel, {SENDERS} senders of {MESSAGES} messages:");
    senders(sender, &receiver)?;
    let (sender, receiver) = mpsc::sync_channel(1);
    println!("mpsc::sync_channel(1), {SENDERS} senders of {MESSAGES} messages:");
    senders(sender, &receiver)
}

fn scoped_borrows() -> Outcome {
    const CHUNK: usize = 8;
    let mut values = [0u64; 64];
    thread::scope(|scope| {
        let handles = values
            .chunks_mut(CHUNK)
            .enumerate()
            .map(|(chunk_index, chunk)| {
                start_scoped(scope, move || {
                    for (offset, value) in chunk.iter_mut().enumerate() {
                        *value = 3 * (chunk_index * CHUNK + offset) as u64;
                    }
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        handles.into_iter().try_for_each(join_scoped)
    })?;
    let values = &values;
    let sums = thread::scope(|scope| {
        let handles = values
            .chunks(2 * CHUNK)
            .map(|chunk| start_scoped(scope, move || chunk.iter().sum::<u64>()))
            .collect::<Result<Vec<_>, _>>()?;
        handles.into_iter().map(join_scoped).collect::<Result<Vec<_>, _>>()
    })?;
    let expected = (0..values.len() as u64).map(|index| 3 * index).sum::<u64>();
    ensure(values.iter().enumerate().all(|(index, &value)| value == 3 * index as u64), || {
        format!("scoped threads filled the array wrongly: {values:?}")
    })?;
    expect_eq(
        "thread::scope: a local array filled in chunks, then summed in chunks",
        sums.iter().sum::<u64>(),
        expected,
    )
}

/// Destructor runs of [`Tracked`] thread-locals.
static TLS_DROPS: AtomicUsize = AtomicUsize::new(0);

/// A thread-local value whose destructor counts in [`TLS_DROPS`].
struct Tracked {
    value: Cell<usize>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        TLS_DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

thread_local! {
    static TRACKED: Tracked = const { Tracked { value: Cell::new(usize::MAX) } };
}

fn thread_locals() -> Outcome {
    let barrier = Barrier::new(TLS_THREADS);
    let drops_before = TLS_DROPS.load(Ordering::SeqCst);
    let seen = thread::scope(|scope| {
        let touching = (0..TLS_THREADS)
            .map(|index| {
                let barrier = &barrier;
                start_scoped(scope, move || {
                    TRACKED.with(|tracked| tracked.value.set(index));
                    barrier.wait();
                    TRACKED.with(|tracked| tracked.value.get())
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let idle = (0..TLS_IDLE_THREADS).map(|_| start_scoped(scope, || ())).collect::<Result<Vec<_>, _>>()?;
        idle.into_iter().try_for_each(join_scoped)?;
        touching.into_iter().map(join_scoped).collect::<Result<Vec<_>, _>>()
    })?;
    let own = seen.iter().enumerate().all(|(index, &value)| value == index);
    ensure(own, || format!("thread-local values seen after all were set: {seen:?}"))?;
    println!("{TLS_THREADS} threads each set a thread-local and read back its own value");
    expect_eq(
        &format!(
            "thread-local destructor runs after {TLS_THREADS} threads that used it and {TLS_IDLE_THREADS} that did not"
        ),
        TLS_DROPS.load(Ordering::SeqCst) - drops_before,
        TLS_THREADS,
    )
}

const PANIC_MESSAGE: &str = "a deliberate panic";

fn panicking_thread() -> Outcome {
    if cfg!(panic = "unwind") {
        let hook = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        let result = start_thread(|| -> () { panic!("{PANIC_MESSAGE}") }).map(JoinHandle::join);
        panic::set_hook(hook);
        let payload = result?.err().ok_or("join of a panicking thread gave Ok")?;
        let message = payload.downcast_ref::<String>().map(String::as_str);
        return expect_eq("join of a thread that panicked: Err with its message", message, Some(PANIC_MESSAGE));
    }
    let child = spawn(|| {
        // No core file for the deliberate abort, and no message for it.
        let _ = disable_core_dumps();
        panic::set_hook(Box::new(|_| {}));
        let _ = start_thread(|| -> () { panic!("{PANIC_MESSAGE}") }).map(JoinHandle::join);
        1
    })?;
    expect_signal(wait_within(child, 0, LIMIT)?, libc::SIGABRT)?;
    println!("panics abort: a forked child whose thread panicked died by SIGABRT");
    Ok(())
}

fn parallelism() -> Outcome {
    // NonZero: Ok(n) is at least 1.
    let count = thread::available_parallelism().context("available_parallelism")?;
    println!("available_parallelism: Ok({count})");
    Ok(())
}

fn thread_ids() -> Outcome {
    let (pid, main_tid) = (getpid(), gettid());
    expect_eq("gettid in the main thread is getpid", main_tid, pid)?;
    let barrier = Barrier::new(ID_THREADS);
    let ids = thread::scope(|scope| {
        let handles = (0..ID_THREADS)
            .map(|_| {
                start_scoped(scope, || {
                    let ids = (gettid(), getpid());
                    // All are alive together, so none can have reused another's id.
                    barrier.wait();
                    ids
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        handles.into_iter().map(join_scoped).collect::<Result<Vec<_>, _>>()
    })?;
    let mut tids: Vec<_> = ids.iter().map(|&(tid, _)| tid).chain([main_tid]).collect();
    tids.sort_unstable();
    tids.dedup();
    ensure(tids.len() == ID_THREADS + 1, || format!("gettid of the main thread and {ID_THREADS} others: {ids:?}"))?;
    println!("gettid: {ID_THREADS} threads alive together and the main thread have {} different ids", tids.len());
    let pids: Vec<_> = ids.iter().map(|&(_, pid)| pid).collect();
    expect_eq("getpid in every thread is the process's", pids, vec![pid; ID_THREADS])
}

fn thread_names() -> Outcome {
    let handle = thread::Builder::new()
        .name(THREAD_NAME.into())
        .spawn(|| {
            let name = thread::current().name().map(str::to_owned);
            let tid = gettid();
            let task = format!("/proc/self/task/{tid}");
            let comm = Path::new(&task).exists().then(|| fs::read_to_string(format!("{task}/comm")));
            (name, comm)
        })
        .context("spawning a named thread")?;
    let (name, comm) = join_thread(handle)?;
    expect_eq("thread::current().name() in a thread named by Builder::name", name.as_deref(), Some(THREAD_NAME))?;
    if !Path::new("/proc/self/task").exists() {
        println!("no /proc/self/task: the thread's comm is not checked");
        return Ok(());
    }
    let comm = comm.ok_or("/proc/self/task exists, but not the thread's own /proc/self/task/TID")?;
    let comm = comm.context("reading /proc/self/task/TID/comm")?;
    expect_eq("/proc/self/task/TID/comm of the named thread", comm.trim_end(), THREAD_NAME)
}

fn functional() -> Outcome {
    spawn_and_join()?;
    mutex_counter()?;
    rwlock_sharing()?;
    rwlock_consistency()?;
    condvar_queue()?;
    condvar_timeout()?;
    barrier()?;
    channels()?;
    scoped_borrows()?;
    thread_locals()?;
    panicking_thread()?;
    parallelism()?;
    thread_ids()?;
    thread_names()
}

fn stress() -> Outcome {
    let started = Instant::now();
    let total = count_under_mutex(STRESS_THREADS)?;
    println!("{STRESS_THREADS} threads x {INCREMENTS} increments took {} ms", started.elapsed().as_millis());
    expect_eq("the Mutex counter", total, STRESS_THREADS * INCREMENTS)
}

fn create_and_join(cycle: usize) -> Outcome {
    let value = join_thread(start_thread(move || cycle + 1)?)?;
    ensure(value == cycle + 1, || format!("cycle {cycle}: the thread returned {value}"))
}

fn churn(exact: bool) -> Outcome {
    for cycle in 0..CHURN_WARM_UP {
        create_and_join(cycle)?;
    }
    println!("churn: {CHURN_WARM_UP} warm-up thread create/join cycles");
    let before = memory_outside_self()?;
    for cycle in 1..=CHURN_CYCLES {
        create_and_join(cycle)?;
        if cycle % CHURN_PROGRESS_EVERY == 0 {
            println!("churn: {cycle} cycles");
        }
    }
    let after = memory_outside_self()?;
    println!("free memory + own resident memory: {before} bytes before the loop, {after} after");
    if exact && before != after {
        return Err(format!("{} bytes of memory leaked", before as i64 - after as i64));
    }
    Ok(())
}

fn threads_test(args: &[OsString]) -> Outcome {
    match operands(args, &[]).first().map(|mode| mode.to_string_lossy()).as_deref() {
        None => functional(),
        Some("stress") => stress(),
        Some("churn") => churn(args.iter().any(|arg| arg == EXACT_FLAG)),
        Some(other) => Err(format!("unknown mode {other:?}: usage: ktest-threads [stress | churn [{EXACT_FLAG}]]")),
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().collect();
    ktest::run(NAME, || threads_test(&args))
}
