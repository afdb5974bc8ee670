//! The physical frame allocator's bitmap: which 4 KiB frames of RAM are free, which are
//! allocated, and which may never be handed out (holes in the memory map, and reservations
//! such as the kernel image, boot modules and the bitmap's own storage).
//!
//! # Layout
//!
//! All state lives in one caller-provided `&mut [u64]` (see [`FrameBitmap::storage_words`]
//! and [`FrameBitmap::find_storage`] for bootstrapping it), tracking frames `0..N` where `N`
//! is the end of the highest usable range. It holds two bit arrays, one bit per frame:
//!
//! * **free**: set while the frame may be allocated now;
//! * **allocatable**: set for frames in usable RAM that no reservation covers; fixed at
//!   construction. A free of a frame whose bit is clear is refused, and a free of a frame
//!   whose free bit is already set is a double free.
//!
//! The free array is level 0 of a small tree: bit `i` of level `k + 1` says whether word
//! `i` of level `k` has any bit set, up to a single top word. Finding the lowest free frame
//! at or above some frame climbs the tree while the rest of a word is empty, then descends
//! with `trailing_zeros`, so it costs at most two words per level (4 levels for 64 GiB of
//! RAM) however full or fragmented memory is. This replaces the "next-free word" hint one
//! might expect: a hint that `free` lowers makes a free/alloc/alloc pattern rescan every
//! full word between the freed frame and the next free one, O(N) per call when memory is
//! nearly full; the tree costs about 1/63 more storage and has no such case.
//!
//! Allocation always returns the lowest free frame (and [`FrameBitmap::alloc_contiguous`]
//! the lowest suitable run), so its behaviour is deterministic. Frame 0 is handed out like
//! any other if it is usable and not reserved: reserve it if physical address 0 must not
//! be used.
#![cfg_attr(not(test), no_std)]

use core::fmt;

/// Size of one physical frame, in bytes.
pub const FRAME_SIZE: u64 = 4096;

const WORD_BITS: usize = u64::BITS as usize;

/// Levels of the free tree for the largest possible map: 2^52 frames need 2^46 words at
/// level 0, then 2^40, 2^34, ..., 2^4 and 1.
const MAX_LEVELS: usize = 9;

// Frame numbers (physical address / FRAME_SIZE, below 2^52) are kept in `usize`, so the
// `as usize` conversions in this file are lossless.
const _: () = assert!(usize::BITS >= 64, "frame numbers are kept in usize");

/// A range of physical memory in bytes: `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhysRange {
    pub start: u64,
    pub end: u64,
}

impl PhysRange {
    /// The frame numbers of the whole frames inside the range (rounded inward); empty
    /// (`first >= end`) if none.
    fn frames_inside(self) -> (u64, u64) {
        (self.start.div_ceil(FRAME_SIZE), self.end / FRAME_SIZE)
    }

    /// The frame numbers of every frame the range touches (rounded outward).
    fn frames_touched(self) -> (u64, u64) {
        (self.start / FRAME_SIZE, self.end.div_ceil(FRAME_SIZE))
    }
}

/// Why a frame could not be freed; each variant carries the physical address of the first
/// offending frame (or the unaligned address). A refused free changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FreeError {
    /// The frame is already free.
    DoubleFree(u64),
    /// The frame is below the end of usable RAM but never allocatable: a reservation
    /// covers it, or it lies in a hole of the memory map.
    Reserved(u64),
    /// The frame lies beyond the end of usable RAM.
    OutOfRange(u64),
    /// The address is not a multiple of [`FRAME_SIZE`].
    Unaligned(u64),
}

impl fmt::Display for FreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::DoubleFree(addr) => write!(f, "double free of frame {addr:#x}"),
            Self::Reserved(addr) => {
                write!(f, "free of frame {addr:#x}, which is reserved or not usable RAM")
            }
            Self::OutOfRange(addr) => {
                write!(f, "free of frame {addr:#x}, beyond the end of usable RAM")
            }
            Self::Unaligned(addr) => {
                write!(f, "free of address {addr:#x}, which is not 4 KiB aligned")
            }
        }
    }
}

/// Frame counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FrameStats {
    /// Frames in usable RAM (overlapping usable ranges count once).
    pub total: u64,
    /// Frames free for allocation now.
    pub free: u64,
    /// Frames of usable RAM that reservations take; they are never handed out.
    /// `total - reserved - free` frames are allocated.
    pub reserved: u64,
}

