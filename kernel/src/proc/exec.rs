//! execve's image building: the credentials the program runs with, the
//! program's ELF and, for a dynamically linked one, its interpreter (the path in
//! its PT_INTERP, elf_plan), the layout of the new address space (aslr:
//! randomized unless the command line says `norandmaps`), both objects' segments
//! mapped into a new address space (their whole pages are the files' own, copied
//! only when written), the initial stack (user_stack), and only then let the
//! caller commit. A bad file leaves the calling process untouched (as xv6's
//! exec).
use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::ops::Range;

use aslr::{Draws, Layout};
use creds::Credentials;
use elf_plan::{Elf, Extent, Limits, LoadPlan, PlanError, Role, Segment};
use kabi::Errno;
use kabi::auxv::*;
use kabi::fs::{S_ISGID, S_ISUID, S_IXGRP};

use crate::arch::paging::{Access, PAGE_SIZE};
use crate::arch::{cpuid, random};
use crate::fs::vfs::{self, Executable, Node};
use crate::layout::{USER_END, USER_MIN};
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

/// The layout of a new program: randomized unless the command line says
/// `norandmaps`.
fn layout(stack_limit: u64) -> Layout {
    let draws = || Draws {
        stack: random::next_u64(),
        stack_pointer: random::next_u64(),
        mmap: random::next_u64(),
        pie: random::next_u64(),
        brk: random::next_u64(),
    };
    Layout::new(stack_limit, crate::config::get().randomize.then(draws))
}

/// Where a position-independent object goes in the mmap area: the highest place
/// below `top` with room for it at its alignment (Linux's top-down search).
fn top_down(space: &AddressSpace, extent: Extent, top: u64) -> Result<u64, Errno> {
    let room = extent.room().ok_or(Errno::ENOMEM)?;
    let gap = space.regions().find_gap(room, USER_MIN, top).ok_or(Errno::ENOMEM)?;
    Ok(extent.start_in(gap))
}

