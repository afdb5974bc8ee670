//! Narrow configuration accesses made of dword cycles: reads pick their bytes,
//! writes change only theirs.
use pci::{Address, ConfigSpace};

/// One function's 256 bytes, reachable only a dword at a time.
struct Dwords([u32; 64]);

impl ConfigSpace for Dwords {
    fn read_u32(&mut self, _: Address, offset: u16) -> u32 {
        assert_eq!(offset % 4, 0, "unaligned dword read");
        self.0[usize::from(offset / 4)]
    }
    fn write_u32(&mut self, _: Address, offset: u16, value: u32) {
        assert_eq!(offset % 4, 0, "unaligned dword write");
        self.0[usize::from(offset / 4)] = value;
    }
}

#[test]
fn byte_and_word_writes_keep_the_rest_of_the_dword() {
    let at = Address::new(0, 3, 0);
    let mut space = Dwords([0x4433_2211; 64]);
    space.write_u8(at, 0x41, 0xaa);
    assert_eq!(space.read_u32(at, 0x40), 0x4433_aa11);
    space.write_u8(at, 0x43, 0xbb);
    assert_eq!(space.read_u32(at, 0x40), 0xbb33_aa11);
    space.write_u16(at, 0x42, 0xccdd);
    assert_eq!(space.read_u32(at, 0x40), 0xccdd_aa11);
    assert_eq!(space.read_u8(at, 0x41), 0xaa);
    assert_eq!(space.read_u16(at, 0x42), 0xccdd);
    assert_eq!(space.read_u32(at, 0x44), 0x4433_2211);
}
