//! Memory a device reads and writes by itself (DMA): whole zeroed frames, owned
//! by one driver structure each and freed with it, read and written with volatile
//! accesses through the direct map so that neither side's view is cached in
//! registers, with a fence before a device is told to look (`publish`).
use core::sync::atomic::{Ordering, compiler_fence};

use crate::layout::phys_to_virt;

use super::frames::{self, FRAME_SIZE};

/// One 4 KiB frame of DMA memory.
#[derive(Debug)]
pub struct DmaFrame {
    phys: u64,
}

impl DmaFrame {
    /// A zeroed frame, if memory is left.
    pub fn new() -> Option<Self> {
        let phys = frames::alloc()?;
        super::phys::zero_frame(phys);
        Some(Self { phys })
    }

    /// Its physical address (what the device is given).
    pub fn phys(&self) -> u64 {
        self.phys
    }

    fn at(&self, offset: usize, size: usize) -> u64 {
        assert!(offset.is_multiple_of(size) && offset + size <= FRAME_SIZE as usize, "DMA access outside its frame");
        phys_to_virt(self.phys) + offset as u64
    }

    pub fn read_u32(&self, offset: usize) -> u32 {
        // SAFETY: an aligned word inside a frame this value owns (checked by `at`).
        unsafe { core::ptr::read_volatile(self.at(offset, 4) as *const u32) }
    }

    pub fn write_u32(&self, offset: usize, value: u32) {
        // SAFETY: an aligned word inside a frame this value owns (checked by `at`).
        unsafe { core::ptr::write_volatile(self.at(offset, 4) as *mut u32, value) }
    }

    pub fn write_u64(&self, offset: usize, value: u64) {
        // SAFETY: an aligned quad word inside a frame this value owns (checked by `at`).
        unsafe { core::ptr::write_volatile(self.at(offset, 8) as *mut u64, value) }
    }

    /// Words `offset..offset + out.len() * 4`.
    pub fn read_words(&self, offset: usize, out: &mut [u32]) {
        for (index, word) in out.iter_mut().enumerate() {
            *word = self.read_u32(offset + index * 4);
        }
    }

    pub fn write_words(&self, offset: usize, words: &[u32]) {
        for (index, word) in words.iter().enumerate() {
            self.write_u32(offset + index * 4, *word);
        }
    }

    /// Bytes `offset..offset + out.len()`.
    pub fn read_bytes(&self, offset: usize, out: &mut [u8]) {
        for (index, byte) in out.iter_mut().enumerate() {
            let at = offset + index;
            *byte = (self.read_u32(at & !3) >> ((at & 3) * 8)) as u8;
        }
    }
}

impl Drop for DmaFrame {
    fn drop(&mut self) {
        frames::free(self.phys);
    }
}

/// Order every write to DMA memory before what follows (a doorbell), and every
/// read after what came before (an event's cycle bit).
pub fn publish() {
    compiler_fence(Ordering::SeqCst);
}
