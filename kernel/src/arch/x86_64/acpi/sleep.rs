//! The S5 (soft-off) sleep types: the DSDT and every SSDT parsed by the
//! `stable-aml` interpreter into one namespace, then `\_S5` evaluated (the
//! `aml-sleep` crate reads the package). A table that does not parse is logged
//! and skipped; what the others defined still counts.
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;

use acpi::{AcpiTables, AmlTable};
use aml_sleep::{SleepError, SleepTypes};
use stable_aml::{AmlContext, DebugVerbosity};

use super::aml_handler::AmlHandler;
use super::handler::{DirectMap, covers};
use crate::arch::cpu;
use crate::arch::multiboot::phys_bytes;

/// The AML of a definition block (the crate's `AmlTable` starts after the
/// header), if the direct map holds it.
fn aml(table: &AmlTable) -> Option<&'static [u8]> {
    let len = table.length as usize;
    covers(table.address as u64, len).then(|| phys_bytes(table.address as u64, len))
}

/// `\_S5`'s sleep types, from the namespace of the DSDT and the SSDTs.
pub fn s5(tables: &AcpiTables<DirectMap>) -> Result<SleepTypes, SleepError> {
    let start = cpu::timestamp();
    let mut context = AmlContext::new(Box::new(AmlHandler), DebugVerbosity::None);
    let dsdt = tables.dsdt().ok().map(|t| (String::from("DSDT"), t));
    let ssdts = tables.ssdts().enumerate().map(|(i, t)| (format!("SSDT {}", i + 1), t));
    let (mut parsed, mut total) = (0, 0);
    for (name, table) in dsdt.into_iter().chain(ssdts) {
        total += 1;
        let Some(code) = aml(&table) else {
            log::warn!("acpi: the {name} at {:#x} is outside the direct map; skipped", table.address);
            continue;
        };
        match context.parse_table(code) {
            Ok(()) => parsed += 1,
            Err(e) => log::warn!("acpi: the AML of the {name} at {:#x} does not parse ({e:?}); skipped", table.address),
        }
    }
    let types = aml_sleep::sleep_types(&mut context, 5);
    log::debug!(
        "acpi: AML of {parsed} of {total} definition blocks parsed, {} objects, in {} million TSC cycles",
        aml_sleep::object_count(&mut context),
        cpu::timestamp().wrapping_sub(start) / 1_000_000
    );
    types
}
