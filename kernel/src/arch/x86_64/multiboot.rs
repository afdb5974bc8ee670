//! Access to the Multiboot2 boot information GRUB left in memory.
use multiboot2::{BootInformation, BootInformationHeader};

use crate::layout::phys_to_virt;

static BOOT_INFO: spin::Once<BootInformation<'static>> = spin::Once::new();

/// Parse the boot information at physical address `phys` (reached through the
/// direct map); it stays available for the kernel's lifetime.
pub fn load(phys: u64) -> Result<&'static BootInformation<'static>, multiboot2::LoadError> {
    let ptr = phys_to_virt(phys) as *const BootInformationHeader;
    // SAFETY: GRUB passed `phys` in EBX; the structure lies in low memory, which the
    // boot page tables map at the direct-map offset, and nothing frees or writes it
    // (the frame allocator reserves it).
    let boot = unsafe { BootInformation::load(ptr) }?;
    Ok(BOOT_INFO.call_once(|| boot))
}

/// View `len` bytes at physical address `phys` (a module, or an ELF section GRUB
/// loaded) through the direct map.
pub fn phys_bytes(phys: u64, len: usize) -> &'static [u8] {
    // SAFETY: the caller passes a range from the boot information, which GRUB loaded
    // and the frame allocator reserves for the kernel's lifetime; the direct map
    // covers all RAM.
    unsafe { core::slice::from_raw_parts(phys_to_virt(phys) as *const u8, len) }
}

/// The boot information `load` parsed.
pub fn get() -> &'static BootInformation<'static> {
    BOOT_INFO.get().expect("boot information loaded")
}
