//! lspci's output for one function, as pciutils prints it without the ids
//! database: the one-line form, `-v`'s details (subsystem, flags, regions,
//! expansion ROM, capabilities) and `-x`'s hex dump.
use std::fmt::Write;

use super::classes::{class_name, prog_if_name};
use super::device::Device;

/// How ids and classes are named (`-n` once: numbers; twice: both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    Text,
    Numeric,
    Both,
}

/// What to show of each function.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub names: Names,
    pub verbose: bool,
    /// How many bytes `-x` dumps (0: no dump).
    pub hex: usize,
    /// `-D`: the domain before every slot.
    pub domain: bool,
}

/// pciutils's `format_name`: a name, a number, or both (`name [number]`); an
/// unknown thing is `unknown number`.
fn format_name(names: Names, name: Option<&str>, number: &str, unknown: &str) -> String {
    match (names, name) {
        (Names::Numeric, _) => number.to_string(),
        (Names::Both, Some(name)) => format!("{name} [{number}]"),
        (Names::Both, None) => format!("{unknown} [{number}]"),
        (Names::Text, Some(name)) => name.to_string(),
        (Names::Text, None) => format!("{unknown} {number}"),
    }
}

fn class_text(names: Names, code: u16) -> String {
    let number = format!("{code:04x}");
    match class_name(code) {
        // A class known only by its base class shows its number too.
        Some((name, false)) if names == Names::Text => format!("{name} [{number}]"),
        found => format_name(names, found.map(|(name, _)| name), &number, "Class"),
    }
}

fn ids_text(names: Names, vendor: u16, device: u16) -> String {
    format_name(names, None, &format!("{vendor:04x}:{device:04x}"), "Device")
}

/// The whole text for `d` (a line, or a block ending in a blank line).
pub fn show(d: &Device, options: &Options) -> String {
    let mut out = String::new();
    if options.domain {
        out.push_str("0000:");
    }
    let _ =
        write!(out, "{d} {}: {}", class_text(options.names, d.class()), ids_text(options.names, d.vendor, d.device));
    if d.byte(0x08) != 0 {
        let _ = write!(out, " (rev {:02x})", d.byte(0x08));
    }
    if options.verbose {
        let prog_if = d.byte(0x09);
        let name = prog_if_name(d.class(), prog_if);
        if prog_if != 0 || name.is_some() {
            let _ = write!(out, " (prog-if {prog_if:02x}");
            if let Some(name) = name {
                let _ = write!(out, " [{name}]");
            }
            out.push(')');
        }
    }
    out.push('\n');
    if options.verbose {
        verbose(d, options.names, &mut out);
    }
    if options.hex > 0 {
        hex_dump(d, options.hex, &mut out);
    }
    if options.verbose || options.hex > 0 {
        out.push('\n');
    }
    out
}

fn verbose(d: &Device, names: Names, out: &mut String) {
    let header = d.header_type();
    if header == 0 {
        let (vendor, device) = (d.word(0x2c), d.word(0x2e));
        if vendor != 0 && vendor != 0xffff {
            let _ = writeln!(out, "\tSubsystem: {}", ids_text(names, vendor, device));
        }
    }
    flags(d, out);
    match header {
        0 => {
            bases(d, 6, out);
            rom(d, 0x30, out);
        }
        1 => {
            bases(d, 2, out);
            let _ = writeln!(
                out,
                "\tBus: primary={:02x}, secondary={:02x}, subordinate={:02x}, sec-latency={}",
                d.byte(0x18),
                d.byte(0x19),
                d.byte(0x1a),
                d.byte(0x1b)
            );
            rom(d, 0x38, out);
        }
        2 => bases(d, 1, out),
        _ => {
            let _ = writeln!(out, "\t!!! Unknown header type {header:02x}");
        }
    }
    capabilities(d, out);
}

const COMMAND_IO: u16 = 1;
const COMMAND_MEMORY: u16 = 2;
const COMMAND_MASTER: u16 = 4;

