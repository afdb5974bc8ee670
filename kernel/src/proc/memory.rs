//! A process's user memory layout beyond the ELF image: the heap (brk), anonymous
//! and private file mappings (mmap, munmap, mprotect), and the main stack, which
//! grows on demand. Mappings are made eagerly, a page at a time.
use kabi::Errno;

use crate::arch::paging::{Access, PAGE_SIZE};
use crate::layout::{USER_END, USER_MIN, USER_MMAP_TOP, USER_STACK_LIMIT, USER_STACK_TOP, in_user_stack_region};
use crate::mm::address_space::AddressSpace;
use crate::mm::phys;

/// Where the heap and the next mapping go.
#[derive(Debug, Clone)]
pub struct UserMemory {
    pub brk_start: u64,
    pub brk: u64,
    /// Mappings without an address hint are placed just below this.
    pub mmap_next: u64,
}

impl UserMemory {
    pub fn new(brk_start: u64) -> Self {
        Self { brk_start, brk: brk_start, mmap_next: USER_MMAP_TOP }
    }
}

const fn page_ceil(x: u64) -> u64 {
    x.next_multiple_of(PAGE_SIZE)
}

fn rw() -> Access {
    Access { write: true, execute: false, user: true }
}

/// Map zeroed pages over `start..end` (page aligned), undoing all of them if one
/// fails.
fn map_range(space: &mut AddressSpace, start: u64, end: u64, access: Access) -> Result<(), Errno> {
    for page in (start..end).step_by(PAGE_SIZE as usize) {
        if space.translate(page).is_some() {
            continue;
        }
        if space.map_zeroed(page, access).is_err() {
            unmap_range(space, start, page);
            return Err(Errno::ENOMEM);
        }
    }
    Ok(())
}

/// Unmap whatever is mapped in `start..end`.
pub fn unmap_range(space: &mut AddressSpace, start: u64, end: u64) {
    for page in (start..end).step_by(PAGE_SIZE as usize) {
        let _ = space.unmap(page);
    }
}

/// brk(addr): move the program break; returns the new (or, on failure or for 0,
/// the current) break, as Linux does.
pub fn brk(space: &mut AddressSpace, mem: &mut UserMemory, addr: u64) -> u64 {
    if addr < mem.brk_start || addr >= mem.mmap_next.min(USER_STACK_TOP - USER_STACK_LIMIT) {
        return mem.brk;
    }
    let (old_end, new_end) = (page_ceil(mem.brk), page_ceil(addr));
    if new_end > old_end && map_range(space, old_end, new_end, rw()).is_err() {
        return mem.brk;
    }
    if new_end < old_end {
        unmap_range(space, new_end, old_end);
    }
    mem.brk = addr;
    addr
}

/// What a mapping holds initially.
pub enum Backing<'a> {
    Anonymous,
    /// A private copy of file bytes (those past the end of the file read as zero).
    File(&'a [u8]),
}

/// mmap: place `len` bytes (at `hint` when `fixed`), map them zeroed, copy the
/// backing bytes in, then apply `access`. Returns the address.
pub fn mmap(
    space: &mut AddressSpace,
    mem: &mut UserMemory,
    hint: u64,
    len: u64,
    access: Access,
    fixed: bool,
    backing: Backing,
) -> Result<u64, Errno> {
    if len == 0 {
        return Err(Errno::EINVAL);
    }
    let len = len.checked_next_multiple_of(PAGE_SIZE).ok_or(Errno::ENOMEM)?;
    let start = if fixed {
        if !hint.is_multiple_of(PAGE_SIZE) || hint < USER_MIN || hint.checked_add(len).is_none_or(|end| end > USER_END)
        {
            return Err(Errno::EINVAL);
        }
        unmap_range(space, hint, hint + len);
        hint
    } else {
        let start = mem.mmap_next.checked_sub(len).filter(|&s| s >= mem.brk.max(USER_MIN)).ok_or(Errno::ENOMEM)?;
        mem.mmap_next = start;
        start
    };
    map_range(space, start, start + len, rw())?;
    if let Backing::File(bytes) = backing {
        for (i, chunk) in bytes.chunks(PAGE_SIZE as usize).take((len / PAGE_SIZE) as usize).enumerate() {
            let page = start + i as u64 * PAGE_SIZE;
            let (frame, _) = space.translate(page).ok_or(Errno::ENOMEM)?;
            phys::write(frame, 0, chunk);
        }
    }
    protect(space, start, len, access)?;
    Ok(start)
}

/// mprotect over mapped pages; ENOMEM if part of the range is unmapped.
pub fn protect(space: &mut AddressSpace, start: u64, len: u64, access: Access) -> Result<(), Errno> {
    if !start.is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL);
    }
    let end = start.checked_add(page_ceil(len)).filter(|&e| e <= USER_END).ok_or(Errno::ENOMEM)?;
    for page in (start..end).step_by(PAGE_SIZE as usize) {
        space.protect(page, access).map_err(|_| Errno::ENOMEM)?;
    }
    Ok(())
}

/// munmap: the range must be page aligned and in user space.
pub fn munmap(space: &mut AddressSpace, start: u64, len: u64) -> Result<(), Errno> {
    let end = start.checked_add(page_ceil(len)).ok_or(Errno::EINVAL)?;
    if !start.is_multiple_of(PAGE_SIZE) || len == 0 || end > USER_END {
        return Err(Errno::EINVAL);
    }
    unmap_range(space, start, end);
    Ok(())
}

/// A page fault at `addr` that should be served rather than signalled: an untouched
/// page of the main stack. Returns whether it was served.
pub fn handle_fault(space: &mut AddressSpace, addr: u64) -> bool {
    let page = addr & !(PAGE_SIZE - 1);
    in_user_stack_region(addr) && space.translate(page).is_none() && space.map_zeroed(page, rw()).is_ok()
}