/// Where each part of the state lives in the storage slice, for a given frame count.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// Frames tracked: `0..frames`.
    frames: usize,
    /// Number of levels of the free tree; the last has exactly one word.
    levels: usize,
    /// First word of each level of the free tree; level 0 (one bit per frame) starts at 0.
    level_start: [usize; MAX_LEVELS],
    /// First word of the allocatable array, which follows the tree.
    allocatable_start: usize,
    /// Words of storage used in all.
    total_words: usize,
}

impl Layout {
    fn for_frames(frames: usize) -> Self {
        let level0_words = frames.div_ceil(WORD_BITS).max(1);
        let mut level_start = [0; MAX_LEVELS];
        let mut levels = 0;
        let mut start = 0;
        let mut words = level0_words;
        loop {
            level_start[levels] = start;
            levels += 1;
            start += words;
            if words == 1 {
                break;
            }
            words = words.div_ceil(WORD_BITS);
        }
        Self { frames, levels, level_start, allocatable_start: start, total_words: start + level0_words }
    }

    /// Words in level `level` of the free tree.
    fn level_words(&self, level: usize) -> usize {
        let end = if level + 1 == self.levels { self.allocatable_start } else { self.level_start[level + 1] };
        end - self.level_start[level]
    }
}

/// The words of a bit array holding bits `start..end`, each with the mask of those bits in it.
fn word_masks(start: usize, end: usize) -> impl Iterator<Item = (usize, u64)> {
    let mut bit = start;
    core::iter::from_fn(move || {
        if bit >= end {
            return None;
        }
        let word = bit / WORD_BITS;
        let first = bit % WORD_BITS;
        let last = (end - word * WORD_BITS).min(WORD_BITS);
        bit = word * WORD_BITS + last;
        Some((word, (u64::MAX >> (WORD_BITS - (last - first))) << first))
    })
}

fn frame_address(frame: usize) -> u64 {
    frame as u64 * FRAME_SIZE
}

/// The bitmap allocator of physical frames; see the crate documentation.
pub struct FrameBitmap<'a> {
    storage: &'a mut [u64],
    layout: Layout,
    stats: FrameStats,
}

impl<'a> FrameBitmap<'a> {
    /// Number of `u64` words of storage needed to track the frames that lie wholly below
    /// `max_phys_end`; pass the highest `end` of the usable ranges.
    pub fn storage_words(max_phys_end: u64) -> usize {
        Layout::for_frames((max_phys_end / FRAME_SIZE) as usize).total_words
    }

    /// Builds the bitmap from the usable RAM ranges and the reserved ranges; every
    /// allocatable frame starts free.
    ///
    /// `usable` may be unsorted, overlapping and unaligned: only whole frames inside a
    /// usable range are used (rounded inward). Reserved ranges cover every frame they touch
    /// (rounded outward); reserved frames are never handed out and freeing one is
    /// [`FreeError::Reserved`]. Frames outside the usable ranges stay unusable forever.
    ///
    /// `storage` may hold anything; it is initialised here. It must be at least
    /// [`Self::storage_words`]`(highest usable end)` words long; only that much is used.
    ///
    /// # Panics
    ///
    /// If `storage` is too short.
    pub fn new(
        storage: &'a mut [u64],
        usable: impl IntoIterator<Item = PhysRange> + Clone,
        reserved: impl IntoIterator<Item = PhysRange>,
    ) -> Self {
        let frames = usable
            .clone()
            .into_iter()
            .map(PhysRange::frames_inside)
            .filter(|(first, end)| first < end)
            .map(|(_, end)| end)
            .max()
            .unwrap_or(0) as usize;
        let layout = Layout::for_frames(frames);
        let given = storage.len();
        assert!(
            given >= layout.total_words,
            "frame bitmap storage too small: {given} words given, {} needed",
            layout.total_words
        );
        let (storage, _) = storage.split_at_mut(layout.total_words);
        storage.fill(0);
        let allocatable_start = layout.allocatable_start;
        let level0_words = layout.level_words(0);
        let count_allocatable = |storage: &mut [u64]| -> u64 {
            let words = &storage[allocatable_start..allocatable_start + level0_words];
            words.iter().map(|word| u64::from(word.count_ones())).sum()
        };

        for (first, end) in usable.into_iter().map(PhysRange::frames_inside) {
            for (word, mask) in word_masks(first as usize, end as usize) {
                storage[allocatable_start + word] |= mask;
            }
        }
        let total = count_allocatable(storage);
        for (first, end) in reserved.into_iter().map(PhysRange::frames_touched) {
            let end = end.min(frames as u64);
            for (word, mask) in word_masks(first as usize, end as usize) {
                storage[allocatable_start + word] &= !mask;
            }
        }
        let free = count_allocatable(storage);

        // Every allocatable frame starts free: level 0 of the tree is the allocatable
        // array; each level above it has a bit for each non-zero word of the one below.
        storage.copy_within(allocatable_start..allocatable_start + level0_words, 0);
        for level in 1..layout.levels {
            let below = layout.level_start[level - 1];
            for index in 0..layout.level_words(level - 1) {
                if storage[below + index] != 0 {
                    storage[layout.level_start[level] + index / WORD_BITS] |= 1 << (index % WORD_BITS);
                }
            }
        }

        Self { storage, layout, stats: FrameStats { total, free, reserved: total - free } }
    }

