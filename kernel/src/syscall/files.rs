//! File syscalls: open/openat, close, read/write and their vector and positional
//! forms, lseek, stat family, getdents64, ioctl, fcntl, dup family, access,
//! readlink, poll/ppoll, getcwd and chdir.
use alloc::sync::Arc;
use alloc::vec::Vec;

use kabi::fs::*;
use kabi::{Errno, PollFd, Termios, Winsize};
use ramfs::{FileType, InodeRef};

use super::{SysResult, user};
use crate::fs::file::{OpenFile, stat_inode};
use crate::fs::{root, tty};
use crate::proc::scheduler::with_current;
use crate::proc::sleep;
use crate::proc::wait_queue::WaitQueue;

/// Most iovecs per readv/writev (IOV_MAX).
const IOV_MAX: i32 = 1024;
/// Largest single read or write done in one piece.
const MAX_IO: usize = 1 << 20;

fn file(fd: i32) -> Result<Arc<OpenFile>, Errno> {
    with_current(|p| p.files.get(fd))
}

/// The directory a *at() path is relative to.
fn base_dir(dirfd: i32, path: &[u8]) -> Result<InodeRef, Errno> {
    if path.first() == Some(&b'/') || dirfd == AT_FDCWD {
        return Ok(with_current(|p| p.cwd.clone()));
    }
    match file(dirfd)?.kind() {
        crate::fs::file::FileKind::Inode(inode) if inode.file_type() == FileType::Directory => Ok(inode.clone()),
        _ => Err(Errno::ENOTDIR),
    }
}

fn resolve(dirfd: i32, path: &[u8], follow: bool) -> Result<InodeRef, Errno> {
    root::lookup(&base_dir(dirfd, path)?, path, follow)
}

pub fn openat(dirfd: i32, path: u64, flags: u32, _mode: u32) -> SysResult {
    let path = user::read_path(path)?;
    let inode = match resolve(dirfd, &path, flags & O_NOFOLLOW == 0) {
        Ok(inode) if flags & O_CREAT != 0 && flags & O_EXCL != 0 => {
            let _ = inode;
            return Err(Errno::EEXIST);
        }
        Ok(inode) => inode,
        Err(Errno::ENOENT) if flags & O_CREAT != 0 => return Err(Errno::EROFS),
        Err(e) => return Err(e),
    };
    match inode.file_type() {
        FileType::Symlink => return Err(Errno::ELOOP), // O_NOFOLLOW on a link
        FileType::Directory if flags & O_ACCMODE != O_RDONLY => return Err(Errno::EISDIR),
        FileType::Regular if flags & O_DIRECTORY != 0 => return Err(Errno::ENOTDIR),
        _ => {}
    }
    if flags & O_ACCMODE != O_RDONLY || flags & O_TRUNC != 0 {
        return Err(Errno::EROFS); // the root tree is read-only until it becomes a tmpfs
    }
    let open = Arc::new(OpenFile::inode(inode, flags));
    with_current(|p| p.files.insert(open, flags & O_CLOEXEC != 0)).map(|fd| fd as usize)
}

pub fn close(fd: i32) -> SysResult {
    with_current(|p| p.files.close(fd)).map(|()| 0)
}

pub fn read(fd: i32, buf: u64, len: usize) -> SysResult {
    let file = file(fd)?;
    let mut data = alloc::vec![0u8; len.min(MAX_IO)];
    let n = file.read(&mut data)?;
    user::copy_out(buf, &data[..n]).map(|()| n)
}

pub fn pread(fd: i32, buf: u64, len: usize, offset: i64) -> SysResult {
    let offset = u64::try_from(offset).map_err(|_| Errno::EINVAL)?;
    let file = file(fd)?;
    let mut data = alloc::vec![0u8; len.min(MAX_IO)];
    let n = file.read_at(&mut data, offset)?;
    user::copy_out(buf, &data[..n]).map(|()| n)
}

pub fn write(fd: i32, buf: u64, len: usize) -> SysResult {
    let file = file(fd)?;
    let data = user::copy_in(buf, len.min(MAX_IO))?;
    file.write(&data)
}

/// The (base, length) pairs of an iovec array.
fn iovecs(iov: u64, count: i32) -> Result<Vec<(u64, usize)>, Errno> {
    if !(0..=IOV_MAX).contains(&count) {
        return Err(Errno::EINVAL);
    }
    let raw = user::copy_in(iov, count as usize * 16)?;
    Ok(raw
        .chunks_exact(16)
        .map(|c| {
            let word = |i: usize| u64::from_le_bytes(c[i..i + 8].try_into().unwrap_or_default());
            (word(0), word(8) as usize)
        })
        .collect())
}

