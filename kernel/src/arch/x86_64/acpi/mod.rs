//! ACPI: the firmware's tables, read once at boot through the `acpi` crate from the
//! RSDP GRUB copies into the Multiboot2 information, summed up in [`AcpiInfo`]
//! (the MADT's interrupt controllers, the HPET, the MCFG's PCIe ECAM regions, the
//! FADT's power registers, the `\_S5` sleep types) for the power code and later
//! drivers. Missing or garbled tables leave parts empty and say so in the log.
mod access;
mod aml_handler;
mod handler;
mod register;
mod sleep;
mod summary;

use alloc::string::String;
use alloc::vec::Vec;

use acpi::address::GenericAddress;
use acpi::fadt::Fadt;
use acpi::madt::{Madt, MadtEntry};
use acpi::mcfg::Mcfg;
use acpi::{AcpiTable, AcpiTables, hpet::HpetTable};
use aml_sleep::{SleepError, SleepTypes};
use multiboot2::BootInformation;

use handler::DirectMap;
pub use register::{read as read_register, write as write_register};
pub use sleep::Contain;
pub use summary::sleep_error;

/// What the MADT says about the interrupt controllers and processors.
#[derive(Debug)]
pub struct MadtInfo {
    pub local_apic: u64,
    /// Processors the firmware enabled (local APIC and x2APIC entries).
    pub cpus: usize,
    pub io_apics: Vec<IoApic>,
    pub overrides: Vec<IrqOverride>,
    /// Whether 8259 PICs are present as well (PCAT_COMPAT).
    pub has_8259: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct IoApic {
    pub id: u8,
    pub address: u32,
    pub gsi_base: u32,
}

/// An ISA interrupt wired to another global system interrupt (with its MPS
/// polarity and trigger flags).
#[derive(Debug, Clone, Copy)]
pub struct IrqOverride {
    pub irq: u8,
    pub gsi: u32,
    pub flags: u16,
}

/// A PCIe memory-mapped configuration region (ECAM) from the MCFG.
#[derive(Debug, Clone, Copy)]
pub struct EcamRegion {
    pub base: u64,
    pub segment: u16,
    pub bus_start: u8,
    pub bus_end: u8,
}

/// The FADT fields the kernel uses.
#[derive(Debug)]
pub struct FadtInfo {
    pub pm1a_control: Option<GenericAddress>,
    pub pm1b_control: Option<GenericAddress>,
    pub pm_timer: Option<GenericAddress>,
    /// Whether the PM timer counts 32 bits (TMR_VAL_EXT), not 24.
    pub pm_timer_32bit: bool,
    /// The reset register and the value to write, when RESET_REG_SUP is set.
    pub reset: Option<(GenericAddress, u8)>,
    /// The RTC's CMOS index of the century, 0 for none.
    pub century: u8,
}

#[derive(Debug)]
pub struct AcpiInfo {
    pub revision: u8,
    pub oem: String,
    /// The signatures of the tables the RSDT/XSDT lists, in its order.
    pub tables: Vec<String>,
    pub madt: Option<MadtInfo>,
    pub hpet: Option<u64>,
    pub ecam: Vec<EcamRegion>,
    pub fadt: Option<FadtInfo>,
    pub s5: Result<SleepTypes, SleepError>,
}

static INFO: spin::Once<AcpiInfo> = spin::Once::new();

/// The tables read at boot, if there were any.
pub fn info() -> Option<&'static AcpiInfo> {
    INFO.get()
}

/// Read the tables from the boot loader's RSDP (ACPI 2.0+ if given, else 1.0) and
/// log what they hold. The tables are read, and the firmware's AML run, through
/// `contain`: the `acpi` and `stable-aml` crates have panicking paths that
/// malformed tables reach.
pub fn init(boot: &BootInformation, contain: Contain) {
    let root = match (boot.rsdp_v2_tag(), boot.rsdp_v1_tag()) {
        (Some(v2), _) if v2.xsdt_address() != 0 => Some((v2.revision(), v2.xsdt_address(), v2.oem_id())),
        (_, Some(v1)) => Some((0, v1.rsdt_address(), v1.oem_id())),
        _ => None,
    };
    let Some((revision, address, oem)) = root else {
        log::warn!("acpi: the boot loader gave no RSDP; power off and reset use the legacy ways");
        return;
    };
    let oem = String::from(oem.unwrap_or("?").trim_end());
    let mut read = None;
    if let Err(why) = contain(&mut || read = Some(read_tables(revision, address, &oem, contain))) {
        log::warn!("acpi: reading the tables at {address:#x} failed: {why}; power off and reset use the legacy ways");
        return;
    }
    let Some(Some(info)) = read else { return };
    log::info!("{info}");
    if let Err(e) = &info.s5 {
        log::warn!("acpi: cannot read \\_S5 ({}); power off will use sleep type 0", sleep_error(e));
    }
    INFO.call_once(|| info);
}

