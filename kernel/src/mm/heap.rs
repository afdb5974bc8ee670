//! The kernel heap: talc, growing by claiming physically contiguous frames (seen
//! through the direct map) whenever it runs out, and giving whole free frames at
//! the end of a heap (or a whole empty heap) back to the frame allocator beyond
//! the 256 KiB each heap keeps. The kernel's own requests may
//! grow it into the frame allocator's reserve, and one that still cannot be met
//! panics with "out of memory" and the sizes. Memory a process asks for (its
//! buffers, pipe contents) is allocated `for_user`: the heap then grows only while
//! the reserve stays untouched, and failure is an error (ENOMEM), never a panic.
use alloc::vec::Vec;
use core::alloc::Layout;
use core::sync::atomic::{AtomicBool, Ordering};

use kabi::Errno;

use talc::base::Talc;
use talc::base::binning::Binning;
use talc::source::Source;

use super::frames::{self, FRAME_SIZE};
use crate::arch::cpu::without_interrupts;
use crate::layout::phys_to_virt;

/// Grow in steps of at least this much (256 KiB), more for big requests.
const GROW_FRAMES: usize = 64;

/// Set while an allocation runs `for_user`: the heap then reports failure instead
/// of panicking when it cannot grow, and leaves the frame reserve alone.
static FOR_USER: AtomicBool = AtomicBool::new(false);

/// Run `allocate` (fallible allocations: `try_reserve` and the like) as memory a
/// process asked for: it fails rather than take the kernel's reserve.
pub fn for_user<R>(allocate: impl FnOnce() -> R) -> R {
    // Interrupts off: no other allocation can happen while FOR_USER is set.
    without_interrupts(|| {
        let outer = FOR_USER.swap(true, Ordering::Relaxed);
        let result = allocate();
        FOR_USER.store(outer, Ordering::Relaxed);
        result
    })
}

/// A zeroed buffer of `len` bytes, or ENOMEM when memory outside the kernel's
/// reserve cannot hold it: for buffers whose size a user chose.
pub fn try_zeroed_bytes(len: usize) -> Result<Vec<u8>, Errno> {
    let mut buffer = Vec::new();
    for_user(|| buffer.try_reserve_exact(len)).map_err(|_| Errno::ENOMEM)?;
    buffer.resize(len, 0);
    Ok(buffer)
}

/// Bytes the heap holds (claimed from the frame allocator) and hands out now.
#[derive(Debug, Clone, Copy)]
pub struct HeapStats {
    pub claimed: usize,
    pub allocated: usize,
}

pub fn stats() -> HeapStats {
    let counters = *HEAP.lock().counters();
    HeapStats { claimed: counters.claimed_bytes, allocated: counters.allocated_bytes }
}

/// The heap's memory source: frames from the frame allocator.
#[derive(Debug)]
pub struct FrameSource;

// SAFETY: acquire only claims memory it took from the frame allocator (owned from then
// on by the heap) and never touches the global allocator.
unsafe impl Source for FrameSource {
    fn acquire<B: Binning>(talc: &mut Talc<Self, B>, layout: Layout) -> Result<(), ()> {
        let needed = (layout.size() + layout.align() + 4096).div_ceil(FRAME_SIZE as usize);
        // A big step when memory allows, else just what this request needs (free
        // memory may be too fragmented for a big contiguous step).
        let step = needed.max(GROW_FRAMES);
        let for_user = FOR_USER.load(Ordering::Relaxed);
        let grown = frames::alloc_for_heap(step, 1, for_user)
            .map(|phys| (phys, step))
            .or_else(|| frames::alloc_for_heap(needed, 1, for_user).map(|phys| (phys, needed)));
        let Some((phys, count)) = grown else {
            if for_user {
                return Err(());
            }
            let free = frames::stats().free;
            panic!(
                "out of memory: the kernel heap cannot grow for {} bytes (align {}); {free} frames free, none {needed} contiguous",
                layout.size(),
                layout.align()
            );
        };
        // SAFETY: the frames were just allocated and are used by nothing else; the
        // direct map makes them addressable.
        match unsafe { talc.claim(phys_to_virt(phys) as *mut u8, count * FRAME_SIZE as usize) } {
            Some(_) => Ok(()),
            None => Err(()),
        }
    }

    /// talc tells where each heap's free tail starts, so whole free frames go back.
    const TRACK_HEAP_END: bool = true;

    /// Give the frames of a heap's free tail back to the frame allocator, but
    /// for KEPT_FRAMES of them: all of a heap that became empty, unless it is no
    /// bigger than that; else the whole frames above its last allocation beyond
    /// those kept.
    unsafe fn resize(&mut self, chunk_base: *mut u8, heap_end: *mut u8, is_heap_base: bool) -> *mut u8 {
        let (base, end) = (chunk_base as u64, heap_end as u64);
        let kept = KEPT_FRAMES * FRAME_SIZE;
        let (keep_until, new_end) = if is_heap_base {
            // The heap starts on the frame boundary just below chunk_base (claims
            // are whole frames); returning chunk_base deletes it.
            let start = base.saturating_sub(1) & !(FRAME_SIZE - 1);
            if end - start <= kept {
                return heap_end;
            }
            (start, chunk_base)
        } else {
            let first_free = base.next_multiple_of(FRAME_SIZE);
            if end.saturating_sub(first_free) <= kept {
                return heap_end;
            }
            (first_free + kept, (first_free + kept) as *mut u8)
        };
        for page in (keep_until..end).step_by(FRAME_SIZE as usize) {
            frames::free(page - phys_to_virt(0));
        }
        new_end
    }
}

/// Free frames a heap keeps (one growth step, 256 KiB): a transient allocation
/// that made the heap grow (a write's bounce buffer) would otherwise claim and
/// give back frames at every call. The leak checks count them as the heap's
/// slack (/proc/kheap).
const KEPT_FRAMES: u64 = GROW_FRAMES as u64;

#[global_allocator]
static HEAP: talc::TalcLock<crate::arch::irq_lock::IrqSpinlock, FrameSource> = talc::TalcLock::new(FrameSource);
