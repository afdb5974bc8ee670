//! execve's image building: the credentials the program runs with, validate the
//! ELF (elf_plan), map its segments into a new address space, build the initial
//! stack (user_stack), and only then let the caller commit. A bad file leaves the
//! calling process untouched (as xv6's exec).
use alloc::vec::Vec;

use creds::Credentials;
use elf_plan::{Limits, LoadPlan};
use kabi::Errno;
use kabi::auxv::*;
use kabi::fs::{S_ISGID, S_ISUID, S_IXGRP};

use crate::arch::paging::{Access, PAGE_SIZE};
use crate::arch::random;
use crate::layout::{USER_END, USER_MIN, USER_PIE_BASE, USER_STACK_TOP};
use crate::mm::address_space::AddressSpace;
use crate::mm::shared::Area;
use crate::mm::{phys, user};

use super::memory::UserMemory;

/// A complete new program image, ready to replace the old one.
#[derive(Debug)]
pub struct Image {
    pub space: AddressSpace,
    pub memory: UserMemory,
    pub entry: u64,
    pub stack_pointer: u64,
    /// The credentials the program runs with.
    pub creds: Credentials,
}

/// The credentials a program runs with (Linux's bprm_fill_uid): the caller's,
/// with the file's owner as effective uid if it is set-user-ID, and its group as
/// effective gid if it is set-group-ID and group-executable (only when `grant`:
/// not under PR_SET_NO_NEW_PRIVS nor from a nosuid mount); the saved and file-system ids take the
/// effective ones.
pub fn credentials_for(caller: &Credentials, file: &ramfs::Metadata, grant: bool) -> Credentials {
    let mut creds = caller.clone();
    let set_uid = (grant && file.mode & S_ISUID != 0).then_some(file.uid);
    let set_gid = (grant && file.mode & (S_ISGID | S_IXGRP) == S_ISGID | S_IXGRP).then_some(file.gid);
    creds.exec(set_uid, set_gid);
    creds
}

const LIMITS: Limits = Limits { user_min: USER_MIN, user_max: USER_STACK_TOP - (64 << 20), pie_base: USER_PIE_BASE };

/// Build the image of `file` started with `argv` and `envp`, with a main stack
/// of `stack_limit` bytes (RLIMIT_STACK), to run with `creds` (which the
/// auxiliary vector tells the C library: ids, and AT_SECURE for a set-user-ID or
/// set-group-ID program).
pub fn build(
    file: &[u8],
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
    execfn: &[u8],
    stack_limit: u64,
    creds: Credentials,
) -> Result<Image, Errno> {
    let plan = elf_plan::plan(file, LIMITS).map_err(|e| e.errno())?;
    let mut space = AddressSpace::new().map_err(|_| Errno::ENOMEM)?;
    load_segments(&mut space, &plan, file)?;
    let mut memory = UserMemory::new(&mut space, plan.brk_start, stack_limit);
    let vdso = crate::time::vdso::map_into(&mut space)?;
    let mut random_bytes = [0u8; 16];
    random::fill(&mut random_bytes);
    let auxv = [
        (AT_PHDR, plan.phdr_addr),
        (AT_PHENT, plan.phent),
        (AT_PHNUM, plan.phnum),
        (AT_PAGESZ, PAGE_SIZE),
        (AT_BASE, 0),
        (AT_FLAGS, 0),
        (AT_ENTRY, plan.entry),
        (AT_UID, u64::from(creds.user.real)),
        (AT_EUID, u64::from(creds.user.effective)),
        (AT_GID, u64::from(creds.group.real)),
        (AT_EGID, u64::from(creds.group.effective)),
        (AT_SECURE, u64::from(creds.is_set_id())),
        (AT_CLKTCK, 100),
        (AT_HWCAP, 0),
        (AT_SYSINFO_EHDR, vdso),
    ];
    let input = user_stack::StackInput {
        argv,
        envp,
        auxv: &auxv,
        execfn,
        random: random_bytes,
        stack_top: USER_STACK_TOP,
        arg_limit: user_stack::arg_limit(stack_limit),
    };
    let stack = user_stack::build(&input).map_err(|e| e.errno())?;
    let stack_start = USER_STACK_TOP - stack.bytes.len() as u64;
    user::copy_to_user(&mut space, stack_start, &stack.bytes)?;
    memory.env = stack.env;
    Ok(Image { space, memory, entry: plan.entry, stack_pointer: stack.rsp, creds })
}

/// Map every page the segments cover (zeroed, so .bss is zero) and copy the file
/// bytes in; permissions per page range (a shared page gets both segments').
fn load_segments(space: &mut AddressSpace, plan: &LoadPlan, file: &[u8]) -> Result<(), Errno> {
    for range in plan.page_ranges() {
        if range.end > USER_END {
            return Err(Errno::ENOEXEC);
        }
        let access = Access { write: range.writable, execute: range.executable, user: true };
        space.add_region(range.start, range.end, Area::private(access));
        for page in (range.start..range.end).step_by(PAGE_SIZE as usize) {
            space.map_zeroed(page, access).map_err(|_| Errno::ENOMEM)?;
        }
    }
    for segment in &plan.segments {
        let bytes = segment.file_bytes(file);
        let mut at = segment.vaddr;
        for chunk in split_at_pages(at, bytes) {
            let page = at & !(PAGE_SIZE - 1);
            let (frame, _) = space.translate(page).ok_or(Errno::ENOEXEC)?;
            phys::write(frame & !(PAGE_SIZE - 1), (at - page) as usize, chunk);
            at += chunk.len() as u64;
        }
    }
    Ok(())
}

/// `bytes` (to be placed at `addr`) cut where pages end.
fn split_at_pages(addr: u64, bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let first = ((PAGE_SIZE - addr % PAGE_SIZE) as usize).min(bytes.len());
    let (head, tail) = bytes.split_at(first);
    core::iter::once(head).filter(|h| !h.is_empty()).chain(tail.chunks(PAGE_SIZE as usize))
}
