//! The functions lspci shows: a line of /proc/bus/pci/devices (bus and devfn,
//! ids, IRQ, the six BARs and the ROM with their sizes) and the function's
//! configuration bytes from /proc/bus/pci/BB/DD.F; and the `-s`/`-d` filters.
use std::fmt;

/// One function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub bus: u8,
    pub slot: u8,
    pub function: u8,
    pub vendor: u16,
    pub device: u16,
    pub irq: u32,
    /// Addresses with their flag bits, and sizes: BAR 0..5, then the ROM.
    pub bases: [u64; 7],
    pub sizes: [u64; 7],
    /// As much configuration space as the reader may see (64 or 256 bytes).
    pub config: Vec<u8>,
}

/// Parses one line of /proc/bus/pci/devices (config left empty).
pub fn parse_line(line: &str) -> Option<Device> {
    let mut fields = line.split('\t');
    let mut hex = || u64::from_str_radix(fields.next()?.trim(), 16).ok();
    let bdf = hex()?;
    let ids = hex()?;
    let irq = hex()?;
    let mut bases = [0; 7];
    for base in &mut bases {
        *base = hex()?;
    }
    let mut sizes = [0; 7];
    for size in &mut sizes {
        *size = hex()?;
    }
    if bdf > 0xffff || ids > 0xffff_ffff || irq > 0xffff_ffff {
        return None;
    }
    Some(Device {
        bus: (bdf >> 8) as u8,
        slot: (bdf >> 3 & 0x1f) as u8,
        function: (bdf & 7) as u8,
        vendor: (ids >> 16) as u16,
        device: ids as u16,
        irq: irq as u32,
        bases,
        sizes,
        config: Vec::new(),
    })
}

impl Device {
    /// The configuration file's path under `proc_path` (/proc/bus/pci).
    pub fn config_path(&self, proc_path: &str) -> String {
        format!("{proc_path}/{:02x}/{:02x}.{:x}", self.bus, self.slot, self.function)
    }

    pub fn byte(&self, offset: usize) -> u8 {
        self.config.get(offset).copied().unwrap_or(0)
    }

    pub fn word(&self, offset: usize) -> u16 {
        u16::from(self.byte(offset)) | u16::from(self.byte(offset + 1)) << 8
    }

    pub fn long(&self, offset: usize) -> u32 {
        u32::from(self.word(offset)) | u32::from(self.word(offset + 2)) << 16
    }

    /// Class << 8 | subclass.
    pub fn class(&self) -> u16 {
        self.word(0x0a)
    }

    pub fn header_type(&self) -> u8 {
        self.byte(0x0e) & 0x7f
    }
}

impl fmt::Display for Device {
    /// The slot name, `BB:DD.F`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02x}:{:02x}.{:x}", self.bus, self.slot, self.function)
    }
}

/// Splits a filter into at most `max` fields at `separator` (missing ones None).
fn split(text: &str, separator: char, max: usize) -> Result<Vec<Option<&str>>, &'static str> {
    let mut fields: Vec<Option<&str>> = text.split(separator).map(Some).collect();
    if fields.len() > max {
        return Err("Too many fields");
    }
    fields.resize(max, None);
    Ok(fields)
}

/// A field: None when absent, empty or `*` (any). Hex digits, never above
/// `max` as they are read; with `wildcards`, an `x` digit matches anything (the
/// mask says which bits count).
fn hex_field(text: Option<&str>, max: u32, wildcards: bool) -> Option<Result<(u32, u32), ()>> {
    let text = text.filter(|t| !t.is_empty() && *t != "*")?;
    let (mut value, mut mask, mut bound) = (0u32, !0u32, 0u32);
    for c in text.chars() {
        if wildcards && (c == 'x' || c == 'X') {
            value <<= 4;
            bound = bound << 4 | 1;
            mask <<= 4;
        } else {
            let Some(digit) = c.to_digit(16) else { return Some(Err(())) };
            value = value << 4 | digit;
            bound = bound << 4 | digit;
            mask = mask << 4 | 0xf;
        }
        if bound > max {
            return Some(Err(()));
        }
    }
    Some(Ok((value, mask)))
}

/// A field's value, or `error`.
fn number(text: Option<&str>, max: u32, error: &'static str) -> Result<Option<u32>, &'static str> {
    hex_field(text, max, false).transpose().map(|v| v.map(|(value, _)| value)).map_err(|()| error)
}

/// Whether a filter's field (None: any) accepts `have`.
fn accepts(want: Option<u32>, have: impl Into<u32>) -> bool {
    want.is_none_or(|w| w == have.into())
}

/// Filters longer than this are refused, as pciutils refuses them.
const MAX_FILTER: usize = 63;

/// `-s [[[[domain]:]bus]:][slot][.[func]]`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SlotFilter {
    domain: Option<u32>,
    bus: Option<u32>,
    slot: Option<u32>,
    function: Option<u32>,
}

impl SlotFilter {
    /// Parses the filter as pciutils (3.8 on); the error is its message.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        if text.len() > MAX_FILTER {
            return Err("Expression too long");
        }
        let fields = split(text, ':', 3)?;
        let mut filter = SlotFilter::default();
        let mut i = 0;
        if fields[2].is_some() {
            filter.domain = number(fields[0], 0x7fff_ffff, "Invalid domain number")?;
            i += 1;
        }
        if fields[i + 1].is_some() {
            filter.bus = number(fields[i], 0xff, "Invalid bus number")?;
            i += 1;
        }
        if let Some(slot) = fields[i].filter(|f| !f.is_empty() && *f != "*") {
            let parts = split(slot, '.', 2).map_err(|_| "Invalid slot/function number")?;
            filter.slot = number(parts[0], 0x1f, "Invalid slot number")?;
            filter.function = number(parts[1], 7, "Invalid function number")?;
        }
        Ok(filter)
    }

    pub fn matches(&self, d: &Device) -> bool {
        accepts(self.domain, 0u8)
            && accepts(self.bus, d.bus)
            && accepts(self.slot, d.slot)
            && accepts(self.function, d.function)
    }
}

/// `-d [vendor]:[device][:class[:prog-if]]`; the class may have `x` digits.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IdFilter {
    vendor: Option<u32>,
    device: Option<u32>,
    class: Option<(u32, u32)>,
    prog_if: Option<u32>,
}

impl IdFilter {
    /// Parses the filter as pciutils (3.8 on); the error is its message.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        if text.len() > MAX_FILTER {
            return Err("Expression too long");
        }
        let fields = split(text, ':', 4)?;
        if fields[1].is_none() {
            return Err("At least two fields must be given");
        }
        Ok(IdFilter {
            vendor: number(fields[0], 0xffff, "Invalid vendor ID")?,
            device: number(fields[1], 0xffff, "Invalid device ID")?,
            class: hex_field(fields[2], 0xffff, true).transpose().map_err(|()| "Invalid class code")?,
            prog_if: number(fields[3], 0xff, "Invalid programming interface code")?,
        })
    }

    pub fn matches(&self, d: &Device) -> bool {
        accepts(self.vendor, d.vendor)
            && accepts(self.device, d.device)
            && self.class.is_none_or(|(class, mask)| (class ^ u32::from(d.class())) & mask == 0)
            && accepts(self.prog_if, d.byte(0x09))
    }
}