    /// Allocates the lowest free frame and returns its physical address, or `None` if no
    /// frame is free. Reads at most two words per tree level, however full memory is.
    pub fn alloc(&mut self) -> Option<u64> {
        let frame = self.next_free(0)?;
        self.set_free(frame, frame + 1, false);
        Some(frame_address(frame))
    }

    /// Frees the frame at physical address `addr`, which [`Self::alloc`] or
    /// [`Self::alloc_contiguous`] handed out. Refuses (changing nothing) an unaligned
    /// address, a frame beyond usable RAM, a reserved or unusable frame, and a free frame.
    pub fn free(&mut self, addr: u64) -> Result<(), FreeError> {
        self.free_contiguous(addr, 1)
    }

    /// Allocates `count` physically contiguous frames whose first frame number is a multiple
    /// of `align_frames` (a power of two), for DMA buffers and the like, and returns the
    /// physical address of the first. Takes the lowest such run. Returns `None` if there is
    /// none, if `count` is 0, or if `align_frames` is not a power of two.
    ///
    /// Costs about one word per 64 frames of the candidate runs it tries (runs of taken
    /// frames are skipped through the tree): slower than [`Self::alloc`], meant for rare
    /// large allocations.
    pub fn alloc_contiguous(&mut self, count: usize, align_frames: usize) -> Option<u64> {
        if count == 0 || !align_frames.is_power_of_two() {
            return None;
        }
        let mut first = 0;
        loop {
            first = self.next_free(first)?.checked_next_multiple_of(align_frames)?;
            let end = first.checked_add(count)?;
            if end > self.layout.frames {
                return None;
            }
            match self.first_taken(first, end) {
                None => {
                    self.set_free(first, end, false);
                    return Some(frame_address(first));
                }
                Some(taken) => first = taken + 1,
            }
        }
    }

    /// Frees `count` contiguous frames starting at physical address `addr`. Checks every
    /// frame as [`Self::free`] does before freeing any, and reports the first bad one; a
    /// refused free changes nothing. Frames allocated one by one may be freed together, and
    /// the other way round.
    pub fn free_contiguous(&mut self, addr: u64, count: usize) -> Result<(), FreeError> {
        if !addr.is_multiple_of(FRAME_SIZE) {
            return Err(FreeError::Unaligned(addr));
        }
        let first = (addr / FRAME_SIZE) as usize;
        // Every frame at or beyond `layout.frames` is an error, so the loop stops there.
        let end = first.saturating_add(count);
        for frame in first..end {
            let frame_addr = frame_address(frame);
            if frame >= self.layout.frames {
                return Err(FreeError::OutOfRange(frame_addr));
            }
            if !self.bit(self.layout.allocatable_start, frame) {
                return Err(FreeError::Reserved(frame_addr));
            }
            if self.bit(0, frame) {
                return Err(FreeError::DoubleFree(frame_addr));
            }
        }
        self.set_free(first, end, true);
        Ok(())
    }

    /// Whether the frame containing physical address `addr` is free for allocation now.
    pub fn is_free(&self, addr: u64) -> bool {
        let frame = (addr / FRAME_SIZE) as usize;
        frame < self.layout.frames && self.bit(0, frame)
    }

    /// Frame counts: usable, free now, and reserved.
    pub fn stats(&self) -> FrameStats {
        self.stats
    }

