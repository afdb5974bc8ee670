//! The I/O APICs the MADT lists: their redirection tables, all masked at boot,
//! then one entry programmed per ISA interrupt the kernel uses.
use alloc::vec::Vec;

use spin::{Mutex, Once};

use super::acpi::IoApic as MadtIoApic;
use super::mmio::Mmio;

/// The register-select and data-window registers, from the page's start.
const REGSEL: u64 = 0x00;
const WINDOW: u64 = 0x10;
/// Register indexes: the version (bits 16..24 the last redirection entry) and
/// the first redirection entry (two registers each: low then high half).
const VERSION: u32 = 0x01;
const REDIRECTION: u32 = 0x10;

const MASKED: u64 = 1 << 16;
const LEVEL: u64 = 1 << 15;
const ACTIVE_LOW: u64 = 1 << 13;

/// One I/O APIC: its registers (the lock keeps a select and its window access
/// together) and the GSIs it serves.
#[derive(Debug)]
pub struct IoApic {
    regs: Mutex<Mmio>,
    pub address: u32,
    pub gsi_base: u32,
    pub pins: u32,
}

impl IoApic {
    fn read(&self, index: u32) -> u32 {
        let regs = self.regs.lock();
        regs.write32(REGSEL, index);
        regs.read32(WINDOW)
    }

    fn write(&self, index: u32, value: u32) {
        let regs = self.regs.lock();
        regs.write32(REGSEL, index);
        regs.write32(WINDOW, value);
    }

    fn set_entry(&self, pin: u32, entry: u64) {
        // The low half (with the mask bit) last, so the entry is complete when it
        // is unmasked.
        self.write(REDIRECTION + 2 * pin, MASKED as u32);
        self.write(REDIRECTION + 2 * pin + 1, (entry >> 32) as u32);
        self.write(REDIRECTION + 2 * pin, entry as u32);
    }
}

static IOAPICS: Once<Vec<IoApic>> = Once::new();

/// Map the I/O APICs and mask every pin; returns them (those whose registers
/// cannot be mapped are left out).
pub fn init(madt: &[MadtIoApic]) -> &'static [IoApic] {
    IOAPICS.call_once(|| {
        let mut found = Vec::new();
        for io in madt {
            let Some(regs) = Mmio::map(u64::from(io.address), 4096) else {
                log::warn!("I/O APIC at {:#x} cannot be mapped; ignored", io.address);
                continue;
            };
            let mut apic = IoApic { regs: Mutex::new(regs), address: io.address, gsi_base: io.gsi_base, pins: 0 };
            apic.pins = ((apic.read(VERSION) >> 16) & 0xff) + 1;
            for pin in 0..apic.pins {
                apic.set_entry(pin, MASKED);
            }
            found.push(apic);
        }
        found
    })
}

/// Deliver `gsi` to `vector` on the CPU whose APIC id is `dest` (fixed delivery,
/// physical destination), with the given polarity and trigger mode; false if no
/// I/O APIC serves the GSI.
pub fn route(gsi: u32, vector: u8, dest: u32, active_low: bool, level: bool) -> bool {
    let Some(apic) = IOAPICS.get().into_iter().flatten().find(|a| (a.gsi_base..a.gsi_base + a.pins).contains(&gsi))
    else {
        return false;
    };
    let mut entry = u64::from(vector) | u64::from(dest & 0xff) << 56;
    if active_low {
        entry |= ACTIVE_LOW;
    }
    if level {
        entry |= LEVEL;
    }
    apic.set_entry(gsi - apic.gsi_base, entry);
    true
}
