//! Message-signalled interrupts for PCI drivers: a free vector (48-62) with its
//! handler, and the address and data a device writes to raise it on the boot
//! CPU. Only with the local APIC as the controller; without it drivers poll.
use spin::Once;

use super::interrupts;

/// The vectors handed out, between the ISA IRQs (32-47) and the APIC's spurious
/// vector (63).
pub const FIRST_VECTOR: u8 = 48;
const VECTORS: usize = 15;
/// The fixed address range the local APICs decode MSI writes in.
const MSI_ADDRESS_BASE: u64 = 0xfee0_0000;

static HANDLERS: [Once<fn()>; VECTORS] = [const { Once::new() }; VECTORS];
static DESTINATION: Once<u32> = Once::new();

/// What the device writes to raise its interrupt: `data` (the vector, fixed
/// delivery, edge) at `address` (the destination APIC, physical mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message {
    pub address: u64,
    pub data: u32,
    pub vector: u8,
}

/// Record the boot CPU's APIC id, which MSIs are sent to.
pub fn set_destination(apic_id: u32) {
    DESTINATION.call_once(|| apic_id);
}

/// A vector of its own for `handler`, run (interrupts enabled, after the EOI)
/// for each message; None without the local APIC or when every vector is taken.
pub fn allocate(handler: fn()) -> Option<Message> {
    if !interrupts::apic_active() {
        return None;
    }
    let dest = *DESTINATION.get()?;
    for (index, slot) in HANDLERS.iter().enumerate() {
        let mut claimed = false;
        slot.call_once(|| {
            claimed = true;
            handler
        });
        if claimed {
            let vector = FIRST_VECTOR + index as u8;
            return Some(Message {
                address: MSI_ADDRESS_BASE | u64::from(dest & 0xff) << 12,
                data: vector.into(),
                vector,
            });
        }
    }
    None
}

/// Run the handler of MSI `vector` (one of FIRST_VECTOR..FIRST_VECTOR + 15).
pub fn handle(vector: u8) {
    match HANDLERS.get(usize::from(vector.wrapping_sub(FIRST_VECTOR))).and_then(Once::get) {
        Some(handler) => handler(),
        None => log::warn!("MSI on vector {vector} without a handler"),
    }
}

/// Whether `vector` is one MSI hands out.
pub fn is_msi_vector(vector: u64) -> bool {
    (u64::from(FIRST_VECTOR)..u64::from(FIRST_VECTOR) + VECTORS as u64).contains(&vector)
}

/// Write one MSI-X table entry (four dwords, vector control last so the entry
/// is complete when unmasked) at physical address `phys`, in a BAR; false if
/// it cannot be mapped.
pub fn write_table_entry(phys: u64, entry: [u32; 4]) -> bool {
    let Some(registers) = super::mmio::Mmio::map(phys, 16) else { return false };
    for (index, word) in (0..).zip(entry) {
        registers.write32(4 * index, word);
    }
    true
}
