//! Host tests of the frame bitmap: a model (a set of free frames) checked against the
//! bitmap over long random operation sequences, plus edge cases of the memory map, every
//! kind of refused free, storage bootstrapping, and allocation speed when memory is full.
use super::*;
use std::collections::BTreeSet;

/// A small seeded PRNG (xorshift64*), so runs are reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..bound`.
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
}

const fn range(start: u64, end: u64) -> PhysRange {
    PhysRange { start, end }
}

/// A memory map: usable and reserved ranges.
struct Map {
    usable: &'static [PhysRange],
    reserved: &'static [PhysRange],
}

/// Low memory with holes, unaligned and overlapping usable ranges, and reservations on
/// frame 0, inside usable memory, straddling usable edges and past the end.
const SMALL_MAP: Map = Map {
    usable: &[
        range(0x0, 0x9_fc00),
        range(0x40_0000, 0x50_0123),
        range(0x10_0000, 0x40_0800),
        range(0x60_0800, 0x70_0000),
        range(0x65_0000, 0x66_0000),
    ],
    reserved: &[
        range(0x0, 0x1000),
        range(0x20_0000, 0x28_0000),
        range(0x4f_f000, 0x50_1000),
        range(0x6f_f800, 0x80_0000),
        range(0x1234, 0x1235),
    ],
};

/// RAM below and above 4 GiB (listed unsorted), with reservations hiding most of it so
/// that random sequences fill it, straddling both ends of the high range, and leaving one
/// frame free at the very top.
const HIGH_MAP: Map = Map {
    usable: &[range(0x1_0000_0000, 0x1_4000_0000), range(0x10_0000, 0x8000_0000)],
    reserved: &[
        range(0x10_0000, 0x20_0000),
        range(0x40_0000, 0x7fff_0000),
        range(0xffff_f000, 0x1_0000_2000),
        range(0x1_0080_0800, 0x1_3fff_e000),
        range(0x1_3fff_f800, 0x1_5000_0000),
    ],
};

/// The same RAM as `HIGH_MAP` without reservations: 786,176 frames.
const BIG_MAP: Map =
    Map { usable: &[range(0x10_0000, 0x8000_0000), range(0x1_0000_0000, 0x1_4000_0000)], reserved: &[] };

/// The model: which frames are allocatable (computed frame by frame, independently of the
/// bitmap's word arithmetic) and which are free.
struct Model {
    allocatable: Vec<bool>,
    free: BTreeSet<u64>,
    /// Frames in usable RAM, and those of them that are allocatable.
    total: u64,
    allocatable_count: u64,
}

impl Model {
    fn new(map: &Map) -> Self {
        let frames = map.usable.iter().map(|r| r.end / FRAME_SIZE).max().unwrap_or(0);
        let mut in_ram = vec![false; frames as usize];
        for r in map.usable {
            for frame in r.start.div_ceil(FRAME_SIZE)..r.end / FRAME_SIZE {
                in_ram[frame as usize] = true;
            }
        }
        let mut allocatable = in_ram.clone();
        for r in map.reserved {
            for frame in r.start / FRAME_SIZE..r.end.div_ceil(FRAME_SIZE).min(frames) {
                allocatable[frame as usize] = false;
            }
        }
        let free = (0..frames).filter(|&f| allocatable[f as usize]).collect();
        let total = in_ram.iter().filter(|&&b| b).count() as u64;
        let allocatable_count = allocatable.iter().filter(|&&b| b).count() as u64;
        Self { allocatable, free, total, allocatable_count }
    }

    fn stats(&self) -> FrameStats {
        FrameStats { total: self.total, free: self.free.len() as u64, reserved: self.total - self.allocatable_count }
    }

    fn alloc(&mut self) -> Option<u64> {
        let frame = self.free.pop_first()?;
        Some(frame * FRAME_SIZE)
    }

    fn alloc_contiguous(&mut self, count: u64, align: u64) -> Option<u64> {
        let frames = self.allocatable.len() as u64;
        let mut first = 0;
        loop {
            first = self.free.range(first..).next()?.next_multiple_of(align);
            if first + count > frames {
                return None;
            }
            match (first..first + count).find(|f| !self.free.contains(f)) {
                Some(taken) => first = taken + 1,
                None => {
                    for frame in first..first + count {
                        self.free.remove(&frame);
                    }
                    return Some(first * FRAME_SIZE);
                }
            }
        }
    }

