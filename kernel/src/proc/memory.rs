//! A process's user memory beyond the ELF image: the heap (brk), anonymous and
//! private file mappings (mmap, munmap, mprotect) and the main stack. Each is a
//! region of the address space whose pages are mapped when first touched, so
//! these calls cost the regions and pages they meet, never the size of a range.
//! New mappings go in the highest gap that fits below the stack, as on Linux.
//! RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK bound them, with Linux's errors.
use kabi::Errno;

use crate::arch::paging::{Access, PAGE_SIZE};
use crate::layout::{USER_END, USER_MIN, USER_MMAP_TOP, USER_STACK_TOP};
use crate::mm::address_space::AddressSpace;

use super::limits::Limits;

/// Where the heap is.
#[derive(Debug, Clone)]
pub struct UserMemory {
    pub brk_start: u64,
    pub brk: u64,
    /// The lowest address of the main stack's region (its size is RLIMIT_STACK at
    /// exec, capped below the mmap area).
    pub stack_bottom: u64,
    /// Where the environment strings lie on the stack (/proc/PID/environ).
    pub env: core::ops::Range<u64>,
}

const fn page_ceil(x: u64) -> u64 {
    x.next_multiple_of(PAGE_SIZE)
}

pub fn rw() -> Access {
    Access { write: true, execute: false, user: true }
}

/// The main stack's region for a stack limit of `limit` bytes (at least a page,
/// at most what fits above the mmap area).
pub fn stack_bottom(limit: u64) -> u64 {
    USER_STACK_TOP - page_ceil(limit.clamp(PAGE_SIZE, USER_STACK_TOP - USER_MMAP_TOP))
}

impl UserMemory {
    /// A new image's memory: the heap at `brk_start` and a stack of `limit` bytes,
    /// whose region is added to `space`.
    pub fn new(space: &mut AddressSpace, brk_start: u64, stack_limit: u64) -> Self {
        let stack_bottom = stack_bottom(stack_limit);
        space.add_region(stack_bottom, USER_STACK_TOP, rw());
        Self { brk_start, brk: brk_start, stack_bottom, env: 0..0 }
    }
}

/// Private writable memory outside the stack (what RLIMIT_DATA counts, as Linux
/// since 4.7 does).
fn data_bytes(space: &AddressSpace, mem: &UserMemory) -> u64 {
    let stack = mem.stack_bottom..USER_STACK_TOP;
    space.regions().iter().filter(|r| r.access.write && !stack.contains(&r.start)).map(|r| r.end - r.start).sum()
}

/// Whether `grow` more bytes (of which `data` are writable) fit the limits.
fn fits(space: &AddressSpace, mem: &UserMemory, limits: &Limits, grow: u64, data: u64) -> bool {
    use kabi::process::{RLIMIT_AS, RLIMIT_DATA};
    let total = space.regions().total().saturating_add(grow);
    total <= limits.soft(RLIMIT_AS)
        && (data == 0 || data_bytes(space, mem).saturating_add(data) <= limits.soft(RLIMIT_DATA))
}

/// brk(addr): move the program break; returns the new (or, on failure or for 0,
/// the current) break, as Linux does.
pub fn brk(space: &mut AddressSpace, mem: &mut UserMemory, limits: &Limits, addr: u64) -> u64 {
    if addr < mem.brk_start || addr >= USER_MMAP_TOP {
        return mem.brk;
    }
    let (old_end, new_end) = (page_ceil(mem.brk), page_ceil(addr));
    if new_end > old_end {
        let grow = new_end - old_end;
        if !space.regions().is_free(old_end, new_end) || !fits(space, mem, limits, grow, grow) {
            return mem.brk;
        }
        space.add_region(old_end, new_end, rw());
    } else if new_end < old_end {
        space.remove_region(new_end, old_end);
    }
    mem.brk = addr;
    addr
}

/// Where a mapping of `len` bytes goes: at `hint` when `fixed` (replacing what
/// is there), else at `hint` if that range is free, else in the highest gap that
/// fits. The region is added with `rw`
/// access (the caller fills file mappings, then applies the wanted protection).
pub fn mmap(
    space: &mut AddressSpace,
    mem: &UserMemory,
    limits: &Limits,
    hint: u64,
    len: u64,
    fixed: bool,
    writable: bool,
) -> Result<u64, Errno> {
    if len == 0 {
        return Err(Errno::EINVAL);
    }
    let len = len.checked_next_multiple_of(PAGE_SIZE).filter(|&l| l <= USER_END).ok_or(Errno::ENOMEM)?;
    let start = if fixed {
        // Linux's order: past user space ENOMEM, unaligned EINVAL, below the
        // lowest mappable address EPERM (its mmap_min_addr).
        if hint.checked_add(len).is_none_or(|end| end > USER_END) {
            return Err(Errno::ENOMEM);
        }
        if !hint.is_multiple_of(PAGE_SIZE) {
            return Err(Errno::EINVAL);
        }
        if hint < USER_MIN {
            return Err(Errno::EPERM);
        }
        hint
    } else {
        // A hint is taken when the range there is free, as Linux does.
        let hint = hint & !(PAGE_SIZE - 1);
        let usable_hint = hint >= USER_MIN
            && hint.checked_add(len).is_some_and(|end| end <= USER_END && space.regions().is_free(hint, end));
        if usable_hint {
            hint
        } else {
            let floor = page_ceil(mem.brk).max(USER_MIN);
            space.regions().find_gap(len, floor, USER_MMAP_TOP).ok_or(Errno::ENOMEM)?
        }
    };
    let replaced = space.regions().covered(start, start + len);
    let grow = len - replaced;
    // Linux's heuristic overcommit: one writable mapping larger than all of
    // memory can never be backed.
    if writable && grow > crate::mm::frames::stats().total * PAGE_SIZE {
        return Err(Errno::ENOMEM);
    }
    if !fits(space, mem, limits, grow, if writable { grow } else { 0 }) {
        return Err(Errno::ENOMEM);
    }
    space.add_region(start, start + len, rw());
    Ok(start)
}

