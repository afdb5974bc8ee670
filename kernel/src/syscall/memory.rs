//! Memory syscalls: brk, mmap (private and shared, anonymous and of files),
//! munmap, mremap, mprotect, madvise, mincore, msync.
use kabi::Errno;
use kabi::mm::{
    MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_GROWSDOWN, MAP_LEGACY_MASK, MAP_PRIVATE, MAP_SHARED,
    MAP_SHARED_VALIDATE, MAP_TYPE, PAGE_SIZE, PROT_EXEC, PROT_WRITE,
};

use super::SysResult;
use super::user;
use crate::arch::paging::Access;
use crate::fs::file::{OpenFile, PrivateSource};
use crate::mm::shared::{Anonymous, Area};
use crate::proc::limits::Limits;
use crate::proc::memory as mem;
use crate::proc::process::ProcessMemory;
use crate::proc::table::{current_memory, with_current};

fn access(prot: u32) -> Access {
    Access { write: prot & PROT_WRITE != 0, execute: prot & PROT_EXEC != 0, user: prot != 0 }
}

/// The caller's memory, locked, and its limits.
fn with_memory<R>(f: impl FnOnce(&mut ProcessMemory, &Limits) -> Result<R, Errno>) -> Result<R, Errno> {
    let limits = with_current(|p| p.limits());
    let memory = current_memory().ok_or(Errno::ENOMEM)?;
    let mut memory = memory.lock();
    f(&mut memory, &limits)
}

pub fn brk(addr: u64) -> SysResult {
    with_memory(|memory, limits| Ok(mem::brk(&mut memory.space, &mut memory.layout, limits, addr) as usize))
}

/// Whether a mapping with `flags` is shared, in Linux's order of checks:
/// MAP_SHARED_VALIDATE refuses flags it does not know (EOPNOTSUPP) and takes
/// files only; other mapping types are EINVAL.
fn is_shared(flags: u32, anonymous: bool) -> Result<bool, Errno> {
    match flags & MAP_TYPE {
        MAP_PRIVATE => Ok(false),
        MAP_SHARED if anonymous && flags & MAP_GROWSDOWN != 0 => Err(Errno::EINVAL),
        MAP_SHARED => Ok(true),
        MAP_SHARED_VALIDATE if !anonymous && flags & !MAP_LEGACY_MASK != 0 => Err(Errno::EOPNOTSUPP),
        MAP_SHARED_VALIDATE if !anonymous => Ok(true),
        _ => Err(Errno::EINVAL),
    }
}

/// mmap. A shared mapping maps its object's frames (new anonymous shared
/// memory, or a tmpfs file's own pages); a private mapping of a tmpfs file maps
/// the file's pages until a page is written (copy on write), and one of another
/// file (a /proc file) starts as a copy of it.
pub fn mmap(addr: u64, len: u64, prot: u32, flags: u32, fd: i32, offset: u64) -> SysResult {
    if !offset.is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL);
    }
    let anonymous = flags & MAP_ANONYMOUS != 0;
    let file = if anonymous { None } else { Some(with_current(|p| p.files.lock().get(fd))?) };
    if len == 0 {
        return Err(Errno::EINVAL);
    }
    // Offsets into the file past 2^64 bytes (Linux's page-offset overflow).
    if file.is_some() && len.checked_next_multiple_of(PAGE_SIZE).and_then(|l| offset.checked_add(l)).is_none() {
        return Err(Errno::EOVERFLOW);
    }
    let writable = prot & PROT_WRITE != 0;
    let shared = is_shared(flags, anonymous)?;
    let (area, copy_of) = if shared {
        let area = match file.map(|file| file.shared_pages(writable)).transpose()?.flatten() {
            Some(pages) => Area::shared(access(prot), pages, offset),
            // MAP_ANONYMOUS, or /dev/zero: new anonymous shared memory.
            None => Area::shared(access(prot), Anonymous::new_object(len), 0),
        };
        (area, None)
    } else {
        match file.as_ref().map(|file| file.private_source()).transpose()? {
            Some(PrivateSource::Pages(pages)) => (Area::copy_on_write(access(prot), pages, offset), None),
            // Added read-write, to be filled, then given the access asked for.
            Some(PrivateSource::Contents) => (Area::private(mem::rw()), file),
            Some(PrivateSource::Zeros) | None => (Area::private(access(prot)), None),
        }
    };
    let place =
        if flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0 { mem::Place::Fixed(addr) } else { mem::Place::Hint(addr) };
    let start = with_memory(|memory, limits| {
        let space = &mut memory.space;
        if flags & MAP_FIXED_NOREPLACE != 0
            && addr.checked_add(len).is_some_and(|end| !space.regions().is_free(addr, end))
        {
            return Err(Errno::EEXIST);
        }
        mem::mmap(space, &memory.layout, limits, place, len, writable, area)
    })?;
    let Some(file) = copy_of else { return Ok(start as usize) };
    // A copy of the file, read a page at a time straight into the new pages (past
    // the end of the file they stay zero).
    let result = fill_from_file(&file, offset, start, len)
        .and_then(|()| with_memory(|memory, _| mem::protect(&mut memory.space, start, len, access(prot))));
    match result {
        Ok(()) => Ok(start as usize),
        Err(e) => {
            let _ = munmap(start, len);
            Err(e)
        }
    }
}

