//! What programs asked for and did not get: how many times each system call
//! number returned ENOSYS (numbers Linux could have, below 512; larger ones are
//! counted together), recorded by the dispatcher and listed in /proc/enosys.
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

/// Numbers counted one by one (Linux's x86-64 table ends below this).
const NUMBERS: usize = 512;

static COUNTS: [AtomicU64; NUMBERS] = [const { AtomicU64::new(0) }; NUMBERS];
static OTHERS: AtomicU64 = AtomicU64::new(0);

/// Count one ENOSYS for `number`; true the first time for a number Linux could
/// have (worth a log line; larger numbers are logged each time, rate-limited).
pub fn record(number: usize) -> bool {
    match COUNTS.get(number) {
        Some(count) => count.fetch_add(1, Ordering::Relaxed) == 0,
        None => {
            OTHERS.fetch_add(1, Ordering::Relaxed);
            true
        }
    }
}

/// (number, count) of every number that returned ENOSYS, ascending, and the
/// count of larger numbers.
pub fn counts() -> (Vec<(usize, u64)>, u64) {
    let counted = COUNTS
        .iter()
        .enumerate()
        .map(|(number, count)| (number, count.load(Ordering::Relaxed)))
        .filter(|&(_, count)| count > 0)
        .collect();
    (counted, OTHERS.load(Ordering::Relaxed))
}