/// Build the image of `file` started with `argv` and `envp`, with a main stack
/// of `stack_limit` bytes (RLIMIT_STACK), to run with `creds` (which the
/// auxiliary vector tells the C library: ids, and AT_SECURE for a set-user-ID or
/// set-group-ID program). A program with PT_INTERP starts in its interpreter,
/// found from `cwd` if the path is relative, as Linux's open_exec: the errors are
/// Linux's (ENOEXEC for a bad PT_INTERP, the lookup's error such as ENOENT, EIO for
/// an interpreter too short for an ELF header, ELIBBAD for one that is not an
/// x86-64 ELF executable). The interpreter's own PT_INTERP is ignored, as Linux
/// ignores it. Placement, as Linux's load_elf_binary: an ET_EXEC program at its
/// addresses, a PIE with an interpreter at the layout's PIE base, the interpreter
/// and a static PIE (an ET_DYN program without one) at the top of the mmap area.
pub fn build(
    cwd: &Node,
    file: &Executable,
    argv: &[Vec<u8>],
    envp: &[Vec<u8>],
    execfn: &[u8],
    stack_limit: u64,
    creds: Credentials,
) -> Result<Image, Errno> {
    let as_program = |e: PlanError| e.errno(Role::Program);
    let as_interpreter = |e: PlanError| e.errno(Role::Interpreter);
    let program_headers = header_bytes(file)?;
    let program = Elf::parse_head(&program_headers, file.size()).map_err(as_program)?;
    let interpreter_file = match program.interpreter().map_err(as_program)? {
        // Linux looks the path up as a name of the kernel's own, where an empty
        // one is the current directory.
        Some(path) => Some(vfs::read_executable(cwd, if path.is_empty() { b"." } else { path })?),
        None => None,
    };
    let interpreter_headers = interpreter_file.as_ref().map(header_bytes).transpose()?;
    let interpreter = interpreter_file
        .as_ref()
        .zip(interpreter_headers.as_deref())
        .map(|(file, headers)| Elf::parse_head(headers, file.size()).map(|elf| (elf, file)))
        .transpose()
        .map_err(as_interpreter)?;

    let layout = layout(stack_limit);
    let mut space = AddressSpace::new().map_err(|_| Errno::ENOMEM)?;
    let limits = Limits { user_min: USER_MIN, user_max: layout.stack_bottom, pie_base: 0 };
    let pie_base = match (program.is_dyn(), &interpreter) {
        (false, _) => 0,
        (true, Some(_)) => program.extent().map_err(as_program)?.align_down(layout.pie_base),
        (true, None) => top_down(&space, program.extent().map_err(as_program)?, layout.mmap_top)?,
    };
    let plan = program.plan(Limits { pie_base, ..limits }).map_err(as_program)?;
    load_segments(&mut space, &plan, file)?;
    // A static PIE's heap is moved out of the mmap area, where it is loaded.
    let brk_start = if program.is_dyn() && interpreter.is_none() {
        layout.static_pie_heap_start()
    } else {
        layout.heap_start(plan.brk_start)
    };

    let (entry, interpreter_base) = match &interpreter {
        Some((interpreter, interpreter_file)) => {
            let pie_base = match interpreter.is_dyn() {
                true => top_down(&space, interpreter.extent().map_err(as_interpreter)?, layout.mmap_top)?,
                false => 0,
            };
            let interp_plan = interpreter.plan(Limits { pie_base, ..limits }).map_err(as_interpreter)?;
            // An ET_EXEC interpreter linked where the program lies cannot load.
            if interp_plan.page_ranges().iter().any(|range| !space.regions().is_free(range.start, range.end)) {
                return Err(Errno::ELIBBAD);
            }
            load_segments(&mut space, &interp_plan, interpreter_file)?;
            (interp_plan.entry, interp_plan.base)
        }
        None => (plan.entry, 0),
    };

    let mut memory = UserMemory::new(&mut space, &layout, brk_start);
    let vdso = crate::time::vdso::map_into(&mut space, layout.mmap_top)?;
    let mut random_bytes = [0u8; 16];
    random::fill(&mut random_bytes);
    // Linux's order (create_elf_tables); user_stack adds AT_RANDOM, AT_EXECFN and
    // AT_PLATFORM.
    let auxv = [
        (AT_SYSINFO_EHDR, vdso),
        (AT_HWCAP, cpuid::hwcap()),
        (AT_PAGESZ, PAGE_SIZE),
        (AT_CLKTCK, 100),
        (AT_PHDR, plan.phdr_addr),
        (AT_PHENT, plan.phent),
        (AT_PHNUM, plan.phnum),
        (AT_BASE, interpreter_base),
        (AT_FLAGS, 0),
        (AT_ENTRY, plan.entry),
        (AT_UID, u64::from(creds.user.real)),
        (AT_EUID, u64::from(creds.user.effective)),
        (AT_GID, u64::from(creds.group.real)),
        (AT_EGID, u64::from(creds.group.effective)),
        (AT_SECURE, u64::from(creds.is_set_id())),
        // No ring-3 MWAIT, and FSGSBASE is not enabled for user mode.
        (AT_HWCAP2, 0),
    ];
    let input = user_stack::StackInput {
        argv,
        envp,
        auxv: &auxv,
        execfn,
        random: random_bytes,
        stack_top: layout.initial_stack_top,
        arg_limit: user_stack::arg_limit(stack_limit),
    };
    let stack = user_stack::build(&input).map_err(|e| e.errno())?;
    let stack_start = layout.initial_stack_top - stack.bytes.len() as u64;
    user::copy_to_user(&mut space, stack_start, &stack.bytes)?;
    memory.env = stack.env;
    Ok(Image { space, memory, entry, stack_pointer: stack.rsp, creds })
}

/// The first bytes of `file` that hold its headers: the page read at its open,
/// or, when its program headers or its PT_INTERP lie further in (rare), the
/// whole file.
fn header_bytes(file: &Executable) -> Result<Cow<'_, [u8]>, Errno> {
    let beyond_head = match Elf::parse_head(&file.head, file.size()) {
        Ok(elf) => elf.interpreter().err() == Some(PlanError::BeyondHead),
        Err(error) => error == PlanError::BeyondHead,
    };
    if beyond_head { Ok(Cow::Owned(file.read(0, file.size() as usize)?)) } else { Ok(Cow::Borrowed(&file.head)) }
}