pub fn readv(fd: i32, iov: u64, count: i32) -> SysResult {
    let mut total = 0;
    for (base, len) in iovecs(iov, count)? {
        if len == 0 {
            continue;
        }
        let n = read(fd, base, len)?;
        total += n;
        if n < len {
            break;
        }
    }
    Ok(total)
}

pub fn writev(fd: i32, iov: u64, count: i32) -> SysResult {
    let file = file(fd)?;
    let mut data = Vec::new();
    for (base, len) in iovecs(iov, count)? {
        data.extend_from_slice(&user::copy_in(base, len.min(MAX_IO))?);
    }
    file.write(&data)
}

pub fn lseek(fd: i32, offset: i64, whence: u32) -> SysResult {
    file(fd)?.seek(offset, whence).map(|o| o as usize)
}

pub fn fstat(fd: i32, out: u64) -> SysResult {
    let stat = file(fd)?.stat();
    user::copy_out(out, &stat.to_bytes()).map(|()| 0)
}

pub fn fstatat(dirfd: i32, path: u64, out: u64, flags: u32) -> SysResult {
    let path = user::copy_in_path_or_empty(path, flags)?;
    let stat = if path.is_empty() {
        if dirfd == AT_FDCWD { stat_inode(&with_current(|p| p.cwd.clone())) } else { file(dirfd)?.stat() }
    } else {
        stat_inode(&resolve(dirfd, &path, flags & AT_SYMLINK_NOFOLLOW == 0)?)
    };
    user::copy_out(out, &stat.to_bytes()).map(|()| 0)
}

pub fn getdents64(fd: i32, buf: u64, len: usize) -> SysResult {
    let records = file(fd)?.read_dir(len.min(MAX_IO))?;
    user::copy_out(buf, &records).map(|()| records.len())
}

pub fn ioctl(fd: i32, request: u32, arg: u64) -> SysResult {
    let file = file(fd)?;
    if !file.is_tty() {
        return Err(Errno::ENOTTY);
    }
    match request {
        kabi::tty::TCGETS => user::copy_out(arg, &tty::termios().to_bytes()).map(|()| 0),
        kabi::tty::TCSETS | kabi::tty::TCSETSW | kabi::tty::TCSETSF => {
            let bytes = user::copy_in(arg, 36)?;
            tty::set_termios(&Termios::from_bytes(bytes.as_slice().try_into().map_err(|_| Errno::EFAULT)?));
            Ok(0)
        }
        kabi::tty::TIOCGWINSZ => {
            let size = Winsize { ws_row: 25, ws_col: 80, ..Winsize::default() };
            user::copy_out(arg, &size.to_bytes()).map(|()| 0)
        }
        _ => Err(Errno::EINVAL),
    }
}

pub fn fcntl(fd: i32, command: u32, arg: u64) -> SysResult {
    let file = file(fd)?;
    match command {
        F_DUPFD | F_DUPFD_CLOEXEC => {
            let min = usize::try_from(arg).ok().filter(|&m| m < crate::fs::fdtable::MAX_FDS).ok_or(Errno::EINVAL)?;
            with_current(|p| p.files.insert_from(min, file, command == F_DUPFD_CLOEXEC)).map(|fd| fd as usize)
        }
        F_GETFD => with_current(|p| p.files.cloexec(fd)).map(|c| if c { FD_CLOEXEC as usize } else { 0 }),
        F_SETFD => with_current(|p| p.files.set_cloexec(fd, arg as u32 & FD_CLOEXEC != 0)).map(|()| 0),
        F_GETFL => Ok(file.status_flags() as usize),
        F_SETFL => {
            file.set_status_flags(arg as u32);
            Ok(0)
        }
        _ => Err(Errno::EINVAL),
    }
}

pub fn dup(fd: i32) -> SysResult {
    let file = file(fd)?;
    with_current(|p| p.files.insert(file, false)).map(|fd| fd as usize)
}

/// dup3 (and dup2, which allows old == new and takes no flags).
pub fn dup3(old: i32, new: i32, flags: u32, is_dup2: bool) -> SysResult {
    let file = file(old)?;
    if old == new {
        return if is_dup2 { Ok(new as usize) } else { Err(Errno::EINVAL) };
    }
    if flags & !O_CLOEXEC != 0 {
        return Err(Errno::EINVAL);
    }
    with_current(|p| p.files.install_at(new, file, flags & O_CLOEXEC != 0)).map(|()| new as usize)
}

