//! A line of /proc/bus/pci/devices, as Linux's `show_device` writes it: bus and
//! devfn, vendor and device, IRQ, then the six BARs and the ROM as address|flags,
//! then their sizes, each `%16llx`, and a tab before the (absent) driver name.
use alloc::string::String;
use core::fmt::Write;

use crate::{Bar, Function};

pub fn devices_line(function: &Function) -> String {
    let mut line = String::new();
    let _ = write!(
        line,
        "{:02x}{:02x}\t{:04x}{:04x}\t{:x}",
        function.address.bus,
        function.address.devfn(),
        function.vendor,
        function.device,
        function.irq()
    );
    let resources: [&Bar; 7] = {
        let b = &function.resources.bars;
        [&b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &function.resources.rom]
    };
    for bar in resources {
        let _ = write!(line, "\t{:16x}", bar.address | u64::from(bar.flags));
    }
    for bar in resources {
        let _ = write!(line, "\t{:16x}", bar.size);
    }
    line.push_str("\t\n");
    line
}
