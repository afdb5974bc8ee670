//! threaddemo: two popular threaded crates at work, as a report that is the same on
//! every run and on every machine. rayon: a parallel sum of 1..=10,000,000 and a
//! parallel sort of a million pseudo-random numbers (xorshift64 seeded 42), with the
//! sorted vector's checksum and whether it is in order (the size of rayon's pool,
//! which differs between machines, is never shown). tokio: a multi-threaded runtime
//! of four workers where 100 tasks sleep a few milliseconds and send their index
//! over an mpsc channel, and 50 tasks increment a counter under tokio's Mutex 100
//! times each, holding the lock across an await.
//!
//! The binary prints [`RayonResults::lines`], [`TokioResults::lines`] and
//! [`DONE`]; with `--ktest` it also checks the results against the `EXPECTED`
//! constants, which the host Linux gave.
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;
use tokio::runtime::{Builder, Runtime};
use tokio::sync::{Mutex, mpsc};
use tokio::task::{self, JoinError};

/// The sum runs over 1..=SUM_LIMIT.
pub const SUM_LIMIT: u64 = 10_000_000;
/// How many pseudo-random numbers are sorted.
pub const SORT_LENGTH: usize = 1_000_000;
/// The xorshift64 generator's starting state.
pub const SEED: u64 = 42;
/// The tokio runtime's worker threads.
pub const WORKER_THREADS: usize = 4;
/// The tasks that sleep and send their index.
pub const SLEEPERS: u64 = 100;
/// The longest a sleeper sleeps, in milliseconds (task `i` sleeps `1 + i % 5`).
pub const LONGEST_SLEEP_MS: u64 = 5;
/// The tasks that increment the shared counter.
pub const COUNTER_TASKS: u64 = 50;
/// How many times each of them increments it.
pub const INCREMENTS: u64 = 100;
/// The report's last line.
pub const DONE: &str = "threaddemo: done";

/// The pseudo-random sequence of Marsaglia's xorshift64 (shifts 13, 7, 17) from
/// `seed` (which must not be 0): the `length` states after the first one.
pub fn xorshift64(seed: u64, length: usize) -> Vec<u64> {
    let mut state = seed;
    (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        })
        .collect()
}

/// 1 + 2 + ... + `limit`, added up by rayon's pool.
pub fn parallel_sum(limit: u64) -> u64 {
    (1..=limit).into_par_iter().sum()
}

/// What sorting gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sorted {
    pub length: usize,
    /// Whether every element is at most the next.
    pub in_order: bool,
    pub min: u64,
    pub max: u64,
    /// The sum of `element × (position + 1)`, wrapping: it depends on the order.
    pub checksum: u64,
}

/// Sorts `values` with rayon and describes the result (all in parallel).
pub fn parallel_sort(mut values: Vec<u64>) -> Sorted {
    values.par_sort_unstable();
    Sorted {
        length: values.len(),
        in_order: values.par_windows(2).all(|pair| pair[0] <= pair[1]),
        min: values.first().copied().unwrap_or(0),
        max: values.last().copied().unwrap_or(0),
        checksum: checksum(&values),
    }
}

/// The sum of `value × (position + 1)` over `values`, wrapping, computed by rayon.
pub fn checksum(values: &[u64]) -> u64 {
    values
        .par_iter()
        .enumerate()
        .map(|(index, &value)| value.wrapping_mul(index as u64 + 1))
        .reduce(|| 0, u64::wrapping_add)
}

/// What the rayon half of the report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RayonResults {
    pub sum: u64,
    pub sorted: Sorted,
}

impl RayonResults {
    /// The results the host Linux gave.
    pub const EXPECTED: Self = Self {
        sum: 50_000_005_000_000,
        sorted: Sorted {
            length: SORT_LENGTH,
            in_order: true,
            min: 0x0000_000a_9551_4aaa,
            max: 0xffff_ebc2_d28c_a603,
            checksum: 0x4e29_add4_f636_533e,
        },
    };

    /// The parallel sum and the parallel sort.
    pub fn compute() -> Self {
        Self { sum: parallel_sum(SUM_LIMIT), sorted: parallel_sort(xorshift64(SEED, SORT_LENGTH)) }
    }

    /// The report's rayon lines.
    pub fn lines(&self) -> Vec<String> {
        let sorted = &self.sorted;
        vec![
            format!("threaddemo: rayon: parallel sum of 1..={SUM_LIMIT} = {}", self.sum),
            format!(
                "threaddemo: rayon: parallel sort of {} xorshift64 numbers (seed {SEED}): in order {}, \
                 min {:#018x}, max {:#018x}, checksum {:#018x}",
                sorted.length,
                yes_no(sorted.in_order),
                sorted.min,
                sorted.max,
                sorted.checksum
            ),
        ]
    }
}

/// What the sleepers sent over the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// How many indices arrived.
    pub count: usize,
    /// Whether they were all different.
    pub distinct: bool,
    pub sum: u64,
}

/// Spawns `tasks` tasks on the current runtime; task `i` sleeps `1 + i % 5` ms and
/// sends `i` over an mpsc channel, and what arrives is counted and added up (in
/// whatever order it came). A task whose send failed, or that failed, shows as a
/// missing index.
pub async fn sleepers(tasks: u64) -> Received {
    let (sender, mut receiver) = mpsc::channel(8);
    for index in 0..tasks {
        let sender = sender.clone();
        task::spawn(async move {
            tokio::time::sleep(Duration::from_millis(1 + index % LONGEST_SLEEP_MS)).await;
            // A failed send leaves the index out of what the receiver counts.
            let _ = sender.send(index).await;
        });
    }
    // The channel closes once every task has sent (or ended) and dropped its sender.
    drop(sender);
    let mut indices = Vec::new();
    while let Some(index) = receiver.recv().await {
        indices.push(index);
    }
    indices.sort_unstable();
    Received {
        count: indices.len(),
        distinct: indices.windows(2).all(|pair| pair[0] != pair[1]),
        sum: indices.iter().sum(),
    }
}

