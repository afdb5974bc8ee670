//! A process's user memory beyond the ELF image: the heap (brk), mappings
//! (mmap, munmap, mremap, mprotect; private or shared, anonymous or of a file),
//! advice about them (madvise, mincore, msync) and the main stack. Each is a
//! region of the address space whose pages are mapped when first touched, so
//! these calls cost the regions and pages they meet, never the size of a range.
//! New mappings go in the highest gap that fits below the mmap base, as on Linux.
//! RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK bound them, with Linux's errors.
use kabi::Errno;
use regions::Value;

use crate::arch::paging::{Access, PAGE_SIZE};
use crate::layout::{USER_END, USER_MIN};
use crate::mm::address_space::AddressSpace;
use crate::mm::shared::{Area, Backing};
use crate::mm::user;

use super::limits::Limits;

/// Where the heap, the stack and the mmap area are.
#[derive(Debug, Clone)]
pub struct UserMemory {
    pub brk_start: u64,
    pub brk: u64,
    /// The main stack's region: `stack_bottom..stack_top` (RLIMIT_STACK at exec).
    pub stack_bottom: u64,
    pub stack_top: u64,
    /// The top of the mmap area (Linux's mmap_base): mappings go below it.
    pub mmap_top: u64,
    /// Where the environment strings lie on the stack (/proc/PID/environ).
    pub env: core::ops::Range<u64>,
}

const fn page_ceil(x: u64) -> u64 {
    x.next_multiple_of(PAGE_SIZE)
}

pub fn rw() -> Access {
    Access { write: true, execute: false, user: true }
}

impl UserMemory {
    /// A new image's memory as `layout` places it, with the heap at `brk_start`;
    /// the stack's region is added to `space`.
    pub fn new(space: &mut AddressSpace, layout: &aslr::Layout, brk_start: u64) -> Self {
        space.add_region(layout.stack_bottom, layout.stack_top, Area::private(rw()));
        Self {
            brk_start,
            brk: brk_start,
            stack_bottom: layout.stack_bottom,
            stack_top: layout.stack_top,
            mmap_top: layout.mmap_top,
            env: 0..0,
        }
    }
}

/// Private writable memory outside the stack (what RLIMIT_DATA counts, as Linux
/// since 4.7 does).
fn data_bytes(space: &AddressSpace, mem: &UserMemory) -> u64 {
    let stack = mem.stack_bottom..mem.stack_top;
    space
        .regions()
        .iter()
        .filter(|r| r.value.access.write && !r.value.is_shared() && !stack.contains(&r.start))
        .map(|r| r.end - r.start)
        .sum()
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
    if addr < mem.brk_start || addr >= mem.mmap_top {
        return mem.brk;
    }
    let (old_end, new_end) = (page_ceil(mem.brk), page_ceil(addr));
    if new_end > old_end {
        let grow = new_end - old_end;
        if !space.regions().is_free(old_end, new_end) || !fits(space, mem, limits, grow, grow) {
            return mem.brk;
        }
        space.add_region(old_end, new_end, Area::private(rw()));
    } else if new_end < old_end {
        space.remove_region(new_end, old_end);
    }
    mem.brk = addr;
    addr
}

/// Where a new mapping may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Here if the range is free, else in the highest gap that fits.
    Hint(u64),
    /// Here, replacing what is there (MAP_FIXED).
    Fixed(u64),
}

/// Add a mapping of `len` bytes (more than 0) held as `area` says, placed as
/// `place` says; returns its start. `writable`: PROT_WRITE was asked for (a
/// private mapping is added read-write to be filled, so its area does not tell);
/// private writable memory counts against RLIMIT_DATA.
pub fn mmap(
    space: &mut AddressSpace,
    mem: &UserMemory,
    limits: &Limits,
    place: Place,
    len: u64,
    writable: bool,
    area: Area,
) -> Result<u64, Errno> {
    let len = len.checked_next_multiple_of(PAGE_SIZE).filter(|&l| l <= USER_END).ok_or(Errno::ENOMEM)?;
    let start = match place {
        // Linux's order: past user space ENOMEM, unaligned EINVAL, below the
        // lowest mappable address EPERM (its mmap_min_addr).
        Place::Fixed(at) => {
            if at.checked_add(len).is_none_or(|end| end > USER_END) {
                return Err(Errno::ENOMEM);
            }
            if !at.is_multiple_of(PAGE_SIZE) {
                return Err(Errno::EINVAL);
            }
            if at < USER_MIN {
                return Err(Errno::EPERM);
            }
            at
        }
        // A hint is taken when the range there is free, as Linux does.
        Place::Hint(hint) => {
            let hint = hint & !(PAGE_SIZE - 1);
            let usable_hint = hint >= USER_MIN
                && hint.checked_add(len).is_some_and(|end| end <= USER_END && space.regions().is_free(hint, end));
            if usable_hint { hint } else { free_gap(space, mem, len)? }
        }
    };
    let replaced = space.regions().covered(start, start + len);
    let grow = len - replaced;
    // Linux's heuristic overcommit: one writable mapping larger than all of
    // memory can never be backed.
    if writable && grow > crate::mm::frames::stats().total * PAGE_SIZE {
        return Err(Errno::ENOMEM);
    }
    if !fits(space, mem, limits, grow, if writable && !area.is_shared() { grow } else { 0 }) {
        return Err(Errno::ENOMEM);
    }
    space.add_region(start, start + len, area);
    Ok(start)
}

