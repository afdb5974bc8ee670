//! PCI configuration access, two `pci::ConfigSpace`s: mechanism #1, the legacy
//! ports 0xCF8 (address) and 0xCFC (data), reaching the first 256 bytes of
//! every function's configuration space (one lock keeps each address/data pair
//! together); and PCI Express's memory-mapped windows (ECAM) that ACPI's MCFG
//! lists, reaching all 4 KiB, through the direct map made uncached there.
use lock_api::Mutex;
use pci::{Address, ConfigSpace};
use x86_64::instructions::port::Port;

use super::irq_lock::IrqSpinlock;
use super::mmio::Mmio;

const ADDRESS_PORT: u16 = 0xcf8;
const DATA_PORT: u16 = 0xcfc;
const ENABLE: u32 = 0x8000_0000;

/// The ports, held for one address-then-data access.
static PORTS: Mutex<IrqSpinlock, ()> = Mutex::new(());

/// Configuration access through the legacy ports.
#[derive(Debug, Clone, Copy)]
pub struct LegacyPorts;

fn port_address(at: Address, offset: u16) -> u32 {
    ENABLE
        | u32::from(at.bus) << 16
        | u32::from(at.device) << 11
        | u32::from(at.function) << 8
        | u32::from(offset & 0xfc)
}

impl LegacyPorts {
    /// The mechanism exists if the address port keeps the enable bit written to
    /// it (Linux's `pci_check_type1`); the port's old value is put back.
    pub fn present() -> bool {
        let _ports = PORTS.lock();
        let mut address = Port::<u32>::new(ADDRESS_PORT);
        // SAFETY: 0xCF8 is the configuration address register; writing it selects
        // a register and has no other effect, and the old value is restored.
        unsafe {
            let old = address.read();
            address.write(ENABLE);
            let present = address.read() == ENABLE;
            address.write(old);
            present
        }
    }
}

impl ConfigSpace for LegacyPorts {
    fn read_u32(&mut self, at: Address, offset: u16) -> u32 {
        let _ports = PORTS.lock();
        // SAFETY: selecting a register through 0xCF8 and reading it through 0xCFC
        // is the configuration read cycle; the lock keeps the pair together.
        unsafe {
            Port::<u32>::new(ADDRESS_PORT).write(port_address(at, offset));
            Port::<u32>::new(DATA_PORT).read()
        }
    }

    fn write_u32(&mut self, at: Address, offset: u16, value: u32) {
        let _ports = PORTS.lock();
        // SAFETY: as for the read; callers (enumeration) write only BARs and the
        // command register, and restore them.
        unsafe {
            Port::<u32>::new(ADDRESS_PORT).write(port_address(at, offset));
            Port::<u32>::new(DATA_PORT).write(value);
        }
    }
}

/// Bytes of one function's configuration space in an ECAM window.
pub const ECAM_FUNCTION_SIZE: u16 = 4096;

/// Segment 0's ECAM window (the buses `start_bus..=end_bus`), mapped.
#[derive(Debug)]
pub struct Ecam {
    window: Mmio,
    start_bus: u8,
    end_bus: u8,
}

static ECAM: spin::Once<Option<Ecam>> = spin::Once::new();

impl Ecam {
    /// Segment 0's window from the MCFG, mapped uncached on first use; None
    /// without one (or beyond the direct map).
    pub fn segment0() -> Option<&'static Self> {
        ECAM.call_once(|| {
            let region = super::acpi::info()?.ecam.iter().find(|r| r.segment == 0).copied()?;
            let buses = u64::from(region.bus_end.checked_sub(region.bus_start)?) + 1;
            let start = region.base + (u64::from(region.bus_start) << 20);
            let window = Mmio::map(start, buses << 20)?;
            Some(Ecam { window, start_bus: region.bus_start, end_bus: region.bus_end })
        })
        .as_ref()
    }

    /// The offset in the window of the dword at `offset` of `at`'s
    /// configuration space, if in the window.
    fn register(&self, at: Address, offset: u16) -> Option<u64> {
        if !(self.start_bus..=self.end_bus).contains(&at.bus)
            || offset >= ECAM_FUNCTION_SIZE
            || at.device > 31
            || at.function > 7
        {
            return None;
        }
        Some(
            u64::from(at.bus - self.start_bus) << 20
                | u64::from(at.device) << 15
                | u64::from(at.function) << 12
                | u64::from(offset & !3),
        )
    }
}

impl ConfigSpace for &Ecam {
    /// All ones outside the window, as a read of an absent function gives.
    fn read_u32(&mut self, at: Address, offset: u16) -> u32 {
        self.register(at, offset).map_or(u32::MAX, |register| self.window.read32(register))
    }

    fn write_u32(&mut self, at: Address, offset: u16, value: u32) {
        if let Some(register) = self.register(at, offset) {
            self.window.write32(register, value);
        }
    }
}
