//! Syscalls that change the file tree or file attributes: mkdir, unlink/rmdir,
//! rename, link, symlink, truncate, chmod, chown, utimensat, umask; and statx and
//! statfs.
use kabi::fs::{AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW};
use kabi::{Errno, Statfs, Statx, StatxTimestamp, Timespec};
use ramfs::{SetTime, Timestamp};

use super::files::{base_dir, file, resolve_at, stat_target};
use super::{SysResult, user};
use crate::fs::vfs::{self, Node};
use crate::fs::{devfs, mounts};
use crate::proc::table::with_current;

fn at_path(dirfd: i32, path: u64) -> Result<(Node, alloc::vec::Vec<u8>), Errno> {
    let path = user::read_path(path)?;
    Ok((base_dir(dirfd, &path)?, path))
}

pub fn mkdirat(dirfd: i32, path: u64, mode: u32) -> SysResult {
    let (base, path) = at_path(dirfd, path)?;
    let umask = with_current(|p| p.umask());
    vfs::mkdir(&base, &path, mode & !umask & 0o7777).map(|()| 0)
}

/// mknodat: a regular file (type 0 or S_IFREG), a named pipe (S_IFIFO) or a
/// socket inode (S_IFSOCK). Device nodes live in /dev only: S_IFCHR and
/// S_IFBLK are EPERM, as for a process without CAP_MKNOD; S_IFDIR is EPERM as on
/// Linux; any other type EINVAL.
pub fn mknodat(dirfd: i32, path: u64, mode: u32) -> SysResult {
    use kabi::fs::{S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK};
    let kind = match mode & S_IFMT {
        0 | S_IFREG => ramfs::FileType::Regular,
        S_IFIFO => ramfs::FileType::Fifo,
        S_IFSOCK => ramfs::FileType::Socket,
        S_IFCHR | S_IFBLK | S_IFDIR => return Err(Errno::EPERM),
        _ => return Err(Errno::EINVAL),
    };
    let (base, path) = at_path(dirfd, path)?;
    let umask = with_current(|p| p.umask());
    vfs::mknod(&base, &path, kind, mode & !umask & 0o7777).map(|()| 0)
}

pub fn unlinkat(dirfd: i32, path: u64, flags: u32) -> SysResult {
    if flags & !AT_REMOVEDIR != 0 {
        return Err(Errno::EINVAL);
    }
    let (base, path) = at_path(dirfd, path)?;
    if flags & AT_REMOVEDIR != 0 { vfs::rmdir(&base, &path) } else { vfs::unlink(&base, &path) }.map(|()| 0)
}

pub fn renameat2(from_dirfd: i32, from: u64, to_dirfd: i32, to: u64, flags: u32) -> SysResult {
    let (from_base, from) = at_path(from_dirfd, from)?;
    let (to_base, to) = at_path(to_dirfd, to)?;
    vfs::rename(&from_base, &from, &to_base, &to, flags).map(|()| 0)
}

