//! ELF load plans: turns an executable's bytes into a validated list of segments to map,
//! the entry point and the auxv values, for execve. Parses only the ELF header and the
//! program headers (with `goblin`), which is all a loader needs; never panics.
//!
//! execve loads one object (a static program) or two (a program with `PT_INTERP` and its
//! interpreter, the dynamic linker). [`Elf::parse`] checks a file's headers (little-endian
//! ELF64 x86-64, `ET_EXEC` or `ET_DYN`); [`Elf::interpreter`] reads the interpreter's path
//! as Linux's `load_elf_binary` does; [`Elf::extent`] tells how much room an `ET_DYN`
//! object needs, and at what alignment, so the kernel can choose where it goes
//! ([`Extent::start_in`] for a top-down search, [`Extent::align_down`] for a fixed base);
//! [`Elf::plan`] places the segments. What is refused is a [`PlanError`], whose errno
//! depends on whether the file is the program or its interpreter ([`Role`]).
//!
//! How a kernel loads a plan: for each [`PageRange`] of [`LoadPlan::page_ranges`], zeroed
//! memory with its permissions; then each segment's [`Segment::file_bytes`] at its
//! `vaddr`, copied, or (Kestrel's way, for whole pages only one segment covers) mapped
//! from the file's pages. Bytes past `filesz` (the .bss) stay zero. A page two segments
//! share (say the end of .text and the start of .data) holds both segments' bytes and
//! gets the union of their permissions. (Linux maps the file page by page, so there the
//! later segment's mapping wins the shared page; copying gives each segment its own
//! bytes.)
#![cfg_attr(not(test), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use core::fmt;

use goblin::container::{Container, Ctx, Endian};
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
    /// Where an `ET_DYN` object's lowest page is loaded (rounded down to a page).
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

/// Which object of an execve a file is: Linux reports the same faults differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The file execve was given.
    Program,
    /// The program's interpreter (its `PT_INTERP`).
    Interpreter,
}

