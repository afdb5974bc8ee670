//! Random numbers for AT_RANDOM, getrandom and the layout of new programs
//! (ASLR): RDRAND when the CPU has it, else a xorshift generator seeded from the
//! time-stamp counter.
use core::sync::atomic::{AtomicU64, Ordering};

use x86_64::instructions::random::RdRand;

static STATE: AtomicU64 = AtomicU64::new(0);

fn fallback() -> u64 {
    let mut x = STATE.load(Ordering::Relaxed);
    if x == 0 {
        x = super::cpu::timestamp() | 1;
    }
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    STATE.store(x, Ordering::Relaxed);
    x
}

fn value(rdrand: Option<RdRand>) -> u64 {
    rdrand.and_then(|r| r.get_u64()).unwrap_or_else(fallback)
}

/// A random number.
pub fn next_u64() -> u64 {
    value(RdRand::new())
}

/// Fill `out` with random bytes.
pub fn fill(out: &mut [u8]) {
    let rdrand = RdRand::new();
    for chunk in out.chunks_mut(8) {
        chunk.copy_from_slice(&value(rdrand).to_le_bytes()[..chunk.len()]);
    }
}
