//! Registers named by an ACPI Generic Address Structure (the FADT's PM1 control
//! blocks and reset register): read and written in system I/O space through the
//! ports, or in system memory through the direct map.
use acpi::address::{AccessSize, AddressSpace, GenericAddress};
use x86_64::instructions::port::Port;

use super::handler::covers;
use crate::layout::phys_to_virt;

/// Why a register cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterError {
    /// An address space other than system I/O or memory (PCI configuration,
    /// embedded controller, ...).
    Space(AddressSpace),
    /// A port above 0xffff, memory outside the direct map, or an 8-byte port.
    Address(u64),
}

/// Bytes moved per access: the access size if given, else the register's width.
fn width(reg: &GenericAddress) -> usize {
    match reg.access_size {
        AccessSize::ByteAccess => 1,
        AccessSize::WordAccess => 2,
        AccessSize::DWordAccess => 4,
        AccessSize::QWordAccess => 8,
        AccessSize::Undefined => match reg.bit_width {
            0..=8 => 1,
            9..=16 => 2,
            17..=32 => 4,
            _ => 8,
        },
    }
}

/// Check that the register is reachable; its port or direct-map address.
fn locate(reg: &GenericAddress) -> Result<u64, RegisterError> {
    let bad = RegisterError::Address(reg.address);
    match reg.address_space {
        AddressSpace::SystemIo if width(reg) <= 4 => u16::try_from(reg.address).map(u64::from).map_err(|_| bad),
        AddressSpace::SystemMemory if covers(reg.address, width(reg)) => Ok(phys_to_virt(reg.address)),
        AddressSpace::SystemIo | AddressSpace::SystemMemory => Err(bad),
        space => Err(RegisterError::Space(space)),
    }
}

pub fn read(reg: &GenericAddress) -> Result<u64, RegisterError> {
    let at = locate(reg)?;
    let io = reg.address_space == AddressSpace::SystemIo;
    // SAFETY: the FADT names this register; `locate` checked that the port fits
    // and that memory lies in the direct map. Reading PM1 control has no effects.
    let value = unsafe {
        match (io, width(reg)) {
            (true, 1) => u64::from(Port::<u8>::new(at as u16).read()),
            (true, 2) => u64::from(Port::<u16>::new(at as u16).read()),
            (true, _) => u64::from(Port::<u32>::new(at as u16).read()),
            (false, 1) => u64::from(core::ptr::read_volatile(at as *const u8)),
            (false, 2) => u64::from(core::ptr::read_volatile(at as *const u16)),
            (false, 4) => u64::from(core::ptr::read_volatile(at as *const u32)),
            (false, _) => core::ptr::read_volatile(at as *const u64),
        }
    };
    Ok(value)
}

pub fn write(reg: &GenericAddress, value: u64) -> Result<(), RegisterError> {
    let at = locate(reg)?;
    let io = reg.address_space == AddressSpace::SystemIo;
    // SAFETY: as in `read`; the callers write what the FADT and the DSDT define
    // for this register (a sleep type and SLP_EN, the reset value).
    unsafe {
        match (io, width(reg)) {
            (true, 1) => Port::<u8>::new(at as u16).write(value as u8),
            (true, 2) => Port::<u16>::new(at as u16).write(value as u16),
            (true, _) => Port::<u32>::new(at as u16).write(value as u32),
            (false, 1) => core::ptr::write_volatile(at as *mut u8, value as u8),
            (false, 2) => core::ptr::write_volatile(at as *mut u16, value as u16),
            (false, 4) => core::ptr::write_volatile(at as *mut u32, value as u32),
            (false, _) => core::ptr::write_volatile(at as *mut u64, value),
        }
    }
    Ok(())
}
