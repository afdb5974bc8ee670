//! Pipes: a 64 KiB buffer between a read end and a write end, its contents in
//! frames that are freed as soon as they are read (mm/byte_queue.rs). Reads block while it
//! is empty and a writer exists (EOF after the last writer closes); writes block
//! while it is full, and writes of up to PIPE_BUF (4096) bytes are atomic. Writing
//! with no reader left raises SIGPIPE and fails with EPIPE. O_NONBLOCK gives EAGAIN
//! instead of blocking.
use core::sync::atomic::{AtomicU64, Ordering};

use kabi::Errno;
use kabi::fs::{POLLERR, POLLHUP, POLLIN, POLLOUT};
use spin::Mutex;

use crate::arch::cpu::without_interrupts;
use crate::mm::byte_queue::ByteQueue;
use crate::task::wait_queue::WaitQueue;

pub const CAPACITY: usize = 64 * 1024;
/// Pipe inode numbers, counted from Linux's first.
static NEXT_INO: AtomicU64 = AtomicU64::new(4096);
pub const PIPE_BUF: usize = 4096;

#[derive(Debug)]
struct State {
    /// The contents, in frames taken as data comes and freed as it is read.
    buffer: ByteQueue,
    readers: usize,
    writers: usize,
    /// Opens of each end so far (a named pipe's opener waits for the other end's
    /// count to move, even if that opener has closed again since).
    reads_opened: u64,
    writes_opened: u64,
}

#[derive(Debug)]
pub struct Pipe {
    /// Its inode number (as Linux's pipefs, one per pipe; fstat and
    /// /proc/PID/fd show it).
    ino: u64,
    state: Mutex<State>,
    /// Readers and writers waiting for a change (data, space, or a closed end).
    changed: WaitQueue,
}

/// Which end an open file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Read,
    Write,
    /// A named pipe opened for reading and writing.
    Both,
}

impl End {
    fn reads(self) -> bool {
        self != End::Write
    }

    fn writes(self) -> bool {
        self != End::Read
    }
}

impl Pipe {
    /// A pipe with one reader and one writer (the two ends about to be opened).
    pub fn new() -> Self {
        Self::with_ends(1, 1)
    }

    /// A named pipe's, before anyone has opened it.
    pub fn unopened() -> Self {
        Self::with_ends(0, 0)
    }

    fn with_ends(readers: usize, writers: usize) -> Self {
        let (reads_opened, writes_opened) = (readers as u64, writers as u64);
        let state = State { buffer: ByteQueue::new(), readers, writers, reads_opened, writes_opened };
        Self { ino: NEXT_INO.fetch_add(1, Ordering::Relaxed), state: Mutex::new(state), changed: WaitQueue::new() }
    }

    /// open(2) of a named pipe (fifo(7)): for reading it waits until a writer
    /// has opened it (not with O_NONBLOCK); for writing, until a reader has
    /// (ENXIO with O_NONBLOCK and no reader); for both, never. EINTR if a signal
    /// comes first (the open is undone).
    pub fn open(&self, end: End, nonblocking: bool) -> Result<(), Errno> {
        let seen = self.with(|s| {
            if end == End::Write && nonblocking && s.readers == 0 {
                return Err(Errno::ENXIO);
            }
            if end.reads() {
                s.readers += 1;
                s.reads_opened += 1;
            }
            if end.writes() {
                s.writers += 1;
                s.writes_opened += 1;
            }
            Ok((s.reads_opened, s.writes_opened))
        })?;
        self.changed.wake_all();
        let partner = |s: &State| match end {
            End::Read => s.writers > 0 || s.writes_opened != seen.1,
            End::Write => s.readers > 0 || s.reads_opened != seen.0,
            End::Both => true,
        };
        if nonblocking || self.with(|s| partner(s)) {
            return Ok(());
        }
        match self.changed.wait_until(|| self.with(|s| partner(s).then_some(()))) {
            Ok(()) => Ok(()),
            Err(_) => {
                self.close(end);
                Err(Errno::EINTR)
            }
        }
    }

    pub fn ino(&self) -> u64 {
        self.ino
    }

    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        without_interrupts(|| f(&mut self.state.lock()))
    }

    /// One end's open file is gone (the counts are of open file descriptions,
    /// which dup and fork share, so this runs when the last descriptor closes).
    pub fn close(&self, end: End) {
        self.with(|s| {
            if end.reads() {
                s.readers -= 1;
            }
            if end.writes() {
                s.writers -= 1;
            }
        });
        self.changed.wake_all();
    }

    pub fn read(&self, buf: &mut [u8], nonblocking: bool) -> Result<usize, Errno> {
        if buf.is_empty() {
            return Ok(0);
        }
        let result = self.changed.wait_until(|| {
            self.with(|s| {
                if !s.buffer.is_empty() {
                    Some(Ok(s.buffer.pop(buf)))
                } else if s.writers == 0 {
                    Some(Ok(0))
                } else if nonblocking {
                    Some(Err(Errno::EAGAIN))
                } else {
                    None
                }
            })
        });
        self.changed.wake_all();
        result.unwrap_or(Err(Errno::EINTR))
    }

    pub fn write(&self, data: &[u8], nonblocking: bool) -> Result<usize, Errno> {
        let mut written = 0;
        while written < data.len() {
            let rest = &data[written..];
            let step = self.changed.wait_until(|| {
                self.with(|s| {
                    if s.readers == 0 {
                        return Some(Err(Errno::EPIPE));
                    }
                    let space = CAPACITY - s.buffer.len();
                    // Up to PIPE_BUF bytes go in one piece; more may be split.
                    let needed = if rest.len() <= PIPE_BUF { rest.len() } else { 1 };
                    if space >= needed {
                        let n = rest.len().min(space);
                        // The contents are the writer's memory: ENOMEM rather
                        // than the kernel's reserve (as Linux's pipe_write).
                        Some(s.buffer.push(&rest[..n]).map(|()| n))
                    } else if nonblocking {
                        Some(Err(Errno::EAGAIN))
                    } else {
                        None
                    }
                })
            });
            self.changed.wake_all();
            match step.unwrap_or(Err(Errno::EINTR)) {
                Ok(n) => written += n,
                Err(e) => {
                    if e == Errno::EPIPE {
                        super::processes::processes().raise(kabi::signal::Signal::SIGPIPE);
                    }
                    return if written > 0 { Ok(written) } else { Err(e) };
                }
            }
        }
        Ok(written)
    }

    /// poll events for `end` among `events`.
    pub fn poll(&self, end: End, events: i16) -> i16 {
        let ready = self.with(|s| {
            let readable = if end.reads() {
                (if s.buffer.is_empty() { 0 } else { POLLIN }) | if s.writers == 0 { POLLHUP } else { 0 }
            } else {
                0
            };
            let writable = if !end.writes() {
                0
            } else if s.readers == 0 {
                POLLOUT | POLLERR // a write would not block: it fails with EPIPE
            } else if CAPACITY - s.buffer.len() >= PIPE_BUF {
                POLLOUT
            } else {
                0
            };
            readable | writable
        });
        ready & (events | POLLHUP | POLLERR)
    }

    pub fn queue(&self) -> &WaitQueue {
        &self.changed
    }

    /// Bytes waiting (FIONREAD).
    pub fn available(&self) -> usize {
        self.with(|s| s.buffer.len())
    }
}
