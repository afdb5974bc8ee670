//! ELF load plans: turns an executable's bytes into a validated list of segments to map,
//! the entry point and the auxv values, for execve. Parses only the ELF header and the
//! program headers (with `goblin`), which is all a loader needs; never panics.
//!
//! Accepted: little-endian ELF64 x86-64 `ET_EXEC`, and `ET_DYN` without `PT_INTERP`
//! (static PIE), which is loaded so that its lowest page lands at `Limits::pie_base`.
//! Everything else is refused with a [`PlanError`], which execve reports as ENOEXEC.
//!
//! How the kernel loads a plan: for each [`PageRange`] of [`LoadPlan::page_ranges`], map
//! zeroed frames with its permissions; then copy each segment's
//! [`Segment::file_bytes`] to its `vaddr`. Bytes past `filesz` (the .bss) and bytes of
//! a page that no segment covers stay zero. A page two segments share (say the end of
//! .text and the start of .data) holds both segments' bytes and gets the union of their
//! permissions. (Linux maps the file page by page, so there the later segment's mapping
//! wins the shared page; copying gives each segment its own bytes.)
#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use core::fmt;

use goblin::container::{Container, Ctx, Endian};
use goblin::elf::Elf;
use goblin::elf::header::{EI_CLASS, EI_DATA, ELFCLASS64, ELFDATA2LSB, ELFMAG, EM_X86_64, ET_DYN, ET_EXEC, Header};
use goblin::elf::program_header::{PF_R, PF_W, PF_X, PT_INTERP, PT_LOAD, PT_PHDR, ProgramHeader};
use kabi::Errno;

/// The page size segments are mapped with.
pub use kabi::mm::PAGE_SIZE;

/// The size of one ELF64 program header (`AT_PHENT`).
pub const PHENT_SIZE: u64 = 56;

/// The most program-header bytes accepted (Linux's limit: 64 KiB).
const MAX_PHDR_BYTES: u64 = 64 * 1024;

/// Where user images may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The lowest user address: no page may be mapped below it (the null guard).
    pub user_min: u64,
    /// The exclusive top of the address range for images.
    pub user_max: u64,
    /// Where a static PIE's lowest page is loaded (rounded down to a page).
    pub pie_base: u64,
}

/// One `PT_LOAD` segment, at its final address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// The user address of the segment's first byte (the load bias added).
    pub vaddr: u64,
    /// Its size in memory; the bytes past `filesz` are zero.
    pub memsz: u64,
    /// Where its bytes start in the file.
    pub file_offset: u64,
    /// How many bytes come from the file.
    pub filesz: u64,
    pub readable: bool,
    pub writable: bool,
    pub executable: bool,
}

impl Segment {
    /// The bytes to copy to `vaddr`: `filesz` bytes of `file` from `file_offset` (empty
    /// if `file` is not the file the plan was made from and is too short).
    pub fn file_bytes<'a>(&self, file: &'a [u8]) -> &'a [u8] {
        let end = self.file_offset.saturating_add(self.filesz);
        file.get(self.file_offset as usize..end as usize).unwrap_or_default()
    }
}

/// A run of pages to map with one set of permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRange {
    /// Page-aligned start address.
    pub start: u64,
    /// Page-aligned exclusive end address.
    pub end: u64,
    pub readable: bool,
    pub writable: bool,
    pub executable: bool,
}

/// A validated plan for loading an executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadPlan {
    /// The user address to start at (`AT_ENTRY`).
    pub entry: u64,
    /// The load bias added to every address in the file: 0 for `ET_EXEC`. This is not
    /// `AT_BASE`, the interpreter's address, which Linux gives as 0 to programs
    /// without one.
    pub base: u64,
    /// The loadable segments, in increasing address order, not overlapping.
    pub segments: Vec<Segment>,
    /// The user address of the program headers (`AT_PHDR`): `PT_PHDR`'s address, or
    /// where the `PT_LOAD` that holds them maps them, or 0 if none does (as Linux).
    pub phdr_addr: u64,
    /// The size of one program header (`AT_PHENT`).
    pub phent: u64,
    /// The number of program headers (`AT_PHNUM`).
    pub phnum: u64,
    /// The page-aligned end of the highest segment: where the heap (brk) starts.
    pub brk_start: u64,
}

