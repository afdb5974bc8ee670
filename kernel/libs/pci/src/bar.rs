//! Base address registers and the expansion ROM: where each decodes and how
//! much, found as Linux's `__pci_read_base` finds it (write all ones, read back
//! the size mask, restore the original), with the function's I/O and memory
//! decoding off while the registers hold the probe value.
use crate::{Address, ConfigSpace, reg};

/// What a BAR decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BarKind {
    /// Not implemented (or the upper half of a 64-bit pair).
    #[default]
    None,
    Io,
    Memory32,
    /// Below 1 MiB (type 1, from PCI 2.x).
    Memory1M,
    Memory64,
    /// The expansion ROM.
    Rom,
}

/// One resource: address, size, and the register's low flag bits (Linux's
/// PCI_REGION_FLAG_MASK part: I/O bit, memory type, prefetchable; the ROM's
/// enable bit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Bar {
    pub kind: BarKind,
    pub address: u64,
    pub size: u64,
    pub flags: u8,
}

impl Bar {
    pub fn prefetchable(&self) -> bool {
        matches!(self.kind, BarKind::Memory32 | BarKind::Memory1M | BarKind::Memory64) && self.flags & 8 != 0
    }
}

const IO_MASK: u64 = 0xffff_fffc;
const MEMORY_MASK: u64 = !0xf;
const ROM_MASK: u32 = 0xffff_f800;

/// The size a mask gives, as Linux's `pci_size`: the lowest set bit of the
/// writable address bits, 0 when none is writable or the bits are not a
/// contiguous run up to the top of `mask`.
fn size_of(mask: u64, valid: u64) -> u64 {
    let bits = mask & valid;
    if bits == 0 {
        return 0;
    }
    let size = bits & bits.wrapping_neg();
    if (bits | (size - 1)) & valid != valid { 0 } else { size }
}

/// Writes all ones to the dword at `offset`, reads what sticks, restores.
fn probe_register(config: &mut impl ConfigSpace, at: Address, offset: u16, ones: u32) -> (u32, u32) {
    let original = config.read_u32(at, offset);
    config.write_u32(at, offset, ones);
    let mask = config.read_u32(at, offset);
    config.write_u32(at, offset, original);
    (original, mask)
}

fn probe_bar(config: &mut impl ConfigSpace, at: Address, offset: u16, pair: bool) -> (Bar, bool) {
    let (original, mask) = probe_register(config, at, offset, !0);
    if original & 1 == 1 {
        // I/O: x86 has 64 KiB of ports; a BAR with zero upper bits decodes 16.
        let valid = if mask >> 16 == 0 { IO_MASK & 0xffff } else { IO_MASK };
        let size = size_of(u64::from(mask), valid);
        let bar = Bar { kind: BarKind::Io, address: u64::from(original) & valid, size, flags: original as u8 & 3 };
        return (if size == 0 { Bar::default() } else { bar }, false);
    }
    let kind = match (original >> 1) & 3 {
        0 => BarKind::Memory32,
        1 => BarKind::Memory1M,
        2 if pair => BarKind::Memory64,
        _ => return (Bar::default(), false),
    };
    let (mut address, mut mask64, mut valid) = (u64::from(original & !0xf), u64::from(mask), MEMORY_MASK & 0xffff_ffff);
    if kind == BarKind::Memory64 {
        let (high, high_mask) = probe_register(config, at, offset + 4, !0);
        address |= u64::from(high) << 32;
        mask64 |= u64::from(high_mask) << 32;
        valid = MEMORY_MASK;
    }
    let size = size_of(mask64, valid);
    let bar = Bar { kind, address, size, flags: original as u8 & 0xf };
    (if size == 0 { Bar::default() } else { bar }, kind == BarKind::Memory64)
}

/// A function's BARs and expansion ROM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Resources {
    pub bars: [Bar; 6],
    pub rom: Bar,
}

/// Probes the first `count` BARs and the ROM register at `rom` (if any), with
/// decoding off meanwhile; every register and the command word are restored.
pub fn probe_bars(config: &mut impl ConfigSpace, at: Address, count: usize, rom: Option<u16>) -> Resources {
    let command = config.read_u16(at, reg::COMMAND);
    config.write_u16(at, reg::COMMAND, command & !(reg::COMMAND_IO | reg::COMMAND_MEMORY));
    let mut resources = Resources::default();
    let count = count.min(6);
    let mut index = 0;
    while index < count {
        let offset = reg::BAR0 + 4 * index as u16;
        let (bar, is_pair) = probe_bar(config, at, offset, index + 1 < count);
        resources.bars[index] = bar;
        index += if is_pair { 2 } else { 1 };
    }
    if let Some(offset) = rom {
        resources.rom = probe_rom(config, at, offset);
    }
    config.write_u16(at, reg::COMMAND, command);
    resources
}

/// The expansion ROM register at `offset` (the caller turns decoding off).
pub fn probe_rom(config: &mut impl ConfigSpace, at: Address, offset: u16) -> Bar {
    let (original, mask) = probe_register(config, at, offset, ROM_MASK);
    let size = size_of(u64::from(mask), u64::from(ROM_MASK));
    if size == 0 {
        return Bar::default();
    }
    Bar { kind: BarKind::Rom, address: u64::from(original & ROM_MASK), size, flags: original as u8 & 1 }
}
