//! The campaign's pseudo-random numbers: SplitMix64 to derive one seed per stream
//! from (campaign seed, worker, generation, purpose), and xoshiro256** for the
//! stream itself. Nothing here depends on the machine, so a seed names the same
//! calls on the host (`--dry-run`) and inside Kestrel.

/// SplitMix64: a 64-bit state stepped by a constant, with a strong output mix.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }
}

/// SplitMix64's output function: a bijection that spreads every input bit.
pub fn mix(value: u64) -> u64 {
    let mut z = value;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// What a stream is for: the calls a worker generation makes, or the bytes of its
/// scratch buffer after its `round`th refill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Calls,
    Fill { round: u64 },
}

/// xoshiro256**: the generator of one stream.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose four state words come from SplitMix64 over `seed` (never
    /// all zero, the one state xoshiro cannot leave).
    pub fn from_seed(seed: u64) -> Self {
        let mut init = SplitMix64::new(seed);
        let mut s = [init.next_u64(), init.next_u64(), init.next_u64(), init.next_u64()];
        if s == [0; 4] {
            s[0] = 1;
        }
        Self { s }
    }

    /// The stream of `purpose` for generation `generation` of worker `worker` in
    /// the campaign `seed`.
    pub fn for_stream(seed: u64, worker: u32, generation: u32, purpose: Purpose) -> Self {
        let (tag, round) = match purpose {
            Purpose::Calls => (0x6361_6c6c_7300_0000, 0),              // "calls"
            Purpose::Fill { round } => (0x6669_6c6c_0000_0000, round), // "fill"
        };
        let key = mix(mix(mix(mix(seed ^ tag) ^ u64::from(worker)) ^ u64::from(generation)) ^ round);
        Self::from_seed(key)
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A number in `0..bound` (`bound` > 0), by multiplying into 128 bits.
    pub fn below(&mut self, bound: u64) -> u64 {
        assert!(bound > 0, "an empty range");
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }

    /// True once in `n` times on average.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    /// One of `items` (not empty), each as likely.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// Fills `bytes` with random bytes.
    pub fn fill_bytes(&mut self, bytes: &mut [u8]) {
        for chunk in bytes.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference() {
        // The first outputs of the reference implementation for seed 0.
        let mut sm = SplitMix64::new(0);
        assert_eq!(sm.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(sm.next_u64(), 0x6e78_9e6a_a1b9_65f4);
    }

    #[test]
    fn xoshiro_matches_the_reference() {
        // xoshiro256** from the state {1, 2, 3, 4}: the reference's first outputs.
        let mut rng = Rng { s: [1, 2, 3, 4] };
        assert_eq!(rng.next_u64(), 11520);
        assert_eq!(rng.next_u64(), 0);
        assert_eq!(rng.next_u64(), 1_509_978_240);
        assert_eq!(rng.next_u64(), 1_215_971_899_390_074_240);
    }

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let draw = |seed, worker, generation, purpose| {
            let mut rng = Rng::for_stream(seed, worker, generation, purpose);
            [rng.next_u64(), rng.next_u64(), rng.next_u64()]
        };
        let base = draw(1, 0, 0, Purpose::Calls);
        assert_eq!(base, draw(1, 0, 0, Purpose::Calls));
        assert_ne!(base, draw(2, 0, 0, Purpose::Calls));
        assert_ne!(base, draw(1, 1, 0, Purpose::Calls));
        assert_ne!(base, draw(1, 0, 1, Purpose::Calls));
        assert_ne!(base, draw(1, 0, 0, Purpose::Fill { round: 0 }));
        assert_ne!(draw(1, 0, 0, Purpose::Fill { round: 0 }), draw(1, 0, 0, Purpose::Fill { round: 1 }));
    }

    #[test]
    fn bounded_draws_stay_in_range_and_cover_it() {
        let mut rng = Rng::from_seed(7);
        let mut seen = [false; 10];
        for _ in 0..10_000 {
            let value = rng.below(10);
            assert!(value < 10);
            seen[value as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
        let mut bytes = [0u8; 13];
        rng.fill_bytes(&mut bytes);
        assert!(bytes.iter().any(|&b| b != 0));
    }
}