impl LoadPlan {
    /// The pages to map and their permissions, in increasing address order; a page
    /// two segments share gets the union of their permissions.
    pub fn page_ranges(&self) -> Vec<PageRange> {
        let mut ranges: Vec<PageRange> = Vec::new();
        for segment in &self.segments {
            // `plan` checked that the page-rounded end does not overflow.
            let end = segment.vaddr.checked_add(segment.memsz).and_then(page_ceil);
            let mut range = PageRange {
                start: page_floor(segment.vaddr),
                end: end.unwrap_or(page_floor(u64::MAX)),
                readable: segment.readable,
                writable: segment.writable,
                executable: segment.executable,
            };
            if let Some(previous) = ranges.last_mut().filter(|previous| previous.end > range.start) {
                // Segments do not overlap, so only the previous range's last page can
                // hold both: split it off with the union of the permissions.
                let shared = PageRange {
                    start: range.start,
                    end: range.start.saturating_add(PAGE_SIZE),
                    readable: previous.readable || range.readable,
                    writable: previous.writable || range.writable,
                    executable: previous.executable || range.executable,
                };
                previous.end = range.start;
                if previous.start == previous.end {
                    ranges.pop();
                }
                ranges.push(shared);
                range.start = shared.end;
            }
            if range.start < range.end {
                ranges.push(range);
            }
        }
        ranges
    }
}

/// Why a file cannot be loaded. Every reason makes execve fail with ENOEXEC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanError {
    /// No ELF magic.
    NotElf,
    /// Not ELFCLASS64.
    Not64Bit,
    /// Not little-endian.
    NotLittleEndian,
    /// Not for x86-64.
    WrongMachine,
    /// Neither `ET_EXEC` nor `ET_DYN`.
    NotExecutable,
    /// Needs a dynamic linker (`PT_INTERP`): only static programs are supported.
    HasInterpreter,
    /// A broken ELF header or program-header table.
    BadHeader(&'static str),
    /// A segment that cannot be loaded.
    BadSegment(&'static str),
    /// The entry point lies outside user space.
    BadEntry,
}

impl PlanError {
    /// The errno execve reports.
    pub fn errno(self) -> Errno {
        Errno::ENOEXEC
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::NotElf => f.write_str("not an ELF file"),
            PlanError::Not64Bit => f.write_str("not a 64-bit ELF file"),
            PlanError::NotLittleEndian => f.write_str("not a little-endian ELF file"),
            PlanError::WrongMachine => f.write_str("not an x86-64 ELF file"),
            PlanError::NotExecutable => f.write_str("not an executable (ET_EXEC or ET_DYN)"),
            PlanError::HasInterpreter => f.write_str("dynamically linked (PT_INTERP): only static programs run"),
            PlanError::BadHeader(reason) => write!(f, "bad ELF header: {reason}"),
            PlanError::BadSegment(reason) => write!(f, "bad segment: {reason}"),
            PlanError::BadEntry => f.write_str("entry point outside user space"),
        }
    }
}

const fn page_floor(address: u64) -> u64 {
    address & !(PAGE_SIZE - 1)
}

fn page_ceil(address: u64) -> Option<u64> {
    Some(page_floor(address.checked_add(PAGE_SIZE - 1)?))
}

/// Checks an executable and plans how to load it within `limits`.
pub fn plan(file: &[u8], limits: Limits) -> Result<LoadPlan, PlanError> {
    let (header, phdrs) = parse_headers(file)?;
    if phdrs.iter().any(|phdr| phdr.p_type == PT_INTERP) {
        return Err(PlanError::HasInterpreter);
    }
    let loads: Vec<&ProgramHeader> = phdrs.iter().filter(|phdr| phdr.p_type == PT_LOAD && phdr.p_memsz > 0).collect();
    if loads.is_empty() {
        return Err(PlanError::BadSegment("no PT_LOAD segment"));
    }
    for load in &loads {
        check_in_file(load, file.len() as u64)?;
    }

    let base = if header.e_type == ET_DYN {
        let lowest = loads.iter().map(|load| page_floor(load.p_vaddr)).min().unwrap_or(0);
        page_floor(limits.pie_base)
            .checked_sub(lowest)
            .ok_or(PlanError::BadSegment("static PIE linked above the PIE base"))?
    } else {
        0
    };

    let mut segments =
        loads.iter().map(|load| place(load, base, limits)).collect::<Result<Vec<Segment>, PlanError>>()?;
    segments.sort_unstable_by_key(|segment| segment.vaddr);
    // `place` checked that every end fits below `user_max`.
    let end = |segment: &Segment| segment.vaddr + segment.memsz;
    if segments.windows(2).any(|pair| end(&pair[0]) > pair[1].vaddr) {
        return Err(PlanError::BadSegment("segments overlap"));
    }
    let highest_end = segments.iter().map(end).max().unwrap_or(0);
    let brk_start = page_ceil(highest_end).ok_or(PlanError::BadSegment("address overflow"))?;

    let entry = header.e_entry.checked_add(base).ok_or(PlanError::BadEntry)?;
    if !(limits.user_min..limits.user_max).contains(&entry) {
        return Err(PlanError::BadEntry);
    }

    let phdr_addr = match phdrs.iter().find(|phdr| phdr.p_type == PT_PHDR) {
        Some(phdr) => phdr.p_vaddr.checked_add(base).ok_or(PlanError::BadSegment("PT_PHDR address overflow"))?,
        // Within a placed segment, so no overflow.
        None => segments
            .iter()
            .find(|segment| (segment.file_offset..segment.file_offset + segment.filesz).contains(&header.e_phoff))
            .map_or(0, |segment| segment.vaddr + (header.e_phoff - segment.file_offset)),
    };

    Ok(LoadPlan { entry, base, segments, phdr_addr, phent: PHENT_SIZE, phnum: phdrs.len() as u64, brk_start })
}

