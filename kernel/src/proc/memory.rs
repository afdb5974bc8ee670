//! A process's user memory layout beyond the ELF image: the heap (brk), anonymous
//! and private file mappings (mmap, munmap, mprotect), and the main stack, which
//! grows on demand. Mappings are made eagerly, a page at a time; the mapped ranges
//! are tracked so that freed address space is reused (placing each new mapping in
//! the highest gap that fits, as Linux does).
use alloc::collections::BTreeMap;

use kabi::Errno;

use crate::arch::paging::{Access, PAGE_SIZE};
use crate::layout::{USER_END, USER_MIN, USER_MMAP_TOP, USER_STACK_LIMIT, USER_STACK_TOP, in_user_stack_region};
use crate::mm::address_space::AddressSpace;

/// Where the heap is, and which ranges mmap has handed out.
#[derive(Debug, Clone)]
pub struct UserMemory {
    pub brk_start: u64,
    pub brk: u64,
    /// mmap'd ranges: start -> end (page aligned, not overlapping).
    mappings: BTreeMap<u64, u64>,
}

impl UserMemory {
    pub fn new(brk_start: u64) -> Self {
        Self { brk_start, brk: brk_start, mappings: BTreeMap::new() }
    }

    /// The highest free range of `len` bytes below USER_MMAP_TOP and above the heap.
    fn find_gap(&self, len: u64) -> Option<u64> {
        let floor = page_ceil(self.brk).max(USER_MIN);
        let mut top = USER_MMAP_TOP;
        for (&start, &end) in self.mappings.range(..USER_MMAP_TOP).rev() {
            if end <= top && top - end >= len {
                return Some(top - len);
            }
            top = top.min(start);
        }
        top.checked_sub(len).filter(|&start| start >= floor)
    }

    /// Record `start..end` as mapped (after `forget` removed any overlap).
    fn record(&mut self, start: u64, end: u64) {
        self.mappings.insert(start, end);
    }

    /// Forget `start..end`, splitting ranges that straddle its edges.
    fn forget(&mut self, start: u64, end: u64) {
        let overlapping: alloc::vec::Vec<(u64, u64)> =
            self.mappings.range(..end).filter(|&(_, &e)| e > start).map(|(&s, &e)| (s, e)).collect();
        for (s, e) in overlapping {
            self.mappings.remove(&s);
            if s < start {
                self.mappings.insert(s, start);
            }
            if e > end {
                self.mappings.insert(end, e);
            }
        }
    }

    /// The lowest mapped address (the heap may not grow into it).
    fn lowest_mapping(&self) -> u64 {
        self.mappings.keys().next().copied().unwrap_or(USER_MMAP_TOP)
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
    if addr < mem.brk_start || addr >= mem.lowest_mapping().min(USER_STACK_TOP - USER_STACK_LIMIT) {
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

/// mmap's placement: find room for `len` bytes (at `hint` when `fixed`) and map
/// zeroed, writable pages there; the caller fills them (file mappings) and then
/// applies the wanted protection with `protect`. Returns the address.
pub fn mmap(space: &mut AddressSpace, mem: &mut UserMemory, hint: u64, len: u64, fixed: bool) -> Result<u64, Errno> {
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
        mem.forget(hint, hint + len);
        hint
    } else {
        mem.find_gap(len).ok_or(Errno::ENOMEM)?
    };
    map_range(space, start, start + len, rw())?;
    mem.record(start, start + len);
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
pub fn munmap(space: &mut AddressSpace, mem: &mut UserMemory, start: u64, len: u64) -> Result<(), Errno> {
    let end = start.checked_add(page_ceil(len)).ok_or(Errno::EINVAL)?;
    if !start.is_multiple_of(PAGE_SIZE) || len == 0 || end > USER_END {
        return Err(Errno::EINVAL);
    }
    unmap_range(space, start, end);
    mem.forget(start, end);
    Ok(())
}

/// A page fault at `addr` that should be served rather than signalled: an untouched
/// page of the main stack. Returns whether it was served.
pub fn handle_fault(space: &mut AddressSpace, addr: u64) -> bool {
    let page = addr & !(PAGE_SIZE - 1);
    in_user_stack_region(addr) && space.translate(page).is_none() && space.map_zeroed(page, rw()).is_ok()
}
