//! What the integration tests share: the limits they plan with, the ELF constants
//! they use, a writer of hand-made x86-64 ELF64 files, and the checks of a plan's
//! page ranges (a failed check is a `TestCaseError`: the property tests pass it on,
//! the example tests unwrap it).

// Each test file uses a part of this module; the rest is dead code there.
#![allow(dead_code)]

use elf_plan::{Elf, Limits, LoadPlan, PAGE_SIZE, PageRange, PlanError};
use proptest::prelude::*;

pub const LIMITS: Limits = Limits { user_min: 0x40_0000, user_max: 0x7fff_ffff_f000, pie_base: 0x5555_5555_4000 };

pub const PT_LOAD: u32 = 1;
pub const PT_INTERP: u32 = 3;
pub const PT_NOTE: u32 = 4;
pub const PT_PHDR: u32 = 6;
pub const PF_X: u32 = 1;
pub const PF_W: u32 = 2;
pub const PF_R: u32 = 4;
pub const ET_REL: u16 = 1;
pub const ET_EXEC: u16 = 2;
pub const ET_DYN: u16 = 3;
pub const EM_X86_64: u16 = 62;
pub const EHDR_SIZE: usize = 64;
pub const PHDR_SIZE: usize = 56;
/// `e_ident` up to `EI_PAD`: the magic, ELFCLASS64, little-endian, version 1, SysV.
pub const IDENT: [u8; 8] = [0x7f, b'E', b'L', b'F', 2, 1, 1, 0];

/// Parses `file` and plans it within `limits`.
pub fn plan(file: &[u8], limits: Limits) -> Result<LoadPlan, PlanError> {
    Elf::parse(file)?.plan(limits)
}

/// One program header as written to the file.
#[derive(Debug, Clone, Copy)]
pub struct Phdr {
    pub kind: u32,
    pub flags: u32,
    pub offset: u64,
    pub vaddr: u64,
    pub filesz: u64,
    pub memsz: u64,
    pub align: u64,
}

/// A page-aligned `PT_LOAD`.
pub fn load(flags: u32, offset: u64, vaddr: u64, filesz: u64, memsz: u64) -> Phdr {
    Phdr { kind: PT_LOAD, flags, offset, vaddr, filesz, memsz, align: PAGE_SIZE }
}

/// An x86-64 ELF64 file of `len` bytes (at least the headers) with the program
/// headers right after the ELF header, zeros after them.
pub fn elf(e_type: u16, entry: u64, phdrs: &[Phdr], len: usize) -> Vec<u8> {
    let mut file = vec![0u8; len.max(EHDR_SIZE + PHDR_SIZE * phdrs.len())];
    file[..8].copy_from_slice(&IDENT);
    file[16..18].copy_from_slice(&e_type.to_le_bytes());
    file[18..20].copy_from_slice(&EM_X86_64.to_le_bytes());
    file[20..24].copy_from_slice(&1u32.to_le_bytes());
    file[24..32].copy_from_slice(&entry.to_le_bytes());
    file[32..40].copy_from_slice(&(EHDR_SIZE as u64).to_le_bytes());
    file[52..54].copy_from_slice(&(EHDR_SIZE as u16).to_le_bytes());
    file[54..56].copy_from_slice(&(PHDR_SIZE as u16).to_le_bytes());
    file[56..58].copy_from_slice(&(phdrs.len() as u16).to_le_bytes());
    for (index, phdr) in phdrs.iter().enumerate() {
        let at = EHDR_SIZE + index * PHDR_SIZE;
        let fields = [phdr.offset, phdr.vaddr, phdr.vaddr, phdr.filesz, phdr.memsz, phdr.align];
        file[at..at + 4].copy_from_slice(&phdr.kind.to_le_bytes());
        file[at + 4..at + 8].copy_from_slice(&phdr.flags.to_le_bytes());
        for (slot, value) in fields.iter().enumerate() {
            let field = at + 8 + slot * 8;
            file[field..field + 8].copy_from_slice(&value.to_le_bytes());
        }
    }
    file
}

/// Checks the plan's page ranges and returns them: in order and disjoint, whole pages,
/// and every page of every segment mapped with at least the segment's permissions.
pub fn check_page_ranges(plan: &LoadPlan) -> Result<Vec<PageRange>, TestCaseError> {
    let pages = plan.page_ranges();
    prop_assert!(pages.windows(2).all(|pair| pair[0].end <= pair[1].start), "page ranges overlap");
    for page in &pages {
        prop_assert!(page.start < page.end && page.start % PAGE_SIZE == 0 && page.end % PAGE_SIZE == 0);
    }
    for segment in &plan.segments {
        let span = (segment.vaddr & !(PAGE_SIZE - 1))..(segment.vaddr + segment.memsz).next_multiple_of(PAGE_SIZE);
        let mut covered = 0;
        for page in pages.iter().filter(|page| page.start < span.end && span.start < page.end) {
            covered += page.end.min(span.end) - page.start.max(span.start);
            prop_assert!(page.readable >= segment.readable);
            prop_assert!(page.writable >= segment.writable);
            prop_assert!(page.executable >= segment.executable);
        }
        prop_assert_eq!(covered, span.end - span.start);
    }
    Ok(pages)
}