/// The highest free range of `len` bytes between the heap and the mmap base.
fn free_gap(space: &AddressSpace, mem: &UserMemory, len: u64) -> Result<u64, Errno> {
    let floor = page_ceil(mem.brk).max(USER_MIN);
    space.regions().find_gap(len, floor, mem.mmap_top).ok_or(Errno::ENOMEM)
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
/// in one region (EFAULT otherwise); growth counts against RLIMIT_AS/DATA. An
/// `old_len` of 0 makes a second mapping of the same shared memory elsewhere
/// (EINVAL for private memory), as Linux's.
pub fn mremap(
    space: &mut AddressSpace,
    mem: &UserMemory,
    limits: &Limits,
    old: u64,
    old_len: u64,
    new_len: u64,
    how: Remap,
) -> Result<u64, Errno> {
    if !old.is_multiple_of(PAGE_SIZE) || new_len == 0 {
        return Err(Errno::EINVAL);
    }
    let old_len = old_len.checked_next_multiple_of(PAGE_SIZE).ok_or(Errno::EINVAL)?;
    let new_len = new_len.checked_next_multiple_of(PAGE_SIZE).filter(|&l| l <= USER_END).ok_or(Errno::ENOMEM)?;
    let old_end = old.checked_add(old_len).filter(|&e| e <= USER_END).ok_or(Errno::EFAULT)?;
    let region = space.regions().find(old).filter(|r| r.end >= old_end).ok_or(Errno::EFAULT)?;
    if old_len == 0 && !region.value.is_shared() {
        return Err(Errno::EINVAL);
    }
    let area = region.value_at(old);
    // An object's offsets past 2^64 bytes (Linux's page-offset overflow).
    if area.object().is_some_and(|(_, offset)| offset.checked_add(new_len).is_none()) {
        return Err(Errno::EINVAL);
    }
    let grow = new_len.saturating_sub(old_len);
    let private_writable = area.access.write && !area.is_shared();
    if grow > 0 && !fits(space, mem, limits, grow, if private_writable { grow } else { 0 }) {
        return Err(Errno::ENOMEM);
    }
    if let Remap::Fixed(to) = how {
        let to_end = to.checked_add(new_len).filter(|&e| e <= USER_END).ok_or(Errno::EINVAL)?;
        if !to.is_multiple_of(PAGE_SIZE) || (to < old_end && old < to_end) {
            return Err(Errno::EINVAL);
        }
        return move_mapping(space, old, old_len, new_len, to, area);
    }
    if new_len <= old_len {
        space.remove_region(old + new_len, old_end);
        return Ok(old);
    }
    if old_len > 0 && space.regions().is_free(old_end, old + new_len) && old + new_len <= mem.mmap_top {
        space.add_region(old_end, old + new_len, area.at(old_len));
        return Ok(old);
    }
    if how == Remap::InPlace {
        return Err(Errno::ENOMEM);
    }
    let to = free_gap(space, mem, new_len)?;
    move_mapping(space, old, old_len, new_len, to, area)
}

/// Move `old..old+old_len` (held as `area` says from `old` on) to `to` and make it
/// `new_len` long there.
fn move_mapping(
    space: &mut AddressSpace,
    old: u64,
    old_len: u64,
    new_len: u64,
    to: u64,
    area: Area,
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
        space.add_region(to + kept, to + new_len, area.at(kept));
    }
    Ok(to)
}

/// The end of `start..start+len` (len rounded up to pages) for the calls that
/// give advice about mapped memory, with Linux's errors: EINVAL for an unaligned
/// start, `wraps` when the end wraps around; None for an empty range.
fn advised_range(start: u64, len: u64, wraps: Errno) -> Result<Option<u64>, Errno> {
    if !start.is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL);
    }
    let len = len.checked_next_multiple_of(PAGE_SIZE).ok_or(wraps)?;
    let end = start.checked_add(len).ok_or(wraps)?;
    Ok((end > start).then_some(end))
}

/// Whether all of `start..end` is mapped (else ENOMEM, as Linux's madvise,
/// msync and mincore say of a range with a hole).
fn all_mapped(space: &AddressSpace, start: u64, end: u64) -> Result<(), Errno> {
    if space.regions().covered(start, end) == end - start { Ok(()) } else { Err(Errno::ENOMEM) }
}

