//! PCI configuration mechanism #1: the legacy ports 0xCF8 (address) and 0xCFC
//! (data), reaching the first 256 bytes of every function's configuration space.
//! One lock keeps each address/data pair together. The memory-mapped mechanism
//! (ECAM, from ACPI's MCFG) would be a second `pci::ConfigSpace` beside this one.
use lock_api::Mutex;
use pci::{Address, ConfigSpace};
use x86_64::instructions::port::Port;

use super::irq_lock::IrqSpinlock;

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