fn flags(d: &Device, out: &mut String) {
    let (command, status) = (d.word(0x04), d.word(0x06));
    out.push_str("\tFlags: ");
    for (set, text) in [
        (command & COMMAND_MASTER != 0, "bus master, "),
        (command & 0x20 != 0, "VGA palette snoop, "),
        (command & 0x80 != 0, "stepping, "),
        (command & 0x200 != 0, "fast Back2Back, "),
        (status & 0x20 != 0, "66MHz, "),
        (status & 0x40 != 0, "user-definable features, "),
    ] {
        if set {
            out.push_str(text);
        }
    }
    let devsel = ["fast", "medium", "slow", "??"][usize::from(status >> 9 & 3)];
    let _ = write!(out, "{devsel} devsel");
    if command & COMMAND_MASTER != 0 {
        let _ = write!(out, ", latency {}", d.byte(0x0d));
    }
    if d.irq != 0 {
        let _ = write!(out, ", IRQ {}", d.irq);
    }
    out.push('\n');
}

/// ` [size=4K]`, in the largest unit that divides it.
fn size_text(mut size: u64) -> String {
    if size == 0 {
        return String::new();
    }
    let mut unit = 0;
    while unit < 4 && size.is_multiple_of(1024) {
        size /= 1024;
        unit += 1;
    }
    format!(" [size={size}{}]", ["", "K", "M", "G", "T"][unit])
}

/// The regions, as pciutils's `show_bases`.
fn bases(d: &Device, count: usize, out: &mut String) {
    let command = d.word(0x04);
    let mut i = 0;
    while i < count {
        let (position, size) = (d.bases[i], d.sizes[i]);
        let mut register = d.long(0x10 + 4 * i);
        if register == 0xffff_ffff {
            register = 0;
        }
        i += 1;
        if position == 0 && register == 0 && size == 0 {
            continue;
        }
        let (mut hardware, mut broken) = (u64::from(register), false);
        if register & 1 == 1 {
            hardware &= !3;
        } else {
            hardware &= !0xf;
            if register >> 1 & 3 == 2 {
                if i >= count {
                    broken = true;
                } else {
                    hardware |= u64::from(d.long(0x10 + 4 * i)) << 32;
                    i += 1;
                }
            }
        }
        let virtual_region = position != 0 && hardware == 0;
        if virtual_region {
            register = position as u32;
        }
        out.push('\t');
        if register & 1 == 1 {
            let address = position & !3;
            out.push_str("I/O ports at ");
            if address != 0 || command & COMMAND_IO != 0 {
                let _ = write!(out, "{address:04x}");
            } else if hardware != 0 {
                out.push_str("<ignored>");
            } else {
                out.push_str("<unassigned>");
            }
            if virtual_region {
                out.push_str(" [virtual]");
            } else if command & COMMAND_IO == 0 {
                out.push_str(" [disabled]");
            }
        } else {
            let address = position & !0xf;
            out.push_str("Memory at ");
            if broken {
                out.push_str("<broken-64-bit-slot>");
            } else if address != 0 {
                let _ = write!(out, "{address:08x}");
            } else if hardware != 0 {
                out.push_str("<ignored>");
            } else {
                out.push_str("<unassigned>");
            }
            let width = ["32-bit", "low-1M", "64-bit", "type 3"][(register >> 1 & 3) as usize];
            let prefetch = if register & 8 != 0 { "" } else { "non-" };
            let _ = write!(out, " ({width}, {prefetch}prefetchable)");
            if virtual_region {
                out.push_str(" [virtual]");
            } else if command & COMMAND_MEMORY == 0 {
                out.push_str(" [disabled]");
            }
        }
        let _ = writeln!(out, "{}", size_text(size));
    }
}

const ROM_ADDRESS_MASK: u64 = !0x7ff;

/// The expansion ROM, as pciutils's `show_rom`.
fn rom(d: &Device, register_at: usize, out: &mut String) {
    let (position, size) = (d.bases[6], d.sizes[6]);
    let register = u64::from(d.long(register_at));
    if position == 0 && register == 0 && size == 0 {
        return;
    }
    let virtual_rom = position & ROM_ADDRESS_MASK != 0 && register & ROM_ADDRESS_MASK == 0;
    out.push_str("\tExpansion ROM at ");
    if position & ROM_ADDRESS_MASK != 0 {
        let _ = write!(out, "{:08x}", position & ROM_ADDRESS_MASK);
    } else if register & ROM_ADDRESS_MASK != 0 {
        out.push_str("<ignored>");
    } else {
        out.push_str("<unassigned>");
    }
    if virtual_rom {
        out.push_str(" [virtual]");
    }
    if register & 1 == 0 {
        out.push_str(" [disabled]");
    } else if !virtual_rom && d.word(0x04) & COMMAND_MEMORY == 0 {
        out.push_str(" [disabled by cmd]");
    }
    let _ = writeln!(out, "{}", size_text(size));
}

