//! The current process's user memory, for syscalls: typed copies in and out
//! (mm::user's copies in the loaded address space), bounded transfers between user buffers
//! and files, paths, and string arrays. No kernel buffer here grows with a
//! user-supplied length: data moves through a bounce buffer of at most
//! `TRANSFER_CHUNK` bytes, chunk by chunk.
use alloc::vec::Vec;

use kabi::Errno;
use pathwalk::PATH_MAX;

use crate::mm::user::{self, UserSlice};
use crate::proc::process::SharedMemory;
use crate::proc::table::current_memory;

/// Most argv or envp entries accepted (the byte limit is user_stack's).
const MAX_STRINGS: usize = 32 * 1024;
/// The largest piece a transfer moves at once (the pipe capacity).
pub const TRANSFER_CHUNK: usize = 64 * 1024;

/// The calling task's memory (EFAULT once it has none).
pub fn caller_memory() -> Result<SharedMemory, Errno> {
    current_memory().ok_or(Errno::EFAULT)
}

/// `len` bytes of user memory at `addr`, for a fixed-size structure.
pub fn copy_in(addr: u64, len: usize) -> Result<Vec<u8>, Errno> {
    let mut buf = crate::mm::heap::try_zeroed_bytes(len)?;
    read_into(addr, &mut buf)?;
    Ok(buf)
}

/// Fill `buf` from user memory at `addr`.
pub fn read_into(addr: u64, buf: &mut [u8]) -> Result<(), Errno> {
    user::read_loaded(addr, buf)
}

/// A fixed-size value from user memory.
pub fn read_array<const N: usize>(addr: u64) -> Result<[u8; N], Errno> {
    let mut bytes = [0u8; N];
    read_into(addr, &mut bytes)?;
    Ok(bytes)
}

pub fn copy_out(addr: u64, data: &[u8]) -> Result<(), Errno> {
    user::write_loaded(addr, data)
}

/// Copy out only when the user passed a pointer (NULL means "not wanted").
pub fn copy_out_optional(addr: u64, data: &[u8]) -> Result<(), Errno> {
    if addr == 0 { Ok(()) } else { copy_out(addr, data) }
}

pub fn read_u64(addr: u64) -> Result<u64, Errno> {
    read_array(addr).map(u64::from_le_bytes)
}

/// How a transfer treats its file: a stream (pipe, terminal) moves one chunk,
/// since a second could block after data already moved; anything else moves
/// chunk after chunk while each comes back full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Stream,
    Whole,
}

/// Transfers up to this many bytes move through a buffer on the stack, not the
/// heap (the one-byte reads and writes of terminals, /dev/null and pipes; a
/// larger array would cost more to clear than it saves).
const SMALL_TRANSFER: usize = 64;

/// `len` bytes of kernel scratch space: in `small` (on the caller's stack) when
/// they fit, else a zeroed heap buffer put in `large` (ENOMEM if there is none).
pub fn scratch<'b, const N: usize>(
    len: usize,
    small: &'b mut [u8; N],
    large: &'b mut Vec<u8>,
) -> Result<&'b mut [u8], Errno> {
    if len <= N {
        return Ok(&mut small[..len]);
    }
    *large = crate::mm::heap::try_zeroed_bytes(len)?;
    Ok(large)
}

/// read(2)'s data path: fill the user buffer `addr..addr+len` of `memory` (the
/// caller's) from `source`
/// (called with a kernel chunk, returning how much it filled). A buffer bad from
/// its first byte is EFAULT before any data moves (a pipe keeps its bytes); one
/// that turns bad later, or a signal arriving, gives a short count, as on Linux.
pub fn transfer_out(
    memory: &SharedMemory,
    addr: u64,
    len: usize,
    flow: Flow,
    mut source: impl FnMut(&mut [u8]) -> Result<usize, Errno>,
) -> Result<usize, Errno> {
    let dest = UserSlice::new(addr, len)?;
    let (mut small, mut large) = ([0; SMALL_TRANSFER], Vec::new());
    let buf = scratch(len.min(TRANSFER_CHUNK), &mut small, &mut large)?;
    let mut done = 0;
    while done < len {
        let piece = dest.part(done, TRANSFER_CHUNK);
        let ok = piece.accessible_len(&memory.lock().space, true);
        if ok == 0 {
            return if done == 0 { Err(Errno::EFAULT) } else { Ok(done) };
        }
        let n = match source(&mut buf[..ok]) {
            Ok(n) => n,
            Err(_) if done > 0 => return Ok(done),
            Err(e) => return Err(e),
        };
        let stored = piece.write_loaded(&buf[..n]);
        done += stored;
        if stored < n {
            // The buffer went bad since it was checked (another thread unmapped it).
            return if done == 0 { Err(Errno::EFAULT) } else { Ok(done) };
        }
        if flow == Flow::Stream || n < piece.len() || done == len || interrupted() {
            break;
        }
    }
    Ok(done)
}