/// Map the image: every page the segments cover is demand-zero memory with the
/// permissions of its range (a page two segments share gets both's), and each
/// segment's file part goes over it (`map_segment`).
fn load_segments(space: &mut AddressSpace, plan: &LoadPlan, file: &Executable) -> Result<(), Errno> {
    for range in plan.page_ranges() {
        if range.end > USER_END {
            return Err(Errno::ENOEXEC);
        }
        let access = Access { write: range.writable, execute: range.executable, user: true };
        space.add_region(range.start, range.end, Area::private(access));
    }
    for (i, segment) in plan.segments.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|before| plan.segments.get(before));
        map_segment(space, segment, own_pages(segment, before, plan.segments.get(i + 1)), file)?;
    }
    Ok(())
}

/// The pages only `segment` covers (page aligned): its pages but a first one the
/// segment `before` it ends in and a last one the segment `after` it begins in.
fn own_pages(segment: &Segment, before: Option<&Segment>, after: Option<&Segment>) -> Range<u64> {
    // The plan checked that segments' page-rounded ends do not overflow.
    let mut pages = page_floor(segment.vaddr)..(segment.vaddr + segment.memsz).next_multiple_of(PAGE_SIZE);
    if before.is_some_and(|before| before.vaddr + before.memsz > pages.start) {
        pages.start += PAGE_SIZE;
    }
    if after.is_some_and(|after| after.vaddr < pages.end) {
        pages.end -= PAGE_SIZE;
    }
    pages
}

/// Map the file part of `segment` (whose `own` pages no other segment shares):
/// when its file offset and address agree within a page, those of its own pages
/// that hold its file bytes map the file's pages (`Area::copy_on_write`: nothing
/// is copied until a page is written, and the bytes before `vaddr` in its first
/// page are the file's, as on Linux). A page the file part ends in mid-page gets a
/// copy of the segment's bytes with zeros after them (the file's next bytes must
/// not show in the .bss), as do pages shared with another segment and every page
/// of a segment whose offset and address disagree. Pages wholly in the .bss stay
/// demand-zero.
fn map_segment(space: &mut AddressSpace, segment: &Segment, own: Range<u64>, file: &Executable) -> Result<(), Errno> {
    let file_end = segment.vaddr + segment.filesz;
    // Every page of `mapped` holds file bytes, so the loop below copies those
    // it must.
    let aligned = segment.vaddr % PAGE_SIZE == segment.file_offset % PAGE_SIZE;
    let mapped =
        if aligned && segment.filesz > 0 { own.start..own.end.min(file_end.next_multiple_of(PAGE_SIZE)) } else { 0..0 };
    if !mapped.is_empty() {
        let access = Access { write: segment.writable, execute: segment.executable, user: true };
        let offset = page_floor(segment.file_offset) + (mapped.start - page_floor(segment.vaddr));
        space.add_region(mapped.start, mapped.end, Area::copy_on_write(access, file.pages.clone(), offset));
    }
    let mut at = segment.vaddr;
    while at < file_end {
        let page = page_floor(at);
        let len = (page + PAGE_SIZE).min(file_end) - at;
        if !(mapped.contains(&page) && page + PAGE_SIZE <= file_end) {
            let bytes = file.read(segment.file_offset + (at - segment.vaddr), len as usize)?;
            let frame = match space.translate(page) {
                Some((frame, _)) => frame,
                None => {
                    let access = space.regions().find(page).ok_or(Errno::ENOEXEC)?.value.access;
                    space.map_zeroed(page, access).map_err(|_| Errno::ENOMEM)?
                }
            };
            phys::write(frame, (at - page) as usize, &bytes);
        }
        at += len;
    }
    Ok(())
}

const fn page_floor(addr: u64) -> u64 {
    addr & !(PAGE_SIZE - 1)
}