    fn free_contiguous(&mut self, addr: u64, count: u64) -> Result<(), FreeError> {
        if !addr.is_multiple_of(FRAME_SIZE) {
            return Err(FreeError::Unaligned(addr));
        }
        let first = addr / FRAME_SIZE;
        for frame in first..first + count {
            let frame_addr = frame * FRAME_SIZE;
            match self.allocatable.get(frame as usize) {
                None => return Err(FreeError::OutOfRange(frame_addr)),
                Some(false) => return Err(FreeError::Reserved(frame_addr)),
                Some(true) if self.free.contains(&frame) => {
                    return Err(FreeError::DoubleFree(frame_addr));
                }
                Some(true) => {}
            }
        }
        self.free.extend(first..first + count);
        Ok(())
    }
}

/// Storage for `map`, filled with garbage that `new` must clear.
fn storage_for(map: &Map) -> Vec<u64> {
    let end = map.usable.iter().map(|r| r.end).max().unwrap_or(0);
    vec![0xdead_beef_a5a5_5a5a; FrameBitmap::storage_words(end)]
}

fn bitmap<'a>(storage: &'a mut [u64], map: &Map) -> FrameBitmap<'a> {
    FrameBitmap::new(storage, map.usable.iter().copied(), map.reserved.iter().copied())
}

/// Runs `steps` random operations on the bitmap and the model and checks they agree, and
/// returns the highest frame address handed out. Phases alternate between mostly
/// allocating and mostly freeing, so memory fills up and empties again.
fn check_against_model(map: &Map, seed: u64, steps: usize) -> u64 {
    let mut storage = storage_for(map);
    let mut bitmap = bitmap(&mut storage, map);
    let mut model = Model::new(map);
    assert_eq!(bitmap.stats(), model.stats());
    let tracked_end = model.allocatable.len() as u64 * FRAME_SIZE;
    let mut rng = Rng(seed);
    // Blocks handed out: (address, frames).
    let mut allocated: Vec<(u64, u64)> = Vec::new();
    let mut filling = true;
    let mut saw_full = false;
    let mut highest = 0;
    for step in 0..steps {
        if step % 3000 == 0 {
            filling = !filling;
        }
        let alloc_percent = if filling { 75 } else { 25 };
        let roll = rng.below(100);
        if roll < alloc_percent {
            if rng.below(8) == 0 {
                let count = 1 + rng.below(40);
                let align = 1 << rng.below(5);
                let got = bitmap.alloc_contiguous(count as usize, align as usize);
                assert_eq!(got, model.alloc_contiguous(count, align), "step {step}");
                if let Some(addr) = got {
                    assert_eq!(addr % (align * FRAME_SIZE), 0);
                    allocated.push((addr, count));
                    highest = highest.max(addr + (count - 1) * FRAME_SIZE);
                }
            } else {
                let got = bitmap.alloc();
                assert_eq!(got, model.alloc(), "step {step}");
                match got {
                    Some(addr) => {
                        allocated.push((addr, 1));
                        highest = highest.max(addr);
                    }
                    None => saw_full = true,
                }
            }
        } else if roll < 95 {
            if allocated.is_empty() {
                continue;
            }
            let (addr, count) = allocated.swap_remove(rng.below(allocated.len() as u64) as usize);
            // Blocks may be freed whole or frame by frame, and singles with `free`.
            if count > 1 && rng.below(2) == 0 {
                for frame in 0..count {
                    let frame_addr = addr + frame * FRAME_SIZE;
                    assert_eq!(bitmap.free(frame_addr), model.free_contiguous(frame_addr, 1));
                }
            } else if count == 1 {
                assert_eq!(bitmap.free(addr), Ok(()));
                assert_eq!(model.free_contiguous(addr, 1), Ok(()));
            } else {
                assert_eq!(bitmap.free_contiguous(addr, count as usize), Ok(()));
                assert_eq!(model.free_contiguous(addr, count), Ok(()));
            }
            if rng.below(4) == 0 {
                let again = bitmap.free(addr);
                assert_eq!(again, Err(FreeError::DoubleFree(addr)));
                assert_eq!(again, model.free_contiguous(addr, 1));
            }
        } else {
            // A free that must be refused (and change nothing): any address, aligned or
            // not, inside or beyond the map, of one or more frames, unless it would free
            // only allocated frames.
            let mut addr = rng.below(tracked_end + 0x10_0000);
            if rng.below(4) != 0 {
                addr &= !(FRAME_SIZE - 1);
            }
            let count = 1 + rng.below(3);
            let first = addr / FRAME_SIZE;
            let all_allocated = addr.is_multiple_of(FRAME_SIZE)
                && (first..first + count)
                    .all(|f| model.allocatable.get(f as usize) == Some(&true) && !model.free.contains(&f));
            if !all_allocated {
                let expected = model.free_contiguous(addr, count);
                assert!(expected.is_err());
                assert_eq!(bitmap.free_contiguous(addr, count as usize), expected, "step {step}");
            }
        }
        assert_eq!(bitmap.stats(), model.stats(), "step {step}");
        if step % 97 == 0 {
            let probe = rng.below(tracked_end + 0x2000);
            assert_eq!(bitmap.is_free(probe), model.free.contains(&(probe / FRAME_SIZE)));
        }
    }
    assert!(saw_full, "the sequence never filled memory");
    // Free what is left: everything is free again.
    for (addr, count) in allocated {
        bitmap.free_contiguous(addr, count as usize).unwrap();
    }
    let stats = bitmap.stats();
    assert_eq!(stats.free, stats.total - stats.reserved);
    highest
}

