//! Open files (Linux's "open file descriptions"): what they refer to, their access
//! mode and status flags, and the shared offset; reading, writing, seeking, stat,
//! directory listings and poll readiness.
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

use kabi::fs::{
    O_ACCMODE, O_APPEND, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, POLLIN, POLLOUT, S_IFCHR, SEEK_CUR, SEEK_END,
    SEEK_SET, write_dirent64,
};
use kabi::{Errno, Stat};
use ramfs::{FileType, InodeRef};
use spin::Mutex;

use super::tty;

/// The device number files of the root tree report (st_dev).
const ROOT_DEVICE: u64 = 1;
/// The console's device number: major 5, minor 1 (/dev/console).
const CONSOLE_RDEV: u64 = (5 << 8) | 1;
/// Its inode number (it is not in the tree yet).
const CONSOLE_INO: u64 = 0xffff_0001;

#[derive(Debug)]
pub enum FileKind {
    Console,
    Inode(InodeRef),
}

#[derive(Debug)]
pub struct OpenFile {
    kind: FileKind,
    /// O_RDONLY, O_WRONLY or O_RDWR.
    access_mode: u32,
    /// O_APPEND and O_NONBLOCK (fcntl F_SETFL changes them).
    status: AtomicU32,
    offset: Mutex<u64>,
}

impl OpenFile {
    pub fn console() -> Self {
        Self { kind: FileKind::Console, access_mode: O_RDWR, status: AtomicU32::new(0), offset: Mutex::new(0) }
    }

    pub fn inode(inode: InodeRef, flags: u32) -> Self {
        Self {
            kind: FileKind::Inode(inode),
            access_mode: flags & O_ACCMODE,
            status: AtomicU32::new(flags & (O_APPEND | O_NONBLOCK)),
            offset: Mutex::new(0),
        }
    }

    pub fn kind(&self) -> &FileKind {
        &self.kind
    }

    pub fn readable(&self) -> bool {
        self.access_mode == O_RDONLY || self.access_mode == O_RDWR
    }

    pub fn writable(&self) -> bool {
        self.access_mode == O_WRONLY || self.access_mode == O_RDWR
    }

    /// The flags F_GETFL reports.
    pub fn status_flags(&self) -> u32 {
        self.access_mode | self.status.load(Ordering::Relaxed)
    }

    /// F_SETFL: only O_APPEND and O_NONBLOCK change.
    pub fn set_status_flags(&self, flags: u32) {
        self.status.store(flags & (O_APPEND | O_NONBLOCK), Ordering::Relaxed);
    }

    pub fn is_tty(&self) -> bool {
        matches!(self.kind, FileKind::Console)
    }

    /// read(2) at the shared offset (the console blocks for a line).
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        if !self.readable() {
            return Err(Errno::EBADF);
        }
        match &self.kind {
            FileKind::Console => tty::read(buf),
            FileKind::Inode(inode) => {
                let mut offset = self.offset.lock();
                let n = inode.read(*offset, buf)?;
                *offset += n as u64;
                Ok(n)
            }
        }
    }

    /// pread(2): read at `offset` without moving the file offset.
    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> Result<usize, Errno> {
        if !self.readable() {
            return Err(Errno::EBADF);
        }
        match &self.kind {
            FileKind::Console => Err(Errno::ESPIPE),
            FileKind::Inode(inode) => inode.read(offset, buf),
        }
    }

    pub fn write(&self, data: &[u8]) -> Result<usize, Errno> {
        if !self.writable() {
            return Err(Errno::EBADF);
        }
        match &self.kind {
            FileKind::Console => {
                crate::console::write_bytes(data);
                Ok(data.len())
            }
            // The tree is read-only until the files issue makes it a tmpfs; files
            // cannot be opened for writing, so this is unreachable in practice.
            FileKind::Inode(_) => Err(Errno::EROFS),
        }
    }

    pub fn seek(&self, offset: i64, whence: u32) -> Result<u64, Errno> {
        let FileKind::Inode(inode) = &self.kind else { return Err(Errno::ESPIPE) };
        let mut current = self.offset.lock();
        let base = match whence {
            SEEK_SET => 0,
            SEEK_CUR => *current as i64,
            SEEK_END => inode.metadata().size as i64,
            _ => return Err(Errno::EINVAL),
        };
        let new = base.checked_add(offset).filter(|&n| n >= 0).ok_or(Errno::EINVAL)?;
        *current = new as u64;
        Ok(new as u64)
    }

    pub fn stat(&self) -> Stat {
        match &self.kind {
            FileKind::Console => Stat {
                st_dev: ROOT_DEVICE,
                st_ino: CONSOLE_INO,
                st_nlink: 1,
                st_mode: S_IFCHR | 0o620,
                st_rdev: CONSOLE_RDEV,
                st_blksize: 1024,
                ..Stat::default()
            },
            FileKind::Inode(inode) => stat_inode(inode),
        }
    }

    /// getdents64: as many `linux_dirent64` records as fit in `max_len` bytes.
    pub fn read_dir(&self, max_len: usize) -> Result<Vec<u8>, Errno> {
        let FileKind::Inode(inode) = &self.kind else { return Err(Errno::ENOTDIR) };
        let mut offset = self.offset.lock();
        let mut out = alloc::vec![0u8; max_len];
        let mut used = 0;
        while let Some(entry) = inode.dir_entry_at(*offset)? {
            let Some(len) = write_dirent64(
                &mut out[used..],
                entry.ino,
                entry.next_offset as i64,
                entry.file_type.dirent_type(),
                &entry.name,
            ) else {
                if used == 0 {
                    return Err(Errno::EINVAL); // the buffer cannot hold one entry
                }
                break;
            };
            used += len;
            *offset = entry.next_offset;
        }
        out.truncate(used);
        Ok(out)
    }

    /// The bytes a private file mapping of `len` bytes at `offset` starts with.
    pub fn mapping_bytes(&self, offset: u64, len: u64) -> Result<Vec<u8>, Errno> {
        let FileKind::Inode(inode) = &self.kind else { return Err(Errno::ENODEV) };
        if !self.readable() || inode.file_type() != FileType::Regular {
            return Err(Errno::EACCES);
        }
        let size = inode.metadata().size;
        let wanted = len.min(size.saturating_sub(offset)) as usize;
        let mut data = alloc::vec![0u8; wanted];
        let n = inode.read(offset, &mut data)?;
        data.truncate(n);
        Ok(data)
    }

    /// The poll events among `events` that are ready now.
    pub fn poll_ready(&self, events: i16) -> i16 {
        let ready = match &self.kind {
            FileKind::Console => (if tty::readable() { POLLIN } else { 0 }) | POLLOUT,
            FileKind::Inode(_) => POLLIN | POLLOUT,
        };
        ready & events
    }
}

/// stat of a tree inode.
pub fn stat_inode(inode: &InodeRef) -> Stat {
    let m = inode.metadata();
    Stat {
        st_dev: ROOT_DEVICE,
        st_ino: m.ino,
        st_nlink: u64::from(m.nlink),
        st_mode: m.mode,
        st_uid: m.uid,
        st_gid: m.gid,
        st_size: m.size as i64,
        st_blksize: 4096,
        st_blocks: m.blocks as i64,
        st_atime: m.mtime,
        st_mtime: m.mtime,
        st_ctime: m.mtime,
        ..Stat::default()
    }
}
