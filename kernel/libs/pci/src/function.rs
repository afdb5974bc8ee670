//! One PCI function as read at enumeration: ids, class, header fields,
//! resources and capabilities.
use crate::bar::Resources;
use crate::{Address, Capabilities, ConfigSpace, capabilities, probe_bars, reg};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub address: Address,
    pub vendor: u16,
    pub device: u16,
    pub class: u8,
    pub subclass: u8,
    pub prog_if: u8,
    pub revision: u8,
    /// The header layout (0 device, 1 PCI-to-PCI bridge, 2 CardBus bridge),
    /// without the multi-function bit.
    pub header_type: u8,
    pub multifunction: bool,
    pub subsystem_vendor: u16,
    pub subsystem: u16,
    pub interrupt_line: u8,
    pub interrupt_pin: u8,
    /// A bridge's secondary bus.
    pub secondary_bus: Option<u8>,
    pub resources: Resources,
    pub capabilities: Capabilities,
}

impl Function {
    /// Reads the function at `at` (its vendor id is not 0xffff), probing its BARs.
    pub fn read(config: &mut impl ConfigSpace, at: Address) -> Self {
        let id = config.read_u32(at, reg::VENDOR);
        let class = config.read_u32(at, reg::REVISION);
        let header = config.read_u8(at, reg::HEADER_TYPE);
        let header_type = header & 0x7f;
        let (bar_count, rom, subsystem_at) = match header_type {
            0 => (6, Some(reg::ROM), Some(reg::SUBSYSTEM_VENDOR)),
            1 => (2, Some(reg::BRIDGE_ROM), None),
            2 => (1, None, Some(0x40)),
            _ => (0, None, None),
        };
        let subsystem = subsystem_at.map_or(0, |offset| config.read_u32(at, offset));
        Function {
            address: at,
            vendor: id as u16,
            device: (id >> 16) as u16,
            class: (class >> 24) as u8,
            subclass: (class >> 16) as u8,
            prog_if: (class >> 8) as u8,
            revision: class as u8,
            header_type,
            multifunction: header & 0x80 != 0,
            subsystem_vendor: subsystem as u16,
            subsystem: (subsystem >> 16) as u16,
            interrupt_line: config.read_u8(at, reg::INTERRUPT_LINE),
            interrupt_pin: config.read_u8(at, reg::INTERRUPT_PIN),
            secondary_bus: (header_type == 1).then(|| config.read_u8(at, reg::SECONDARY_BUS)),
            resources: probe_bars(config, at, bar_count, rom),
            capabilities: capabilities(config, at),
        }
    }

    /// The 16-bit class code (class << 8 | subclass).
    pub fn class_code(&self) -> u16 {
        u16::from(self.class) << 8 | u16::from(self.subclass)
    }

    /// The interrupt Linux's legacy (PIC) routing gives: the line register when
    /// the function has a pin and firmware set the line, else 0.
    pub fn irq(&self) -> u8 {
        if self.interrupt_pin == 0 || self.interrupt_line == 0xff { 0 } else { self.interrupt_line }
    }
}
