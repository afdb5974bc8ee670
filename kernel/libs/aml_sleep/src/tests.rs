//! Sleep types from AML as firmware writes it, through the interpreter.
use proptest::prelude::*;
use stable_aml::{DebugVerbosity, Handler};

use super::*;

/// A machine with nothing behind its addresses: reads give zeros.
struct NoHardware;

impl Handler for NoHardware {
    fn read_u8(&self, _: usize) -> u8 {
        0
    }
    fn read_u16(&self, _: usize) -> u16 {
        0
    }
    fn read_u32(&self, _: usize) -> u32 {
        0
    }
    fn read_u64(&self, _: usize) -> u64 {
        0
    }
    fn write_u8(&mut self, _: usize, _: u8) {}
    fn write_u16(&mut self, _: usize, _: u16) {}
    fn write_u32(&mut self, _: usize, _: u32) {}
    fn write_u64(&mut self, _: usize, _: u64) {}
    fn read_io_u8(&self, _: u16) -> u8 {
        0
    }
    fn read_io_u16(&self, _: u16) -> u16 {
        0
    }
    fn read_io_u32(&self, _: u16) -> u32 {
        0
    }
    fn write_io_u8(&self, _: u16, _: u8) {}
    fn write_io_u16(&self, _: u16, _: u16) {}
    fn write_io_u32(&self, _: u16, _: u32) {}
    fn read_pci_u8(&self, _: u16, _: u8, _: u8, _: u8, _: u16) -> u8 {
        0
    }
    fn read_pci_u16(&self, _: u16, _: u8, _: u8, _: u8, _: u16) -> u16 {
        0
    }
    fn read_pci_u32(&self, _: u16, _: u8, _: u8, _: u8, _: u16) -> u32 {
        0
    }
    fn write_pci_u8(&self, _: u16, _: u8, _: u8, _: u8, _: u16, _: u8) {}
    fn write_pci_u16(&self, _: u16, _: u8, _: u8, _: u8, _: u16, _: u16) {}
    fn write_pci_u32(&self, _: u16, _: u8, _: u8, _: u8, _: u16, _: u32) {}
}

/// A namespace built from these definition blocks (each the AML after a
/// table's header), every one parsed.
fn context(blocks: &[&[u8]]) -> AmlContext {
    let mut context = AmlContext::new(Box::new(NoHardware), DebugVerbosity::None);
    for block in blocks {
        context.parse_table(block).expect("the block parses");
    }
    context
}

/// QEMU's DSDT (i440fx and q35): `Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero })`
/// inside `Scope (\)`, after the `_S3` it also declares.
const QEMU: &[u8] = &[
    0x10, 0x1a, 0x5c, 0x00, // Scope (\) ...
    0x08, b'_', b'S', b'3', b'_', 0x12, 0x06, 0x04, 0x01, 0x01, 0x00, 0x00, //
    0x08, b'_', b'S', b'5', b'_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
];

#[test]
fn qemu_s5_is_type_zero_and_s3_is_one() {
    let mut aml = context(&[QEMU]);
    assert_eq!(sleep_types(&mut aml, 5), Ok(SleepTypes { a: 0, b: 0 }));
    assert_eq!(sleep_types(&mut aml, 3), Ok(SleepTypes { a: 1, b: 1 }));
    assert_eq!(sleep_types(&mut aml, 4), Err(SleepError::NotFound));
}

