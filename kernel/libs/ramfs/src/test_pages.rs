//! A page allocator for the tests (the crate's own, and others' with the
//! `test-support` feature): pages on the heap, at most `limit` at a time, with a count
//! of the pages alive (allocated and not yet dropped).

use alloc::boxed::Box;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicUsize, Ordering};

use crate::data::{PAGE_SIZE, Page, PageAllocator, Source};

pub struct HeapPages {
    limit: AtomicUsize,
    live: Arc<AtomicUsize>,
}

struct HeapPage {
    bytes: Box<[u8; PAGE_SIZE]>,
    live: Arc<AtomicUsize>,
}

impl HeapPages {
    /// An allocator that hands out at most `limit` pages at once.
    pub fn with_limit(limit: usize) -> Arc<HeapPages> {
        Arc::new(HeapPages { limit: AtomicUsize::new(limit), live: Arc::new(AtomicUsize::new(0)) })
    }

    /// An allocator with room for any test.
    pub fn unlimited() -> Arc<HeapPages> {
        Self::with_limit(usize::MAX)
    }

    /// Pages allocated and not yet dropped.
    pub fn live(&self) -> usize {
        self.live.load(Ordering::SeqCst)
    }

    pub fn set_limit(&self, limit: usize) {
        self.limit.store(limit, Ordering::SeqCst);
    }
}

impl HeapPages {
    /// A page filled with `byte`, counted, unless the limit is reached.
    fn page_of(&self, byte: u8) -> Option<Box<dyn Page>> {
        let limit = self.limit.load(Ordering::SeqCst);
        self.live.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |live| (live < limit).then_some(live + 1)).ok()?;
        Some(Box::new(HeapPage { bytes: Box::new([byte; PAGE_SIZE]), live: self.live.clone() }))
    }
}

/// What an unzeroed page holds here: stale bytes a test would see if a file
/// showed them.
pub const STALE_BYTE: u8 = 0xa5;

impl PageAllocator for HeapPages {
    fn allocate(&self) -> Option<Box<dyn Page>> {
        self.page_of(0)
    }

    fn allocate_unzeroed(&self) -> Option<Box<dyn Page>> {
        self.page_of(STALE_BYTE)
    }
}

impl Page for HeapPage {
    fn read(&self, offset: usize, buffer: &mut [u8]) {
        buffer.copy_from_slice(&self.bytes[offset..offset + buffer.len()]);
    }

    fn write(&mut self, offset: usize, data: &[u8]) {
        self.bytes[offset..offset + data.len()].copy_from_slice(data);
    }

    fn fill(&mut self, offset: usize, len: usize, source: &mut Source<'_>) -> usize {
        source(&mut self.bytes[offset..offset + len])
    }

    fn address(&self) -> u64 {
        self.bytes.as_ptr() as u64
    }
}

impl Drop for HeapPage {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::SeqCst);
    }
}
