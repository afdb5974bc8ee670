//! PCI configuration space: the access trait, function enumeration (bus 0 and
//! the buses behind PCI-to-PCI bridges), BAR sizing, the capability list, MSI
//! and MSI-X programming, and the text of Linux's /proc/bus/pci/devices. `no_std`; the kernel gives the access
//! (legacy ports, or ECAM once ACPI's MCFG is read).
#![no_std]
#![deny(unsafe_code)]

extern crate alloc;

mod bar;
mod caps;
mod function;
mod msi;
mod procfmt;
mod scan;

pub use bar::{Bar, BarKind, Resources, probe_bars, probe_rom};
pub use caps::{CAP_EXPRESS, CAP_MSI, CAP_MSIX, CAP_PM, Capabilities, capabilities};
pub use function::Function;
pub use msi::{MsiError, MsixTable, enable_msi, enable_msix, msix_entry, msix_table};
pub use procfmt::devices_line;
pub use scan::enumerate;

/// A function's place: bus, device (slot 0..32) and function (0..8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    pub bus: u8,
    pub device: u8,
    pub function: u8,
}

impl Address {
    pub const fn new(bus: u8, device: u8, function: u8) -> Self {
        Self { bus, device: device & 0x1f, function: function & 7 }
    }

    /// Linux's devfn: device << 3 | function.
    pub const fn devfn(self) -> u8 {
        self.device << 3 | self.function
    }
}

impl core::fmt::Display for Address {
    /// `BB:DD.F`, as Linux and lspci write it.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:02x}:{:02x}.{:x}", self.bus, self.device, self.function)
    }
}

/// Reads and writes of configuration registers. `offset` is a multiple of 4
/// below 256 (the legacy mechanism's reach; ECAM reaches 4096).
pub trait ConfigSpace {
    fn read_u32(&mut self, address: Address, offset: u16) -> u32;
    fn write_u32(&mut self, address: Address, offset: u16, value: u32);

    fn read_u16(&mut self, address: Address, offset: u16) -> u16 {
        (self.read_u32(address, offset & !3) >> ((offset & 2) * 8)) as u16
    }

    fn read_u8(&mut self, address: Address, offset: u16) -> u8 {
        (self.read_u32(address, offset & !3) >> ((offset & 3) * 8)) as u8
    }

    /// Writes the 16-bit register at `offset` (2-aligned) by read-modify-write of
    /// its dword, as the legacy mechanism must.
    fn write_u16(&mut self, address: Address, offset: u16, value: u16) {
        let shift = (offset & 2) * 8;
        let old = self.read_u32(address, offset & !3);
        let new = (old & !(0xffff << shift)) | u32::from(value) << shift;
        self.write_u32(address, offset & !3, new);
    }

    /// Writes the byte register at `offset`, the same way.
    fn write_u8(&mut self, address: Address, offset: u16, value: u8) {
        let shift = (offset & 3) * 8;
        let old = self.read_u32(address, offset & !3);
        let new = (old & !(0xff << shift)) | u32::from(value) << shift;
        self.write_u32(address, offset & !3, new);
    }
}

/// Register offsets of the common header.
pub mod reg {
    pub const VENDOR: u16 = 0x00;
    pub const COMMAND: u16 = 0x04;
    pub const STATUS: u16 = 0x06;
    pub const REVISION: u16 = 0x08;
    pub const HEADER_TYPE: u16 = 0x0e;
    pub const BAR0: u16 = 0x10;
    pub const SECONDARY_BUS: u16 = 0x19;
    pub const SUBSYSTEM_VENDOR: u16 = 0x2c;
    pub const SUBSYSTEM: u16 = 0x2e;
    pub const ROM: u16 = 0x30;
    pub const CAPABILITIES: u16 = 0x34;
    pub const BRIDGE_ROM: u16 = 0x38;
    pub const INTERRUPT_LINE: u16 = 0x3c;
    pub const INTERRUPT_PIN: u16 = 0x3d;

    /// Command register bits: I/O and memory decoding.
    pub const COMMAND_IO: u16 = 1;
    pub const COMMAND_MEMORY: u16 = 2;
    /// Status register: a capability list exists.
    pub const STATUS_CAPABILITIES: u16 = 1 << 4;
}
