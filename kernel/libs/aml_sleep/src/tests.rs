//! Sleep-type decoding on AML as firmware writes it.
use proptest::prelude::*;

use super::*;

/// QEMU's DSDT (i440fx and q35): `Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero })`
/// inside `Scope (\)`, after the `_S3`/`_S4` it may also declare.
const QEMU: &[u8] = &[
    0x10, 0x1a, 0x5c, 0x00, // Scope (\) ...
    0x08, b'_', b'S', b'3', b'_', 0x12, 0x06, 0x04, 0x01, 0x01, 0x00, 0x00, //
    0x08, b'_', b'S', b'5', b'_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
];

#[test]
fn qemu_s5_is_type_zero_and_s3_is_one() {
    assert_eq!(s5_sleep_types(QEMU), Ok(SleepTypes { a: 0, b: 0 }));
    assert_eq!(sleep_types(QEMU, b"_S3_"), Ok(SleepTypes { a: 1, b: 1 }));
}

#[test]
fn byte_prefixed_values_with_a_root_path() {
    // Name (\_S5, Package (0x04) { 0x05, 0x05, Zero, Zero })
    let aml = [0x08, b'\\', b'_', b'S', b'5', b'_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00];
    assert_eq!(s5_sleep_types(&aml), Ok(SleepTypes { a: 5, b: 5 }));
}

#[test]
fn intel_chipsets_use_type_seven_and_word_values_keep_the_low_byte() {
    // Name (_S5, Package (0x04) { 0x07, Zero, Zero, Zero }) with a WordPrefix.
    let aml = [0x08, b'_', b'S', b'5', b'_', 0x12, 0x08, 0x04, 0x0b, 0x07, 0x12, 0x00, 0x00, 0x00];
    assert_eq!(s5_sleep_types(&aml), Ok(SleepTypes { a: 7, b: 0 }));
}

#[test]
fn a_single_element_holds_both_types() {
    // Package (One) { 0x0605 }: SLP_TYPa 5, SLP_TYPb 6, as ACPICA reads it.
    let aml = [0x08, b'_', b'S', b'5', b'_', 0x12, 0x05, 0x01, 0x0b, 0x05, 0x06];
    assert_eq!(s5_sleep_types(&aml), Ok(SleepTypes { a: 5, b: 6 }));
}

#[test]
fn two_byte_package_lengths() {
    // A PkgLength of 0x46 in two bytes (lead 0x46 & 0x0f = 6, next byte 4).
    let mut aml = vec![0x08, b'_', b'S', b'5', b'_', 0x12, 0x46, 0x04, 0x03, 0x0a, 0x02, 0x0a, 0x03, 0x00];
    aml.resize(aml.len() + 0x46, 0);
    assert_eq!(s5_sleep_types(&aml), Ok(SleepTypes { a: 2, b: 3 }));
}

#[test]
fn missing_and_malformed_packages_are_errors() {
    assert_eq!(s5_sleep_types(&[]), Err(SleepError::NotFound));
    assert_eq!(s5_sleep_types(b"no sleep states here"), Err(SleepError::NotFound));
    // The name used by a method call rather than declared: not a NameOp.
    assert_eq!(s5_sleep_types(&[0x70, b'_', b'S', b'5', b'_', 0x60]), Err(SleepError::NotFound));
    // Cut short after the package's start.
    assert_eq!(s5_sleep_types(&[0x08, b'_', b'S', b'5', b'_', 0x12, 0x06, 0x04, 0x0a]), Err(SleepError::Malformed));
    // A package of no elements, and one whose element is a name, not a constant.
    assert_eq!(s5_sleep_types(&[0x08, b'_', b'S', b'5', b'_', 0x12, 0x02, 0x00]), Err(SleepError::Malformed));
    let named = [0x08, b'_', b'S', b'5', b'_', 0x12, 0x07, 0x01, b'S', b'L', b'P', b'5'];
    assert_eq!(s5_sleep_types(&named), Err(SleepError::Malformed));
}

#[test]
fn pm1_control_values() {
    let types = SleepTypes { a: 5, b: 7 };
    assert_eq!(types.pm1_control(0, false), 5 << 10 | 1 << 13);
    assert_eq!(types.pm1_control(0, true), 7 << 10 | 1 << 13);
    assert_eq!(SleepTypes { a: 0xff, b: 0 }.pm1_control(0, false), 7 << 10 | 1 << 13);
    // SCI_EN (bit 0) stays; an old SLP_TYP is replaced, not or-ed into.
    assert_eq!(SleepTypes { a: 0, b: 0 }.pm1_control(1 | 3 << 10, false), 1 | 1 << 13);
}

proptest! {
    #[test]
    fn any_bytes_decode_without_panicking(aml in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = s5_sleep_types(&aml);
    }

    #[test]
    fn any_byte_constants_round_trip(a in any::<u8>(), b in any::<u8>(), junk in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut aml = junk.clone();
        aml.extend_from_slice(&[0x08, b'_', b'S', b'5', b'_', 0x12, 0x06, 0x02, 0x0a, a, 0x0a, b]);
        // Junk that names _S5 itself could start a package running into ours.
        prop_assume!(!junk.windows(4).any(|w| w == b"_S5_"));
        prop_assert_eq!(s5_sleep_types(&aml), Ok(SleepTypes { a, b }));
    }
}
