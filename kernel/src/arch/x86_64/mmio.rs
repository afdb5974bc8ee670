//! Device registers in memory (PCI BARs): mapped uncached into the kernel's MMIO
//! window (layout.rs) by a bump allocator, never unmapped, and read and written
//! as aligned 32-bit words within the mapping's bounds.
use core::sync::atomic::{AtomicU64, Ordering};

use crate::layout::{MMIO_BASE, MMIO_END};

use super::paging::{self, PAGE_SIZE};

static NEXT: AtomicU64 = AtomicU64::new(MMIO_BASE);

/// A mapped register block.
#[derive(Debug)]
pub struct Mmio {
    base: u64,
    len: u64,
}

impl Mmio {
    /// Map `len` bytes of device memory at physical `phys` uncached.
    pub fn map(phys: u64, len: u64) -> Option<Self> {
        let offset = phys % PAGE_SIZE;
        let span = (offset + len.max(1)).next_multiple_of(PAGE_SIZE);
        let virt = NEXT.fetch_add(span, Ordering::Relaxed);
        if virt + span > MMIO_END {
            return None;
        }
        paging::map_device(virt, phys, len.max(1)).ok()?;
        Some(Self { base: virt + offset, len })
    }

    fn at(&self, offset: u64) -> u64 {
        assert!(offset.is_multiple_of(4) && offset + 4 <= self.len, "register {offset:#x} outside its block");
        self.base + offset
    }

    pub fn read32(&self, offset: u64) -> u32 {
        // SAFETY: an aligned word inside the mapped, uncached register block.
        unsafe { core::ptr::read_volatile(self.at(offset) as *const u32) }
    }

    pub fn write32(&self, offset: u64, value: u32) {
        // SAFETY: an aligned word inside the mapped, uncached register block.
        unsafe { core::ptr::write_volatile(self.at(offset) as *mut u32, value) }
    }

    /// A 64-bit register as two words, low first.
    pub fn write64(&self, offset: u64, value: u64) {
        self.write32(offset, value as u32);
        self.write32(offset + 4, (value >> 32) as u32);
    }
}
