//! ACPI sleep types: the `\_S5` package of a DSDT or SSDT read from its AML
//! (`Name (_S5, Package () { SLP_TYPa, SLP_TYPb, ... })`), and the PM1 control
//! value that enters the state, decoded as ACPICA's `acpi_hw_get_sleep_type_data`
//! reads the evaluated object.
#![cfg_attr(not(test), no_std)]

/// SLP_EN in PM1x_CNT.
pub const SLP_EN: u16 = 1 << 13;
/// SLP_TYPx's place in PM1x_CNT (three bits).
const SLP_TYP_SHIFT: u16 = 10;

const NAME_OP: u8 = 0x08;
const PACKAGE_OP: u8 = 0x12;
const ROOT_CHAR: u8 = b'\\';

/// The two sleep-type values of one sleep state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SleepTypes {
    pub a: u8,
    pub b: u8,
}

impl SleepTypes {
    /// The value to write to PM1a_CNT (or, with `register_b`, PM1b_CNT) whose
    /// value is now `current`: its SLP_TYP replaced and SLP_EN set, the other bits
    /// (SCI_EN and the like) kept.
    pub fn pm1_control(self, current: u16, register_b: bool) -> u16 {
        let typ = if register_b { self.b } else { self.a };
        current & !(7 << SLP_TYP_SHIFT | SLP_EN) | (u16::from(typ) & 7) << SLP_TYP_SHIFT | SLP_EN
    }
}

/// Why the sleep types could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SleepError {
    /// No `Name (_S5, Package ...)` in the table.
    NotFound,
    /// The package is there but cut short or not made of integer constants
    /// (for instance computed by a method: that needs a full interpreter).
    Malformed,
}

/// The `\_S5` sleep types in the AML of a definition block (the table's bytes
/// after its 36-byte header).
pub fn s5_sleep_types(aml: &[u8]) -> Result<SleepTypes, SleepError> {
    sleep_types(aml, b"_S5_")
}

/// The sleep types of the state named `name` (`_S0_` .. `_S5_`).
pub fn sleep_types(aml: &[u8], name: &[u8; 4]) -> Result<SleepTypes, SleepError> {
    let mut found = SleepError::NotFound;
    for at in 0..aml.len() {
        let Some(package) = package_after_name(&aml[at..], name) else { continue };
        match decode_package(package) {
            Ok(types) => return Ok(types),
            Err(e) => found = e,
        }
    }
    Err(found)
}

/// The bytes after `PackageOp` if `code` starts with `NameOp [\] name PackageOp`.
fn package_after_name<'a>(code: &'a [u8], name: &[u8; 4]) -> Option<&'a [u8]> {
    let rest = code.strip_prefix(&[NAME_OP])?;
    let rest = rest.strip_prefix(&[ROOT_CHAR]).unwrap_or(rest);
    rest.strip_prefix(name.as_slice())?.strip_prefix(&[PACKAGE_OP])
}

/// Decode `PkgLength NumElements PackageElementList`, ACPICA's way: the first
/// element's low byte is SLP_TYPa; the second element's is SLP_TYPb, or with a
/// single element, its second byte.
fn decode_package(code: &[u8]) -> Result<SleepTypes, SleepError> {
    let (length, used) = pkg_length(code).ok_or(SleepError::Malformed)?;
    let body = code.get(used..length).ok_or(SleepError::Malformed)?;
    let (&count, mut elements) = body.split_first().ok_or(SleepError::Malformed)?;
    if count == 0 {
        return Err(SleepError::Malformed);
    }
    let first = integer(&mut elements)?;
    let second = if count >= 2 { integer(&mut elements)? } else { first >> 8 };
    Ok(SleepTypes { a: first as u8, b: second as u8 })
}

/// A PkgLength: the length it encodes (counting its own bytes) and how many
/// bytes it takes.
fn pkg_length(code: &[u8]) -> Option<(usize, usize)> {
    let lead = *code.first()?;
    let follow = usize::from(lead >> 6);
    if follow == 0 {
        return Some((usize::from(lead & 0x3f), 1));
    }
    let bytes = code.get(1..=follow)?;
    let high = bytes.iter().rev().fold(0usize, |acc, &b| acc << 8 | usize::from(b));
    Some((high << 4 | usize::from(lead & 0x0f), 1 + follow))
}

/// One integer constant (ZeroOp, OneOp, OnesOp or a Byte/Word/DWord/QWord
/// prefix and its value), taken off the front of `code`.
fn integer(code: &mut &[u8]) -> Result<u64, SleepError> {
    let (&op, rest) = code.split_first().ok_or(SleepError::Malformed)?;
    let (value, size) = match op {
        0x00 => (0, 0),
        0x01 => (1, 0),
        0xff => (u64::MAX, 0),
        0x0a | 0x0b | 0x0c | 0x0e => {
            let size = match op {
                0x0a => 1,
                0x0b => 2,
                0x0c => 4,
                _ => 8,
            };
            let bytes = rest.get(..size).ok_or(SleepError::Malformed)?;
            (bytes.iter().rev().fold(0u64, |acc, &b| acc << 8 | u64::from(b)), size)
        }
        _ => return Err(SleepError::Malformed),
    };
    *code = &rest[size..];
    Ok(value)
}

#[cfg(test)]
mod tests;
