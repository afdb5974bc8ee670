//! Pipes: a 64 KiB buffer between a read end and a write end, its contents in
//! frames that are freed as soon as they are read (mm/byte_queue.rs); read(2)
//! and write(2) copy straight between user memory and those frames (one copy
//! each way, under the caller's address-space lock, taken after any wait). Reads block while it
//! is empty and a writer exists (EOF after the last writer closes); writes block
//! while it is full, and writes of up to PIPE_BUF (4096) bytes are atomic. Writing
//! with no reader left raises SIGPIPE and fails with EPIPE. O_NONBLOCK gives EAGAIN
//! instead of blocking.
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use kabi::Errno;
use kabi::fs::{POLLERR, POLLHUP, POLLIN, POLLOUT};
use spin::Mutex;

use crate::arch::cpu::without_interrupts;
use crate::mm::byte_queue::ByteQueue;
use crate::mm::user::{SpaceLock, UserSlice};
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

impl State {
    /// The poll events of the read side and of the write side, as
    /// `Pipe::events` keeps them: (read << 16) | write.
    fn poll_events(&self) -> u32 {
        let readable = (if self.buffer.is_empty() { 0 } else { POLLIN }) | if self.writers == 0 { POLLHUP } else { 0 };
        let writable = if self.readers == 0 {
            POLLOUT | POLLERR // a write would not block: it fails with EPIPE
        } else if CAPACITY - self.buffer.len() >= PIPE_BUF {
            POLLOUT
        } else {
            0
        };
        (readable as u16 as u32) << 16 | writable as u16 as u32
    }
}