/// madvise: EINVAL for advice Linux does not know (or Kestrel does not take) or
/// an unaligned start, ENOMEM when part of the range is not mapped (the rest
/// still takes the advice). MADV_DONTNEED unmaps the pages: private ones come
/// back zeroed, those of a private file mapping as the file's, shared ones as
/// they were; MADV_FREE does the same to anonymous private memory (EINVAL for
/// any other, as Linux); MADV_DONTFORK and MADV_DOFORK say
/// whether a fork's child gets the range; the other advice is a hint, taken.
pub fn madvise(space: &mut AddressSpace, start: u64, len: u64, advice: u32) -> Result<(), Errno> {
    use kabi::mm::*;
    const HINTS: [u32; 14] = [
        MADV_NORMAL,
        MADV_RANDOM,
        MADV_SEQUENTIAL,
        MADV_WILLNEED,
        MADV_MERGEABLE,
        MADV_UNMERGEABLE,
        MADV_HUGEPAGE,
        MADV_NOHUGEPAGE,
        MADV_DONTDUMP,
        MADV_DODUMP,
        MADV_COLD,
        MADV_PAGEOUT,
        MADV_DONTNEED,
        MADV_FREE,
    ];
    if !HINTS.contains(&advice) && advice != MADV_DONTFORK && advice != MADV_DOFORK {
        return Err(Errno::EINVAL);
    }
    let Some(end) = advised_range(start, len, Errno::EINVAL)? else { return Ok(()) };
    let unmapped = |_| Errno::ENOMEM;
    match advice {
        MADV_DONTNEED => space.discard(start, end).map_err(unmapped),
        MADV_FREE => {
            if space.regions().within(start, end).any(|part| !part.value.is_anonymous()) {
                return Err(Errno::EINVAL);
            }
            space.discard(start, end).map_err(unmapped)
        }
        MADV_DONTFORK | MADV_DOFORK => space.set_dont_fork(start, end, advice == MADV_DONTFORK).map_err(unmapped),
        _ => all_mapped(space, start, end),
    }
}

/// msync: flags among MS_ASYNC, MS_INVALIDATE and MS_SYNC (not both ASYNC and
/// SYNC), else EINVAL; EINVAL for an unaligned start, ENOMEM for a range that
/// wraps or is not all mapped. Nothing to write back: a shared file mapping maps
/// the file's own pages, so its stores are the file's data already.
pub fn msync(space: &AddressSpace, start: u64, len: u64, flags: u32) -> Result<(), Errno> {
    use kabi::mm::{MS_ASYNC, MS_INVALIDATE, MS_SYNC};
    if flags & !(MS_ASYNC | MS_INVALIDATE | MS_SYNC) != 0 {
        return Err(Errno::EINVAL);
    }
    if !start.is_multiple_of(PAGE_SIZE) || (flags & MS_ASYNC != 0 && flags & MS_SYNC != 0) {
        return Err(Errno::EINVAL);
    }
    match advised_range(start, len, Errno::ENOMEM)? {
        Some(end) => all_mapped(space, start, end),
        None => Ok(()),
    }
}

/// mincore: one byte per page of `start..start+len` into user memory at `vec`,
/// 1 for a page in memory (mapped here, or held by its shared object), else 0.
/// EINVAL for an unaligned start, ENOMEM for a range past user space or with a
/// hole (the pages before it are reported), EFAULT for a bad `vec`.
pub fn mincore(space: &mut AddressSpace, start: u64, len: u64, vec: u64) -> Result<(), Errno> {
    const CHUNK: u64 = 4096;
    if !start.is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL);
    }
    start.checked_add(len).filter(|&end| end <= USER_END).ok_or(Errno::ENOMEM)?;
    let pages = len.div_ceil(PAGE_SIZE);
    user::UserSlice::new(vec, usize::try_from(pages).map_err(|_| Errno::EFAULT)?)?;
    let mut bytes = alloc::vec::Vec::new();
    for first in (0..pages).step_by(CHUNK as usize) {
        let want = pages.min(first + CHUNK) - first;
        bytes.clear();
        bytes.extend(
            (first..first + want)
                .map(|n| start + n * PAGE_SIZE)
                .take_while(|&page| space.regions().find(page).is_some())
                .map(|page| u8::from(space.resident(page))),
        );
        user::copy_to_user(space, vec + first, &bytes)?;
        if (bytes.len() as u64) < want {
            return Err(Errno::ENOMEM);
        }
    }
    Ok(())
}

/// mprotect: ENOMEM if part of the range has no region, EINVAL if unaligned,
/// EACCES for write access to a shared mapping of a file opened read-only (a
/// private one may be written: writes go to copies).
pub fn protect(space: &mut AddressSpace, start: u64, len: u64, access: Access) -> Result<(), Errno> {
    if !start.is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL);
    }
    let end = start.checked_add(page_ceil(len)).filter(|&e| e <= USER_END).ok_or(Errno::ENOMEM)?;
    all_mapped(space, start, end)?;
    let read_only = |part: &regions::Region<Area>| match &part.value.backing {
        Backing::Shared(object, _) => !object.may_write(),
        _ => false,
    };
    if access.write && space.regions().within(start, end).any(|part| read_only(&part)) {
        return Err(Errno::EACCES);
    }
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
