//! The one boot-log line that sums up the ACPI tables (`acpi: revision ...`).
use alloc::format;
use alloc::string::String;
use core::fmt::{self, Display, Formatter};

use acpi::address::{AddressSpace, GenericAddress};
use aml_sleep::SleepError;

use super::{AcpiInfo, FadtInfo, MadtInfo};

/// A register as `io 0x604` or `mem 0xfed00000`.
struct Register<'a>(Option<&'a GenericAddress>);

impl Display for Register<'_> {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        match self.0 {
            None => f.write_str("none"),
            Some(r) if r.address_space == AddressSpace::SystemIo => write!(f, "io {:#x}", r.address),
            Some(r) if r.address_space == AddressSpace::SystemMemory => write!(f, "mem {:#x}", r.address),
            Some(r) => write!(f, "{:?} {:#x}", r.address_space, r.address),
        }
    }
}

impl Display for MadtInfo {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        write!(f, "madt: cpus {}, local APIC {:#x}", self.cpus, self.local_apic)?;
        for io in &self.io_apics {
            write!(f, ", I/O APIC {} at {:#x} (GSI {})", io.id, io.address, io.gsi_base)?;
        }
        f.write_str(", ISA overrides")?;
        if self.overrides.is_empty() {
            f.write_str(" none")?;
        }
        for o in &self.overrides {
            write!(f, " {}->{}", o.irq, o.gsi)?;
            if o.flags != 0 {
                write!(f, "/{:#x}", o.flags)?;
            }
        }
        if self.has_8259 { f.write_str(", 8259 PICs") } else { Ok(()) }
    }
}

impl Display for FadtInfo {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        write!(f, "fadt: PM1a {}", Register(self.pm1a_control.as_ref()))?;
        write!(f, ", PM1b {}", Register(self.pm1b_control.as_ref()))?;
        write!(f, ", PM timer {}", Register(self.pm_timer.as_ref()))?;
        match &self.reset {
            Some((reg, value)) => write!(f, ", reset {}={value:#x}", Register(Some(reg)))?,
            None => f.write_str(", reset none")?,
        }
        write!(f, ", century {:#x}", self.century)
    }
}

impl Display for AcpiInfo {
    fn fmt(&self, f: &mut Formatter) -> fmt::Result {
        write!(f, "acpi: revision {}, OEM {}, tables {}; ", self.revision, self.oem, self.tables.join(" "))?;
        match &self.madt {
            Some(madt) => write!(f, "{madt}; ")?,
            None => f.write_str("madt none; ")?,
        }
        match self.hpet {
            Some(base) => write!(f, "hpet {base:#x}; ")?,
            None => f.write_str("hpet none; ")?,
        }
        f.write_str("ecam")?;
        if self.ecam.is_empty() {
            f.write_str(" none")?;
        }
        for r in &self.ecam {
            write!(f, " {:#x} (segment {}, buses {}-{})", r.base, r.segment, r.bus_start, r.bus_end)?;
        }
        match &self.fadt {
            Some(fadt) => write!(f, "; {fadt}")?,
            None => f.write_str("; fadt none")?,
        }
        match &self.s5 {
            Ok(t) => write!(f, "; S5 sleep types {}/{}", t.a, t.b),
            Err(e) => write!(f, "; S5 {}", sleep_error(e)),
        }
    }
}

/// Why `\_S5` could not be read, in words.
pub fn sleep_error(e: &SleepError) -> String {
    match e {
        SleepError::NotFound => String::from("not in the DSDT or SSDTs"),
        SleepError::Malformed => String::from("not a package of integers"),
        SleepError::Aml(e) => format!("evaluating it failed: {e:?}"),
        SleepError::Panicked => String::from("the AML interpreter panicked evaluating it"),
    }
}