#[test]
fn random_operations_match_model_in_low_memory() {
    for seed in [1, 0x1234_5678, 0xfeed_f00d] {
        let highest = check_against_model(&SMALL_MAP, seed, 60_000);
        assert_eq!(highest, 0x6f_f000 - FRAME_SIZE);
    }
}

#[test]
fn random_operations_match_model_above_4_gib() {
    let model = Model::new(&HIGH_MAP);
    assert!(model.free.contains(&(0x1_0000_2000 / FRAME_SIZE)));
    assert!(model.free.contains(&(0x1_3fff_e000 / FRAME_SIZE)));
    assert!(!model.free.contains(&(0x1_3fff_f000 / FRAME_SIZE)));
    let highest = check_against_model(&HIGH_MAP, 7, 40_000);
    assert_eq!(highest, 0x1_3fff_e000);
}

/// Allocates every frame one at a time and checks they are distinct and allocatable, then
/// frees them all (in a shuffled order) and checks the stats are as at the start.
fn alloc_all_then_free_all(map: &Map) {
    let mut storage = storage_for(map);
    let mut bitmap = bitmap(&mut storage, map);
    let model = Model::new(map);
    let initial = bitmap.stats();
    assert_eq!(initial, model.stats());
    let mut taken = vec![false; model.allocatable.len()];
    let mut frames = Vec::new();
    while let Some(addr) = bitmap.alloc() {
        assert_eq!(addr % FRAME_SIZE, 0);
        let frame = (addr / FRAME_SIZE) as usize;
        assert!(model.allocatable[frame], "{addr:#x} is not allocatable");
        assert!(!taken[frame], "{addr:#x} handed out twice");
        taken[frame] = true;
        frames.push(addr);
    }
    assert_eq!(frames.len() as u64, initial.free);
    assert_eq!(bitmap.stats(), FrameStats { free: 0, ..initial });
    assert_eq!(bitmap.alloc_contiguous(1, 1), None);
    let mut rng = Rng(99);
    for i in (1..frames.len()).rev() {
        frames.swap(i, rng.below(i as u64 + 1) as usize);
    }
    for &addr in &frames {
        bitmap.free(addr).unwrap();
    }
    assert_eq!(bitmap.stats(), initial);
    assert_eq!(bitmap.alloc(), model.free.first().map(|f| f * FRAME_SIZE));
}