/// Copy `len` bytes of `file` from `offset` into user memory at `start`.
fn fill_from_file(file: &OpenFile, offset: u64, start: u64, len: u64) -> Result<(), Errno> {
    let mut page = [0u8; 4096];
    for at in (0..len).step_by(page.len()) {
        let n = file.read_at(&mut page, offset + at)?;
        if n == 0 {
            break;
        }
        user::copy_out(start + at, &page[..n])?;
    }
    Ok(())
}

/// mremap(old, old_len, new_len, flags, new_addr): MREMAP_MAYMOVE and
/// MREMAP_FIXED (which needs MAYMOVE); other flags are EINVAL.
pub fn mremap(old: u64, old_len: u64, new_len: u64, flags: u32, new_addr: u64) -> SysResult {
    use kabi::mm::{MREMAP_FIXED, MREMAP_MAYMOVE};
    if flags & !(MREMAP_MAYMOVE | MREMAP_FIXED) != 0 || (flags & MREMAP_FIXED != 0 && flags & MREMAP_MAYMOVE == 0) {
        return Err(Errno::EINVAL);
    }
    let how = match (flags & MREMAP_FIXED != 0, flags & MREMAP_MAYMOVE != 0) {
        (true, _) => mem::Remap::Fixed(new_addr),
        (false, true) => mem::Remap::MayMove,
        (false, false) => mem::Remap::InPlace,
    };
    with_memory(|memory, limits| {
        mem::mremap(&mut memory.space, &memory.layout, limits, old, old_len, new_len, how).map(|a| a as usize)
    })
}

pub fn munmap(addr: u64, len: u64) -> SysResult {
    with_memory(|memory, _| mem::munmap(&mut memory.space, addr, len)).map(|()| 0)
}

pub fn mprotect(addr: u64, len: u64, prot: u32) -> SysResult {
    with_memory(|memory, _| mem::protect(&mut memory.space, addr, len, access(prot))).map(|()| 0)
}

pub fn madvise(addr: u64, len: u64, advice: u32) -> SysResult {
    with_memory(|memory, _| mem::madvise(&mut memory.space, addr, len, advice)).map(|()| 0)
}

pub fn mincore(addr: u64, len: u64, vec: u64) -> SysResult {
    with_memory(|memory, _| mem::mincore(&mut memory.space, addr, len, vec)).map(|()| 0)
}

pub fn msync(addr: u64, len: u64, flags: u32) -> SysResult {
    with_memory(|memory, _| mem::msync(&memory.space, addr, len, flags)).map(|()| 0)
}
