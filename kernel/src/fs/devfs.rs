//! devfs, mounted at /dev: the console and the memory-like devices (null, zero,
//! full, random, urandom), each a character device with Linux's numbers.
use kabi::Errno;

/// A device node of /dev.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    Console,
    Tty,
    Null,
    Zero,
    Full,
    Random,
    Urandom,
}

/// Every device, in listing order, with its name.
pub const DEVICES: [(&str, Device); 7] = [
    ("console", Device::Console),
    ("tty", Device::Tty),
    ("null", Device::Null),
    ("zero", Device::Zero),
    ("full", Device::Full),
    ("random", Device::Random),
    ("urandom", Device::Urandom),
];

/// The inode number of /dev itself; devices follow it.
pub const ROOT_INO: u64 = 0x1_0000;

impl Device {
    pub fn by_name(name: &[u8]) -> Option<Device> {
        DEVICES.iter().find(|(n, _)| n.as_bytes() == name).map(|&(_, d)| d)
    }

    /// Its name under /dev.
    pub fn name(self) -> &'static str {
        DEVICES.iter().find(|&&(_, d)| d == self).map_or("?", |&(n, _)| n)
    }

    /// Linux's (major, minor).
    pub fn number(self) -> (u32, u32) {
        match self {
            Device::Console => (5, 1),
            Device::Tty => (5, 0),
            Device::Null => (1, 3),
            Device::Zero => (1, 5),
            Device::Full => (1, 7),
            Device::Random => (1, 8),
            Device::Urandom => (1, 9),
        }
    }

    /// st_rdev as glibc/musl's makedev encodes it.
    pub fn rdev(self) -> u64 {
        let (major, minor) = self.number();
        let (major, minor) = (u64::from(major), u64::from(minor));
        (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & !0xff) << 12) | ((major & !0xfff) << 32)
    }

    pub fn ino(self) -> u64 {
        ROOT_INO + 1 + DEVICES.iter().position(|&(_, d)| d == self).unwrap_or(0) as u64
    }

    /// Permission bits (crw-rw-rw- for most, crw--w---- for the console).
    pub fn permissions(self) -> u32 {
        match self {
            Device::Console => 0o620,
            _ => 0o666,
        }
    }

    /// Whether reads and writes go to the terminal.
    pub fn is_terminal(self) -> bool {
        matches!(self, Device::Console | Device::Tty)
    }

    /// read(2) on a non-terminal device.
    pub fn read(self, buf: &mut [u8]) -> Result<usize, Errno> {
        match self {
            Device::Null => Ok(0),
            Device::Zero | Device::Full => {
                buf.fill(0);
                Ok(buf.len())
            }
            Device::Random | Device::Urandom => {
                crate::arch::random::fill(buf);
                Ok(buf.len())
            }
            Device::Console | Device::Tty => super::tty::read(buf),
        }
    }

    /// write(2).
    pub fn write(self, data: &[u8]) -> Result<usize, Errno> {
        match self {
            Device::Full => Err(Errno::ENOSPC),
            Device::Console | Device::Tty => {
                crate::console::write_bytes(data);
                Ok(data.len())
            }
            Device::Null | Device::Zero | Device::Random | Device::Urandom => Ok(data.len()),
        }
    }
}