#[test]
fn alloc_all_then_free_all_in_low_memory() {
    alloc_all_then_free_all(&SMALL_MAP);
}

#[test]
fn alloc_all_then_free_all_above_4_gib() {
    alloc_all_then_free_all(&HIGH_MAP);
    alloc_all_then_free_all(&BIG_MAP);
}

#[test]
fn stats_count_usable_and_reserved_frames() {
    let mut storage = storage_for(&SMALL_MAP);
    let bitmap = bitmap(&mut storage, &SMALL_MAP);
    // Usable: 0..0x9f (0x9fc00 rounds down), 0x100..0x501 (the overlapping ranges join,
    // 0x500123 rounds down), 0x601..0x700 (0x600800 rounds up).
    let total = 0x9f + (0x500 - 0x100) + (0x700 - 0x601);
    // Reserved and usable: frames 0 and 1 (0x1234), 0x200..0x280, 0x4ff..0x500,
    // 0x6ff.
    let reserved = 2 + 0x80 + 1 + 1;
    let expected = FrameStats { total, free: total - reserved, reserved };
    assert_eq!(bitmap.stats(), expected);
}

#[test]
fn refused_frees_say_why_and_change_nothing() {
    let mut storage = storage_for(&SMALL_MAP);
    let mut bitmap = bitmap(&mut storage, &SMALL_MAP);
    let first = bitmap.alloc().unwrap();
    assert_eq!(first, 0x2000, "frames 0 and 1 are reserved");
    let before = bitmap.stats();

    let cases = [
        (0x2000, 1, FreeError::Unaligned(0x2001), "free of address 0x2001, which is not 4 KiB aligned"),
        (0x3000, 1, FreeError::DoubleFree(0x3000), "double free of frame 0x3000"),
        (0x1000, 1, FreeError::Reserved(0x1000), "free of frame 0x1000, which is reserved or not usable RAM"),
        (0x20_5000, 1, FreeError::Reserved(0x20_5000), "free of frame 0x205000, which is reserved or not usable RAM"),
        (0xa_0000, 1, FreeError::Reserved(0xa_0000), "free of frame 0xa0000, which is reserved or not usable RAM"),
        (0x9_f000, 1, FreeError::Reserved(0x9_f000), "free of frame 0x9f000, which is reserved or not usable RAM"),
        (0x70_0000, 1, FreeError::OutOfRange(0x70_0000), "free of frame 0x700000, beyond the end of usable RAM"),
        (!0xfff, 1, FreeError::OutOfRange(!0xfff), "free of frame 0xfffffffffffff000, beyond the end of usable RAM"),
    ];
    for (addr, _, error, message) in cases {
        let addr = if let FreeError::Unaligned(a) = error { a } else { addr };
        assert_eq!(bitmap.free(addr), Err(error));
        assert_eq!(error.to_string(), message);
    }
    // A run is checked whole before any frame is freed: the first bad frame is reported.
    assert_eq!(bitmap.free_contiguous(first, 2), Err(FreeError::DoubleFree(0x3000)));
    assert_eq!(bitmap.free_contiguous(0, 4), Err(FreeError::Reserved(0)));
    assert_eq!(bitmap.free_contiguous(first, usize::MAX), Err(FreeError::DoubleFree(0x3000)));
    assert!(!bitmap.is_free(first));
    assert_eq!(bitmap.stats(), before);
    assert_eq!(bitmap.free_contiguous(first, 0), Ok(()));
    assert_eq!(bitmap.free(first), Ok(()));
    assert!(bitmap.is_free(first));
    assert!(bitmap.is_free(first + 0xfff));
    assert!(!bitmap.is_free(0x1000));
    assert!(!bitmap.is_free(u64::MAX));
}

#[test]
fn frames_of_a_run_free_one_by_one_and_singles_free_as_a_run() {
    let mut storage = storage_for(&SMALL_MAP);
    let mut bitmap = bitmap(&mut storage, &SMALL_MAP);
    let run = bitmap.alloc_contiguous(3, 1).unwrap();
    for frame in 0..3 {
        bitmap.free(run + frame * FRAME_SIZE).unwrap();
    }
    let singles = [bitmap.alloc().unwrap(), bitmap.alloc().unwrap()];
    assert_eq!(singles, [run, run + FRAME_SIZE]);
    bitmap.free_contiguous(run, 2).unwrap();
    assert_eq!(bitmap.stats().free, bitmap.stats().total - bitmap.stats().reserved);
}

