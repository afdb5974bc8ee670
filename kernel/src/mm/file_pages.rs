//! Pages of tmpfs file data, each a physical frame (freed when the page is
//! dropped). As Linux's tmpfs by default, file data may take at most half of
//! memory, so filling /tmp gives ENOSPC while programs still have room; and the
//! frame allocator keeps its reserve for the kernel besides.
use alloc::boxed::Box;
use core::sync::atomic::{AtomicU64, Ordering};

use ramfs::{Page, PageAllocator, Source};

use super::{frames, phys};

/// Frames holding file data now.
static IN_USE: AtomicU64 = AtomicU64::new(0);

/// The most frames file data may hold: half of memory (Linux's tmpfs `size`).
pub fn limit() -> u64 {
    frames::stats().total / 2
}

/// Frames of file data now.
pub fn in_use() -> u64 {
    IN_USE.load(Ordering::Relaxed)
}

/// One page of file data: an owned frame.
#[derive(Debug)]
struct FramePage(u64);

impl Page for FramePage {
    fn read(&self, offset: usize, buffer: &mut [u8]) {
        phys::read(self.0, offset, buffer);
    }

    fn write(&mut self, offset: usize, data: &[u8]) {
        phys::write(self.0, offset, data);
    }

    fn fill(&mut self, offset: usize, len: usize, source: &mut Source<'_>) -> usize {
        phys::with_bytes_mut(self.0, offset, len, |bytes| source(bytes))
    }

    fn address(&self) -> u64 {
        self.0
    }
}

impl Drop for FramePage {
    fn drop(&mut self) {
        frames::free(self.0);
        IN_USE.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The tmpfs page source.
#[derive(Debug)]
pub struct FramePages;

impl FramePages {
    /// A frame for a file, counted, unless the limit is reached; cleared if `zeroed`.
    fn take(zeroed: bool) -> Option<Box<dyn Page>> {
        if in_use() >= limit() {
            return None;
        }
        let frame = frames::alloc()?;
        IN_USE.fetch_add(1, Ordering::Relaxed);
        if zeroed {
            phys::zero_frame(frame);
        }
        Some(Box::new(FramePage(frame)))
    }
}

impl PageAllocator for FramePages {
    fn allocate(&self) -> Option<Box<dyn Page>> {
        Self::take(true)
    }

    fn allocate_unzeroed(&self) -> Option<Box<dyn Page>> {
        Self::take(false)
    }
}
