//! mount(2)'s flags and a tmpfs's options, read as Linux reads them (`do_mount`,
//! `shmem_parse_one`), and the options text /proc/mounts shows for a mount.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::format;
use alloc::string::String;

use kabi::Errno;

pub const MS_RDONLY: u64 = 1;
pub const MS_NOSUID: u64 = 2;
pub const MS_NODEV: u64 = 4;
pub const MS_NOEXEC: u64 = 8;
pub const MS_SYNCHRONOUS: u64 = 16;
pub const MS_REMOUNT: u64 = 32;
pub const MS_MANDLOCK: u64 = 64;
pub const MS_DIRSYNC: u64 = 128;
pub const MS_NOSYMFOLLOW: u64 = 256;
pub const MS_NOATIME: u64 = 1024;
pub const MS_NODIRATIME: u64 = 2048;
pub const MS_BIND: u64 = 4096;
pub const MS_MOVE: u64 = 8192;
pub const MS_REC: u64 = 16384;
pub const MS_SILENT: u64 = 32768;
pub const MS_UNBINDABLE: u64 = 1 << 17;
pub const MS_PRIVATE: u64 = 1 << 18;
pub const MS_SLAVE: u64 = 1 << 19;
pub const MS_SHARED: u64 = 1 << 20;
pub const MS_RELATIME: u64 = 1 << 21;
pub const MS_STRICTATIME: u64 = 1 << 24;
pub const MS_LAZYTIME: u64 = 1 << 25;
pub const MS_NOUSER: u64 = 1 << 31;
/// The old magic number callers put in the high half, ignored as Linux does.
const MS_MGC_VAL: u64 = 0xc0ed_0000;
const MS_MGC_MSK: u64 = 0xffff_0000;

pub const MNT_FORCE: u32 = 1;
pub const MNT_DETACH: u32 = 2;
pub const MNT_EXPIRE: u32 = 4;
pub const UMOUNT_NOFOLLOW: u32 = 8;

/// How access times are kept on a mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Atime {
    /// The default since Linux 2.6.30 (MS_RELATIME, or nothing said).
    Relative,
    /// MS_NOATIME.
    Never,
    /// MS_STRICTATIME.
    Strict,
}

/// The flags a mount itself carries (Linux's MNT_* of a vfsmount).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MountFlags {
    pub read_only: bool,
    pub nosuid: bool,
    pub nodev: bool,
    pub noexec: bool,
    pub nodiratime: bool,
    pub atime: Atime,
}

impl MountFlags {
    /// A writable mount with Linux's default relatime.
    pub const DEFAULT: MountFlags = MountFlags {
        read_only: false,
        nosuid: false,
        nodev: false,
        noexec: false,
        nodiratime: false,
        atime: Atime::Relative,
    };

    fn from_raw(flags: u64) -> MountFlags {
        let atime = if flags & MS_NOATIME != 0 {
            Atime::Never
        } else if flags & MS_STRICTATIME != 0 {
            Atime::Strict
        } else {
            Atime::Relative
        };
        MountFlags {
            read_only: flags & MS_RDONLY != 0,
            nosuid: flags & MS_NOSUID != 0,
            nodev: flags & MS_NODEV != 0,
            noexec: flags & MS_NOEXEC != 0,
            nodiratime: flags & MS_NODIRATIME != 0,
            atime,
        }
    }

    /// The per-mount part of /proc/mounts' options: `rw` or `ro`, then `nosuid`,
    /// `nodev`, `noexec`, `noatime`, `nodiratime`, `relatime`, in Linux's order.
    pub fn text(&self) -> String {
        let mut text = String::from(if self.read_only { "ro" } else { "rw" });
        for (set, name) in [
            (self.nosuid, ",nosuid"),
            (self.nodev, ",nodev"),
            (self.noexec, ",noexec"),
            (self.atime == Atime::Never, ",noatime"),
            (self.nodiratime, ",nodiratime"),
            (self.atime == Atime::Relative, ",relatime"),
        ] {
            if set {
                text.push_str(name);
            }
        }
        text
    }
}

/// What a mount(2) call asks for, decided from its flags in Linux's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// A new mount of a file system, with these flags.
    New(MountFlags),
    /// MS_REMOUNT: new flags and options for the mount at the target.
    Remount(MountFlags),
    /// MS_REMOUNT | MS_BIND: new flags only, the file system's options untouched.
    RemountFlags(MountFlags),
    /// MS_SHARED, MS_PRIVATE, MS_SLAVE or MS_UNBINDABLE (one of them, maybe with
    /// MS_REC): how mount events propagate from the mount at the target.
    Propagation,
    /// MS_BIND: the target shows a directory that is already mounted.
    Bind,
    /// MS_MOVE: the mount at the source moves to the target.
    Move,
}

/// Read mount(2)'s `flags`: EINVAL for MS_NOUSER or a propagation change naming
/// more than one kind, as Linux.
pub fn parse_request(flags: u64) -> Result<Request, Errno> {
    let flags = if flags & MS_MGC_MSK == MS_MGC_VAL { flags & !MS_MGC_MSK } else { flags };
    if flags & MS_NOUSER != 0 {
        return Err(Errno::EINVAL);
    }
    let mount_flags = MountFlags::from_raw(flags);
    let propagation = flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE);
    Ok(if flags & (MS_REMOUNT | MS_BIND) == MS_REMOUNT | MS_BIND {
        Request::RemountFlags(mount_flags)
    } else if flags & MS_REMOUNT != 0 {
        Request::Remount(mount_flags)
    } else if flags & MS_BIND != 0 {
        Request::Bind
    } else if propagation != 0 {
        if !(flags & !(MS_REC | MS_SILENT)).is_power_of_two() {
            return Err(Errno::EINVAL);
        }
        Request::Propagation
    } else if flags & MS_MOVE != 0 {
        Request::Move
    } else {
        Request::New(mount_flags)
    })
}

