//! ACPI sleep types: a sleep state's `\_Sx` object (`Package () { SLP_TYPa,
//! SLP_TYPb, ... }`, or a method returning one) evaluated by the `stable-aml`
//! interpreter in a namespace built from the DSDT and SSDTs, read as ACPICA's
//! `acpi_hw_get_sleep_type_data` reads it; and the PM1 control value that enters
//! the state.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::format;

use stable_aml::value::Args;
use stable_aml::{AmlContext, AmlError, AmlName, AmlValue, LevelType, NamespaceLevel};

/// SLP_EN in PM1x_CNT.
pub const SLP_EN: u16 = 1 << 13;
/// SLP_TYPx's place in PM1x_CNT (three bits).
const SLP_TYP_SHIFT: u16 = 10;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SleepError {
    /// No such object in the namespace.
    NotFound,
    /// The object is not a package whose first one or two elements are integers.
    Malformed,
    /// Evaluating the object failed.
    Aml(AmlError),
    /// The interpreter panicked while evaluating it (the kernel runs it
    /// contained, so only the evaluation ended).
    Panicked,
}

/// The sleep types of state `state` (0 to 5): `\_S5` for soft off.
pub fn sleep_types(context: &mut AmlContext, state: u8) -> Result<SleepTypes, SleepError> {
    let path = AmlName::from_str(&format!("\\_S{state}")).map_err(SleepError::Aml)?;
    // A method is run; any other object is its own value.
    match context.invoke_method(&path, Args::default()) {
        Ok(value) => decode(context, &value),
        Err(AmlError::ValueDoesNotExist(_) | AmlError::LevelDoesNotExist(_)) => Err(SleepError::NotFound),
        Err(e) => Err(SleepError::Aml(e)),
    }
}

/// ACPICA's reading: the first element's low byte is SLP_TYPa; the second
/// element's is SLP_TYPb, or with a single element, the first one's second byte.
/// An element may name an integer object (the interpreter keeps the name as a
/// string), looked up from the root scope, where `\_Sx` lives.
fn decode(context: &AmlContext, value: &AmlValue) -> Result<SleepTypes, SleepError> {
    let AmlValue::Package(elements) = value else { return Err(SleepError::Malformed) };
    let integer = |at: usize| match elements.get(at) {
        Some(AmlValue::Integer(n)) => Ok(*n),
        Some(AmlValue::String(name)) => match named(context, name) {
            Some(AmlValue::Integer(n)) => Ok(*n),
            _ => Err(SleepError::Malformed),
        },
        _ => Err(SleepError::Malformed),
    };
    let first = integer(0)?;
    let second = if elements.len() >= 2 { integer(1)? } else { first >> 8 };
    Ok(SleepTypes { a: first as u8, b: second as u8 })
}

/// The object `name` refers to from the root scope, if there is one.
fn named<'a>(context: &'a AmlContext, name: &str) -> Option<&'a AmlValue> {
    let name = AmlName::from_str(name).ok()?;
    let (_, handle) = context.namespace.search(&name, &AmlName::root()).ok()?;
    context.namespace.get(handle).ok()
}

/// How many named objects the namespace holds (the interpreter's predefined
/// ones included).
pub fn object_count(context: &mut AmlContext) -> usize {
    let mut count = 0;
    let counted = context.namespace.traverse(|_, level: &NamespaceLevel| {
        count += level.values.len();
        Ok(level.typ != LevelType::MethodLocals)
    });
    counted.map_or(0, |()| count)
}

#[cfg(test)]
mod tests;
