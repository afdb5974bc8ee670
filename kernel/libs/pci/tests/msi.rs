//! MSI and MSI-X programming against a function's configuration registers:
//! where the address and data land for 32- and 64-bit capabilities, what is
//! enabled and masked, and where the MSI-X table is.
use pci::{Address, ConfigSpace, MsiError, MsixTable, enable_msi, enable_msix, msix_entry, msix_table};
use proptest::prelude::*;

const AT: Address = Address::new(0, 3, 0);
const CAP: u8 = 0x50;

/// One function's 256 bytes; the capability's first dword (id, next) is read-only.
struct Regs([u32; 64]);

impl ConfigSpace for Regs {
    fn read_u32(&mut self, _: Address, offset: u16) -> u32 {
        self.0[usize::from(offset) / 4]
    }

    fn write_u32(&mut self, _: Address, offset: u16, value: u32) {
        let index = usize::from(offset) / 4;
        let fixed = if offset == u16::from(CAP) { 0xffff } else { 0 };
        self.0[index] = self.0[index] & fixed | value & !fixed;
    }
}

/// A function with the capability `id` at CAP, message control `control`,
/// INTx enabled, memory decoding on, no bus mastering.
fn function(id: u8, control: u16) -> Regs {
    let mut regs = [0; 64];
    regs[1] = 0x0010_0002;
    regs[usize::from(CAP) / 4] = u32::from(control) << 16 | u32::from(id);
    Regs(regs)
}

fn dword(regs: &Regs, offset: u8) -> u32 {
    regs.0[usize::from(offset) / 4]
}

#[test]
fn msi_32bit_puts_the_data_after_the_address_and_enables_one_message() {
    // Multiple message capable 4 (2 encoded), enable 2 (1) left by firmware.
    let mut f = function(0x05, 0b001_0100);
    enable_msi(&mut f, AT, CAP, 0xfee0_1000, 0x31).unwrap();
    assert_eq!(dword(&f, CAP + 4), 0xfee0_1000);
    assert_eq!(dword(&f, CAP + 8) & 0xffff, 0x31);
    let control = (dword(&f, CAP) >> 16) as u16;
    assert_eq!(control & 1, 1, "MSI enable");
    assert_eq!(control & 0x70, 0, "one message");
    assert_eq!(control & 0x0e, 0b0100, "capability bits kept");
    assert_eq!(dword(&f, CAP) & 0xffff, 0x05, "id untouched");
    assert_eq!(dword(&f, 0x04) & 0xffff, 0x0406, "INTx disabled, bus master on, decoding kept");
}

#[test]
fn msi_64bit_with_masking_takes_the_high_address_and_unmasks() {
    let mut f = function(0x05, 1 << 7 | 1 << 8);
    f.0[usize::from(CAP + 0x10) / 4] = 1;
    enable_msi(&mut f, AT, CAP, 0x1_fee0_0000, 0x30).unwrap();
    assert_eq!(dword(&f, CAP + 4), 0xfee0_0000);
    assert_eq!(dword(&f, CAP + 8), 1);
    assert_eq!(dword(&f, CAP + 0xc) & 0xffff, 0x30);
    assert_eq!(dword(&f, CAP + 0x10), 0, "vector 0 unmasked");
}

#[test]
fn msi_32bit_refuses_a_high_address() {
    let mut f = function(0x05, 0);
    assert_eq!(enable_msi(&mut f, AT, CAP, 0x1_0000_0000, 0x30), Err(MsiError::AddressTooHigh));
    assert_eq!((dword(&f, CAP) >> 16) & 1, 0, "not enabled");
}

#[test]
fn msix_table_location_and_enable() {
    // Table size 8 (7 encoded), function mask set by firmware.
    let mut f = function(0x11, 1 << 14 | 7);
    f.0[usize::from(CAP + 4) / 4] = 0x2000 | 4;
    assert_eq!(msix_table(&mut f, AT, CAP), MsixTable { bar: 4, offset: 0x2000, entries: 8 });
    enable_msix(&mut f, AT, CAP);
    let control = (dword(&f, CAP) >> 16) as u16;
    assert_eq!(control, 1 << 15 | 7, "enabled, function mask off");
    assert_ne!(dword(&f, 0x04) & 1 << 10, 0, "INTx disabled");
}

proptest! {
    #[test]
    fn msix_entry_is_address_low_high_data_unmasked(address: u64, data: u32) {
        let entry = msix_entry(address, data);
        prop_assert_eq!(u64::from(entry[1]) << 32 | u64::from(entry[0]), address);
        prop_assert_eq!(entry[2], data);
        prop_assert_eq!(entry[3], 0);
    }
}
