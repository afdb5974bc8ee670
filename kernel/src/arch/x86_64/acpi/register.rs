//! Registers named by an ACPI Generic Address Structure (the FADT's PM1 control
//! blocks and reset register): read and written in system I/O space through the
//! ports, or in system memory through the direct map.
use acpi::address::{AccessSize, AddressSpace, GenericAddress};

use super::access::{memory_read, memory_write, port_read, port_write};

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

/// A register in system I/O space: its port, if it fits in one.
fn port(reg: &GenericAddress) -> Result<u16, RegisterError> {
    u16::try_from(reg.address).ok().filter(|_| width(reg) <= 4).ok_or(RegisterError::Address(reg.address))
}

pub fn read(reg: &GenericAddress) -> Result<u64, RegisterError> {
    let at = reg.address;
    let value = match (reg.address_space, width(reg)) {
        (AddressSpace::SystemIo, 1) => Some(u64::from(port_read::<u8>(port(reg)?))),
        (AddressSpace::SystemIo, 2) => Some(u64::from(port_read::<u16>(port(reg)?))),
        (AddressSpace::SystemIo, _) => Some(u64::from(port_read::<u32>(port(reg)?))),
        (AddressSpace::SystemMemory, 1) => memory_read::<u8>(at).map(u64::from),
        (AddressSpace::SystemMemory, 2) => memory_read::<u16>(at).map(u64::from),
        (AddressSpace::SystemMemory, 4) => memory_read::<u32>(at).map(u64::from),
        (AddressSpace::SystemMemory, _) => memory_read::<u64>(at),
        (space, _) => return Err(RegisterError::Space(space)),
    };
    value.ok_or(RegisterError::Address(at))
}

/// Write `value` (cut to the register's width); the callers write what the
/// FADT and the DSDT define for it (a sleep type and SLP_EN, the reset value).
pub fn write(reg: &GenericAddress, value: u64) -> Result<(), RegisterError> {
    let at = reg.address;
    let written = match (reg.address_space, width(reg)) {
        (AddressSpace::SystemIo, 1) => {
            port_write(port(reg)?, value as u8);
            true
        }
        (AddressSpace::SystemIo, 2) => {
            port_write(port(reg)?, value as u16);
            true
        }
        (AddressSpace::SystemIo, _) => {
            port_write(port(reg)?, value as u32);
            true
        }
        (AddressSpace::SystemMemory, 1) => memory_write(at, value as u8),
        (AddressSpace::SystemMemory, 2) => memory_write(at, value as u16),
        (AddressSpace::SystemMemory, 4) => memory_write(at, value as u32),
        (AddressSpace::SystemMemory, _) => memory_write(at, value),
        (space, _) => return Err(RegisterError::Space(space)),
    };
    if written { Ok(()) } else { Err(RegisterError::Address(at)) }
}
