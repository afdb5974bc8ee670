//! devfs, mounted at /dev: the terminals (the system console, the serial line
//! ttyS0, the virtual consoles tty1 to tty4) and the memory-like devices (null,
//! zero, full, random, urandom), each a character device with Linux's numbers;
//! /dev/tty, which opens the caller's controlling terminal; /dev/tty0, which opens
//! the visible virtual console; /dev/ptmx, which makes a pseudo-terminal;
//! /dev/kmsg, the kernel log (`kmsg.rs`); and /dev/pts, devpts (its own file system on Linux, with its own
//! device number and line in /proc/mounts here too), listing the ptys' slaves.
use alloc::sync::Arc;
use alloc::vec::Vec;

use kabi::fs::{DT_CHR, DT_DIR, O_ACCMODE, O_NOCTTY, O_WRONLY, S_IFCHR, S_IFDIR};
use kabi::{Errno, Stat};

use super::file::FileKind;
use super::pty::{self, Pty};
use super::tty::{self, Terminal};
use super::vfs::{self, DEVFS_DEV, DEVPTS_DEV, Node};

/// A device node of /dev.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// The system console: the serial line's terminal, as Linux's console=ttyS0.
    Console,
    /// The caller's controlling terminal (opening it opens that).
    Tty,
    /// The visible virtual console (opening it opens that).
    Tty0,
    /// Virtual console N (1 to 4).
    Vt(u8),
    Serial,
    Null,
    Zero,
    Full,
    Random,
    Urandom,
}

/// Every device, in listing order, with its name.
pub const DEVICES: [(&str, Device); 13] = [
    ("console", Device::Console),
    ("tty", Device::Tty),
    ("tty0", Device::Tty0),
    ("tty1", Device::Vt(1)),
    ("tty2", Device::Vt(2)),
    ("tty3", Device::Vt(3)),
    ("tty4", Device::Vt(4)),
    ("ttyS0", Device::Serial),
    ("null", Device::Null),
    ("zero", Device::Zero),
    ("full", Device::Full),
    ("random", Device::Random),
    ("urandom", Device::Urandom),
];

/// A node of devfs (and of devpts under it).
#[derive(Debug, Clone)]
pub enum DevNode {
    Root,
    Device(Device),
    /// /dev/ptmx: opening it makes a pseudo-terminal and gives its master.
    Ptmx,
    /// /dev/pts, devpts's root.
    PtsRoot,
    /// /dev/pts/N, a pseudo-terminal's slave.
    Pts(Arc<Pty>),
    /// /dev/kmsg, the kernel log.
    Kmsg,
}

/// The inode number of /dev itself; devices follow it, then ptmx and pts.
pub const ROOT_INO: u64 = 0x1_0000;
const PTMX_INO: u64 = ROOT_INO + 1 + DEVICES.len() as u64;
const PTS_INO: u64 = PTMX_INO + 1;
const KMSG_INO: u64 = PTS_INO + 1;

/// st_rdev as glibc/musl's makedev encodes Linux's (major, minor).
pub const fn makedev(major: u32, minor: u32) -> u64 {
    let (major, minor) = (major as u64, minor as u64);
    (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & !0xff) << 12) | ((major & !0xfff) << 32)
}

/// The major number of device number `dev` (Linux's MAJOR of a dev_t).
pub const fn major(dev: u64) -> u32 {
    (((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff)) as u32
}

/// The minor number of device number `dev`.
pub const fn minor(dev: u64) -> u32 {
    ((dev & 0xff) | ((dev >> 12) & !0xff)) as u32
}

/// The serial line's device number (4, 64).
pub const SERIAL_RDEV: u64 = makedev(4, 64);

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
            Device::Tty0 => (4, 0),
            Device::Vt(n) => (4, u32::from(n)),
            Device::Serial => (4, 64),
            Device::Null => (1, 3),
            Device::Zero => (1, 5),
            Device::Full => (1, 7),
            Device::Random => (1, 8),
            Device::Urandom => (1, 9),
        }
    }

    pub fn ino(self) -> u64 {
        ROOT_INO + 1 + DEVICES.iter().position(|&(_, d)| d == self).unwrap_or(0) as u64
    }

    /// Permission bits as Linux's: crw--w---- for the console and the virtual
    /// consoles, crw-rw---- for the serial line, crw-rw-rw- for the rest.
    pub fn permissions(self) -> u32 {
        match self {
            Device::Console | Device::Tty0 | Device::Vt(_) => 0o620,
            Device::Serial => 0o660,
            _ => 0o666,
        }
    }

    /// The terminal an open device reads and writes (/dev/tty and /dev/tty0 open
    /// the device they stand for).
    pub fn terminal(self) -> Option<&'static Terminal> {
        match self {
            Device::Console | Device::Serial => Some(tty::serial()),
            Device::Vt(n) => tty::vt(usize::from(n) - 1),
            _ => None,
        }
    }

    /// Whether it reads as zeros (/dev/zero, /dev/full): its read clears the
    /// caller's buffer in place.
    pub fn reads_zeros(self) -> bool {
        matches!(self, Device::Zero | Device::Full)
    }

    /// The result of a write of `len` bytes when the device never reads them, as
    /// Linux's /dev/null and /dev/zero (which take them all) and /dev/full
    /// (ENOSPC): a write from a buffer never mapped gives the same.
    pub fn write_unread(self, len: usize) -> Option<Result<usize, Errno>> {
        match self {
            Device::Null | Device::Zero => Some(Ok(len)),
            Device::Full => Some(Err(Errno::ENOSPC)),
            _ => None,
        }
    }

    /// read(2); `nonblocking` is O_NONBLOCK (the console's EAGAIN).
    pub fn read(self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno> {
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
            Device::Console | Device::Serial | Device::Vt(_) => {
                self.terminal().ok_or(Errno::ENXIO)?.read(buf, nonblocking)
            }
            Device::Tty | Device::Tty0 => Err(Errno::ENXIO),
        }
    }

    /// write(2).
    pub fn write(self, data: &[u8]) -> Result<usize, Errno> {
        if let Some(result) = self.write_unread(data.len()) {
            return result;
        }
        match self {
            Device::Console | Device::Serial => {
                crate::console::write_serial(data);
                Ok(data.len())
            }
            Device::Vt(n) => {
                crate::console::write_vt(usize::from(n) - 1, data);
                Ok(data.len())
            }
            Device::Tty | Device::Tty0 => Err(Errno::ENXIO),
            // random and urandom take the bytes; null, zero and full answered above.
            Device::Null | Device::Zero | Device::Full | Device::Random | Device::Urandom => Ok(data.len()),
        }
    }
}

