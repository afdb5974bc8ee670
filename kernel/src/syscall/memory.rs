//! Memory syscalls: brk, mmap (anonymous and private file mappings), munmap,
//! mprotect.
use kabi::Errno;
use kabi::mm::{MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE, MAP_SHARED, PROT_EXEC, PROT_WRITE};

use super::SysResult;
use crate::arch::paging::Access;
use crate::proc::memory::{self as mem, Backing};
use crate::proc::scheduler::with_current;

fn access(prot: u32) -> Access {
    Access { write: prot & PROT_WRITE != 0, execute: prot & PROT_EXEC != 0, user: prot != 0 }
}

pub fn brk(addr: u64) -> SysResult {
    with_current(|p| {
        let space = p.space.as_mut().ok_or(Errno::ENOMEM)?;
        Ok(mem::brk(space, &mut p.memory, addr) as usize)
    })
}

pub fn mmap(addr: u64, len: u64, prot: u32, flags: u32, fd: i32, offset: u64) -> SysResult {
    if flags & MAP_SHARED != 0 {
        return Err(Errno::ENODEV); // shared mappings are not supported yet
    }
    if flags & MAP_PRIVATE == 0 || !offset.is_multiple_of(4096) {
        return Err(Errno::EINVAL);
    }
    let fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0;
    let contents = if flags & MAP_ANONYMOUS != 0 {
        None
    } else {
        let file = with_current(|p| p.files.get(fd))?;
        Some(file.mapping_bytes(offset, len)?)
    };
    let backing = contents.as_deref().map_or(Backing::Anonymous, Backing::File);
    with_current(|p| {
        let space = p.space.as_mut().ok_or(Errno::ENOMEM)?;
        if flags & MAP_FIXED_NOREPLACE != 0 && space.translate(addr).is_some() {
            return Err(Errno::EEXIST);
        }
        mem::mmap(space, &mut p.memory, addr, len, access(prot), fixed, backing).map(|a| a as usize)
    })
}

pub fn munmap(addr: u64, len: u64) -> SysResult {
    with_current(|p| mem::munmap(p.space.as_mut().ok_or(Errno::EINVAL)?, &mut p.memory, addr, len)).map(|()| 0)
}

pub fn mprotect(addr: u64, len: u64, prot: u32) -> SysResult {
    with_current(|p| mem::protect(p.space.as_mut().ok_or(Errno::ENOMEM)?, addr, len, access(prot))).map(|()| 0)
}
