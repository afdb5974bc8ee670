//! Kinds of open file defined in files of their own (sockets, event counters,
//! timers, epoll instances, pseudo-terminals): what an `OpenFile` asks of them,
//! as Linux's file_operations. Each implements `FileOps`.
use core::any::Any;
use core::fmt::Debug;

use kabi::{Errno, Stat};

use crate::task::wait_queue::WaitQueue;

pub trait FileOps: Debug + Send + Sync {
    /// read(2); `nonblocking` is O_NONBLOCK (EAGAIN instead of waiting).
    fn read(&self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno>;
    /// write(2).
    fn write(&self, data: &[u8], nonblocking: bool) -> Result<usize, Errno>;
    /// The poll events among `events` that are ready now.
    fn poll(&self, events: i16) -> i16;
    /// The queue a poller or blocked reader waits on for this file to change.
    fn wait_queue(&self) -> Option<&WaitQueue>;
    /// fstat's answer (the file type in st_mode: S_IFSOCK, anonymous inodes...).
    fn stat(&self) -> Stat;
    /// Bytes a read would return now (FIONREAD).
    fn bytes_ready(&self) -> usize {
        0
    }
    /// Whether reads wait for data (transfers then move one chunk at a time).
    fn may_block(&self) -> bool {
        true
    }
    /// Whether it is a terminal (isatty, job control).
    fn is_terminal(&self) -> bool {
        false
    }
    /// The last descriptor to it has closed.
    fn release(&self) {}
    /// The object itself, for calls that work on one kind only (the socket calls
    /// find the socket behind a descriptor through `OpenFile::downcast`).
    fn as_any(&self) -> &dyn Any;
}