#[test]
fn contiguous_runs_are_aligned_and_skip_holes_and_reservations() {
    let mut storage = storage_for(&SMALL_MAP);
    let mut bitmap = bitmap(&mut storage, &SMALL_MAP);
    // 16 frames aligned to 16: not at 0 (reserved frames 0 and 1), first at 0x10.
    assert_eq!(bitmap.alloc_contiguous(16, 16), Some(0x1_0000));
    // 0x100 frames: low memory (0x9f frames) is too small; 0x100..0x200 fits.
    assert_eq!(bitmap.alloc_contiguous(0x100, 1), Some(0x10_0000));
    // After the reservation at 0x200..0x280, across the two overlapping usable ranges.
    assert_eq!(bitmap.alloc_contiguous(0x200, 0x80), Some(0x28_0000));
    // Aligned to 0x200 frames: 0x200 is reserved, 0x400 taken, 0x600 not usable RAM.
    assert_eq!(bitmap.alloc_contiguous(0x100, 0x200), None);
    // 0x480..0x4ff is free but 0x4ff is reserved, and so is 0x6ff after 0x680..0x6ff.
    assert_eq!(bitmap.alloc_contiguous(0x80, 0x80), None);
    assert_eq!(bitmap.alloc_contiguous(0x7f, 0x80), Some(0x48_0000));
    assert_eq!(bitmap.alloc_contiguous(0, 1), None);
    assert_eq!(bitmap.alloc_contiguous(1, 3), None);
    assert_eq!(bitmap.alloc_contiguous(1, 0), None);
    assert_eq!(bitmap.alloc_contiguous(usize::MAX, 1), None);
    assert_eq!(bitmap.alloc_contiguous(1, 1 << 62), None);
    assert_eq!(bitmap.alloc_contiguous(1, 1), Some(0x2000));
}

#[test]
fn storage_may_be_longer_than_needed_and_holds_garbage() {
    let mut storage = vec![u64::MAX; FrameBitmap::storage_words(0x70_0000) + 100];
    let mut bitmap = bitmap(&mut storage, &SMALL_MAP);
    let model = Model::new(&SMALL_MAP);
    assert_eq!(bitmap.stats(), model.stats());
    assert_eq!(bitmap.alloc(), Some(0x2000));
}

#[test]
#[should_panic(expected = "frame bitmap storage too small")]
fn too_little_storage_panics() {
    let mut storage = vec![0; FrameBitmap::storage_words(0x70_0000) - 1];
    bitmap(&mut storage, &SMALL_MAP);
}

#[test]
fn no_usable_memory() {
    let mut storage = vec![7; FrameBitmap::storage_words(0)];
    const NO_WHOLE_FRAME: Map = Map { usable: &[range(0x1000, 0x1fff), range(5, 5)], reserved: &[range(0, 0x10_0000)] };
    let mut bitmap = bitmap(&mut storage, &NO_WHOLE_FRAME);
    assert_eq!(bitmap.stats(), FrameStats::default());
    assert_eq!(bitmap.alloc(), None);
    assert_eq!(bitmap.alloc_contiguous(1, 1), None);
    assert_eq!(bitmap.free(0), Err(FreeError::OutOfRange(0)));
}

#[test]
fn storage_words_grows_by_about_two_bits_per_frame() {
    assert_eq!(FrameBitmap::storage_words(0), 2);
    // 64 frames: one word of free bits, one of allocatable bits.
    assert_eq!(FrameBitmap::storage_words(64 * FRAME_SIZE), 2);
    // 65 frames: two words at level 0, one above it, two allocatable.
    assert_eq!(FrameBitmap::storage_words(65 * FRAME_SIZE), 5);
    // 64 GiB: 2^24 frames, 2^18 words per bit array, plus 2^12 + 2^6 + 1 for the tree.
    assert_eq!(FrameBitmap::storage_words(64 << 30), 2 * (1 << 18) + (1 << 12) + (1 << 6) + 1);
    // The whole 64-bit address space does not overflow.
    assert!(FrameBitmap::storage_words(u64::MAX) > 1 << 46);
}