/// Checks the ELF identification and header fields, and reads the header and the
/// program headers.
fn parse_headers(file: &[u8]) -> Result<(Header, Vec<ProgramHeader>), PlanError> {
    if !file.starts_with(ELFMAG) {
        return Err(PlanError::NotElf);
    }
    if file.get(EI_CLASS) != Some(&ELFCLASS64) {
        return Err(PlanError::Not64Bit);
    }
    if file.get(EI_DATA) != Some(&ELFDATA2LSB) {
        return Err(PlanError::NotLittleEndian);
    }
    let header = Elf::parse_header(file).map_err(|_| PlanError::BadHeader("truncated"))?;
    if header.e_machine != EM_X86_64 {
        return Err(PlanError::WrongMachine);
    }
    if header.e_type != ET_EXEC && header.e_type != ET_DYN {
        return Err(PlanError::NotExecutable);
    }
    if u64::from(header.e_phentsize) != PHENT_SIZE {
        return Err(PlanError::BadHeader("e_phentsize is not 56"));
    }
    let table_size = u64::from(header.e_phnum) * PHENT_SIZE;
    if table_size == 0 {
        return Err(PlanError::BadHeader("no program headers"));
    }
    if table_size > MAX_PHDR_BYTES {
        return Err(PlanError::BadHeader("too many program headers"));
    }
    let table_end = header.e_phoff.checked_add(table_size);
    if table_end.is_none_or(|end| end > file.len() as u64) {
        return Err(PlanError::BadHeader("program headers beyond the end of the file"));
    }
    let ctx = Ctx::new(Container::Big, Endian::Little);
    let phdrs = ProgramHeader::parse(file, header.e_phoff as usize, header.e_phnum.into(), ctx)
        .map_err(|_| PlanError::BadHeader("malformed program headers"))?;
    Ok((header, phdrs))
}

/// Checks a `PT_LOAD`'s sizes and alignment against the file.
fn check_in_file(load: &ProgramHeader, file_len: u64) -> Result<(), PlanError> {
    if load.p_filesz > load.p_memsz {
        return Err(PlanError::BadSegment("p_filesz is larger than p_memsz"));
    }
    let file_end = load.p_offset.checked_add(load.p_filesz);
    if file_end.is_none_or(|end| end > file_len) {
        return Err(PlanError::BadSegment("data beyond the end of the file"));
    }
    if load.p_align > 1 {
        if !load.p_align.is_power_of_two() {
            return Err(PlanError::BadSegment("p_align is not a power of two"));
        }
        if load.p_vaddr % load.p_align != load.p_offset % load.p_align {
            return Err(PlanError::BadSegment("p_vaddr and p_offset disagree modulo p_align"));
        }
    }
    Ok(())
}

/// The segment of `load` at its biased address, checked against `limits`.
fn place(load: &ProgramHeader, base: u64, limits: Limits) -> Result<Segment, PlanError> {
    let vaddr = load.p_vaddr.checked_add(base);
    let end = vaddr.and_then(|vaddr| page_ceil(vaddr.checked_add(load.p_memsz)?));
    let (Some(vaddr), Some(end)) = (vaddr, end) else {
        return Err(PlanError::BadSegment("address overflow"));
    };
    if page_floor(vaddr) < limits.user_min {
        return Err(PlanError::BadSegment("below the lowest user address"));
    }
    if end > limits.user_max {
        return Err(PlanError::BadSegment("beyond the top of user space"));
    }
    Ok(Segment {
        vaddr,
        memsz: load.p_memsz,
        file_offset: load.p_offset,
        filesz: load.p_filesz,
        readable: load.p_flags & PF_R != 0,
        writable: load.p_flags & PF_W != 0,
        executable: load.p_flags & PF_X != 0,
    })
}
