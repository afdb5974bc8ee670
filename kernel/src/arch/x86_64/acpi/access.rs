//! The machine as the firmware names it (the FADT's registers, the AML's
//! operation regions): system memory through the kernel's direct map and system
//! I/O ports, each access one width-generic read or write.
use x86_64::instructions::port::{Port, PortRead, PortWrite};

use super::handler::covers;
use crate::layout::phys_to_virt;

/// Read a `T` at physical `address`; None if the direct map does not hold it.
pub fn memory_read<T: Copy>(address: u64) -> Option<T> {
    // SAFETY: the firmware names this memory (a register or an operation
    // region); `covers` checked that the direct map holds every byte of it.
    covers(address, size_of::<T>()).then(|| unsafe { core::ptr::read_volatile(phys_to_virt(address) as *const T) })
}

/// Write a `T` at physical `address`; false if the direct map does not hold it.
pub fn memory_write<T: Copy>(address: u64, value: T) -> bool {
    let covered = covers(address, size_of::<T>());
    if covered {
        // SAFETY: as in `memory_read`; the firmware decides what its own
        // registers and regions get, as on any ACPI system.
        unsafe { core::ptr::write_volatile(phys_to_virt(address) as *mut T, value) }
    }
    covered
}

/// Read a port the firmware names.
pub fn port_read<T: PortRead>(port: u16) -> T {
    // SAFETY: the firmware names this port (a fixed register or a SystemIO
    // operation region): one its own chipset decodes, read as it means it to be.
    unsafe { Port::<T>::new(port).read() }
}

/// Write a port the firmware names.
pub fn port_write<T: PortWrite>(port: u16, value: T) {
    // SAFETY: as in `port_read`; the firmware decides what its own registers
    // get, as on any ACPI system.
    unsafe { Port::<T>::new(port).write(value) }
}
