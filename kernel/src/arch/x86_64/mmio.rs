//! Device registers in memory (a PCI BAR, an MSI-X table): 32-bit reads and
//! writes at a physical address, through the direct map made uncached there.
use super::paging;

/// The register at `phys` in the direct map, uncached; None if out of reach.
fn register(phys: u64) -> Option<*mut u32> {
    (phys.is_multiple_of(4)).then(|| paging::uncached_mmio(phys, 4)).flatten().map(|virt| virt as *mut u32)
}

/// Read the 32-bit device register at `phys` (None if unreachable).
pub fn read_u32(phys: u64) -> Option<u32> {
    // SAFETY: callers name a device register (a BAR or table a function's
    // configuration space gives); it is mapped uncached and aligned.
    register(phys).map(|at| unsafe { core::ptr::read_volatile(at) })
}

/// Write the 32-bit device register at `phys`; false if unreachable.
pub fn write_u32(phys: u64, value: u32) -> bool {
    // SAFETY: as in `read_u32`; the write goes to the device, not to RAM the
    // kernel uses.
    register(phys).map(|at| unsafe { core::ptr::write_volatile(at, value) }).is_some()
}