pub fn linkat(old_dirfd: i32, old: u64, new_dirfd: i32, new: u64, flags: u32) -> SysResult {
    if flags & !(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let old = user::copy_in_path_or_empty(old, flags)?;
    let existing = if old.is_empty() {
        file(old_dirfd)?.node().cloned().ok_or(Errno::ENOENT)?
    } else {
        resolve_at(old_dirfd, &old, flags & AT_SYMLINK_FOLLOW != 0)?
    };
    let (base, new) = at_path(new_dirfd, new)?;
    vfs::link(&existing, &base, &new).map(|()| 0)
}

pub fn symlinkat(target: u64, dirfd: i32, path: u64) -> SysResult {
    let target = user::read_path(target)?;
    let (base, path) = at_path(dirfd, path)?;
    vfs::symlink(&target, &base, &path).map(|()| 0)
}

pub fn truncate(path: u64, len: i64) -> SysResult {
    let len = u64::try_from(len).map_err(|_| Errno::EINVAL)?;
    let path = user::read_path(path)?;
    vfs::truncate_path(&resolve_at(AT_FDCWD, &path, true)?, len).map(|()| 0)
}

pub fn ftruncate(fd: i32, len: i64) -> SysResult {
    let len = u64::try_from(len).map_err(|_| Errno::EINVAL)?;
    file(fd)?.truncate(len).map(|()| 0)
}

pub fn fchmodat(dirfd: i32, path: u64, mode: u32) -> SysResult {
    let path = user::read_path(path)?;
    vfs::chmod(&resolve_at(dirfd, &path, true)?, mode).map(|()| 0)
}

pub fn fchmod(fd: i32, mode: u32) -> SysResult {
    vfs::chmod(&file(fd)?.node().cloned().ok_or(Errno::EPERM)?, mode).map(|()| 0)
}

/// An owner argument: -1 (as u32) leaves it alone.
fn owner(id: u32) -> Option<u32> {
    (id != u32::MAX).then_some(id)
}

pub fn fchownat(dirfd: i32, path: u64, uid: u32, gid: u32) -> SysResult {
    let path = user::read_path(path)?;
    vfs::chown(&resolve_at(dirfd, &path, true)?, owner(uid), owner(gid)).map(|()| 0)
}

pub fn fchown(fd: i32, uid: u32, gid: u32) -> SysResult {
    vfs::chown(&file(fd)?.node().cloned().ok_or(Errno::EPERM)?, owner(uid), owner(gid)).map(|()| 0)
}

const UTIME_NOW: i64 = (1 << 30) - 1;
const UTIME_OMIT: i64 = (1 << 30) - 2;

fn set_time(ts: &Timespec) -> Result<SetTime, Errno> {
    match ts.tv_nsec {
        UTIME_NOW => Ok(SetTime::Now),
        UTIME_OMIT => Ok(SetTime::Omit),
        nsec if (0..1_000_000_000).contains(&nsec) => Ok(SetTime::To(Timestamp { sec: ts.tv_sec, nsec: nsec as u32 })),
        _ => Err(Errno::EINVAL),
    }
}

/// utimensat: a NULL path names the fd itself; NULL times mean "now" for both.
pub fn utimensat(dirfd: i32, path: u64, times: u64, flags: u32) -> SysResult {
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let node = if path == 0 {
        file(dirfd)?.node().cloned().ok_or(Errno::EBADF)?
    } else {
        let path = user::copy_in_path_or_empty(path, flags)?;
        if path.is_empty() {
            file(dirfd)?.node().cloned().ok_or(Errno::EBADF)?
        } else {
            resolve_at(dirfd, &path, flags & AT_SYMLINK_NOFOLLOW == 0)?
        }
    };
    let (atime, mtime) = if times == 0 {
        (SetTime::Now, SetTime::Now)
    } else {
        let bytes = user::copy_in(times, 2 * Timespec::SIZE)?;
        let ts = |i: usize| Timespec::from_bytes(bytes[i * 16..i * 16 + 16].try_into().unwrap_or(&[0; 16]));
        (set_time(&ts(0))?, set_time(&ts(1))?)
    };
    vfs::set_times(&node, atime, mtime).map(|()| 0)
}

/// umask: the process's file-creation mask (every thread's), returning the old one.
pub fn umask(mask: u32) -> SysResult {
    let old = with_current(|p| core::mem::replace(&mut p.fs.lock().umask, mask & 0o777));
    Ok(old as usize)
}

/// statx: the stat fields in statx's layout (all basic fields: STATX_BASIC_STATS).
pub fn statx(dirfd: i32, path: u64, flags: u32, _mask: u32, out: u64) -> SysResult {
    const STATX_BASIC_STATS: u32 = 0x7ff;
    let s = stat_target(dirfd, path, flags)?;
    let ts = |sec: i64, nsec: i64| StatxTimestamp { tv_sec: sec, tv_nsec: nsec as u32, reserved: 0 };
    let dev = |d: u64| (devfs::major(d), devfs::minor(d));
    let ((rdev_major, rdev_minor), (dev_major, dev_minor)) = (dev(s.st_rdev), dev(s.st_dev));
    let statx = Statx {
        stx_mask: STATX_BASIC_STATS,
        stx_blksize: s.st_blksize as u32,
        stx_nlink: s.st_nlink as u32,
        stx_uid: s.st_uid,
        stx_gid: s.st_gid,
        stx_mode: s.st_mode as u16,
        stx_ino: s.st_ino,
        stx_size: s.st_size as u64,
        stx_blocks: s.st_blocks as u64,
        stx_atime: ts(s.st_atime, s.st_atime_nsec),
        stx_ctime: ts(s.st_ctime, s.st_ctime_nsec),
        stx_mtime: ts(s.st_mtime, s.st_mtime_nsec),
        stx_rdev_major: rdev_major,
        stx_rdev_minor: rdev_minor,
        stx_dev_major: dev_major,
        stx_dev_minor: dev_minor,
        ..Statx::default()
    };
    user::copy_out(out, &statx.to_bytes()).map(|()| 0)
}

/// Linux's f_type values (linux/magic.h).
const TMPFS_MAGIC: i64 = 0x0102_1994;
const PROC_SUPER_MAGIC: i64 = 0x9fa0;
const PIPEFS_MAGIC: i64 = 0x5049_5045;
const SOCKFS_MAGIC: i64 = 0x534f_434b;
const ANON_INODE_FS_MAGIC: i64 = 0x0904_1934;

/// What statfs reports for the file system of a file whose stat is `stat`: a
/// tmpfs its size (its limit, and what it can still take, also bounded by the
/// free frames outside the kernel's reserve); devtmpfs is a tmpfs, as on Linux;
/// proc, pipes, sockets and anonymous inodes have no blocks.
fn statfs_of(stat: &kabi::Stat) -> Statfs {
    use crate::mm::{file_pages, frames};
    let empty = |f_type| Statfs { f_type, f_bsize: 4096, f_namelen: 255, f_frsize: 4096, ..Statfs::default() };
    let free_frames = frames::stats().free.saturating_sub(frames::reserve());
    let tmpfs = |limit: u64, used: u64| {
        let available = limit.saturating_sub(used).min(free_frames);
        Statfs { f_blocks: limit, f_bfree: available, f_bavail: available, ..empty(TMPFS_MAGIC) }
    };
    match stat.st_dev {
        vfs::TMPFS_DEV | vfs::DEVFS_DEV => tmpfs(file_pages::limit(), file_pages::in_use()),
        vfs::PROCFS_DEV => empty(PROC_SUPER_MAGIC),
        device if let Some((limit, used)) = mounts::tmpfs_usage(device) => tmpfs(limit, used),
        _ => match stat.st_mode & kabi::fs::S_IFMT {
            kabi::fs::S_IFIFO => empty(PIPEFS_MAGIC),
            kabi::fs::S_IFSOCK => empty(SOCKFS_MAGIC),
            _ => empty(ANON_INODE_FS_MAGIC),
        },
    }
}

/// statfs(path): the file system holding `path`.
pub fn statfs(path: u64, out: u64) -> SysResult {
    let path = user::read_path(path)?;
    let node = resolve_at(AT_FDCWD, &path, true)?;
    user::copy_out(out, &statfs_of(&vfs::stat(&node)).to_bytes()).map(|()| 0)
}

/// fstatfs(fd): the file system of an open file.
pub fn fstatfs(fd: i32, out: u64) -> SysResult {
    let stat = file(fd)?.stat();
    user::copy_out(out, &statfs_of(&stat).to_bytes()).map(|()| 0)
}