fn flag(value: u16, bit: u16) -> char {
    if value & bit != 0 { '+' } else { '-' }
}

/// The capability list, as pciutils's `show_caps` at `-v`.
fn capabilities(d: &Device, out: &mut String) {
    if d.word(0x06) & 0x10 == 0 {
        return;
    }
    let mut at = usize::from(d.byte(0x34) & !3);
    let mut seen = [false; 256];
    while at != 0 {
        out.push_str("\tCapabilities: ");
        if at + 4 > d.config.len() {
            out.push_str("<access denied>\n");
            return;
        }
        let (id, next, cap) = (d.byte(at), usize::from(d.byte(at + 1) & !3), d.word(at + 2));
        let _ = write!(out, "[{at:02x}] ");
        if std::mem::replace(&mut seen[at], true) {
            out.push_str("<chain looped>\n");
            return;
        }
        let _ = match id {
            0x00 => writeln!(out, "Null"),
            0x01 => writeln!(out, "Power Management version {}", cap & 7),
            0x05 => writeln!(
                out,
                "MSI: Enable{} Count={}/{} Maskable{} 64bit{}",
                flag(cap, 1),
                1 << (cap >> 4 & 7),
                1 << (cap >> 1 & 7),
                flag(cap, 0x100),
                flag(cap, 0x80)
            ),
            0x09 => writeln!(out, "Vendor Specific Information: {}", vendor_capability(d, at)),
            0x0d => writeln!(out, "Subsystem: {}", ids_text(Names::Text, d.word(at + 4), d.word(at + 6))),
            0x10 => writeln!(out, "Express {}, MSI {:02x}", express_type(cap >> 4 & 0xf), cap >> 9 & 0x1f),
            0x11 => writeln!(
                out,
                "MSI-X: Enable{} Count={} Masked{}",
                flag(cap, 0x8000),
                (cap & 0x7ff) + 1,
                flag(cap, 0x4000)
            ),
            0x12 => writeln!(out, "SATA HBA v{}.{}", cap >> 4 & 0xf, cap & 0xf),
            0x13 => writeln!(out, "PCI Advanced Features"),
            0xff => {
                out.push_str("<chain broken>\n");
                return;
            }
            _ => writeln!(out, "#{id:02x} [{cap:04x}]"),
        };
        at = next;
    }
}

/// What a vendor-specific capability is: virtio's structures (Red Hat's
/// devices 1000..107f), else its length.
fn vendor_capability(d: &Device, at: usize) -> String {
    let length = usize::from(d.byte(at + 2));
    let virtio = d.vendor == 0x1af4 && (0x1000..=0x107f).contains(&d.device);
    if virtio && length >= 16 && at + length <= d.config.len() {
        let kind = match d.byte(at + 3) {
            1 => "CommonCfg",
            2 => "Notify",
            3 => "ISR",
            4 => "DeviceCfg",
            _ => "<unknown>",
        };
        return format!("VirtIO: {kind}");
    }
    format!("Len={length:02x} <?>")
}

fn express_type(kind: u16) -> String {
    let name = match kind {
        0 => "Endpoint",
        1 => "Legacy Endpoint",
        4 => "Root Port",
        5 => "Upstream Port",
        6 => "Downstream Port",
        7 => "PCI-Express to PCI/PCI-X Bridge",
        8 => "PCI/PCI-X to PCI-Express Bridge",
        9 => "Root Complex Integrated Endpoint",
        10 => "Root Complex Event Collector",
        _ => return format!("Unknown type {kind}"),
    };
    name.to_string()
}

/// `-x`: `00: 86 80 ...`, 16 bytes a line.
fn hex_dump(d: &Device, count: usize, out: &mut String) {
    for (row, chunk) in d.config[..count.min(d.config.len())].chunks(16).enumerate() {
        let _ = write!(out, "{:02x}:", row * 16);
        for byte in chunk {
            let _ = write!(out, " {byte:02x}");
        }
        out.push('\n');
    }
}