/// umount2's flags: EINVAL for unknown bits and for MNT_EXPIRE with MNT_FORCE or
/// MNT_DETACH, as Linux.
pub fn check_umount_flags(flags: u32) -> Result<(), Errno> {
    if flags & !(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW) != 0
        || (flags & MNT_EXPIRE != 0 && flags & (MNT_FORCE | MNT_DETACH) != 0)
    {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

/// A tmpfs's options (`size=`, `nr_inodes=`, `mode=`, `uid=`, `gid=`); None where
/// the text did not say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TmpfsOptions {
    /// The most pages of file data; Some(0) is no limit, as on Linux.
    pub size_pages: Option<u64>,
    pub nr_inodes: Option<u64>,
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
}

const PAGE_SIZE: u64 = 4096;

impl TmpfsOptions {
    /// Parse the comma-separated `data` of mount(2) for a tmpfs on a machine of
    /// `total_pages` pages of memory. Sizes take k, m, g, t, p and e suffixes
    /// (either case) or a percentage of memory; mode is octal; numbers are decimal
    /// (or 0x hexadecimal, 0 octal, as the kernel's kstrtoull with base 0). EINVAL
    /// for an unknown option or a bad value.
    pub fn parse(data: &str, total_pages: u64) -> Result<TmpfsOptions, Errno> {
        let mut options = TmpfsOptions::default();
        for word in data.split(',').filter(|word| !word.is_empty()) {
            let (key, value) = word.split_once('=').ok_or(Errno::EINVAL)?;
            match key {
                "size" => options.size_pages = Some(size_pages(value, total_pages)?),
                "nr_inodes" => options.nr_inodes = Some(memparse(value)?),
                "mode" => {
                    let mode = u32::from_str_radix(value, 8).map_err(|_| Errno::EINVAL)?;
                    options.mode = Some(mode & 0o7777);
                }
                "uid" => options.uid = Some(id(value)?),
                "gid" => options.gid = Some(id(value)?),
                _ => return Err(Errno::EINVAL),
            }
        }
        Ok(options)
    }

    /// The file-system part of /proc/mounts' options for a tmpfs of `size_pages`
    /// pages and root directory `mode`, `uid` and `gid`: what differs from the
    /// defaults (`default_pages`, 1777, root), as Debian's Linux shows it.
    pub fn text(size_pages: u64, default_pages: u64, mode: u32, uid: u32, gid: u32) -> String {
        let mut text = String::new();
        if size_pages != default_pages {
            text.push_str(&format!(",size={}k", size_pages * (PAGE_SIZE / 1024)));
        }
        if mode != 0o1777 {
            text.push_str(&format!(",mode={mode:03o}"));
        }
        if uid != 0 {
            text.push_str(&format!(",uid={uid}"));
        }
        if gid != 0 {
            text.push_str(&format!(",gid={gid}"));
        }
        text
    }
}

/// A uid or gid: decimal, below 2^32 - 1 (the invalid id).
fn id(value: &str) -> Result<u32, Errno> {
    match value.parse::<u32>() {
        Ok(id) if id != u32::MAX => Ok(id),
        _ => Err(Errno::EINVAL),
    }
}

/// `size=`: bytes with an optional suffix, or a percentage of memory; in pages,
/// rounded up.
fn size_pages(value: &str, total_pages: u64) -> Result<u64, Errno> {
    if let Some(percent) = value.strip_suffix('%') {
        let percent: u64 = percent.parse().map_err(|_| Errno::EINVAL)?;
        let pages = u128::from(total_pages) * u128::from(percent) / 100;
        return u64::try_from(pages).map_err(|_| Errno::EINVAL);
    }
    Ok(memparse(value)?.div_ceil(PAGE_SIZE))
}

/// The kernel's memparse: a number (base 0, as simple_strtoull: 0x hexadecimal,
/// a leading 0 octal) and an optional K, M, G, T, P or E suffix (either case);
/// EINVAL for no digits, anything left over, or an overflow.
fn memparse(value: &str) -> Result<u64, Errno> {
    let (radix, digits) = if let Some(hex) = value.strip_prefix("0x").or_else(|| value.strip_prefix("0X")) {
        (16, hex)
    } else if value.len() > 1 && value.starts_with('0') {
        (8, &value[1..])
    } else {
        (10, value)
    };
    let end = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
    let (number, suffix) = digits.split_at(end);
    let number = u64::from_str_radix(number, radix).map_err(|_| Errno::EINVAL)?;
    let shift = match suffix {
        "" => 0,
        "k" | "K" => 10,
        "m" | "M" => 20,
        "g" | "G" => 30,
        "t" | "T" => 40,
        "p" | "P" => 50,
        "e" | "E" => 60,
        _ => return Err(Errno::EINVAL),
    };
    number.checked_mul(1 << shift).ok_or(Errno::EINVAL)
}

#[cfg(test)]
mod tests;