/// What the tables under the RSDT/XSDT at `address` hold; None (with a
/// warning) without a usable root table.
fn read_tables(revision: u8, address: usize, oem: &str, contain: Contain) -> Option<AcpiInfo> {
    // SAFETY: GRUB copied the RSDP the firmware published; the address is its
    // RSDT/XSDT, which the handler reads only where the direct map covers it.
    let tables = match unsafe { AcpiTables::from_rsdt(DirectMap, revision, address) } {
        Ok(tables) => tables,
        Err(e) => {
            log::warn!("acpi: no usable root table at {address:#x} ({e:?}); power off and reset use the legacy ways");
            return None;
        }
    };
    Some(AcpiInfo {
        revision,
        oem: String::from(oem),
        tables: signatures(&tables, contain),
        madt: tables.find_table::<Madt>().ok().filter(madt_is_sound).map(|m| madt(m.get())),
        hpet: hpet(&tables),
        ecam: tables.find_table::<Mcfg>().map(|m| ecam(&m)).unwrap_or_default(),
        fadt: tables.find_table::<Fadt>().ok().map(|f| fadt(&f)),
        s5: sleep::s5(&tables, contain),
    })
}

/// The signatures of the tables the root table lists. The crate's walk over
/// them panics on a table whose signature is not text (it formats the error
/// it logs with the signature as text): then the list says so, and the tables
/// are still looked up one kind at a time.
fn signatures(tables: &AcpiTables<DirectMap>, contain: Contain) -> Vec<String> {
    let mut list = Vec::new();
    match contain(&mut || list = tables.headers().map(|h| String::from(h.signature.as_str())).collect()) {
        Ok(()) => list,
        Err(why) => {
            log::warn!("acpi: the list of tables cannot be read: {why}");
            alloc::vec![String::from("(unreadable)")]
        }
    }
}

/// The MADT's fixed part: the header, the local APIC address and the flags.
const MADT_ENTRIES_START: usize = 44;

/// Whether the MADT's entries exactly tile the rest of the table. The crate's
/// iterator trusts each entry's length: one of 0 would loop forever, one running
/// past the end would read beyond the table.
fn madt_is_sound(madt: &acpi::PhysicalMapping<DirectMap, Madt>) -> bool {
    let length = { madt.get().header().length } as usize;
    let bytes = crate::arch::multiboot::phys_bytes(madt.physical_start() as u64, length);
    let mut at = MADT_ENTRIES_START;
    while at < length {
        match bytes.get(at + 1) {
            Some(&len) if len >= 2 => at += usize::from(len),
            _ => break,
        }
    }
    let sound = at == length;
    if !sound {
        log::warn!("acpi: the MADT's entries do not fit its length; ignored");
    }
    sound
}

fn madt(madt: core::pin::Pin<&Madt>) -> MadtInfo {
    let mut info = MadtInfo {
        local_apic: u64::from(madt.local_apic_address),
        cpus: 0,
        io_apics: Vec::new(),
        overrides: Vec::new(),
        has_8259: madt.supports_8259(),
    };
    for entry in madt.entries() {
        match entry {
            MadtEntry::LocalApic(e) if e.flags & 1 != 0 => info.cpus += 1,
            MadtEntry::LocalX2Apic(e) if e.flags & 1 != 0 => info.cpus += 1,
            MadtEntry::IoApic(e) => info.io_apics.push(IoApic {
                id: e.io_apic_id,
                address: e.io_apic_address,
                gsi_base: e.global_system_interrupt_base,
            }),
            MadtEntry::InterruptSourceOverride(e) => {
                info.overrides.push(IrqOverride { irq: e.irq, gsi: e.global_system_interrupt, flags: e.flags })
            }
            MadtEntry::LocalApicAddressOverride(e) => info.local_apic = e.local_apic_address,
            _ => {}
        }
    }
    info
}

/// The HPET's register block, when it is in system memory (as the spec requires).
fn hpet(tables: &AcpiTables<DirectMap>) -> Option<u64> {
    let table = tables.find_table::<HpetTable>().ok()?;
    // The base address's Generic Address Structure is bytes 40..52; the crate
    // keeps it private, and asserts (panics) on a space other than memory.
    if { table.header().length } < 52 {
        log::warn!("acpi: the HPET table is too short; ignored");
        return None;
    }
    let bytes = crate::arch::multiboot::phys_bytes(table.physical_start() as u64, 52);
    let space = bytes[40];
    let base = u64::from_le_bytes(bytes[44..52].try_into().ok()?);
    if space != 0 {
        log::warn!("acpi: the HPET is in address space {space}, not memory; ignored");
        return None;
    }
    Some(base)
}

fn ecam(mcfg: &Mcfg) -> Vec<EcamRegion> {
    (mcfg.entries().iter())
        .map(|e| EcamRegion {
            base: e.base_address,
            segment: e.pci_segment_group,
            bus_start: e.bus_number_start,
            bus_end: e.bus_number_end,
        })
        .collect()
}

/// The FADT's length up to the end of RESET_VALUE (ACPI 2.0 and later).
const FADT_RESET_END: u32 = 129;

fn fadt(fadt: &Fadt) -> FadtInfo {
    let length = { fadt.header().length };
    let reset_supported = { fadt.flags }.supports_system_reset_via_fadt() && length >= FADT_RESET_END;
    let reset = reset_supported.then(|| fadt.reset_register().ok().map(|r| (r, fadt.reset_value))).flatten();
    FadtInfo {
        pm1a_control: fadt.pm1a_control_block().ok().filter(|r| r.address != 0),
        pm1b_control: fadt.pm1b_control_block().ok().flatten().filter(|r| r.address != 0),
        pm_timer: fadt.pm_timer_block().ok().flatten().filter(|r| r.address != 0),
        pm_timer_32bit: { fadt.flags }.pm_timer_is_32_bit(),
        reset: reset.filter(|(r, _)| r.address != 0),
        century: fadt.century,
    }
}