/// Why a file cannot be loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanError {
    /// Shorter than an ELF header.
    Truncated,
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
    /// A broken ELF header or program-header table.
    BadHeader(&'static str),
    /// A `PT_INTERP` whose path is empty, longer than `PATH_MAX` or not NUL-terminated.
    BadInterpreterPath(&'static str),
    /// A `PT_INTERP` whose bytes lie past the end of the file.
    InterpreterPathBeyondFile,
    /// The program headers or the `PT_INTERP` lie within the file but past the
    /// first bytes [`Elf::parse_head`] was given: parse more of the file.
    BeyondHead,
    /// A segment that cannot be loaded.
    BadSegment(&'static str),
    /// The entry point lies outside user space.
    BadEntry,
}

impl PlanError {
    /// The errno execve reports, as Linux's `load_elf_binary`: for the program
    /// ENOEXEC, or EIO when its `PT_INTERP` cannot be read; for the interpreter EIO
    /// when it is too short to hold an ELF header, else ELIBBAD. (Linux finds some of
    /// these faults, such as bad segments or an interpreter that is neither `ET_EXEC`
    /// nor `ET_DYN`, only after the point of no return, and kills the process with
    /// SIGSEGV; here the caller always gets the error.)
    pub fn errno(self, role: Role) -> Errno {
        match (role, self) {
            (_, PlanError::InterpreterPathBeyondFile) | (Role::Interpreter, PlanError::Truncated) => Errno::EIO,
            (Role::Program, _) => Errno::ENOEXEC,
            (Role::Interpreter, _) => Errno::ELIBBAD,
        }
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Truncated => f.write_str("shorter than an ELF header"),
            PlanError::NotElf => f.write_str("not an ELF file"),
            PlanError::Not64Bit => f.write_str("not a 64-bit ELF file"),
            PlanError::NotLittleEndian => f.write_str("not a little-endian ELF file"),
            PlanError::WrongMachine => f.write_str("not an x86-64 ELF file"),
            PlanError::NotExecutable => f.write_str("not an executable (ET_EXEC or ET_DYN)"),
            PlanError::BadHeader(reason) => write!(f, "bad ELF header: {reason}"),
            PlanError::BadInterpreterPath(reason) => write!(f, "bad PT_INTERP: {reason}"),
            PlanError::InterpreterPathBeyondFile => f.write_str("PT_INTERP beyond the end of the file"),
            PlanError::BeyondHead => f.write_str("headers beyond the bytes read"),
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

/// The size of an ELF64 header.
pub const EHDR_SIZE: usize = 64;

/// Linux's `PATH_MAX`: the most bytes a `PT_INTERP` may hold, its NUL included.
pub const PATH_MAX: u64 = 4096;

/// An executable's checked ELF header and program headers.
#[derive(Debug, Clone)]
pub struct Elf<'a> {
    /// The file's first bytes (all of it, or enough for its headers).
    head: &'a [u8],
    file_len: u64,
    header: Header,
    phdrs: Vec<ProgramHeader>,
}

/// The address range an `ET_DYN` object's segments take, relative to where it is
/// loaded: what the kernel needs to choose its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    /// The lowest segment's first page, as linked.
    pub first_page: u64,
    /// Bytes from `first_page` to the page-rounded end of the highest segment.
    pub len: u64,
    /// The largest `p_align` of the segments, at least a page: the object is loaded at
    /// a multiple of it (a power of two).
    pub align: u64,
}

impl Extent {
    /// The size of a free range that holds the object at an aligned start wherever
    /// the range lies (None if it does not fit in the address space).
    pub fn room(&self) -> Option<u64> {
        self.len.checked_add(self.align - PAGE_SIZE)
    }

    /// Where the object's first page goes in a free range of [`Extent::room`] bytes
    /// starting at the page-aligned `gap`: the highest aligned address, as Linux's
    /// top-down search for unmapped memory gives.
    pub fn start_in(&self, gap: u64) -> u64 {
        self.align_down(gap.saturating_add(self.align - PAGE_SIZE))
    }

    /// `address` rounded down to the object's alignment (Linux's PIE base rounding).
    pub fn align_down(&self, address: u64) -> u64 {
        address & !(self.align - 1)
    }
}

impl<'a> Elf<'a> {
    /// Checks the headers of `file`.
    pub fn parse(file: &'a [u8]) -> Result<Self, PlanError> {
        Self::parse_head(file, file.len() as u64)
    }

    /// Checks the headers of a file of `file_len` bytes from `head`, its first
    /// bytes (a loader need not read the whole file): [`PlanError::BeyondHead`]
    /// if the program headers, or later the `PT_INTERP`, lie past them.
    pub fn parse_head(head: &'a [u8], file_len: u64) -> Result<Self, PlanError> {
        let (header, phdrs) = parse_headers(head, file_len)?;
        Ok(Self { head, file_len, header, phdrs })
    }

    /// Whether the object is position independent (`ET_DYN`): loaded wherever the
    /// kernel chooses rather than at its link-time addresses.
    pub fn is_dyn(&self) -> bool {
        self.header.e_type == ET_DYN
    }

    /// The path of the interpreter the first `PT_INTERP` names, up to its first NUL,
    /// or None for a static program. Its segment must hold 2 to `PATH_MAX` bytes, the
    /// last a NUL, as Linux requires.
    pub fn interpreter(&self) -> Result<Option<&'a [u8]>, PlanError> {
        let Some(interp) = self.phdrs.iter().find(|phdr| phdr.p_type == PT_INTERP) else { return Ok(None) };
        if !(2..=PATH_MAX).contains(&interp.p_filesz) {
            return Err(PlanError::BadInterpreterPath("not 2 to PATH_MAX bytes"));
        }
        let end = interp.p_offset.checked_add(interp.p_filesz).ok_or(PlanError::InterpreterPathBeyondFile)?;
        if end > self.file_len {
            return Err(PlanError::InterpreterPathBeyondFile);
        }
        let bytes = self.head.get(interp.p_offset as usize..end as usize).ok_or(PlanError::BeyondHead)?;
        let Some((&0, _)) = bytes.split_last() else {
            return Err(PlanError::BadInterpreterPath("not NUL-terminated"));
        };
        Ok(bytes.split(|&byte| byte == 0).next())
    }

    /// The addresses the loadable segments span and their alignment.
    pub fn extent(&self) -> Result<Extent, PlanError> {
        let loads = self.loads()?;
        let first_page = loads.iter().map(|load| page_floor(load.p_vaddr)).min().unwrap_or(0);
        let end = loads
            .iter()
            .map(|load| load.p_vaddr.checked_add(load.p_memsz).and_then(page_ceil))
            .try_fold(0, |highest: u64, end| end.map(|end| highest.max(end)))
            .ok_or(PlanError::BadSegment("address overflow"))?;
        let align = loads.iter().map(|load| load.p_align).fold(PAGE_SIZE, u64::max);
        Ok(Extent { first_page, len: end - first_page, align })
    }

    /// The loadable segments (`PT_LOAD`s with bytes in memory), checked against the file.
    fn loads(&self) -> Result<Vec<&ProgramHeader>, PlanError> {
        let loads: Vec<&ProgramHeader> =
            self.phdrs.iter().filter(|phdr| phdr.p_type == PT_LOAD && phdr.p_memsz > 0).collect();
        if loads.is_empty() {
            return Err(PlanError::BadSegment("no PT_LOAD segment"));
        }
        for load in &loads {
            check_in_file(load, self.file_len)?;
        }
        Ok(loads)
    }

    /// Plans how to load the object within `limits`: an `ET_EXEC` object at its own
    /// addresses, an `ET_DYN` one with its lowest page at `limits.pie_base`.
    pub fn plan(&self, limits: Limits) -> Result<LoadPlan, PlanError> {
        let (header, phdrs) = (&self.header, &self.phdrs);
        let loads = self.loads()?;
        let base = if self.is_dyn() {
            let lowest = loads.iter().map(|load| page_floor(load.p_vaddr)).min().unwrap_or(0);
            page_floor(limits.pie_base)
                .checked_sub(lowest)
                .ok_or(PlanError::BadSegment("position-independent object linked above its base"))?
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
}

/// Checks the ELF identification and header fields, and reads the header and the
/// program headers from `file`, the first bytes of a file of `file_len` bytes.
fn parse_headers(file: &[u8], file_len: u64) -> Result<(Header, Vec<ProgramHeader>), PlanError> {
    if file_len < EHDR_SIZE as u64 {
        return Err(PlanError::Truncated);
    }
    if file.len() < EHDR_SIZE {
        return Err(PlanError::BeyondHead);
    }
    if !file.starts_with(ELFMAG) {
        return Err(PlanError::NotElf);
    }
    if file.get(EI_CLASS) != Some(&ELFCLASS64) {
        return Err(PlanError::Not64Bit);
    }
    if file.get(EI_DATA) != Some(&ELFDATA2LSB) {
        return Err(PlanError::NotLittleEndian);
    }
    let header = goblin::elf::Elf::parse_header(file).map_err(|_| PlanError::Truncated)?;
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
    if table_end.is_none_or(|end| end > file_len) {
        return Err(PlanError::BadHeader("program headers beyond the end of the file"));
    }
    if table_end.is_some_and(|end| end > file.len() as u64) {
        return Err(PlanError::BeyondHead);
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
