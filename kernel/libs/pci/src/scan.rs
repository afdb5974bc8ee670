//! Enumeration: every function on bus 0 and on the buses behind PCI-to-PCI
//! bridges (each bus once, whatever the bridges say), in address order.
use alloc::vec::Vec;

use crate::{Address, ConfigSpace, Function, reg};

const ABSENT: u16 = 0xffff;

/// Every function present, sorted by address.
pub fn enumerate(config: &mut impl ConfigSpace) -> Vec<Function> {
    let mut found = Vec::new();
    let mut seen = [false; 256];
    let mut pending = alloc::vec![0u8];
    seen[0] = true;
    while let Some(bus) = pending.pop() {
        for device in 0..32 {
            let first = Address::new(bus, device, 0);
            if config.read_u16(first, reg::VENDOR) == ABSENT {
                continue;
            }
            let functions = if config.read_u8(first, reg::HEADER_TYPE) & 0x80 != 0 { 8 } else { 1 };
            for function in 0..functions {
                let at = Address::new(bus, device, function);
                if config.read_u16(at, reg::VENDOR) == ABSENT {
                    continue;
                }
                let found_function = Function::read(config, at);
                if let Some(secondary) = found_function.secondary_bus
                    && !seen[usize::from(secondary)]
                {
                    seen[usize::from(secondary)] = true;
                    pending.push(secondary);
                }
                found.push(found_function);
            }
        }
    }
    found.sort_by_key(|f| f.address);
    found
}
