//! The MSI and MSI-X capabilities' layout: programming a function to send one
//! message (an address and data the interrupt controller gave) instead of
//! asserting its INTx pin.
use crate::{Address, ConfigSpace, reg};

/// MSI message control (at the capability + 2): enable, the multiple-message
/// enable field, 64-bit addresses, per-vector masking.
const MSI_ENABLE: u16 = 1;
const MSI_MULTIPLE_ENABLE: u16 = 0b111 << 4;
const MSI_64BIT: u16 = 1 << 7;
const MSI_PER_VECTOR_MASK: u16 = 1 << 8;
/// MSI-X message control: the table size (minus one), function mask, enable.
const MSIX_TABLE_SIZE: u16 = 0x7ff;
const MSIX_FUNCTION_MASK: u16 = 1 << 14;
const MSIX_ENABLE: u16 = 1 << 15;
/// Command register: bus master (an MSI is a memory write by the device), INTx
/// disable.
const COMMAND_BUS_MASTER: u16 = 1 << 2;
const COMMAND_INTX_DISABLE: u16 = 1 << 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsiError {
    /// The address needs 64 bits and the capability takes 32.
    AddressTooHigh,
}

/// Program the MSI capability at `cap` to write `data` to `address` (one
/// message), unmask it, enable MSI, disable INTx and enable bus mastering.
pub fn enable_msi(
    config: &mut impl ConfigSpace,
    at: Address,
    cap: u8,
    address: u64,
    data: u32,
) -> Result<(), MsiError> {
    let cap = u16::from(cap);
    let control = config.read_u16(at, cap + 2);
    let wide = control & MSI_64BIT != 0;
    if !wide && address > u64::from(u32::MAX) {
        return Err(MsiError::AddressTooHigh);
    }
    config.write_u32(at, cap + 4, address as u32);
    let data_at = if wide {
        config.write_u32(at, cap + 8, (address >> 32) as u32);
        cap + 0xc
    } else {
        cap + 8
    };
    config.write_u16(at, data_at, data as u16);
    if control & MSI_PER_VECTOR_MASK != 0 {
        config.write_u32(at, data_at + 4, 0);
    }
    config.write_u16(at, cap + 2, control & !MSI_MULTIPLE_ENABLE | MSI_ENABLE);
    disable_intx(config, at);
    Ok(())
}

/// Where a function's MSI-X table is: in BAR `bar` at `offset`, `entries` long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MsixTable {
    pub bar: u8,
    pub offset: u32,
    pub entries: u16,
}

/// The MSI-X capability at `cap`'s table.
pub fn msix_table(config: &mut impl ConfigSpace, at: Address, cap: u8) -> MsixTable {
    let cap = u16::from(cap);
    let control = config.read_u16(at, cap + 2);
    let table = config.read_u32(at, cap + 4);
    MsixTable { bar: (table & 7) as u8, offset: table & !7, entries: (control & MSIX_TABLE_SIZE) + 1 }
}

/// The four dwords of an MSI-X table entry sending `data` to `address`:
/// address low and high, data, vector control (0: unmasked).
pub fn msix_entry(address: u64, data: u32) -> [u32; 4] {
    [address as u32, (address >> 32) as u32, data, 0]
}

/// Enable MSI-X (function mask off), disable INTx and enable bus mastering,
/// once the table entries are written.
pub fn enable_msix(config: &mut impl ConfigSpace, at: Address, cap: u8) {
    let cap = u16::from(cap);
    let control = config.read_u16(at, cap + 2);
    config.write_u16(at, cap + 2, control & !MSIX_FUNCTION_MASK | MSIX_ENABLE);
    disable_intx(config, at);
}

/// Messages instead of the pin: INTx off, bus mastering on.
fn disable_intx(config: &mut impl ConfigSpace, at: Address) {
    let command = config.read_u16(at, reg::COMMAND);
    config.write_u16(at, reg::COMMAND, command | COMMAND_INTX_DISABLE | COMMAND_BUS_MASTER);
}
