//! Open files (Linux's "open file descriptions"): what they refer to, their access
//! mode and status flags, and the shared offset; reading, writing, seeking, stat,
//! directory listings and poll readiness.
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

use kabi::fs::{
    O_ACCMODE, O_APPEND, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, POLLIN, POLLOUT, SEEK_CUR, SEEK_END, SEEK_SET,
};
use kabi::{Errno, Stat};
use spin::Mutex;

use super::devfs::{DevNode, Device};
use super::mapping;
use super::ops::FileOps;
use super::pipe::{End, Pipe, ReadInto, WriteFrom};
use super::tty::Terminal;
use super::vfs::{self, Node};
use crate::arch::cpu::without_interrupts;
use crate::mm::shared::SharedPages;
use crate::mm::user::UserSlice;
use crate::task::wait_queue::WaitQueue;

#[derive(Debug)]
pub enum FileKind {
    /// A node of a file system: tmpfs file or directory, /dev, /proc.
    Node(Node),
    /// A character device.
    Device(Device),
    /// A /proc file, its text generated at open.
    Generated(Node, Vec<u8>),
    Pipe(Arc<Pipe>, End),
    /// A named pipe: its inode (for fstat) and the pipe attached to it.
    Fifo(Node, Arc<Pipe>, End),
    /// A kind defined in a file of its own (fs/ops.rs).
    Other(Arc<dyn FileOps>),
}

/// What a private mapping of a file starts from (`OpenFile::private_source`).
#[derive(Debug)]
pub enum PrivateSource {
    /// The file's own pages, copied when written.
    Pages(Arc<dyn SharedPages>),
    /// A copy of the file's contents, made at mmap.
    Contents,
    /// Zeros (anonymous memory).
    Zeros,
}

/// The name a file was opened by, for /proc/PID/fd: the directory and the entry
/// (its path is found when asked, so renames of the directory show), or the
/// whole path when a symbolic link led to it.
#[derive(Debug)]
pub enum Origin {
    Entry(Node, Vec<u8>),
    Path(Vec<u8>),
}

#[derive(Debug)]
pub struct OpenFile {
    kind: FileKind,
    origin: Option<Origin>,
    /// O_RDONLY, O_WRONLY or O_RDWR.
    access_mode: u32,
    /// O_APPEND and O_NONBLOCK (fcntl F_SETFL changes them).
    status: AtomicU32,
    offset: Mutex<u64>,
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        match &self.kind {
            FileKind::Pipe(pipe, end) | FileKind::Fifo(_, pipe, end) => pipe.close(*end),
            FileKind::Other(ops) => ops.release(),
            _ => {}
        }
    }
}

/// The part of `data` written at `offset` that stays below `max_size`; EFBIG if
/// none does (and there is something to write).
fn within_size(data: &[u8], offset: u64, max_size: u64) -> Result<&[u8], Errno> {
    Ok(&data[..allowed_len(data.len(), offset, max_size)?])
}

/// How much of `len` bytes written at `offset` stays below `max_size`; EFBIG if
/// none does (and there is something to write).
fn allowed_len(len: usize, offset: u64, max_size: u64) -> Result<usize, Errno> {
    let room = max_size.saturating_sub(offset);
    if room == 0 && len > 0 {
        return Err(Errno::EFBIG);
    }
    Ok(len.min(usize::try_from(room).unwrap_or(usize::MAX)))
}

impl OpenFile {
    pub fn new(kind: FileKind, flags: u32) -> Self {
        Self {
            kind,
            origin: None,
            access_mode: flags & O_ACCMODE,
            status: AtomicU32::new(flags & (O_APPEND | O_NONBLOCK)),
            offset: Mutex::new(0),
        }
    }

