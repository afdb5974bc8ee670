//! A directory's index from names to entry offsets: a hash map (one hash and one
//! comparison per lookup, where an ordered map compared the name with a dozen
//! others), its hashes salted with a seed the kernel sets at boot so that nobody
//! can pick names that collide.
use alloc::boxed::Box;
use core::sync::atomic::{AtomicU64, Ordering};

use foldhash::fast::FixedState;
use hashbrown::HashMap;

static SEED: AtomicU64 = AtomicU64::new(0);

/// Salt the name hashes of the directories made from now on (the kernel calls it
/// once, with random bits, before it builds the first tree).
pub fn seed_name_hashes(seed: u64) {
    SEED.store(seed, Ordering::Relaxed);
}

pub(crate) type NameIndex = HashMap<Box<[u8]>, u64, FixedState>;

/// An empty index, salted with the current seed.
pub(crate) fn new_name_index() -> NameIndex {
    HashMap::with_hasher(FixedState::with_seed(SEED.load(Ordering::Relaxed)))
}