/// read(2) of a device that reads as zeros: clear the caller's buffer in place,
/// a chunk at a time, up to the first page that cannot be written (EFAULT if
/// that is the first) or a pending signal, as Linux's /dev/zero.
pub fn zero_out(addr: u64, len: usize) -> Result<usize, Errno> {
    let dest = UserSlice::new(addr, len)?;
    let mut done = 0;
    while done < len {
        let piece = dest.part(done, TRANSFER_CHUNK);
        let cleared = piece.zero_loaded();
        done += cleared;
        if cleared < piece.len() || interrupted() {
            break;
        }
    }
    if done == 0 && len > 0 { Err(Errno::EFAULT) } else { Ok(done) }
}

/// write(2)'s data path: hand the caller's user buffer `addr..addr+len` to
/// `sink` a chunk at a time (it returns how much it took), up to the first page
/// that cannot be read. Errors after some data moved give the count so far.
pub fn transfer_in(addr: u64, len: usize, mut sink: impl FnMut(&[u8]) -> Result<usize, Errno>) -> Result<usize, Errno> {
    let src = UserSlice::new(addr, len)?;
    let (mut small, mut large) = ([0; SMALL_TRANSFER], Vec::new());
    let buf = scratch(len.min(TRANSFER_CHUNK), &mut small, &mut large)?;
    let mut done = 0;
    while done < len {
        let piece = src.part(done, TRANSFER_CHUNK);
        let ok = piece.read_loaded(buf);
        if ok == 0 {
            return if done == 0 { Err(Errno::EFAULT) } else { Ok(done) };
        }
        let n = match sink(&buf[..ok]) {
            Ok(n) => n,
            Err(_) if done > 0 => return Ok(done),
            Err(e) => return Err(e),
        };
        done += n;
        if n < piece.len() || done == len || interrupted() {
            break;
        }
    }
    Ok(done)
}

/// Whether a long transfer should stop after the data it moved: a signal is
/// pending (Linux's read of /dev/zero or /dev/urandom stops there too), so that
/// SIGKILL or a handler never waits for gigabytes to move.
pub fn interrupted() -> bool {
    crate::task::scheduler::current_signal_pending()
}

/// A NUL-terminated string of at most `max` bytes (without the NUL), else `too_long`.
pub fn read_cstr(addr: u64, max: usize, too_long: Errno) -> Result<Vec<u8>, Errno> {
    user::read_cstr(addr, max, too_long)
}

/// A path argument: NUL-terminated, non-empty, below PATH_MAX (counting the NUL).
pub fn read_path(addr: u64) -> Result<Vec<u8>, Errno> {
    let path = read_cstr(addr, PATH_MAX - 1, Errno::ENAMETOOLONG)?;
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    Ok(path)
}

/// A NUL-terminated string of at most `max` bytes (`too_long` beyond); None for
/// a NULL pointer.
pub fn read_optional_string(addr: u64, max: usize, too_long: Errno) -> Result<Option<Vec<u8>>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    user::read_cstr(addr, max, too_long).map(Some)
}

/// A NULL-terminated array of string pointers (argv, envp); NULL means empty.
/// At most `max_bytes` of strings in all (execve's limit), else E2BIG.
pub fn read_string_array(addr: u64, max_bytes: usize) -> Result<Vec<Vec<u8>>, Errno> {
    let mut strings = Vec::new();
    if addr == 0 {
        return Ok(strings);
    }
    let mut total = 0;
    loop {
        if strings.len() >= MAX_STRINGS {
            return Err(Errno::E2BIG);
        }
        let slot = addr.checked_add(8 * strings.len() as u64).ok_or(Errno::EFAULT)?;
        let pointer = read_u64(slot)?;
        if pointer == 0 {
            return Ok(strings);
        }
        let s = user::read_cstr(pointer, user_stack::MAX_ARG_STRLEN, Errno::E2BIG)?;
        total += s.len() + 1;
        if total > max_bytes {
            return Err(Errno::E2BIG);
        }
        strings.try_reserve(1).map_err(|_| Errno::ENOMEM)?;
        strings.push(s);
    }
}

/// A *at() path that may be empty with AT_EMPTY_PATH (then it names the fd itself).
pub fn copy_in_path_or_empty(addr: u64, flags: u32) -> Result<Vec<u8>, Errno> {
    match read_path(addr) {
        Err(Errno::ENOENT) if flags & kabi::fs::AT_EMPTY_PATH != 0 => Ok(Vec::new()),
        other => other,
    }
}