/// Spawns `tasks` tasks on the current runtime that each increment a counter under
/// a `tokio::sync::Mutex` `increments` times, yielding to the scheduler between
/// reading and writing it while they hold the lock; the final count.
pub async fn mutex_counter(tasks: u64, increments: u64) -> Result<u64, JoinError> {
    let counter = Arc::new(Mutex::new(0_u64));
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let counter = Arc::clone(&counter);
            task::spawn(async move {
                for _ in 0..increments {
                    let mut guard = counter.lock().await;
                    let value = *guard;
                    task::yield_now().await;
                    *guard = value + 1;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await?;
    }
    Ok(*counter.lock().await)
}

/// A multi-threaded tokio runtime of [`WORKER_THREADS`] workers, with timers.
pub fn runtime() -> std::io::Result<Runtime> {
    Builder::new_multi_thread().worker_threads(WORKER_THREADS).enable_time().build()
}

/// What the tokio half of the report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokioResults {
    pub received: Received,
    pub counter: u64,
}

impl TokioResults {
    /// The results the host Linux gave.
    pub const EXPECTED: Self =
        Self { received: Received { count: 100, distinct: true, sum: 4950 }, counter: COUNTER_TASKS * INCREMENTS };

    /// The sleepers and the counter, on a new [`runtime`].
    pub fn compute() -> Result<Self, String> {
        let runtime = runtime().map_err(|err| format!("building the tokio runtime: {err}"))?;
        runtime.block_on(async {
            let received = sleepers(SLEEPERS).await;
            let counter = mutex_counter(COUNTER_TASKS, INCREMENTS).await.map_err(|err| format!("a task: {err}"))?;
            Ok(Self { received, counter })
        })
    }

    /// The report's tokio lines.
    pub fn lines(&self) -> Vec<String> {
        let received = &self.received;
        vec![
            format!(
                "threaddemo: tokio: {WORKER_THREADS} worker threads; {SLEEPERS} tasks slept 1-{LONGEST_SLEEP_MS} ms \
                 and sent their index: {} received, all distinct {}, sum {}",
                received.count,
                yes_no(received.distinct),
                received.sum
            ),
            format!(
                "threaddemo: tokio: Mutex counter after {COUNTER_TASKS} tasks x {INCREMENTS} increments = {}",
                self.counter
            ),
        ]
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xorshift_sequence() {
        // 42 ^ 42 << 13 = 344106; ^ that >> 7 = 346794; ^ that << 17 = 45454805674,
        // which is also the smallest of the million (0xa95514aaa).
        assert_eq!(xorshift64(SEED, 1), [45_454_805_674]);
        let values = xorshift64(SEED, 1000);
        assert_eq!(values.len(), 1000);
        assert_eq!(values[..1], xorshift64(SEED, 1)[..]);
        assert!(values.iter().all(|&value| value != 0));
        assert_eq!(xorshift64(7, 0), []);
    }

    #[test]
    fn sums() {
        assert_eq!(parallel_sum(0), 0);
        assert_eq!(parallel_sum(100), 5050);
        assert_eq!(parallel_sum(SUM_LIMIT), SUM_LIMIT * (SUM_LIMIT + 1) / 2);
    }

    #[test]
    fn sorting() {
        assert_eq!(checksum(&[1, 2, 3]), 1 + 2 * 2 + 3 * 3);
        assert_eq!(checksum(&[u64::MAX, 1]), 1);
        let sorted = parallel_sort(vec![3, 1, 2]);
        assert_eq!(sorted, Sorted { length: 3, in_order: true, min: 1, max: 3, checksum: 14 });
        assert_eq!(parallel_sort(Vec::new()), Sorted { length: 0, in_order: true, min: 0, max: 0, checksum: 0 });
        let values = xorshift64(SEED, 10_000);
        let mut expected = values.clone();
        expected.sort_unstable();
        let sorted = parallel_sort(values);
        assert!(sorted.in_order);
        assert_eq!((sorted.min, sorted.max), (expected[0], expected[9999]));
        let sequential =
            expected.iter().enumerate().fold(0_u64, |sum, (i, &v)| sum.wrapping_add(v.wrapping_mul(i as u64 + 1)));
        assert_eq!(sorted.checksum, sequential);
    }

    #[test]
    fn rayon_results_are_the_expected_ones() {
        let results = RayonResults::compute();
        assert_eq!(results, RayonResults::EXPECTED);
        assert_eq!(results.lines()[0], "threaddemo: rayon: parallel sum of 1..=10000000 = 50000005000000");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sleepers_send_every_index() {
        assert_eq!(sleepers(10).await, Received { count: 10, distinct: true, sum: 45 });
        assert_eq!(sleepers(0).await, Received { count: 0, distinct: true, sum: 0 });
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn the_counter_is_exact() {
        assert_eq!(mutex_counter(8, 25).await.unwrap(), 200);
    }

    #[test]
    fn tokio_results_are_the_expected_ones() {
        let results = TokioResults::compute().unwrap();
        assert_eq!(results, TokioResults::EXPECTED);
        assert_eq!(
            results.lines(),
            [
                "threaddemo: tokio: 4 worker threads; 100 tasks slept 1-5 ms and sent their index: 100 received, \
                 all distinct yes, sum 4950",
                "threaddemo: tokio: Mutex counter after 50 tasks x 100 increments = 5000",
            ]
        );
    }
}
