//! The PCI functions found at boot, and live reads of their configuration space
//! for /proc/bus/pci, and message-signalled interrupts for drivers. Access is
//! through ECAM (from ACPI's MCFG) when there is one, else arch's legacy ports.
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use pci::{Address, BarKind, CAP_MSI, CAP_MSIX, ConfigSpace, Function};
use spin::Once;

use crate::arch::msi;
use crate::arch::pci_config::{ECAM_FUNCTION_SIZE, Ecam, LegacyPorts};

static FUNCTIONS: Once<Vec<Function>> = Once::new();

/// A configuration mechanism: PCI Express's ECAM where the MCFG gives one,
/// else the legacy ports.
enum Access {
    Ecam(&'static Ecam),
    Legacy(LegacyPorts),
}

impl ConfigSpace for Access {
    fn read_u32(&mut self, at: Address, offset: u16) -> u32 {
        match self {
            Access::Ecam(ecam) => ecam.read_u32(at, offset),
            Access::Legacy(ports) => ports.read_u32(at, offset),
        }
    }

    fn write_u32(&mut self, at: Address, offset: u16, value: u32) {
        match self {
            Access::Ecam(ecam) => ecam.write_u32(at, offset, value),
            Access::Legacy(ports) => ports.write_u32(at, offset, value),
        }
    }
}

/// The configuration mechanism, if the machine has one.
fn access() -> Option<Access> {
    Ecam::segment0().map(Access::Ecam).or_else(|| LegacyPorts::present().then_some(Access::Legacy(LegacyPorts)))
}

/// The size of `function`'s configuration space, as Linux's cfg_size: 4 KiB
/// for a PCI Express function reached through ECAM, else 256 bytes.
pub fn config_size(function: &Function) -> u16 {
    if function.capabilities.express() && Ecam::segment0().is_some() { ECAM_FUNCTION_SIZE } else { 256 }
}

/// Enumerates every bus reachable from bus 0, logs how many functions it found and
/// a debug line per function (in dmesg, not on the console, as Linux's). Nothing is
/// logged while BARs are probed: the screen console may be drawing through a BAR
/// whose decoding is off then.
pub fn init() {
    let Some(mut config) = access() else {
        log::warn!("pci: no configuration mechanism (ports 0xcf8/0xcfc)");
        return;
    };
    let mechanism = match &config {
        Access::Ecam(_) => "ECAM",
        Access::Legacy(_) => "ports 0xcf8/0xcfc",
    };
    let found = FUNCTIONS.call_once(|| pci::enumerate(&mut config));
    let buses = found.iter().map(|function| function.address.bus).collect::<alloc::collections::BTreeSet<_>>().len();
    let plural = if buses == 1 { "bus" } else { "buses" };
    log::info!("pci: {} functions on {buses} {plural} through {mechanism} (lspci, /proc/bus/pci)", found.len());
    for function in found {
        log::debug!("{}", describe(function));
    }
}

/// `pci 00:1f.2 8086:2922 class 0106 rev 02 irq 10 msi`: one screen line (the
/// resources are in /proc/bus/pci/devices).
fn describe(f: &Function) -> String {
    let mut line = format!("pci {} {:04x}:{:04x} class {:04x}", f.address, f.vendor, f.device, f.class_code());
    if f.revision != 0 {
        line.push_str(&format!(" rev {:02x}", f.revision));
    }
    if f.header_type != 0 {
        line.push_str(&format!(" type {:02x}", f.header_type));
    }
    if f.irq() != 0 {
        line.push_str(&format!(" irq {}", f.irq()));
    }
    let caps = &f.capabilities;
    for (name, has) in [("msi", caps.msi()), ("msi-x", caps.msix()), ("pcie", caps.express())] {
        if has {
            line.push_str(&format!(" {name}"));
        }
    }
    line
}

/// The functions found at boot, in address order.
pub fn functions() -> &'static [Function] {
    FUNCTIONS.get().map_or(&[], Vec::as_slice)
}

/// The first `length` bytes (a multiple of 4, at most 4 KiB) of a function's
/// configuration space, read now.
pub fn config_bytes(at: Address, length: u16) -> Vec<u8> {
    let Some(mut config) = access() else { return Vec::new() };
    (0..length.min(ECAM_FUNCTION_SIZE))
        .step_by(4)
        .flat_map(|offset| config.read_u32(at, offset).to_le_bytes())
        .collect()
}

/// Let a function decode its memory BARs and master the bus (DMA): the command
/// register's memory-space and bus-master bits.
pub fn enable_memory_and_dma(at: Address) {
    let Some(mut config) = access() else { return };
    let command = config.read_u32(at, 4);
    config.write_u32(at, 4, (command & 0xffff) | 0x6);
}

/// Why a function's interrupts cannot be message-signalled: the driver polls
/// (or uses its INTx pin) instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsiUnavailable {
    /// The local APIC is not the interrupt controller, or every MSI vector is taken.
    NoVector,
    /// The function has neither capability, or its MSI-X table is unreachable.
    NotCapable,
    NoConfigAccess,
}

/// Have `function` signal its interrupt (its first message) by MSI, else
/// MSI-X entry 0, running `handler` for each; returns the vector.
pub fn enable_msi(function: &Function, handler: fn()) -> Result<u8, MsiUnavailable> {
    let mut config = access().ok_or(MsiUnavailable::NoConfigAccess)?;
    let caps = &function.capabilities;
    let (msi_cap, msix_cap) = (caps.find(CAP_MSI), caps.find(CAP_MSIX));
    let at = function.address;
    let table_entry = msix_cap.and_then(|cap| {
        let table = pci::msix_table(&mut config, at, cap);
        let bar = function.resources.bars.get(usize::from(table.bar))?;
        matches!(bar.kind, BarKind::Memory32 | BarKind::Memory64).then(|| bar.address + u64::from(table.offset))
    });
    if msi_cap.is_none() && table_entry.is_none() {
        return Err(MsiUnavailable::NotCapable);
    }
    let message = msi::allocate(handler).ok_or(MsiUnavailable::NoVector)?;
    if let Some(cap) = msi_cap
        && pci::enable_msi(&mut config, at, cap, message.address, message.data).is_ok()
    {
        return Ok(message.vector);
    }
    match (msix_cap, table_entry) {
        (Some(cap), Some(entry)) if msi::write_table_entry(entry, pci::msix_entry(message.address, message.data)) => {
            pci::enable_msix(&mut config, at, cap);
            Ok(message.vector)
        }
        _ => Err(MsiUnavailable::NotCapable),
    }
}
