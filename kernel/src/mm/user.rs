//! Copying to and from user memory. User addresses are never dereferenced: each
//! page is looked up in the process's page table (present, user-accessible, and
//! writable for stores), like xv6's copyin/copyout, and the bytes move through the
//! direct map. A bad pointer gives EFAULT. Untouched stack pages are mapped on
//! demand, as the page-fault handler would.
use alloc::vec::Vec;

use kabi::Errno;

use crate::arch::paging::{Access, PAGE_SIZE};
use crate::layout::{USER_END, in_user_stack_region};

use super::address_space::AddressSpace;
use super::phys;

/// The frame behind user page `page`, checked for `write` permission.
fn user_frame(space: &mut AddressSpace, page: u64, write: bool) -> Result<u64, Errno> {
    match space.translate(page) {
        Some((frame, access)) if access.user && (access.write || !write) => Ok(frame & !(PAGE_SIZE - 1)),
        Some(_) => Err(Errno::EFAULT),
        None if in_user_stack_region(page) => {
            space.map_zeroed(page, Access { write: true, execute: false, user: true }).map_err(|_| Errno::ENOMEM)
        }
        None => Err(Errno::EFAULT),
    }
}

/// Split `addr..addr+len` into (page, offset in page, chunk length) pieces.
fn chunks(addr: u64, len: usize) -> Result<impl Iterator<Item = (u64, usize, usize)>, Errno> {
    let end = addr.checked_add(len as u64).ok_or(Errno::EFAULT)?;
    if end > USER_END {
        return Err(Errno::EFAULT);
    }
    let mut at = addr;
    Ok(core::iter::from_fn(move || {
        (at < end).then(|| {
            let page = at & !(PAGE_SIZE - 1);
            let chunk = (page + PAGE_SIZE).min(end) - at;
            let piece = (page, (at - page) as usize, chunk as usize);
            at += chunk;
            piece
        })
    }))
}

/// How many bytes from `addr` on (up to `len`) are accessible user memory, for
/// writing when `write`: calls that move data stop at the first bad page and return
/// a short count, as Linux's do. EFAULT if the range leaves user space.
pub fn accessible_len(space: &mut AddressSpace, addr: u64, len: usize, write: bool) -> Result<usize, Errno> {
    let mut ok = 0;
    for (page, _, chunk) in chunks(addr, len)? {
        if user_frame(space, page, write).is_err() {
            break;
        }
        ok += chunk;
    }
    Ok(ok)
}

pub fn copy_from_user(space: &mut AddressSpace, addr: u64, out: &mut [u8]) -> Result<(), Errno> {
    let mut done = 0;
    for (page, offset, len) in chunks(addr, out.len())? {
        let frame = user_frame(space, page, false)?;
        phys::read(frame, offset, &mut out[done..done + len]);
        done += len;
    }
    Ok(())
}

pub fn copy_to_user(space: &mut AddressSpace, addr: u64, data: &[u8]) -> Result<(), Errno> {
    let mut done = 0;
    for (page, offset, len) in chunks(addr, data.len())? {
        let frame = user_frame(space, page, true)?;
        phys::write(frame, offset, &data[done..done + len]);
        done += len;
    }
    Ok(())
}

/// A NUL-terminated string of at most `max` bytes (without the NUL); longer is
/// `too_long`.
pub fn read_cstr(space: &mut AddressSpace, addr: u64, max: usize, too_long: Errno) -> Result<Vec<u8>, Errno> {
    let mut out = Vec::new();
    let mut at = addr;
    loop {
        let page_end = (at & !(PAGE_SIZE - 1)) + PAGE_SIZE;
        let mut chunk = alloc::vec![0u8; (page_end - at) as usize];
        copy_from_user(space, at, &mut chunk)?;
        if let Some(nul) = chunk.iter().position(|&b| b == 0) {
            out.extend_from_slice(&chunk[..nul]);
            return if out.len() > max { Err(too_long) } else { Ok(out) };
        }
        out.extend_from_slice(&chunk);
        if out.len() > max {
            return Err(too_long);
        }
        at = page_end;
    }
}

/// Read a little-endian u64 (for pointer arrays such as argv).
pub fn read_u64(space: &mut AddressSpace, addr: u64) -> Result<u64, Errno> {
    let mut bytes = [0u8; 8];
    copy_from_user(space, addr, &mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}
