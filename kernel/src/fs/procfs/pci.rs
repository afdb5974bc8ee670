//! /proc/bus/pci: `devices` (a line per function, Linux's format), and a
//! directory per bus (`BB`, hex) of files `DD.F` holding each function's
//! configuration space, read when opened: all of it for root (4 KiB for a PCI
//! Express function reached through ECAM, else 256 bytes), the standard 64-byte
//! header for others, as Linux gives them.
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use kabi::Errno;
use pci::Address;

use crate::pci::{config_bytes, functions};

use super::ProcNode;

/// The functions' lines.
pub fn devices() -> String {
    functions().iter().map(pci::devices_line).collect()
}

/// What a function's file holds for a reader (`root`: the whole 256 bytes).
pub fn config(at: Address, root: bool) -> Vec<u8> {
    let size = functions().iter().find(|f| f.address == at).map_or(256, crate::pci::config_size);
    config_bytes(at, if root { size } else { 64 })
}

fn file_name(at: Address) -> String {
    format!("{:02x}.{:x}", at.device, at.function)
}

/// The entries of `bus/pci` (devices and the buses) or of a bus's directory.
pub fn entries(directory: ProcNode) -> Vec<(String, ProcNode)> {
    match directory {
        ProcNode::PciBus(bus) => functions()
            .iter()
            .filter(|f| f.address.bus == bus)
            .map(|f| (file_name(f.address), ProcNode::PciConfig(f.address)))
            .collect(),
        _ => {
            let mut buses: Vec<u8> = functions().iter().map(|f| f.address.bus).collect();
            buses.dedup();
            core::iter::once((String::from("devices"), ProcNode::PciDevices))
                .chain(buses.into_iter().map(|bus| (format!("{bus:02x}"), ProcNode::PciBus(bus))))
                .collect()
        }
    }
}

/// The entry `name` of `directory`.
pub fn child(directory: ProcNode, name: &str) -> Result<ProcNode, Errno> {
    entries(directory).into_iter().find(|(n, _)| n == name).map(|(_, node)| node).ok_or(Errno::ENOENT)
}