    /// Finds room for the bitmap's own storage before there is an allocator: the lowest
    /// `bytes` (rounded up to whole frames) of usable RAM that start at or above `min_addr`,
    /// are frame aligned, and overlap no reserved range (each rounded outward to frames).
    /// The room may span adjacent or overlapping usable ranges. Returns `None` if there is
    /// no such room or `bytes` is 0. The caller adds the result to the reserved ranges it
    /// passes to [`Self::new`].
    pub fn find_storage(
        usable: impl IntoIterator<Item = PhysRange> + Clone,
        reserved: impl IntoIterator<Item = PhysRange> + Clone,
        bytes: u64,
        min_addr: u64,
    ) -> Option<PhysRange> {
        let frames = bytes.div_ceil(FRAME_SIZE);
        if frames == 0 {
            return None;
        }
        let min_frame = min_addr.div_ceil(FRAME_SIZE);
        let usable_frames = move || usable.clone().into_iter().map(PhysRange::frames_inside);
        let reserved_frames = move || reserved.clone().into_iter().map(PhysRange::frames_touched);
        // Whether every frame of `first..end` is in some usable range.
        let all_usable = |first: u64, end: u64| {
            let mut covered_to = first;
            while covered_to < end {
                let reach = usable_frames()
                    .filter(|&(start, stop)| start <= covered_to && covered_to < stop)
                    .map(|(_, stop)| stop)
                    .max();
                match reach {
                    Some(stop) => covered_to = stop,
                    None => return false,
                }
            }
            true
        };
        let fits = |first: u64| {
            first.checked_add(frames).is_some_and(|end| {
                all_usable(first, end) && reserved_frames().all(|(start, stop)| stop <= first || end <= start)
            })
        };
        // The lowest room starts at `min_frame`, at the start of a usable range, or at the
        // end of a reservation: otherwise it could move one frame down.
        let candidates = core::iter::once(min_frame)
            .chain(usable_frames().map(|(start, _)| start))
            .chain(reserved_frames().map(|(_, stop)| stop));
        let first = candidates.filter(|&first| first >= min_frame && fits(first)).min()?;
        Some(PhysRange { start: first * FRAME_SIZE, end: (first + frames) * FRAME_SIZE })
    }

    /// Bit `index` of the bit array that starts at word `array_start` of the storage.
    fn bit(&self, array_start: usize, index: usize) -> bool {
        self.storage[array_start + index / WORD_BITS] & (1 << (index % WORD_BITS)) != 0
    }

    /// The lowest free frame at or above `frame`, if any: climbs the free tree while the
    /// rest of the current word is empty, then descends along the lowest set bits.
    fn next_free(&self, frame: usize) -> Option<usize> {
        let mut level = 0;
        // The bit to search from at `level`.
        let mut index = frame;
        loop {
            let word_index = index / WORD_BITS;
            if level == self.layout.levels || word_index >= self.layout.level_words(level) {
                return None;
            }
            let word = self.storage[self.layout.level_start[level] + word_index] & (u64::MAX << (index % WORD_BITS));
            if word != 0 {
                index = word_index * WORD_BITS + word.trailing_zeros() as usize;
                break;
            }
            // Nothing left in this word: search on from the next word, one level up.
            index = word_index + 1;
            level += 1;
        }
        // Each set bit above level 0 stands for a non-zero word below it.
        for level in (0..level).rev() {
            let word = self.storage[self.layout.level_start[level] + index];
            index = index * WORD_BITS + word.trailing_zeros() as usize;
        }
        Some(index)
    }

    /// The first frame of `first..end` that is not free, if any.
    fn first_taken(&self, first: usize, end: usize) -> Option<usize> {
        word_masks(first, end).find_map(|(word, mask)| {
            let taken = !self.storage[word] & mask;
            (taken != 0).then(|| word * WORD_BITS + taken.trailing_zeros() as usize)
        })
    }

    /// Marks frames `first..end` free or allocated, all of which are currently the other,
    /// keeping the tree and the free count in step.
    fn set_free(&mut self, first: usize, end: usize, free: bool) {
        for (word, mask) in word_masks(first, end) {
            self.update_tree(word, mask, free);
        }
        let count = (end - first) as u64;
        if free {
            self.stats.free += count;
        } else {
            self.stats.free -= count;
        }
    }

    /// Sets (or clears) the bits `mask` of word `index` of level 0 of the free tree, then
    /// the levels above while a word changes between zero and non-zero.
    fn update_tree(&mut self, mut index: usize, mut mask: u64, set: bool) {
        for level in 0..self.layout.levels {
            let word = &mut self.storage[self.layout.level_start[level] + index];
            let was_zero = *word == 0;
            if set {
                *word |= mask;
            } else {
                *word &= !mask;
            }
            if was_zero == (*word == 0) {
                return;
            }
            mask = 1 << (index % WORD_BITS);
            index /= WORD_BITS;
        }
    }
}

#[cfg(test)]
mod tests;
