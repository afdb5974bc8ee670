//! Enumeration, BAR sizing, capabilities and /proc lines against a fake
//! configuration space that behaves as hardware does (read-only size bits in
//! BARs, absent functions reading all ones).
use std::collections::BTreeMap;

use pci::{Address, BarKind, ConfigSpace, devices_line, enumerate};
use proptest::prelude::*;

/// A function's 256 bytes of registers, and per BAR (index 6: the ROM at
/// `rom_offset`) the bits software may write.
#[derive(Clone)]
struct FakeFunction {
    regs: [u32; 64],
    writable: [u32; 7],
    rom_offset: u16,
    /// Every command value written, to see decoding turned off while probing.
    commands: Vec<u16>,
}

impl FakeFunction {
    fn new(vendor: u16, device: u16, class: u32, header: u8) -> Self {
        let mut regs = [0; 64];
        regs[0] = u32::from(device) << 16 | u32::from(vendor);
        regs[1] = 0x0000_0003;
        regs[2] = class;
        regs[3] = u32::from(header) << 16;
        let rom_offset = if header & 0x7f == 1 { 0x38 } else { 0x30 };
        FakeFunction { regs, writable: [0; 7], rom_offset, commands: Vec::new() }
    }

    /// BAR `index` holding `value`, decoding `size` bytes (a power of two).
    fn bar(mut self, index: usize, value: u32, size: u64) -> Self {
        self.regs[4 + index] = value;
        let io = value & 1 == 1;
        let mask = !(size - 1);
        self.writable[index] = (mask as u32) & if io { 0xffff_fffc } else { 0xffff_fff0 };
        if io {
            self.writable[index] &= 0xffff;
        }
        if !io && (value >> 1) & 3 == 2 {
            self.writable[index + 1] = (mask >> 32) as u32;
        }
        self
    }

    fn rom(mut self, value: u32, size: u32) -> Self {
        self.regs[usize::from(self.rom_offset) / 4] = value;
        self.writable[6] = !(size - 1) & 0xffff_f800 | 1;
        self
    }

    fn set_byte(&mut self, offset: usize, value: u8) {
        let shift = (offset % 4) * 8;
        self.regs[offset / 4] = self.regs[offset / 4] & !(0xff << shift) | u32::from(value) << shift;
    }
}

#[derive(Default)]
struct FakeBus(BTreeMap<Address, FakeFunction>);

impl ConfigSpace for FakeBus {
    fn read_u32(&mut self, at: Address, offset: u16) -> u32 {
        self.0.get(&at).map_or(!0, |f| f.regs[usize::from(offset) / 4])
    }

    fn write_u32(&mut self, at: Address, offset: u16, value: u32) {
        let Some(f) = self.0.get_mut(&at) else { return };
        let index = usize::from(offset) / 4;
        let writable = match offset {
            0x10..=0x27 => f.writable[index - 4],
            o if o == f.rom_offset => f.writable[6],
            0x04 => {
                f.commands.push(value as u16);
                0xffff
            }
            _ => 0xffff_ffff,
        };
        f.regs[index] = f.regs[index] & !writable | value & writable;
    }
}

fn machine() -> FakeBus {
    let mut bus = FakeBus::default();
    bus.0.insert(Address::new(0, 0, 0), FakeFunction::new(0x8086, 0x29c0, 0x0600_0000, 0));
    bus.0.insert(
        Address::new(0, 2, 0),
        FakeFunction::new(0x1234, 0x1111, 0x0300_0002, 0)
            .bar(0, 0xfd00_0008, 16 << 20)
            .bar(2, 0xfebd_4000, 4096)
            .rom(0xfebc_0000, 64 << 10),
    );
    let mut sata = FakeFunction::new(0x8086, 0x2922, 0x0106_0102, 0x80).bar(4, 0xc061, 32).bar(5, 0xfebd_5000, 4096);
    sata.regs[1] |= 0x0010 << 16;
    sata.regs[13] = 0x80;
    sata.set_byte(0x80, 0x05);
    sata.set_byte(0x81, 0xa8);
    sata.set_byte(0xa8, 0x12);
    sata.set_byte(0x3c, 10);
    sata.set_byte(0x3d, 1);
    bus.0.insert(Address::new(0, 0x1f, 2), sata);
    bus.0.insert(Address::new(0, 0x1f, 0), FakeFunction::new(0x8086, 0x2918, 0x0601_0002, 0x80));
    let mut bridge = FakeFunction::new(0x1b36, 0x0001, 0x0604_0000, 0x01);
    bridge.regs[6] = 0x0002_0100 | 5 << 8;
    bus.0.insert(Address::new(0, 3, 0), bridge);
    let mut nic = FakeFunction::new(0x8086, 0x100e, 0x0200_0003, 0).bar(0, 0x0000_000c, 1 << 33).bar(2, 0xc001, 64);
    nic.regs[5] = 0x8;
    bus.0.insert(Address::new(5, 1, 0), nic);
    bus
}

#[test]
fn finds_functions_on_bus_zero_behind_bridges_and_in_multifunction_devices() {
    let mut bus = machine();
    let found: Vec<String> = enumerate(&mut bus).iter().map(|f| format!("{} {:04x}", f.address, f.device)).collect();
    assert_eq!(found, ["00:00.0 29c0", "00:02.0 1111", "00:03.0 0001", "00:1f.0 2918", "00:1f.2 2922", "05:01.0 100e"]);
}