pub fn faccessat(dirfd: i32, path: u64, mode: u32) -> SysResult {
    let path = user::read_path(path)?;
    let inode = resolve(dirfd, &path, true)?;
    if mode & !(R_OK | W_OK | X_OK) != 0 {
        return Err(Errno::EINVAL);
    }
    if mode & W_OK != 0 {
        return Err(Errno::EROFS);
    }
    let any_exec = inode.metadata().mode & 0o111 != 0;
    if mode & X_OK != 0 && !any_exec {
        return Err(Errno::EACCES); // root still needs an execute bit somewhere
    }
    Ok(0)
}

pub fn readlinkat(dirfd: i32, path: u64, buf: u64, size: usize) -> SysResult {
    if size == 0 {
        return Err(Errno::EINVAL);
    }
    let path = user::read_path(path)?;
    let inode = resolve(dirfd, &path, false)?;
    let target = inode.read_link().map_err(|_| Errno::EINVAL)?;
    let n = target.len().min(size);
    user::copy_out(buf, &target[..n]).map(|()| n)
}

pub fn getcwd(buf: u64, size: usize) -> SysResult {
    let cwd = with_current(|p| p.cwd.clone());
    let mut path = root::path_of(&cwd)?;
    path.push(0);
    if path.len() > size {
        return Err(Errno::ERANGE);
    }
    user::copy_out(buf, &path).map(|()| path.len())
}

pub fn chdir(path: u64) -> SysResult {
    let path = user::read_path(path)?;
    let dir = resolve(AT_FDCWD, &path, true)?;
    if dir.file_type() != FileType::Directory {
        return Err(Errno::ENOTDIR);
    }
    with_current(|p| p.cwd = dir);
    Ok(0)
}

/// Waiters in poll; the console wakes them on input.
fn poll_queues() -> [&'static WaitQueue; 2] {
    [tty::readers(), sleep::queue()]
}

/// poll over `count` pollfds; `timeout_ms` None waits for ever.
fn poll_fds(fds: u64, count: usize, timeout_ms: Option<u64>) -> SysResult {
    if count > crate::fs::fdtable::MAX_FDS {
        return Err(Errno::EINVAL);
    }
    let raw = user::copy_in(fds, count * 8)?;
    let mut entries: Vec<PollFd> =
        raw.chunks_exact(8).map(|c| PollFd::from_bytes(c.try_into().unwrap_or(&[0; 8]))).collect();
    let deadline = timeout_ms.map(|t| crate::time::uptime_ms().saturating_add(t));
    let scan = |entries: &mut [PollFd]| {
        let mut ready = 0;
        for entry in entries.iter_mut() {
            entry.revents = if entry.fd < 0 {
                0
            } else {
                match file(entry.fd) {
                    Ok(f) => f.poll_ready(entry.events),
                    Err(_) => POLLNVAL,
                }
            };
            ready += usize::from(entry.revents != 0);
        }
        ready
    };
    let ready = WaitQueue::wait_until_any(&poll_queues(), || {
        let ready = scan(&mut entries);
        let timed_out = deadline.is_some_and(|d| crate::time::uptime_ms() >= d);
        if ready > 0 || timed_out {
            return Some(ready);
        }
        if let Some(d) = deadline {
            sleep::wake_at(d);
        }
        None
    })
    .map_err(|_| Errno::EINTR)?;
    let out: Vec<u8> = entries.iter().flat_map(|e| e.to_bytes()).collect();
    user::copy_out(fds, &out).map(|()| ready)
}

pub fn poll(fds: u64, count: usize, timeout_ms: i32) -> SysResult {
    poll_fds(fds, count, u64::try_from(timeout_ms).ok())
}

pub fn ppoll(fds: u64, count: usize, timeout: u64) -> SysResult {
    let timeout_ms = if timeout == 0 {
        None
    } else {
        let bytes = user::copy_in(timeout, 16)?;
        let ts = kabi::Timespec::from_bytes(bytes.as_slice().try_into().map_err(|_| Errno::EFAULT)?);
        if ts.tv_sec < 0 || !(0..1_000_000_000).contains(&ts.tv_nsec) {
            return Err(Errno::EINVAL);
        }
        Some(ts.tv_sec as u64 * 1000 + (ts.tv_nsec as u64).div_ceil(1_000_000))
    };
    poll_fds(fds, count, timeout_ms)
}
