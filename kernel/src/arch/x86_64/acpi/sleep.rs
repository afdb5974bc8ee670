//! The S5 (soft-off) sleep types: the DSDT and every SSDT parsed by the
//! `stable-aml` interpreter into one namespace, then `\_S5` evaluated (the
//! `aml-sleep` crate reads the package). A table that does not parse is logged
//! and skipped; what the others defined still counts.
//!
//! The interpreter crate panics on operations it does not implement, which
//! firmware can reach, so it runs contained (`Contain`): when it panics in a
//! table, the namespace is built again without that table.
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicUsize, Ordering};

use acpi::{AcpiTables, AmlTable};
use aml_sleep::{SleepError, SleepTypes};
use stable_aml::{AmlContext, AmlError, DebugVerbosity};

use super::aml_handler::AmlHandler;
use super::handler::{DirectMap, covers};
use crate::arch::cpu;
use crate::arch::multiboot::phys_bytes;

/// Runs a call contained on a stack of its own (mm's kernel stacks, which arch
/// cannot allocate, so the caller gives this): `Err` says why the call did not
/// return.
pub type Contain<'a> = &'a dyn Fn(&mut dyn FnMut()) -> Result<(), String>;

/// A definition block: the table's name in the log, its address and its AML.
struct Block {
    name: String,
    address: usize,
    code: Option<&'static [u8]>,
}

/// What one pass of the interpreter over the blocks found.
struct Pass {
    types: Result<SleepTypes, SleepError>,
    /// The blocks (their indices) whose AML did not parse, and why.
    unparsed: Vec<(usize, AmlError)>,
    objects: usize,
}

/// Which block a pass is parsing (`EVALUATING` once all are parsed).
const EVALUATING: usize = usize::MAX;

/// The AML of a definition block (the crate's `AmlTable` starts after the
/// header), if the direct map holds it.
fn aml(table: &AmlTable) -> Option<&'static [u8]> {
    let len = table.length as usize;
    covers(table.address as u64, len).then(|| phys_bytes(table.address as u64, len))
}

fn blocks(tables: &AcpiTables<DirectMap>) -> Vec<Block> {
    let dsdt = tables.dsdt().ok().map(|t| (String::from("DSDT"), t));
    let ssdts = tables.ssdts().enumerate().map(|(i, t)| (format!("SSDT {}", i + 1), t));
    dsdt.into_iter().chain(ssdts).map(|(name, t)| Block { name, address: t.address, code: aml(&t) }).collect()
}

/// Parse every block but those in `skipped` into one namespace, noting in
/// `parsing` the one being parsed, and evaluate `\_S5` there.
fn pass(blocks: &[Block], skipped: &[usize], parsing: &AtomicUsize) -> Pass {
    let mut context = AmlContext::new(Box::new(AmlHandler), DebugVerbosity::None);
    let mut unparsed = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let Some(code) = block.code.filter(|_| !skipped.contains(&i)) else { continue };
        parsing.store(i, Ordering::Relaxed);
        if let Err(e) = context.parse_table(code) {
            unparsed.push((i, e));
        }
    }
    parsing.store(EVALUATING, Ordering::Relaxed);
    let types = aml_sleep::sleep_types(&mut context, 5);
    Pass { types, unparsed, objects: aml_sleep::object_count(&mut context) }
}

/// `\_S5`'s sleep types, from the namespace of the DSDT and the SSDTs.
pub fn s5(tables: &AcpiTables<DirectMap>, contain: Contain) -> Result<SleepTypes, SleepError> {
    let start = cpu::timestamp();
    let blocks = blocks(tables);
    for block in blocks.iter().filter(|b| b.code.is_none()) {
        log::warn!("acpi: the {} at {:#x} is outside the direct map; skipped", block.name, block.address);
    }
    // Each pass that panics skips one more block, so this ends.
    let mut skipped: Vec<usize> = Vec::new();
    let pass = loop {
        let parsing = AtomicUsize::new(EVALUATING);
        let mut outcome = None;
        let ran = contain(&mut || outcome = Some(pass(&blocks, &skipped, &parsing)));
        match (ran, outcome) {
            (Ok(()), Some(pass)) => break pass,
            (ran, _) => {
                let why = ran.err().unwrap_or_default();
                let at = parsing.load(Ordering::Relaxed);
                let Some(block) = blocks.get(at) else {
                    log::warn!("acpi: the AML interpreter stopped evaluating \\_S5: {why}");
                    return Err(SleepError::Panicked);
                };
                log::warn!(
                    "acpi: the AML interpreter stopped in the {} at {:#x}: {why}; the namespace is built again without it",
                    block.name,
                    block.address
                );
                skipped.push(at);
            }
        }
    };
    for (i, e) in &pass.unparsed {
        let block = &blocks[*i];
        log::warn!("acpi: the AML of the {} at {:#x} does not parse ({e:?}); skipped", block.name, block.address);
    }
    let parsed = blocks.iter().filter(|b| b.code.is_some()).count() - skipped.len() - pass.unparsed.len();
    log::debug!(
        "acpi: AML of {parsed} of {} definition blocks parsed, {} objects, in {} million TSC cycles",
        blocks.len(),
        pass.objects,
        cpu::timestamp().wrapping_sub(start) / 1_000_000
    );
    pass.types
}
