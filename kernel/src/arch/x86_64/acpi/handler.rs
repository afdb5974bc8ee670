//! The `acpi` crate's window on physical memory: tables are read through the
//! kernel's direct map, so mapping is address arithmetic and unmapping is nothing.
//! A region the direct map does not cover is shown as zeros (which no table
//! signature matches), so a garbled table address gives an error, not a fault.
use core::ptr::NonNull;

use acpi::{AcpiHandler, PhysicalMapping};

use crate::arch::paging;
use crate::layout::phys_to_virt;

/// What an uncovered region reads as: zeros, as many as the largest table
/// structure the crate defines (the FADT's 276 bytes) needs.
static ZEROS: [u64; 64] = [0; 64];

#[derive(Debug, Clone, Copy)]
pub struct DirectMap;

/// Physical addresses at or above this are never in the direct map (its 64 TiB
/// window), so adding the direct-map base cannot overflow.
const PHYS_LIMIT: u64 = 1 << 46;

/// Whether the direct map covers `len` bytes from `phys` (it is contiguous from 0,
/// so both ends present means all of it is).
pub fn covers(phys: u64, len: usize) -> bool {
    let Some(last) = phys.checked_add(len.max(1) as u64 - 1) else { return false };
    let root = paging::kernel_root();
    last < PHYS_LIMIT
        && paging::translate(root, phys_to_virt(phys)).is_some()
        && paging::translate(root, phys_to_virt(last)).is_some()
}

impl AcpiHandler for DirectMap {
    unsafe fn map_physical_region<T>(&self, physical_address: usize, size: usize) -> PhysicalMapping<Self, T> {
        // The size is the table's own length, which may be less than `T` (an ACPI
        // 1.0 FADT of 116 bytes): the crate reads later fields only when the
        // table's revision says they are there.
        let (virt, len) = if covers(physical_address as u64, size) {
            (phys_to_virt(physical_address as u64) as *mut T, size)
        } else {
            log::warn!("acpi: table at {physical_address:#x} ({size} bytes) is outside the direct map");
            (ZEROS.as_ptr() as *mut T, size.min(size_of_val(&ZEROS)))
        };
        let virt = NonNull::new(virt).unwrap_or(NonNull::dangling());
        // SAFETY: `virt` points at `len` readable bytes: the direct map's alias of
        // the requested region (checked present above), or the static zeros. The
        // crate maps a table's header first and checks its signature, which zeros
        // never match, so it reads past them only for a table whose header is
        // mapped but whose end is not: one straddling the direct map's end (at 4 GiB
        // or above, where firmware does not put tables).
        unsafe { PhysicalMapping::new(physical_address, virt, len, len, *self) }
    }

    fn unmap_physical_region<T>(_region: &PhysicalMapping<Self, T>) {}
}
