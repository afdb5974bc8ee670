//! Kinds of open file defined in files of their own (sockets, event counters,
//! timers, epoll instances, pseudo-terminals): what an `OpenFile` asks of them,
//! as Linux's file_operations. Each implements `FileOps`.
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::any::Any;
use core::fmt::Debug;

use kabi::{Errno, Stat};

use super::file::OpenFile;
use super::tty::Terminal;
use crate::task::wait_queue::WaitQueue;

/// `Any` lets a system call find the object behind a file of its kind
/// (`OpenFile::downcast`: epoll_ctl's instance, signalfd4's file).
pub trait FileOps: Any + Debug + Send + Sync {
    /// read(2); `nonblocking` is O_NONBLOCK (EAGAIN instead of waiting). EINVAL
    /// for a kind that cannot be read, as Linux's.
    fn read(&self, _buf: &mut [u8], _nonblocking: bool) -> Result<usize, Errno> {
        Err(Errno::EINVAL)
    }
    /// write(2); EINVAL for a kind that cannot be written.
    fn write(&self, _data: &[u8], _nonblocking: bool) -> Result<usize, Errno> {
        Err(Errno::EINVAL)
    }
    /// lseek(2), for a kind that keeps its own position; ESPIPE by default.
    fn seek(&self, _offset: i64, _whence: u32) -> Result<u64, Errno> {
        Err(Errno::ESPIPE)
    }
    /// The poll events among `events` that are ready now.
    fn poll(&self, events: i16) -> i16;
    /// The queue a poller or blocked reader waits on for this file to change.
    fn wait_queue(&self) -> Option<&WaitQueue>;
    /// fstat's answer (the file type in st_mode: S_IFSOCK...); by default an
    /// anonymous inode, as Linux's event files: mode 0600 with no file type.
    fn stat(&self) -> Stat {
        Stat { st_mode: 0o600, st_nlink: 1, st_blksize: 4096, ..Stat::default() }
    }
    /// Bytes a read would return now (FIONREAD).
    fn bytes_ready(&self) -> usize {
        0
    }
    /// Whether reads wait for data (transfers then move one chunk at a time).
    fn may_block(&self) -> bool {
        true
    }
    /// The terminal it is a side of (a pty's master or slave), for isatty and
    /// the terminal requests.
    fn terminal(&self) -> Option<&Terminal> {
        None
    }
    /// Other files whose queues a poller of this one waits on too (the files an
    /// epoll instance watches).
    fn watched(&self) -> Vec<Arc<OpenFile>> {
        Vec::new()
    }
    /// The last descriptor to it has closed.
    fn release(&self) {}
    /// What /proc/PID/fd/N links to (Linux's `anon_inode:[eventfd]`, `socket:[INO]`).
    fn link_target(&self) -> alloc::vec::Vec<u8>;
}
