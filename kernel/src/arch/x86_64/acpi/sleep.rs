//! The S5 (soft-off) sleep types, read from the `\_S5` object of the DSDT or, failing
//! that, an SSDT (the `acpi-sleep` crate decodes the AML).
use acpi::{AcpiTables, AmlTable};
use acpi_sleep::{SleepError, SleepTypes};

use super::handler::{DirectMap, covers};
use crate::arch::multiboot::phys_bytes;

/// The AML of a definition block (the crate's `AmlTable` starts after the
/// header), if the direct map holds it.
fn aml(table: &AmlTable) -> Option<&'static [u8]> {
    let len = table.length as usize;
    covers(table.address as u64, len).then(|| phys_bytes(table.address as u64, len))
}

/// `\_S5`'s sleep types, from the DSDT then each SSDT.
pub fn s5(tables: &AcpiTables<DirectMap>) -> Result<SleepTypes, SleepError> {
    let dsdt = tables.dsdt().ok();
    let blocks = dsdt.into_iter().chain(tables.ssdts()).filter_map(|t| aml(&t));
    let mut error = SleepError::NotFound;
    for block in blocks {
        match acpi_sleep::s5_sleep_types(block) {
            Ok(types) => return Ok(types),
            Err(SleepError::Malformed) => error = SleepError::Malformed,
            Err(SleepError::NotFound) => {}
        }
    }
    Err(error)
}