#[test]
fn find_storage_avoids_reservations_and_respects_min_addr() {
    let usable = SMALL_MAP.usable.iter().copied();
    let reserved = SMALL_MAP.reserved.iter().copied();
    let find = |bytes, min_addr| FrameBitmap::find_storage(usable.clone(), reserved.clone(), bytes, min_addr);
    // Frames 0 and 1 are reserved; 0x2000 is the lowest room.
    assert_eq!(find(1, 0), Some(range(0x2000, 0x3000)));
    assert_eq!(find(0x1001, 0), Some(range(0x2000, 0x4000)));
    // Unaligned `min_addr` rounds up.
    assert_eq!(find(0x1000, 0x2001), Some(range(0x3000, 0x4000)));
    // Too big for low memory (0x9d free frames).
    assert_eq!(find(0x9e000, 0), Some(range(0x10_0000, 0x19_e000)));
    // Starting inside the kernel's reservation moves past it.
    assert_eq!(find(0x1000, 0x20_0000), Some(range(0x28_0000, 0x28_1000)));
    // Across the two overlapping usable ranges, up to the reservation at 0x4ff000.
    assert_eq!(find(0x27_f000, 0), Some(range(0x28_0000, 0x4f_f000)));
    // 0x601..0x6ff is the largest room after that.
    assert_eq!(find(0xfe000, 0x4f_f000), Some(range(0x60_1000, 0x6f_f000)));
    assert_eq!(find(0xff000, 0x4f_f000), None);
    assert_eq!(find(0x28_0000, 0), None);
    assert_eq!(find(0, 0), None);
    assert_eq!(find(u64::MAX, 0), None);
    assert_eq!(find(0x1000, u64::MAX), None);
}

#[test]
fn find_storage_result_bootstraps_a_bitmap() {
    let end = HIGH_MAP.usable.iter().map(|r| r.end).max().unwrap();
    let words = FrameBitmap::storage_words(end);
    let bytes = words as u64 * 8;
    let usable = HIGH_MAP.usable.iter().copied();
    let reserved = HIGH_MAP.reserved.iter().copied();
    let room = FrameBitmap::find_storage(usable.clone(), reserved.clone(), bytes, 0).unwrap();
    // About 330 KiB: it fits in 0x200000..0x400000, between two reservations.
    assert!(bytes < 0x20_0000);
    assert_eq!(room.start, 0x20_0000);
    assert_eq!(room.end, 0x20_0000 + bytes.next_multiple_of(FRAME_SIZE));
    let mut storage = vec![0; words];
    let mut bitmap = FrameBitmap::new(&mut storage, usable, reserved.chain([room]));
    let first = bitmap.alloc().unwrap();
    assert!(first >= room.end);
    assert_eq!(bitmap.stats().reserved, Model::new(&HIGH_MAP).stats().reserved + (room.end - room.start) / FRAME_SIZE);
}

/// A free/alloc/alloc pattern that makes a "next free word" hint rescan every full word
/// between the two free frames: with ~12,000 full words between them, a scanning allocator
/// would need billions of word reads here; the tree needs a few per call.
#[test]
fn alloc_stays_fast_when_memory_is_nearly_full() {
    let mut storage = storage_for(&BIG_MAP);
    let mut bitmap = bitmap(&mut storage, &BIG_MAP);
    let lowest = bitmap.alloc().unwrap();
    let mut highest = lowest;
    while let Some(addr) = bitmap.alloc() {
        highest = addr;
    }
    assert_eq!(highest, 0x1_3fff_f000);
    bitmap.free(highest).unwrap();
    for _ in 0..500_000 {
        bitmap.free(lowest).unwrap();
        assert_eq!(bitmap.alloc(), Some(lowest));
        assert_eq!(bitmap.alloc(), Some(highest));
        bitmap.free(highest).unwrap();
    }
    assert_eq!(bitmap.stats().free, 1);
}