/// How mremap may place a resized mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remap {
    /// Only where it is (MREMAP_MAYMOVE not given).
    InPlace,
    /// Where it is if it fits, else anywhere (MREMAP_MAYMOVE).
    MayMove,
    /// At this address (MREMAP_FIXED), replacing what is there.
    Fixed(u64),
}

/// mremap: shrink a mapping in place, grow it in place when the pages after it
/// are free, or move it (its pages with it) when allowed. The old range must lie
/// in one region (EFAULT otherwise); growth counts against RLIMIT_AS/DATA.
pub fn mremap(
    space: &mut AddressSpace,
    mem: &UserMemory,
    limits: &Limits,
    old: u64,
    old_len: u64,
    new_len: u64,
    how: Remap,
) -> Result<u64, Errno> {
    if !old.is_multiple_of(PAGE_SIZE) || new_len == 0 || old_len == 0 {
        return Err(Errno::EINVAL);
    }
    let old_len = old_len.checked_next_multiple_of(PAGE_SIZE).ok_or(Errno::EINVAL)?;
    let new_len = new_len.checked_next_multiple_of(PAGE_SIZE).filter(|&l| l <= USER_END).ok_or(Errno::ENOMEM)?;
    let old_end = old.checked_add(old_len).filter(|&e| e <= USER_END).ok_or(Errno::EFAULT)?;
    let region = space.regions().find(old).filter(|r| r.end >= old_end).ok_or(Errno::EFAULT)?;
    let grow = new_len.saturating_sub(old_len);
    if grow > 0 && !fits(space, mem, limits, grow, if region.access.write { grow } else { 0 }) {
        return Err(Errno::ENOMEM);
    }
    if let Remap::Fixed(to) = how {
        let to_end = to.checked_add(new_len).filter(|&e| e <= USER_END).ok_or(Errno::EINVAL)?;
        if !to.is_multiple_of(PAGE_SIZE) || (to < old_end && old < to_end) {
            return Err(Errno::EINVAL);
        }
        return move_mapping(space, old, old_len, new_len, to, region.access);
    }
    if new_len <= old_len {
        space.remove_region(old + new_len, old_end);
        return Ok(old);
    }
    if space.regions().is_free(old_end, old + new_len) && old + new_len <= USER_MMAP_TOP {
        space.add_region(old_end, old + new_len, region.access);
        return Ok(old);
    }
    if how == Remap::InPlace {
        return Err(Errno::ENOMEM);
    }
    let floor = page_ceil(mem.brk).max(USER_MIN);
    let to = space.regions().find_gap(new_len, floor, USER_MMAP_TOP).ok_or(Errno::ENOMEM)?;
    move_mapping(space, old, old_len, new_len, to, region.access)
}

/// Move `old..old+old_len` to `to` and make it `new_len` long there.
fn move_mapping(
    space: &mut AddressSpace,
    old: u64,
    old_len: u64,
    new_len: u64,
    to: u64,
    access: Access,
) -> Result<u64, Errno> {
    // Page tables for the new place come from the frames outside the reserve:
    // check there are enough first, so no page is lost half way.
    let tables = new_len.div_ceil(1 << 21) + 3;
    if crate::mm::frames::stats().free < crate::mm::frames::reserve() + tables {
        return Err(Errno::ENOMEM);
    }
    let kept = old_len.min(new_len);
    space.move_region(old, kept, to).map_err(|_| Errno::EFAULT)?;
    space.remove_region(old, old + old_len);
    if new_len > kept {
        space.add_region(to + kept, to + new_len, access);
    }
    Ok(to)
}

/// mprotect: ENOMEM if part of the range has no region, EINVAL if unaligned.
pub fn protect(space: &mut AddressSpace, start: u64, len: u64, access: Access) -> Result<(), Errno> {
    if !start.is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL);
    }
    let end = start.checked_add(page_ceil(len)).filter(|&e| e <= USER_END).ok_or(Errno::ENOMEM)?;
    space.protect_region(start, end, access).map_err(|_| Errno::ENOMEM)
}

/// munmap: the range must be page aligned and in user space.
pub fn munmap(space: &mut AddressSpace, start: u64, len: u64) -> Result<(), Errno> {
    let end = start.checked_add(page_ceil(len)).ok_or(Errno::EINVAL)?;
    if !start.is_multiple_of(PAGE_SIZE) || len == 0 || end > USER_END {
        return Err(Errno::EINVAL);
    }
    space.remove_region(start, end);
    Ok(())
}
