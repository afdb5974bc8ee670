//! User and group id syscalls: get*id, set*id, getres*id/setres*id, setfs*id and
//! the supplementary groups, on the credentials a process's threads share (the
//! rules are the `creds` crate's; docs/ARCHITECTURE.md, "Users and permissions").
use alloc::vec::Vec;

use creds::{Credentials, Ids, NGROUPS_MAX};
use kabi::Errno;

use super::{SysResult, user};
use crate::proc::table::with_current;

/// Run `f` on the caller's credentials.
fn with_creds<R>(f: impl FnOnce(&mut Credentials) -> R) -> R {
    with_current(|p| f(&mut p.group().creds))
}

/// Whether the caller is privileged (effective uid 0), for the calls that need
/// a capability on Linux.
pub(super) fn caller_is_privileged() -> bool {
    with_creds(|c| c.is_privileged())
}

pub fn getuid() -> SysResult {
    Ok(with_creds(|c| c.user.real) as usize)
}

pub fn geteuid() -> SysResult {
    Ok(with_creds(|c| c.user.effective) as usize)
}

pub fn getgid() -> SysResult {
    Ok(with_creds(|c| c.group.real) as usize)
}

pub fn getegid() -> SysResult {
    Ok(with_creds(|c| c.group.effective) as usize)
}

pub fn setuid(uid: u32) -> SysResult {
    with_creds(|c| c.setuid(uid)).map(|()| 0)
}

pub fn setgid(gid: u32) -> SysResult {
    with_creds(|c| c.setgid(gid)).map(|()| 0)
}

pub fn setreuid(real: u32, effective: u32) -> SysResult {
    with_creds(|c| c.setreuid(real, effective)).map(|()| 0)
}

pub fn setregid(real: u32, effective: u32) -> SysResult {
    with_creds(|c| c.setregid(real, effective)).map(|()| 0)
}

pub fn setresuid(real: u32, effective: u32, saved: u32) -> SysResult {
    with_creds(|c| c.setresuid(real, effective, saved)).map(|()| 0)
}

pub fn setresgid(real: u32, effective: u32, saved: u32) -> SysResult {
    with_creds(|c| c.setresgid(real, effective, saved)).map(|()| 0)
}

/// setfsuid: returns the previous file-system uid, whether or not it changed.
pub fn setfsuid(uid: u32) -> SysResult {
    Ok(with_creds(|c| c.setfsuid(uid)) as usize)
}

/// setfsgid: returns the previous file-system gid, whether or not it changed.
pub fn setfsgid(gid: u32) -> SysResult {
    Ok(with_creds(|c| c.setfsgid(gid)) as usize)
}

/// The real, effective and saved ids stored at three addresses, in that order
/// (EFAULT stops at the first bad one, as Linux's put_user sequence).
fn store_ids(ids: Ids, real: u64, effective: u64, saved: u64) -> SysResult {
    for (addr, id) in [(real, ids.real), (effective, ids.effective), (saved, ids.saved)] {
        user::copy_out(addr, &id.to_le_bytes())?;
    }
    Ok(0)
}

pub fn getresuid(real: u64, effective: u64, saved: u64) -> SysResult {
    store_ids(with_creds(|c| c.user), real, effective, saved)
}

pub fn getresgid(real: u64, effective: u64, saved: u64) -> SysResult {
    store_ids(with_creds(|c| c.group), real, effective, saved)
}

/// getgroups: the supplementary groups; a size of 0 asks only for the count, a
/// smaller one than the count is EINVAL.
pub fn getgroups(size: i32, list: u64) -> SysResult {
    let groups = with_creds(|c| c.groups.clone());
    match usize::try_from(size) {
        Err(_) => Err(Errno::EINVAL),
        Ok(0) => Ok(groups.len()),
        Ok(room) if room < groups.len() => Err(Errno::EINVAL),
        Ok(_) => {
            let bytes: Vec<u8> = groups.iter().flat_map(|g| g.to_le_bytes()).collect();
            user::copy_out(list, &bytes).map(|()| groups.len())
        }
    }
}

/// setgroups: replace the supplementary groups of the process (every thread's,
/// as C libraries make it). In Linux's order: EPERM without privilege, EINVAL
/// for more than NGROUPS_MAX, then EFAULT.
pub fn setgroups(size: i32, list: u64) -> SysResult {
    if !caller_is_privileged() {
        return Err(Errno::EPERM);
    }
    let count = usize::try_from(size).ok().filter(|&n| n <= NGROUPS_MAX).ok_or(Errno::EINVAL)?;
    let bytes = if count == 0 { Vec::new() } else { user::copy_in(list, count * 4)? };
    let groups: Vec<u32> = bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    with_creds(|c| c.set_groups(groups));
    Ok(0)
}
