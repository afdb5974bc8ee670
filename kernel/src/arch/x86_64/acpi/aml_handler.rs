//! The AML interpreter's window on the machine (`stable_aml::Handler`): system
//! memory through the kernel's direct map, system I/O through the ports, PCI
//! configuration space through the legacy mechanism. An access the kernel cannot
//! make (memory outside the direct map, a PCI segment other than 0) is logged
//! and reads as all ones, as a bus with nothing behind the address reads.
use pci::{Address, ConfigSpace};
use stable_aml::Handler;

use super::access::{memory_read, memory_write, port_read, port_write};
use crate::arch::pci_config::LegacyPorts;

#[derive(Debug, Clone, Copy)]
pub struct AmlHandler;

/// A memory access the kernel could not make, logged.
fn unmapped(address: usize, size: usize) {
    log::warn!("aml: memory at {address:#x} ({size} bytes) is outside the direct map; ignored");
}

/// Read a `T` the AML names in system memory (all ones if unmapped).
fn read<T: Copy>(address: usize, none: T) -> T {
    memory_read(address as u64).unwrap_or_else(|| {
        unmapped(address, size_of::<T>());
        none
    })
}

/// Write a `T` the AML names in system memory.
fn write<T: Copy>(address: usize, value: T) {
    if !memory_write(address as u64, value) {
        unmapped(address, size_of::<T>());
    }
}

/// The function's configuration space, if the kernel reaches its segment.
fn function(segment: u16, bus: u8, device: u8, function: u8) -> Option<Address> {
    if segment != 0 {
        log::warn!("aml: PCI segment {segment} is not reachable; ignored");
    }
    (segment == 0).then(|| Address::new(bus, device, function))
}

impl Handler for AmlHandler {
    fn read_u8(&self, address: usize) -> u8 {
        read(address, u8::MAX)
    }
    fn read_u16(&self, address: usize) -> u16 {
        read(address, u16::MAX)
    }
    fn read_u32(&self, address: usize) -> u32 {
        read(address, u32::MAX)
    }
    fn read_u64(&self, address: usize) -> u64 {
        read(address, u64::MAX)
    }

    fn write_u8(&mut self, address: usize, value: u8) {
        write(address, value);
    }
    fn write_u16(&mut self, address: usize, value: u16) {
        write(address, value);
    }
    fn write_u32(&mut self, address: usize, value: u32) {
        write(address, value);
    }
    fn write_u64(&mut self, address: usize, value: u64) {
        write(address, value);
    }

    fn read_io_u8(&self, port: u16) -> u8 {
        port_read(port)
    }
    fn read_io_u16(&self, port: u16) -> u16 {
        port_read(port)
    }
    fn read_io_u32(&self, port: u16) -> u32 {
        port_read(port)
    }
    fn write_io_u8(&self, port: u16, value: u8) {
        port_write(port, value);
    }
    fn write_io_u16(&self, port: u16, value: u16) {
        port_write(port, value);
    }
    fn write_io_u32(&self, port: u16, value: u32) {
        port_write(port, value);
    }

    fn read_pci_u8(&self, segment: u16, bus: u8, device: u8, func: u8, offset: u16) -> u8 {
        function(segment, bus, device, func).map_or(u8::MAX, |at| LegacyPorts.read_u8(at, offset))
    }
    fn read_pci_u16(&self, segment: u16, bus: u8, device: u8, func: u8, offset: u16) -> u16 {
        function(segment, bus, device, func).map_or(u16::MAX, |at| LegacyPorts.read_u16(at, offset))
    }
    fn read_pci_u32(&self, segment: u16, bus: u8, device: u8, func: u8, offset: u16) -> u32 {
        function(segment, bus, device, func).map_or(u32::MAX, |at| LegacyPorts.read_u32(at, offset))
    }
    fn write_pci_u8(&self, segment: u16, bus: u8, device: u8, func: u8, offset: u16, value: u8) {
        if let Some(at) = function(segment, bus, device, func) {
            LegacyPorts.write_u8(at, offset, value);
        }
    }
    fn write_pci_u16(&self, segment: u16, bus: u8, device: u8, func: u8, offset: u16, value: u16) {
        if let Some(at) = function(segment, bus, device, func) {
            LegacyPorts.write_u16(at, offset, value);
        }
    }
    fn write_pci_u32(&self, segment: u16, bus: u8, device: u8, func: u8, offset: u16, value: u32) {
        if let Some(at) = function(segment, bus, device, func) {
            LegacyPorts.write_u32(at, offset, value);
        }
    }

    /// AML's `Fatal` operator: Linux logs it and goes on.
    fn handle_fatal_error(&self, fatal_type: u8, fatal_code: u32, fatal_arg: u64) {
        log::error!(
            "aml: the firmware's AML raised Fatal (type {fatal_type:#x}, code {fatal_code:#x}, arg {fatal_arg:#x})"
        );
    }
}