    /// A file opened by name.
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = Some(origin);
        self
    }

    /// What /proc/PID/fd/N links to: the path a file was opened by (with
    /// " (deleted)" once that name is gone), a directory's path, `/dev/NAME`, or
    /// Linux's `pipe:[INO]` and `anon_inode:[KIND]` for files without a name.
    pub fn link_target(&self) -> Vec<u8> {
        match (&self.kind, &self.origin) {
            (_, Some(Origin::Path(path))) => path.clone(),
            (
                FileKind::Node(node) | FileKind::Generated(node, _) | FileKind::Fifo(node, ..),
                Some(Origin::Entry(dir, name)),
            ) => {
                let mut path = vfs::path_of(dir).unwrap_or_default();
                if path != b"/" {
                    path.push(b'/');
                }
                path.extend_from_slice(name);
                if !vfs::entry_is(dir, name, node) {
                    path.extend_from_slice(b" (deleted)");
                }
                path
            }
            (FileKind::Node(node) | FileKind::Fifo(node, ..), None) => vfs::path_of(node).unwrap_or_default(),
            (FileKind::Device(device), _) => alloc::format!("/dev/{}", device.name()).into_bytes(),
            (FileKind::Pipe(..), _) => alloc::format!("pipe:[{}]", self.stat().st_ino).into_bytes(),
            (FileKind::Other(ops), _) => ops.link_target(),
            (FileKind::Generated(node, _), None) => vfs::path_of(node).unwrap_or_default(),
        }
    }

    /// The console, open for reading and writing (init's fds 0-2).
    pub fn console() -> Self {
        Self::new(FileKind::Device(Device::Console), O_RDWR)
    }

    /// Both ends of a new pipe.
    pub fn pipe(flags: u32) -> (Self, Self) {
        let pipe = Arc::new(Pipe::new());
        let nonblock = flags & O_NONBLOCK;
        (
            Self::new(FileKind::Pipe(pipe.clone(), End::Read), O_RDONLY | nonblock),
            Self::new(FileKind::Pipe(pipe, End::Write), O_WRONLY | nonblock),
        )
    }

    /// A file of a kind defined elsewhere (`flags`: the access mode and O_NONBLOCK).
    pub fn other(ops: Arc<dyn FileOps>, flags: u32) -> Self {
        Self::new(FileKind::Other(ops), flags)
    }

    /// The file-system node behind this file, if any (fchdir, *at() calls).
    pub fn node(&self) -> Option<&Node> {
        match &self.kind {
            FileKind::Node(node) | FileKind::Generated(node, _) => Some(node),
            _ => None,
        }
    }

    pub fn readable(&self) -> bool {
        self.access_mode == O_RDONLY || self.access_mode == O_RDWR
    }

    pub fn writable(&self) -> bool {
        self.access_mode == O_WRONLY || self.access_mode == O_RDWR
    }

    pub fn nonblocking(&self) -> bool {
        self.status.load(Ordering::Relaxed) & O_NONBLOCK != 0
    }

    /// The flags F_GETFL reports.
    pub fn status_flags(&self) -> u32 {
        self.access_mode | self.status.load(Ordering::Relaxed)
    }

    /// F_SETFL: only O_APPEND and O_NONBLOCK change.
    pub fn set_status_flags(&self, flags: u32) {
        self.status.store(flags & (O_APPEND | O_NONBLOCK), Ordering::Relaxed);
    }

    /// Whether a read may block (pipes and terminals): transfers then move one
    /// chunk, never waiting after data moved.
    pub fn may_block(&self) -> bool {
        match &self.kind {
            FileKind::Pipe(..) | FileKind::Fifo(..) => true,
            FileKind::Other(ops) => ops.may_block(),
            _ => self.is_terminal(),
        }
    }

    /// The device it is, for a device of /dev.
    pub fn device(&self) -> Option<Device> {
        match &self.kind {
            FileKind::Device(device) => Some(*device),
            _ => None,
        }
    }

    /// The pipe it reads or writes (a pipe's end or a named pipe).
    pub fn as_pipe(&self) -> Option<&Pipe> {
        match &self.kind {
            FileKind::Pipe(pipe, _) | FileKind::Fifo(_, pipe, _) => Some(pipe),
            _ => None,
        }
    }

    pub fn is_terminal(&self) -> bool {
        self.terminal().is_some()
    }

    /// The terminal it reads and writes: the serial line's for /dev/console and
    /// /dev/ttyS0, a virtual console's for /dev/ttyN (and /dev/tty or /dev/tty0
    /// opening them), a pty's for its master and slave.
    pub fn terminal(&self) -> Option<&Terminal> {
        match &self.kind {
            FileKind::Device(d) => d.terminal(),
            FileKind::Other(ops) => ops.terminal(),
            _ => None,
        }
    }

    /// read(2) at the shared offset.
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        if !self.readable() {
            return Err(Errno::EBADF);
        }
        match &self.kind {
            FileKind::Device(device) => device.read(buf, self.nonblocking()),
            FileKind::Pipe(pipe, _) | FileKind::Fifo(_, pipe, _) => {
                pipe.read(ReadInto::Kernel(buf), self.nonblocking())
            }
            FileKind::Other(ops) => ops.read(buf, self.nonblocking()),
            _ => {
                let mut offset = self.offset.lock();
                let n = self.read_at(buf, *offset)?;
                *offset += n as u64;
                Ok(n)
            }
        }
    }

    /// pread(2): read at `offset`, leaving the file offset alone.
    pub fn read_at(&self, buf: &mut [u8], offset: u64) -> Result<usize, Errno> {
        if !self.readable() {
            return Err(Errno::EBADF);
        }
        match &self.kind {
            FileKind::Node(node) => vfs::read(node, offset, buf),
            FileKind::Generated(_, text) => {
                let start = (offset as usize).min(text.len());
                let n = buf.len().min(text.len() - start);
                buf[..n].copy_from_slice(&text[start..start + n]);
                Ok(n)
            }
            FileKind::Device(_) | FileKind::Pipe(..) | FileKind::Fifo(..) | FileKind::Other(_) => Err(Errno::ESPIPE),
        }
    }

    /// write(2): at the shared offset, or at the end with O_APPEND. A file may
    /// not grow past `max_size` (RLIMIT_FSIZE): the write is cut there, and one
    /// that starts there is EFBIG (the caller raises SIGXFSZ).
    pub fn write(&self, data: &[u8], max_size: u64) -> Result<usize, Errno> {
        if !self.writable() {
            return Err(Errno::EBADF);
        }
        match &self.kind {
            FileKind::Device(device) => device.write(data),
            FileKind::Pipe(pipe, _) | FileKind::Fifo(_, pipe, _) => {
                pipe.write(WriteFrom::Kernel(data), self.nonblocking())
            }
            FileKind::Other(ops) => ops.write(data, self.nonblocking()),
            FileKind::Node(node) => {
                self.write_at_offset(node, |offset| vfs::write(node, offset, within_size(data, offset, max_size)?))
            }
            FileKind::Generated(..) => Err(Errno::EACCES),
        }
    }

    /// write(2) of a tmpfs file straight from the caller's memory, without a
    /// bounce buffer: as [`OpenFile::write`], with the bytes of `src` (in the loaded
    /// address space) copied into the file's pages with interrupts off, so that a
    /// page not mapped in yet ends the copy short instead of being faulted in
    /// under the file's lock (the caller maps it in and writes on). None for
    /// other files.
    pub fn write_user(&self, src: UserSlice, max_size: u64) -> Option<Result<usize, Errno>> {
        let FileKind::Node(node @ Node::Tmpfs(_)) = &self.kind else { return None };
        if !self.writable() {
            return Some(Err(Errno::EBADF));
        }
        let mut copied = 0;
        Some(self.write_at_offset(node, |offset| {
            let count = allowed_len(src.len(), offset, max_size)?;
            vfs::write_from(node, offset, count, &mut |piece: &mut [u8]| {
                let n = without_interrupts(|| src.part(copied, piece.len()).read_loaded(piece));
                copied += n;
                n
            })
        }))
    }

    /// Runs `write` at the shared offset (moved to the end first with O_APPEND)
    /// and advances the offset by what it wrote.
    fn write_at_offset(&self, node: &Node, write: impl FnOnce(u64) -> Result<usize, Errno>) -> Result<usize, Errno> {
        let mut offset = self.offset.lock();
        if self.status.load(Ordering::Relaxed) & O_APPEND != 0 {
            *offset = vfs::size(node);
        }
        let n = write(*offset)?;
        *offset += n as u64;
        Ok(n)
    }

    /// pwrite(2), with write's `max_size`.
    pub fn write_at(&self, data: &[u8], offset: u64, max_size: u64) -> Result<usize, Errno> {
        if !self.writable() {
            return Err(Errno::EBADF);
        }
        match &self.kind {
            FileKind::Node(node) => vfs::write(node, offset, within_size(data, offset, max_size)?),
            FileKind::Device(_) | FileKind::Pipe(..) | FileKind::Fifo(..) | FileKind::Other(_) => Err(Errno::ESPIPE),
            FileKind::Generated(..) => Err(Errno::EACCES),
        }
    }

    pub fn seek(&self, offset: i64, whence: u32) -> Result<u64, Errno> {
        let end = match &self.kind {
            FileKind::Node(node) => vfs::size(node),
            FileKind::Generated(_, text) => text.len() as u64,
            FileKind::Device(_) => return Ok(0), // like Linux's null/zero/tty: seeking does nothing
            FileKind::Pipe(..) | FileKind::Fifo(..) => return Err(Errno::ESPIPE),
            FileKind::Other(ops) => return ops.seek(offset, whence),
        };
        let mut current = self.offset.lock();
        let base = match whence {
            SEEK_SET => 0,
            SEEK_CUR => *current as i64,
            SEEK_END => end as i64,
            _ => return Err(Errno::EINVAL),
        };
        let new = base.checked_add(offset).filter(|&n| n >= 0).ok_or(Errno::EINVAL)?;
        *current = new as u64;
        Ok(new as u64)
    }

    pub fn stat(&self) -> Stat {
        match &self.kind {
            FileKind::Node(node) | FileKind::Generated(node, _) | FileKind::Fifo(node, ..) => vfs::stat(node),
            FileKind::Device(device) => vfs::stat(&Node::Dev(DevNode::Device(*device))),
            FileKind::Pipe(pipe, _) => Stat {
                st_ino: pipe.ino(),
                st_mode: kabi::fs::S_IFIFO | 0o600,
                st_nlink: 1,
                st_blksize: 4096,
                ..Stat::default()
            },
            FileKind::Other(ops) => ops.stat(),
        }
    }

    /// getdents64: as many records as fit in `max_len` bytes, from the offset.
    pub fn read_dir(&self, max_len: usize) -> Result<Vec<u8>, Errno> {
        let Some(node) = self.node() else { return Err(Errno::ENOTDIR) };
        let mut offset = self.offset.lock();
        let (records, next) = vfs::read_dir(node, *offset, max_len)?;
        *offset = next;
        Ok(records)
    }

    /// What a private mapping of this file starts from: a tmpfs file's own pages
    /// (copied when written), a copy of other files' contents (read at mmap), or
    /// zeros for /dev/zero (anonymous memory). Errors as for `shared_pages`.
    pub fn private_source(&self) -> Result<PrivateSource, Errno> {
        self.may_map(false)?;
        match &self.kind {
            FileKind::Node(Node::Tmpfs(inode)) if inode.file_type() == ramfs::FileType::Regular => {
                mapping::map_file(inode, false, self.link_target()).map(PrivateSource::Pages)
            }
            FileKind::Node(node) if !vfs::is_directory(node) => Ok(PrivateSource::Contents),
            FileKind::Generated(..) => Ok(PrivateSource::Contents),
            FileKind::Device(Device::Zero) => Ok(PrivateSource::Zeros),
            _ => Err(Errno::ENODEV),
        }
    }

    /// What a shared mapping of this file maps, `writable` if it may be written
    /// (PROT_WRITE): a tmpfs file's own pages, or None for /dev/zero, whose
    /// shared mappings are new anonymous shared memory. ENODEV for files that
    /// cannot be mapped (directories, /proc files, pipes, other devices).
    pub fn shared_pages(&self, writable: bool) -> Result<Option<Arc<dyn SharedPages>>, Errno> {
        self.may_map(writable)?;
        match &self.kind {
            FileKind::Node(Node::Tmpfs(inode)) if inode.file_type() == ramfs::FileType::Regular => {
                mapping::map_file(inode, self.writable(), self.link_target()).map(Some)
            }
            FileKind::Device(Device::Zero) => Ok(None),
            _ => Err(Errno::ENODEV),
        }
    }

    /// Linux's first checks on mapping a file: EACCES unless it is open for
    /// reading, and for writing too when a shared mapping may be written.
    fn may_map(&self, shared_writable: bool) -> Result<(), Errno> {
        if !self.readable() || (shared_writable && !self.writable()) { Err(Errno::EACCES) } else { Ok(()) }
    }

    /// ftruncate.
    pub fn truncate(&self, len: u64) -> Result<(), Errno> {
        match &self.kind {
            FileKind::Node(node) if self.writable() => vfs::truncate(node, len),
            _ => Err(Errno::EINVAL),
        }
    }

    /// The poll events among `events` that are ready now.
    pub fn poll_ready(&self, events: i16) -> i16 {
        match &self.kind {
            FileKind::Pipe(pipe, end) | FileKind::Fifo(_, pipe, end) => pipe.poll(*end, events),
            FileKind::Other(ops) => ops.poll(events),
            FileKind::Device(d) if let Some(terminal) = d.terminal() => (terminal.poll_input() | POLLOUT) & events,
            _ => (POLLIN | POLLOUT) & events,
        }
    }

    /// Bytes a read would return now without blocking (FIONREAD).
    pub fn bytes_ready(&self) -> usize {
        match &self.kind {
            FileKind::Pipe(pipe, _) | FileKind::Fifo(_, pipe, _) => pipe.available(),
            FileKind::Node(node) => (vfs::size(node).saturating_sub(*self.offset.lock())) as usize,
            FileKind::Generated(_, text) => text.len().saturating_sub(*self.offset.lock() as usize),
            FileKind::Device(d) if let Some(terminal) = d.terminal() => terminal.available(),
            FileKind::Device(_) => 0,
            FileKind::Other(ops) => ops.bytes_ready(),
        }
    }

    /// The files a poller of this one waits on as well (fs/ops.rs, `watched`).
    pub fn watched(&self) -> Vec<Arc<OpenFile>> {
        match &self.kind {
            FileKind::Other(ops) => ops.watched(),
            _ => Vec::new(),
        }
    }

    /// The object behind a file of kind `T` (fs/ops.rs), None for other files.
    pub fn downcast<T: FileOps>(&self) -> Option<&T> {
        match &self.kind {
            FileKind::Other(ops) => (&**ops as &dyn core::any::Any).downcast_ref(),
            _ => None,
        }
    }

    /// The queue a poller waits on for this file to change, if it can change.
    pub fn wait_queue(&self) -> Option<&WaitQueue> {
        match &self.kind {
            FileKind::Pipe(pipe, _) | FileKind::Fifo(_, pipe, _) => Some(pipe.queue()),
            FileKind::Other(ops) => ops.wait_queue(),
            FileKind::Device(d) => d.terminal().map(Terminal::queue),
            _ => None,
        }
    }
}
