//! The `msi` test mode: QEMU's `edu` device (1234:11e8, `-device edu`) raises
//! its interrupt by MSI three times, and each must reach the handler
//! `pci::enable_msi` installed. Without the local APIC (`noapic`) the call must
//! refuse with `NoVector`, the answer on which drivers poll instead.
use alloc::format;
use alloc::string::String;
use core::sync::atomic::{AtomicU32, Ordering};

use crate::arch::mmio::Mmio;
use crate::arch::{cpu, interrupts};
use crate::pci::MsiUnavailable;

const EDU: (u16, u16) = (0x1234, 0x11e8);
/// edu's registers in BAR 0: interrupt status, raise (ORs into the status and
/// signals), acknowledge (clears status bits).
const STATUS: u64 = 0x24;
const RAISE: u64 = 0x60;
const ACK: u64 = 0x64;
/// How long one interrupt may take to arrive.
const WAIT_MS: u64 = 2000;

/// edu's BAR 0, mapped.
static REGISTERS: spin::Once<Option<Mmio>> = spin::Once::new();
static DELIVERED: AtomicU32 = AtomicU32::new(0);

fn on_interrupt() {
    if let Some(registers) = REGISTERS.get().and_then(Option::as_ref) {
        registers.write32(ACK, registers.read32(STATUS));
    }
    DELIVERED.fetch_add(1, Ordering::Relaxed);
}

pub fn run() -> Result<(), String> {
    let function = crate::pci::functions()
        .iter()
        .find(|f| (f.vendor, f.device) == EDU)
        .ok_or("no edu device (QEMU's -device edu)")?;
    let bar = function.resources.bars[0].address;
    let registers = REGISTERS.call_once(|| Mmio::map(bar, 0x100)).as_ref().ok_or("edu's BAR 0 cannot be mapped")?;
    let vector = match crate::pci::enable_msi(function, on_interrupt) {
        Ok(vector) => vector,
        Err(MsiUnavailable::NoVector) if !interrupts::apic_active() => {
            log::info!("msi: refused without the local APIC; drivers poll");
            return Ok(());
        }
        Err(e) => return Err(format!("enable_msi: {e:?}")),
    };
    for round in 1..=3 {
        registers.write32(RAISE, 1 << round);
        let deadline = crate::time::uptime_ms() + WAIT_MS;
        while DELIVERED.load(Ordering::Relaxed) < round {
            if crate::time::uptime_ms() > deadline {
                return Err(format!("MSI {round} on vector {vector} did not arrive"));
            }
            cpu::wait_for_interrupt();
        }
    }
    log::info!("msi: 3 interrupts on vector {vector} from {}", function.address);
    Ok(())
}
