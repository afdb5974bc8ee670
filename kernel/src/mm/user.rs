//! Copying to and from user memory. A `UserSlice` is a range checked once to lie
//! below USER_END (so canonical and user-owned). Its bytes move in one of two ways:
//! - in the loaded address space (the caller's, during its system call), through
//!   the CPU's translation with arch's fault-checked copies (`*_loaded`): a page
//!   not touched yet is mapped on the way, a page without access ends the copy;
//! - in any address space (one being built by execve, or a copy made under a spin
//!   lock), a page at a time between the page's frame, looked up in the page
//!   table as xv6's copyin/copyout do, and the kernel object, through the direct
//!   map. A page of a region not touched yet is mapped on the way; a page without
//!   access gives EFAULT.
use alloc::vec::Vec;

use kabi::Errno;

use crate::arch::paging::PAGE_SIZE;
use crate::arch::user_copy;
use crate::layout::USER_END;

use super::address_space::{AddressSpace, Fault};
use super::phys;

/// A user address range, validated once: `addr + len` neither wraps nor leaves
/// user space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserSlice {
    addr: u64,
    len: usize,
}

impl UserSlice {
    pub fn new(addr: u64, len: usize) -> Result<Self, Errno> {
        match addr.checked_add(len as u64) {
            Some(end) if end <= USER_END => Ok(Self { addr, len }),
            _ => Err(Errno::EFAULT),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// The part `offset..offset+len` of this range (clamped to it).
    pub fn part(&self, offset: usize, len: usize) -> Self {
        let offset = offset.min(self.len);
        Self { addr: self.addr + offset as u64, len: len.min(self.len - offset) }
    }

    /// (page, offset in page, length) pieces of the range.
    fn pieces(&self) -> impl Iterator<Item = (u64, usize, usize)> {
        let end = self.addr + self.len as u64;
        let mut at = self.addr;
        core::iter::from_fn(move || {
            (at < end).then(|| {
                let page = at & !(PAGE_SIZE - 1);
                let chunk = (page + PAGE_SIZE).min(end) - at;
                let piece = (page, (at - page) as usize, chunk as usize);
                at += chunk;
                piece
            })
        })
    }

    /// How many bytes from the start are accessible (for writing when `write`),
    /// without mapping anything: calls that move data stop at the first bad page
    /// and return a short count, as Linux's do.
    pub fn accessible_len(&self, space: &AddressSpace, write: bool) -> usize {
        let mut ok = 0;
        for (page, _, chunk) in self.pieces() {
            if !space.can_access(page, write) {
                break;
            }
            ok += chunk;
        }
        ok
    }

    /// Map in the range's pages from the start (for writing when `write`) up
    /// to the first bad one; the part mapped, EFAULT if none. A copy that then
    /// runs under a spin lock with interrupts off (a pipe's) finds every page
    /// present, and never waits for a file's page there.
    pub fn faulted_in(&self, space: &mut AddressSpace, write: bool) -> Result<UserSlice, Errno> {
        let mut ok = 0;
        for (page, _, chunk) in self.pieces() {
            if space.fault_in(page, write, false).is_err() {
                break;
            }
            ok += chunk;
        }
        if ok == 0 { Err(Errno::EFAULT) } else { Ok(self.part(0, ok)) }
    }

    /// Fill `out` from the start of the range (`out` may be shorter) in the loaded
    /// address space, up to the first page that cannot be read: the bytes read.
    pub fn read_loaded(&self, out: &mut [u8]) -> usize {
        let len = out.len().min(self.len);
        len - user_copy::read_user(self.addr, &mut out[..len])
    }

    /// Store `data` at the start of the range (`data` may be shorter) in the loaded
    /// address space, up to the first page that cannot be written: the bytes stored.
    pub fn write_loaded(&self, data: &[u8]) -> usize {
        let len = data.len().min(self.len);
        len - user_copy::write_user(self.addr, &data[..len])
    }

    /// Clear the range in the loaded address space, up to the first page that
    /// cannot be written: the bytes cleared.
    pub fn zero_loaded(&self) -> usize {
        self.len - user_copy::zero_user(self.addr, self.len)
    }

    /// Fill `out` from the start of the range (`out` may be shorter).
    pub fn read(&self, space: &mut AddressSpace, out: &mut [u8]) -> Result<(), Errno> {
        let mut done = 0;
        for (page, offset, len) in self.part(0, out.len()).pieces() {
            let frame = space.fault_in(page, false, false).map_err(fault_errno)?;
            phys::read(frame, offset, &mut out[done..done + len]);
            done += len;
        }
        Ok(())
    }

    /// Store `data` at the start of the range (`data` may be shorter).
    pub fn write(&self, space: &mut AddressSpace, data: &[u8]) -> Result<(), Errno> {
        let mut done = 0;
        for (page, offset, len) in self.part(0, data.len()).pieces() {
            let frame = space.fault_in(page, true, false).map_err(fault_errno)?;
            phys::write(frame, offset, &data[done..done + len]);
            done += len;
        }
        Ok(())
    }
}

/// The address space behind a user buffer, locked only while bytes move: its
/// lock sleeps, so a transfer that waits (for a pipe) waits without it.
pub trait SpaceLock {
    /// Run `f` with the address space locked.
    fn with_space(&self, f: &mut dyn FnMut(&mut AddressSpace));
}

fn fault_errno(fault: Fault) -> Errno {
    match fault {
        Fault::NoAccess | Fault::PastEnd => Errno::EFAULT,
        Fault::OutOfMemory => Errno::ENOMEM,
    }
}

pub fn copy_from_user(space: &mut AddressSpace, addr: u64, out: &mut [u8]) -> Result<(), Errno> {
    UserSlice::new(addr, out.len())?.read(space, out)
}

pub fn copy_to_user(space: &mut AddressSpace, addr: u64, data: &[u8]) -> Result<(), Errno> {
    UserSlice::new(addr, data.len())?.write(space, data)
}

/// Fill `out` from `addr` in the loaded address space: EFAULT unless all of it
/// can be read.
pub fn read_loaded(addr: u64, out: &mut [u8]) -> Result<(), Errno> {
    let len = out.len();
    if UserSlice::new(addr, len)?.read_loaded(out) == len { Ok(()) } else { Err(Errno::EFAULT) }
}

/// Store `data` at `addr` in the loaded address space: EFAULT unless all of it
/// can be written.
pub fn write_loaded(addr: u64, data: &[u8]) -> Result<(), Errno> {
    if UserSlice::new(addr, data.len())?.write_loaded(data) == data.len() { Ok(()) } else { Err(Errno::EFAULT) }
}

/// A NUL-terminated string of at most `max` bytes (without the NUL) in the
/// loaded address space; longer is `too_long`. Read a piece at a time, so memory
/// use follows the string, not `max`.
pub fn read_cstr(addr: u64, max: usize, too_long: Errno) -> Result<Vec<u8>, Errno> {
    let mut out = Vec::new();
    let mut at = addr;
    let mut chunk = [0u8; 256];
    loop {
        // Pieces end at page boundaries, so that a string ending just before an
        // unmapped page reads.
        let room = (PAGE_SIZE - at % PAGE_SIZE).min(chunk.len() as u64) as usize;
        let piece = &mut chunk[..room];
        read_loaded(at, piece)?;
        if let Some(nul) = piece.iter().position(|&b| b == 0) {
            out.extend_from_slice(&piece[..nul]);
            return if out.len() > max { Err(too_long) } else { Ok(out) };
        }
        out.extend_from_slice(piece);
        if out.len() > max {
            return Err(too_long);
        }
        at += room as u64;
    }
}

/// Read a little-endian u64 (for pointer arrays such as argv).
pub fn read_u64(space: &mut AddressSpace, addr: u64) -> Result<u64, Errno> {
    let mut bytes = [0u8; 8];
    copy_from_user(space, addr, &mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}
