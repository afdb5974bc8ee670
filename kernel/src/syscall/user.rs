//! The current process's user memory, for syscalls: typed copies in and out
//! (through mm::user's checked page walks), paths, and string arrays.
use alloc::vec::Vec;

use kabi::Errno;
use pathwalk::PATH_MAX;

use crate::mm::user;
use crate::proc::scheduler::with_current;

/// Most argv or envp entries accepted (the byte limit is user_stack's).
const MAX_STRINGS: usize = 32 * 1024;

fn with_space<R>(f: impl FnOnce(&mut crate::mm::address_space::AddressSpace) -> Result<R, Errno>) -> Result<R, Errno> {
    with_current(|p| f(p.space.as_mut().ok_or(Errno::EFAULT)?))
}

pub fn copy_in(addr: u64, len: usize) -> Result<Vec<u8>, Errno> {
    let mut buf = alloc::vec![0u8; len];
    with_space(|s| user::copy_from_user(s, addr, &mut buf))?;
    Ok(buf)
}

/// The part of the user buffer `addr..addr+len` that is accessible (for writing
/// when `write`), capped at `max`: reads and writes then move that much, and a
/// buffer bad from its first byte is EFAULT before any data moves (a pipe keeps
/// its bytes). A range that leaves user space is EFAULT.
pub fn usable_buffer(addr: u64, len: usize, max: usize, write: bool) -> Result<usize, Errno> {
    if addr.checked_add(len as u64).is_none_or(|end| end > crate::layout::USER_END) {
        return Err(Errno::EFAULT);
    }
    let ok = with_space(|s| crate::mm::user::accessible_len(s, addr, len.min(max), write))?;
    if ok == 0 && len > 0 {
        return Err(Errno::EFAULT);
    }
    Ok(ok)
}

pub fn copy_out(addr: u64, data: &[u8]) -> Result<(), Errno> {
    with_space(|s| user::copy_to_user(s, addr, data))
}

/// Copy out only when the user passed a pointer (NULL means "not wanted").
pub fn copy_out_optional(addr: u64, data: &[u8]) -> Result<(), Errno> {
    if addr == 0 { Ok(()) } else { copy_out(addr, data) }
}

pub fn read_u64(addr: u64) -> Result<u64, Errno> {
    with_space(|s| user::read_u64(s, addr))
}

/// A path argument: NUL-terminated, non-empty, below PATH_MAX (counting the NUL).
pub fn read_path(addr: u64) -> Result<Vec<u8>, Errno> {
    let path = with_space(|s| user::read_cstr(s, addr, PATH_MAX - 1, Errno::ENAMETOOLONG))?;
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    Ok(path)
}

/// A NULL-terminated array of string pointers (argv, envp); NULL means empty.
pub fn read_string_array(addr: u64) -> Result<Vec<Vec<u8>>, Errno> {
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
        let s = with_space(|s| user::read_cstr(s, pointer, user_stack::MAX_ARG_STRLEN, Errno::E2BIG))?;
        total += s.len() + 1;
        if total > user_stack::MAX_ARG_BYTES {
            return Err(Errno::E2BIG);
        }
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