#[test]
fn byte_prefixed_values_with_a_root_path() {
    // Name (\_S5, Package (0x04) { 0x05, 0x05, Zero, Zero })
    let aml = [0x08, b'\\', b'_', b'S', b'5', b'_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00];
    assert_eq!(sleep_types(&mut context(&[&aml]), 5), Ok(SleepTypes { a: 5, b: 5 }));
}

#[test]
fn a_single_element_holds_both_types() {
    // Name (_S5, Package (0x01) { 0x0307 }): ACPICA takes SLP_TYPb from the second byte.
    let aml = [0x08, b'_', b'S', b'5', b'_', 0x12, 0x05, 0x01, 0x0b, 0x07, 0x03];
    assert_eq!(sleep_types(&mut context(&[&aml]), 5), Ok(SleepTypes { a: 7, b: 3 }));
}

#[test]
fn a_method_is_run_for_its_package() {
    // Method (_S5) { Return (Package () { 0x07, 0x03 }) }: a hand decoder of
    // `Name` objects cannot read this, the interpreter runs it.
    let aml = [0x14, 0x0e, b'_', b'S', b'5', b'_', 0x00, 0xa4, 0x12, 0x06, 0x02, 0x0a, 0x07, 0x0a, 0x03];
    assert_eq!(sleep_types(&mut context(&[&aml]), 5), Ok(SleepTypes { a: 7, b: 3 }));
}

#[test]
fn elements_may_name_integers_defined_in_another_table() {
    // An SSDT's Name (SLPT, 0x05) and the DSDT's Name (_S5, Package () { SLPT, SLPT }).
    let ssdt = [0x08, b'S', b'L', b'P', b'T', 0x0a, 0x05];
    let dsdt = [0x08, b'_', b'S', b'5', b'_', 0x12, 0x0a, 0x02, b'S', b'L', b'P', b'T', b'S', b'L', b'P', b'T'];
    let mut aml = context(&[&ssdt, &dsdt]);
    assert_eq!(sleep_types(&mut aml, 5), Ok(SleepTypes { a: 5, b: 5 }));
}

#[test]
fn a_package_of_strings_or_an_integer_is_malformed() {
    // Name (_S5, Package (0x02) { "a", "b" })
    let strings = [0x08, b'_', b'S', b'5', b'_', 0x12, 0x08, 0x02, 0x0d, b'a', 0x00, 0x0d, b'b', 0x00];
    assert_eq!(sleep_types(&mut context(&[&strings]), 5), Err(SleepError::Malformed));
    // Name (_S5, 0x05)
    let integer = [0x08, b'_', b'S', b'5', b'_', 0x0a, 0x05];
    assert_eq!(sleep_types(&mut context(&[&integer]), 5), Err(SleepError::Malformed));
}

#[test]
fn an_empty_namespace_has_no_sleep_types_but_predefined_objects() {
    let mut aml = context(&[]);
    assert_eq!(sleep_types(&mut aml, 5), Err(SleepError::NotFound));
    let predefined = object_count(&mut aml);
    assert!(predefined > 0);
    let mut qemu = context(&[QEMU]);
    assert_eq!(object_count(&mut qemu), predefined + 2);
}

#[test]
fn a_garbled_block_is_an_error() {
    let mut aml = AmlContext::new(Box::new(NoHardware), DebugVerbosity::None);
    assert!(aml.parse_table(&[0x08, b'_', b'S']).is_err());
    assert!(aml.parse_table(&[]).is_err());
    // An ExtOpPrefix with no such operator (the boot test's broken SSDT).
    assert!(aml.parse_table(&[0x5b, 0xff, 0x00]).is_err());
}

#[test]
fn the_control_value_keeps_other_bits() {
    let types = SleepTypes { a: 5, b: 7 };
    // SCI_EN (bit 0) kept, an old SLP_TYP of 1 replaced.
    assert_eq!(types.pm1_control(1 | 1 << 10, false), 1 | 5 << 10 | SLP_EN);
    assert_eq!(types.pm1_control(0, true), 7 << 10 | SLP_EN);
}

proptest! {
    #[test]
    fn any_types_give_a_value_with_only_slp_bits_changed(a: u8, b: u8, current: u16, register_b: bool) {
        let value = SleepTypes { a, b }.pm1_control(current, register_b);
        prop_assert_eq!(value & !(7 << 10 | SLP_EN), current & !(7 << 10 | SLP_EN));
        prop_assert_eq!(value >> 10 & 7, u16::from(if register_b { b } else { a }) & 7);
        prop_assert!(value & SLP_EN != 0);
    }
}
