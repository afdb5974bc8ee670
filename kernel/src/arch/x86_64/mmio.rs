//! Device registers in memory (the local and I/O APICs, the HPET, the PCIe
//! configuration window, PCI BARs): mapped uncached into the kernel's MMIO
//! window (layout.rs) by a bump allocator (2 MiB pages for blocks that large),
//! never unmapped, and read and written as aligned words within the mapping's
//! bounds.
use crate::layout::{MMIO_BASE, MMIO_END};

use super::paging::{self, HUGE_PAGE_SIZE, PAGE_SIZE};

static NEXT: spin::Mutex<u64> = spin::Mutex::new(MMIO_BASE);

/// A mapped register block.
#[derive(Debug)]
pub struct Mmio {
    base: u64,
    len: u64,
}

impl Mmio {
    /// Map `len` bytes of device memory at physical `phys` uncached.
    pub fn map(phys: u64, len: u64) -> Option<Self> {
        // A block of 2 MiB or more lands at the same offset in a 2 MiB page as
        // in physical memory, so paging can map it in 2 MiB pages.
        let align = if len >= HUGE_PAGE_SIZE { HUGE_PAGE_SIZE } else { PAGE_SIZE };
        let offset = phys % align;
        let span = (offset + len.max(1)).next_multiple_of(align);
        let virt = {
            let mut next = NEXT.lock();
            let virt = next.next_multiple_of(align);
            if virt + span > MMIO_END {
                return None;
            }
            *next = virt + span;
            virt
        };
        paging::map_device(virt + offset - phys % PAGE_SIZE, phys, len.max(1)).ok()?;
        Some(Self { base: virt + offset, len })
    }

    fn at(&self, offset: u64, width: u64) -> u64 {
        assert!(offset.is_multiple_of(width) && offset + width <= self.len, "register {offset:#x} outside its block");
        self.base + offset
    }

    pub fn read32(&self, offset: u64) -> u32 {
        // SAFETY: an aligned word inside the mapped, uncached register block.
        unsafe { core::ptr::read_volatile(self.at(offset, 4) as *const u32) }
    }

    pub fn write32(&self, offset: u64, value: u32) {
        // SAFETY: an aligned word inside the mapped, uncached register block.
        unsafe { core::ptr::write_volatile(self.at(offset, 4) as *mut u32, value) }
    }

    /// A 64-bit register in one access (an HPET counter that must not tear).
    pub fn read64(&self, offset: u64) -> u64 {
        // SAFETY: an aligned quadword inside the mapped, uncached register block.
        unsafe { core::ptr::read_volatile(self.at(offset, 8) as *const u64) }
    }

    /// A 64-bit register as two words, low first.
    pub fn write64(&self, offset: u64, value: u64) {
        self.write32(offset, value as u32);
        self.write32(offset + 4, (value >> 32) as u32);
    }
}
