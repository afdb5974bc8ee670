//! Power off and reset. Power-off writes SLP_TYPa|SLP_EN to the ACPI PM1a control
//! block found through the RSDP (Multiboot2 tag) -> RSDT/XSDT -> FADT; S5's sleep
//! type is taken as 0, which QEMU's and Bochs's firmware use (reading it from the
//! DSDT's \_S5 object needs an AML interpreter). Reset pulses the keyboard
//! controller's reset line.
use x86_64::instructions::port::Port;

use super::multiboot::phys_bytes;

/// SLP_EN in PM1a_CNT.
const SLP_EN: u16 = 1 << 13;

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn read_u64(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// An ACPI table's bytes (its length from its header), if the signature matches.
fn table(phys: u64, signature: &[u8; 4]) -> Option<&'static [u8]> {
    let header = phys_bytes(phys, 36);
    if &header[..4] != signature {
        return None;
    }
    let len = read_u32(header, 4)? as usize;
    (36..1 << 20).contains(&len).then(|| phys_bytes(phys, len))
}

/// The PM1a control port from the FADT, found from the root table (the XSDT, with
/// 8-byte entries, or the RSDT, with 4-byte ones).
fn pm1a_control_port(root: u64, entry_size: usize) -> Option<u16> {
    let signature = if entry_size == 8 { b"XSDT" } else { b"RSDT" };
    let root = table(root, signature)?;
    let entries = root[36..].chunks_exact(entry_size);
    let fadt = entries
        .filter_map(|e| if entry_size == 8 { read_u64(e, 0) } else { read_u32(e, 0).map(u64::from) })
        .find_map(|phys| table(phys, b"FACP"))?;
    let port = read_u32(fadt, 64)?; // PM1a_CNT_BLK
    u16::try_from(port).ok().filter(|&p| p != 0)
}

/// Turn the machine off; returns only if that failed.
pub fn power_off() {
    let boot = super::multiboot::get();
    let root = match (boot.rsdp_v2_tag(), boot.rsdp_v1_tag()) {
        (Some(v2), _) if v2.xsdt_address() != 0 => Some((v2.xsdt_address() as u64, 8)),
        (_, Some(v1)) => Some((v1.rsdt_address() as u64, 4)),
        _ => None,
    };
    if let Some(port) = root.and_then(|(phys, entry_size)| pm1a_control_port(phys, entry_size)) {
        // SAFETY: the FADT names this port as PM1a_CNT; writing SLP_EN enters S5.
        unsafe { Port::<u16>::new(port).write(SLP_EN) };
    }
}

/// Reset the machine; returns only if that failed.
pub fn reset() {
    // SAFETY: command 0xfe pulses the CPU reset line through the 8042 controller.
    unsafe { Port::<u8>::new(0x64).write(0xfe) };
}