#[test]
fn a_single_function_device_is_scanned_at_function_zero_only() {
    let mut bus = machine();
    // Without the multi-function bit, 00:1f's other functions are not looked at.
    bus.0.get_mut(&Address::new(0, 0x1f, 0)).unwrap().regs[3] = 0;
    let found = enumerate(&mut bus);
    assert!(found.iter().all(|f| f.address != Address::new(0, 0x1f, 2)));
    assert!(found.iter().any(|f| f.address == Address::new(0, 0x1f, 0)));
}

#[test]
fn bars_are_sized_typed_and_restored() {
    let mut bus = machine();
    let before: Vec<[u32; 64]> = bus.0.values().map(|f| f.regs).collect();
    let found = enumerate(&mut bus);
    let after: Vec<[u32; 64]> = bus.0.values().map(|f| f.regs).collect();
    assert_eq!(before, after, "every register restored");
    let vga = &found[1].resources;
    assert_eq!((vga.bars[0].kind, vga.bars[0].address, vga.bars[0].size), (BarKind::Memory32, 0xfd00_0000, 16 << 20));
    assert!(vga.bars[0].prefetchable());
    assert_eq!(vga.bars[1].kind, BarKind::None);
    assert_eq!((vga.bars[2].address, vga.bars[2].size), (0xfebd_4000, 4096));
    assert!(!vga.bars[2].prefetchable());
    assert_eq!((vga.rom.kind, vga.rom.address, vga.rom.size, vga.rom.flags), (BarKind::Rom, 0xfebc_0000, 64 << 10, 0));
    let sata = &found[4].resources;
    assert_eq!((sata.bars[4].kind, sata.bars[4].address, sata.bars[4].size), (BarKind::Io, 0xc060, 32));
    let nic = &found[5].resources;
    assert_eq!((nic.bars[0].kind, nic.bars[0].address, nic.bars[0].size), (BarKind::Memory64, 0x8_0000_0000, 1 << 33));
    assert_eq!(nic.bars[1].kind, BarKind::None, "the upper half of a 64-bit pair");
    assert_eq!((nic.bars[2].kind, nic.bars[2].size), (BarKind::Io, 64));
}

#[test]
fn decoding_is_off_while_probing_and_back_after() {
    let mut bus = machine();
    enumerate(&mut bus);
    let commands = &bus.0[&Address::new(0, 2, 0)].commands;
    assert_eq!(commands.first().map(|c| c & 3), Some(0));
    assert_eq!(commands.last().map(|c| c & 3), Some(3));
}

#[test]
fn capabilities_are_walked() {
    let mut bus = machine();
    let found = enumerate(&mut bus);
    let sata = &found[4];
    assert_eq!(sata.capabilities.0, [(0x80, 0x05), (0xa8, 0x12)]);
    assert!(sata.capabilities.msi() && !sata.capabilities.msix() && !sata.capabilities.express());
    assert!(found[1].capabilities.0.is_empty(), "no list without the status bit");
}

#[test]
fn a_looping_capability_list_ends() {
    let mut bus = machine();
    let sata = bus.0.get_mut(&Address::new(0, 0x1f, 2)).unwrap();
    sata.set_byte(0xa9, 0x80);
    let found = enumerate(&mut bus);
    assert_eq!(found[4].capabilities.0.len(), 48);
}

#[test]
fn proc_devices_lines_are_linux_format() {
    let mut bus = machine();
    let found = enumerate(&mut bus);
    assert_eq!(
        devices_line(&found[4]),
        "00fa\t80862922\ta\t               0\t               0\t               0\t               0\
         \t            c061\t        febd5000\t               0\t               0\t               0\
         \t               0\t               0\t              20\t            1000\t               0\t\n"
    );
    let nic = devices_line(&found[5]);
    assert!(nic.starts_with("0508\t8086100e\t0\t       80000000c\t               0\t            c001\t"), "{nic}");
    assert!(nic.contains("\t       200000000\t               0\t              40\t"), "{nic}");
}

#[test]
fn bridges_to_an_already_seen_bus_are_not_followed_again() {
    let mut bus = machine();
    // A second bridge claiming bus 0 and one claiming bus 5 again.
    let mut loop_bridge = FakeFunction::new(0x1b36, 0x0001, 0x0604_0000, 0x01);
    loop_bridge.regs[6] = 0;
    bus.0.insert(Address::new(5, 2, 0), loop_bridge);
    let mut again = FakeFunction::new(0x1b36, 0x0001, 0x0604_0000, 0x01);
    again.regs[6] = 5 << 8;
    bus.0.insert(Address::new(0, 4, 0), again);
    let found = enumerate(&mut bus);
    assert_eq!(found.iter().filter(|f| f.device == 0x100e).count(), 1);
}

proptest! {
    /// Any register contents (a broken or hostile device) enumerate without
    /// panicking, restore the BARs, and keep found functions in order.
    #[test]
    fn arbitrary_config_spaces_enumerate(
        regs in proptest::collection::vec(any::<u32>(), 64 * 3),
        writable in proptest::collection::vec(any::<u32>(), 7 * 3),
    ) {
        let mut bus = FakeBus::default();
        for (n, (chunk, w)) in regs.chunks(64).zip(writable.chunks(7)).enumerate() {
            let mut f = FakeFunction::new(0, 0, 0, 0);
            f.regs.copy_from_slice(chunk);
            f.writable.copy_from_slice(w);
            let bus_number = if n == 0 { 0 } else { chunk[0] as u8 };
            bus.0.insert(Address::new(bus_number, n as u8, 0), f);
        }
        let found = enumerate(&mut bus);
        prop_assert!(found.windows(2).all(|w| w[0].address < w[1].address));
        for f in &found {
            for bar in f.resources.bars.iter().chain([&f.resources.rom]) {
                prop_assert!(bar.size == 0 || bar.size.is_power_of_two());
            }
            let _ = devices_line(f);
        }
    }
}