#[derive(Debug)]
pub struct Pipe {
    /// Its inode number (as Linux's pipefs, one per pipe; fstat and
    /// /proc/PID/fd show it).
    ino: u64,
    state: Mutex<State>,
    /// `State::poll_events`, brought up to date whenever the state changes, so
    /// that poll reads it without the lock.
    events: AtomicU32,
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

/// Where a read's bytes go: a kernel buffer, or user memory (moved straight
/// from the pipe's frames, under the address space's lock).
pub enum ReadInto<'a> {
    Kernel(&'a mut [u8]),
    User(UserSlice, &'a dyn SpaceLock),
}

/// Where a write's bytes come from: a kernel buffer, or user memory.
pub enum WriteFrom<'a> {
    Kernel(&'a [u8]),
    User(UserSlice, &'a dyn SpaceLock),
}

impl ReadInto<'_> {
    fn len(&self) -> usize {
        match self {
            ReadInto::Kernel(buf) => buf.len(),
            ReadInto::User(dest, _) => dest.len(),
        }
    }
}

impl WriteFrom<'_> {
    fn len(&self) -> usize {
        match self {
            WriteFrom::Kernel(data) => data.len(),
            WriteFrom::User(src, _) => src.len(),
        }
    }
}

/// The part of `slice` that can be read (or written) from its start: EFAULT if
/// none, as Linux's copies stop at the first bad page.
fn accessible(slice: UserSlice, lock: &dyn SpaceLock, write: bool) -> Result<UserSlice, Errno> {
    let mut len = 0;
    lock.with_space(&mut |space| len = slice.accessible_len(space, write));
    if len == 0 { Err(Errno::EFAULT) } else { Ok(slice.part(0, len)) }
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
        let events = AtomicU32::new(state.poll_events());
        let ino = NEXT_INO.fetch_add(1, Ordering::Relaxed);
        Self { ino, state: Mutex::new(state), events, changed: WaitQueue::new() }
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
        without_interrupts(|| {
            let mut state = self.state.lock();
            let result = f(&mut state);
            self.events.store(state.poll_events(), Ordering::Relaxed);
            result
        })
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

    /// read(2): waits while the pipe is empty and has a writer (not when
    /// `nonblocking`: EAGAIN), then moves what it holds, up to the buffer's
    /// length, into `into` (0 at EOF). A user buffer bad from its first byte is
    /// EFAULT before anything moves, and the pipe keeps its bytes.
    pub fn read(&self, mut into: ReadInto<'_>, nonblocking: bool) -> Result<usize, Errno> {
        if into.len() == 0 {
            return Ok(0);
        }
        loop {
            if let ReadInto::User(dest, lock) = &mut into {
                // A read moves at most what the pipe holds.
                *dest = accessible(dest.part(0, CAPACITY), *lock, true)?;
            }
            let ready = self.changed.wait_until(|| {
                self.with(|s| {
                    if !s.buffer.is_empty() {
                        Some(Ok(true))
                    } else if s.writers == 0 {
                        Some(Ok(false))
                    } else if nonblocking {
                        Some(Err(Errno::EAGAIN))
                    } else {
                        None
                    }
                })
            });
            if !ready.unwrap_or(Err(Errno::EINTR))? {
                return Ok(0);
            }
            let moved = match &mut into {
                ReadInto::Kernel(buf) => self.with(|s| s.buffer.pop(buf)),
                ReadInto::User(dest, lock) => {
                    let mut moved = Ok(0);
                    lock.with_space(&mut |space| {
                        moved = dest
                            .faulted_in(space, true)
                            .and_then(|dest| self.with(|s| s.buffer.pop_to_user(dest, space)))
                    });
                    moved?
                }
            };
            // None moved: another reader took the bytes between the wait and now.
            if moved > 0 {
                self.changed.wake_all();
                return Ok(moved);
            }
        }
    }

    /// write(2): all of `from`, waiting for room while a reader exists (not when
    /// `nonblocking`: EAGAIN); up to PIPE_BUF bytes go in at once. EPIPE (and
    /// SIGPIPE) without a reader; after some bytes went in, an error gives
    /// their count.
    pub fn write(&self, from: WriteFrom<'_>, nonblocking: bool) -> Result<usize, Errno> {
        let mut written = 0;
        while written < from.len() {
            let rest = from.len() - written;
            // Up to PIPE_BUF bytes go in one piece; more may be split.
            let needed = if rest <= PIPE_BUF { rest } else { 1 };
            let room = self.changed.wait_until(|| {
                self.with(|s| {
                    if s.readers == 0 {
                        Some(Err(Errno::EPIPE))
                    } else if CAPACITY - s.buffer.len() >= needed {
                        Some(Ok(()))
                    } else if nonblocking {
                        Some(Err(Errno::EAGAIN))
                    } else {
                        None
                    }
                })
            });
            match room.unwrap_or(Err(Errno::EINTR)).and_then(|()| self.push(&from, written, needed)) {
                Ok(n) => {
                    if n > 0 {
                        self.changed.wake_all();
                    }
                    written += n;
                }
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

    /// Append what fits of `from` after its first `at` bytes, if at least
    /// `needed` fit (else 0: another writer took the room first). The contents
    /// are the writer's memory: ENOMEM rather than the kernel's reserve (as
    /// Linux's pipe_write).
    fn push(&self, from: &WriteFrom<'_>, at: usize, needed: usize) -> Result<usize, Errno> {
        let room = |s: &State| {
            if s.readers == 0 {
                return Err(Errno::EPIPE);
            }
            let space = CAPACITY - s.buffer.len();
            Ok(if space >= needed { (from.len() - at).min(space) } else { 0 })
        };
        match from {
            WriteFrom::Kernel(data) => self.with(|s| {
                let n = room(s)?;
                s.buffer.push(&data[at..at + n]).map(|()| n)
            }),
            WriteFrom::User(src, lock) => {
                let mut pushed = Ok(0);
                lock.with_space(&mut |space| {
                    pushed = src.part(at, CAPACITY).faulted_in(space, false).and_then(|src| {
                        self.with(|s| {
                            let n = room(s)?.min(src.len());
                            s.buffer.push_from_user(src.part(0, n), space).map(|()| n)
                        })
                    })
                });
                pushed
            }
        }
    }

    /// poll events for `end` among `events`.
    pub fn poll(&self, end: End, events: i16) -> i16 {
        let both = self.events.load(Ordering::Relaxed);
        let readable = if end.reads() { (both >> 16) as i16 } else { 0 };
        let writable = if end.writes() { both as u16 as i16 } else { 0 };
        (readable | writable) & (events | POLLHUP | POLLERR)
    }

    pub fn queue(&self) -> &WaitQueue {
        &self.changed
    }

    /// Bytes waiting (FIONREAD).
    pub fn available(&self) -> usize {
        self.with(|s| s.buffer.len())
    }
}