/// The entry `name` of directory `dir`.
pub fn child(dir: &DevNode, name: &[u8]) -> Result<DevNode, Errno> {
    match dir {
        DevNode::Root => match name {
            b"ptmx" => Ok(DevNode::Ptmx),
            b"pts" => Ok(DevNode::PtsRoot),
            b"kmsg" => Ok(DevNode::Kmsg),
            _ => Device::by_name(name).map(DevNode::Device).ok_or(Errno::ENOENT),
        },
        DevNode::PtsRoot => {
            let index = core::str::from_utf8(name).ok().and_then(|n| n.parse().ok()).ok_or(Errno::ENOENT)?;
            pty::lookup(index).map(DevNode::Pts).ok_or(Errno::ENOENT)
        }
        _ => Err(Errno::ENOTDIR),
    }
}

pub fn is_directory(node: &DevNode) -> bool {
    matches!(node, DevNode::Root | DevNode::PtsRoot)
}

/// The directory holding `dir` within devfs (None for /dev itself).
pub fn parent(dir: &DevNode) -> Option<DevNode> {
    match dir {
        DevNode::Root => None,
        DevNode::Pts(_) => Some(DevNode::PtsRoot),
        _ => Some(DevNode::Root),
    }
}

/// The entries of a directory but `.` and `..`: name, inode number, d_type.
pub fn entries(dir: &DevNode) -> Result<Vec<(Vec<u8>, u64, u8)>, Errno> {
    match dir {
        DevNode::Root => {
            let mut entries: Vec<_> = DEVICES.iter().map(|&(n, d)| (n.as_bytes().to_vec(), d.ino(), DT_CHR)).collect();
            entries.push((b"ptmx".to_vec(), PTMX_INO, DT_CHR));
            entries.push((b"pts".to_vec(), PTS_INO, DT_DIR));
            entries.push((b"kmsg".to_vec(), KMSG_INO, DT_CHR));
            Ok(entries)
        }
        DevNode::PtsRoot => Ok(pty::visible()
            .iter()
            .map(|pty| (alloc::format!("{}", pty.index()).into_bytes(), pty.ino(), DT_CHR))
            .collect()),
        _ => Err(Errno::ENOTDIR),
    }
}

/// stat(2) of a node: owned by root with the boot time, but for a pty's slave,
/// its opener's, made when it was.
pub fn stat(node: &DevNode) -> Stat {
    let device = |ino, mode, rdev| Stat {
        st_dev: DEVFS_DEV,
        st_ino: ino,
        st_nlink: 1,
        st_mode: S_IFCHR | mode,
        st_rdev: rdev,
        st_blksize: 4096,
        ..vfs::boot_times()
    };
    let directory = |dev, ino| Stat {
        st_dev: dev,
        st_ino: ino,
        st_nlink: 2,
        st_mode: S_IFDIR | 0o755,
        st_blksize: 4096,
        ..vfs::boot_times()
    };
    match node {
        DevNode::Root => directory(DEVFS_DEV, ROOT_INO),
        DevNode::Device(d) => {
            let (major, minor) = d.number();
            device(d.ino(), d.permissions(), makedev(major, minor))
        }
        DevNode::Ptmx => device(PTMX_INO, 0o666, makedev(5, 2)),
        DevNode::PtsRoot => directory(DEVPTS_DEV, 1),
        DevNode::Pts(pty) => pty.node_stat(),
        DevNode::Kmsg => device(KMSG_INO, 0o644, makedev(1, 11)),
    }
}

/// open(2) of a node whose permissions have been checked: a device, /dev/tty's
/// controlling terminal, a new pseudo-terminal's master, a slave, or a directory.
pub fn open(node: DevNode, flags: u32) -> Result<FileKind, Errno> {
    match node {
        DevNode::Device(Device::Tty) => tty::open_controlling(flags),
        DevNode::Device(Device::Tty0) => open_terminal(Device::Vt(crate::console::active_vt() as u8 + 1), flags),
        DevNode::Device(device) => open_terminal(device, flags),
        DevNode::Ptmx => pty::open_master(),
        DevNode::Pts(pty) => pty::open_slave(&pty, flags, false),
        DevNode::Kmsg => Ok(FileKind::Other(Arc::new(super::kmsg::Kmsg::open()))),
        dir @ (DevNode::Root | DevNode::PtsRoot) => Ok(FileKind::Node(Node::Dev(dir))),
    }
}

/// A device opened: a terminal (but the system console, as on Linux) becomes the
/// controlling terminal of a session leader without one, unless O_NOCTTY.
fn open_terminal(device: Device, flags: u32) -> Result<FileKind, Errno> {
    if device != Device::Console
        && let Some(terminal) = device.terminal()
    {
        terminal.opened(flags & O_NOCTTY != 0, flags & O_ACCMODE != O_WRONLY);
    }
    Ok(FileKind::Device(device))
}
