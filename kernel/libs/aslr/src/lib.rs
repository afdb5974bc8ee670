//! The layout of a new program's address space, chosen as Linux's x86-64 does
//! (`arch/x86/mm/mmap.c`, `fs/binfmt_elf.c`, `fs/exec.c`), with address-space layout
//! randomization (ASLR, Linux's `randomize_va_space` 2) or without it (`norandmaps`):
//!
//! | what | without randomization | randomized |
//! | --- | --- | --- |
//! | stack top | `TASK_SIZE` (0x7fff_ffff_f000) | up to 16 GiB lower (22 bits of pages), and the initial stack pointer up to 8 KiB below it (16-byte steps) |
//! | mmap base: the top of the mmap area, which grows down | `TASK_SIZE` less the gap for the stack: its limit, a 1 MiB guard gap (and the 16 GiB the stack top may move), at least 128 MiB: 0x7fff_f7ff_f000 for 8 MiB | up to 1 TiB lower (28 bits of pages) |
//! | PIE base (an `ET_DYN` program with an interpreter) | `ELF_ET_DYN_BASE`, 2/3 of `TASK_SIZE`: 0x5555_5555_4000 | up to 1 TiB higher (28 bits of pages) |
//! | heap (brk) | the page after the program's last segment; for a static PIE `ELF_ET_DYN_BASE` | one page later, then up to 1 GiB higher |
//!
//! The interpreter, a static PIE (which Linux loads like an interpreter), the vDSO and
//! mappings without a usable hint go top-down below the mmap base, where the kernel
//! finds room. Not as Linux: the stack's region is made whole at exec, so its size is
//! capped at [`STACK_MAX`] (Linux grows the stack on demand, and lays out memory
//! bottom-up for an unlimited stack).
#![cfg_attr(not(test), no_std)]

/// The page size.
pub const PAGE_SIZE: u64 = 4096;
const PAGE_SHIFT: u32 = 12;

/// The top of user space (Linux's `TASK_SIZE` on x86-64 with 4-level paging): the
/// stack top without randomization.
pub const TASK_SIZE: u64 = 0x7fff_ffff_f000;
/// Where a PIE with an interpreter is loaded without randomization (Linux's
/// `ELF_ET_DYN_BASE`; its first page is 0x5555_5555_4000), and where a static PIE's
/// heap starts.
pub const ELF_ET_DYN_BASE: u64 = TASK_SIZE / 3 * 2;
/// The pages the stack top may move down (Linux's `STACK_RND_MASK`: 22 bits, 16 GiB).
pub const STACK_RANDOM_PAGES: u64 = 0x3f_ffff;
/// The initial stack pointer moves down by less than this (`arch_align_stack`).
pub const STACK_POINTER_RANDOM: u64 = 8192;
/// Bits of pages the mmap base and the PIE base move by (Linux's default
/// `mmap_rnd_bits` on x86-64): 1 TiB.
pub const MMAP_RANDOM_BITS: u32 = 28;
/// How far the heap's start may move (`arch_randomize_brk`).
pub const BRK_RANDOM_RANGE: u64 = 1 << 30;
/// The gap kept between the stack's region and the mmap area (`stack_guard_gap`).
pub const STACK_GUARD_GAP: u64 = 256 * PAGE_SIZE;
/// The least room left for the stack above the mmap base (`mmap_base`'s `gap_min`).
pub const MIN_GAP: u64 = 128 << 20;
/// The largest stack region: a larger RLIMIT_STACK, unlimited included, gets this.
pub const STACK_MAX: u64 = 4 << 30;

/// Random numbers for one layout: any values, each used for one choice (only its low
/// bits count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Draws {
    pub stack: u64,
    pub stack_pointer: u64,
    pub mmap: u64,
    pub pie: u64,
    pub brk: u64,
}

/// Where a new program's stack, mappings, PIE and heap go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The page-aligned end of the main stack's region.
    pub stack_top: u64,
    /// The page-aligned start of the stack's region: RLIMIT_STACK bytes (whole pages,
    /// at least one, at most [`STACK_MAX`]) below the top.
    pub stack_bottom: u64,
    /// Where the initial stack's contents (strings, auxv, argc) end: `stack_top`, or
    /// up to 8 KiB lower when randomized (16-byte aligned).
    pub initial_stack_top: u64,
    /// The page-aligned top of the mmap area (Linux's `mmap_base`).
    pub mmap_top: u64,
    /// Where a PIE with an interpreter is loaded, before rounding down to its alignment.
    pub pie_base: u64,
    /// The draw that moves the heap, when randomized.
    brk_draw: Option<u64>,
}

const fn page_ceil(address: u64) -> u64 {
    address.saturating_add(PAGE_SIZE - 1) & !(PAGE_SIZE - 1)
}

/// `draw`'s low `bits` bits as a number of pages, in bytes.
const fn pages(draw: u64, bits: u32) -> u64 {
    (draw & ((1 << bits) - 1)) << PAGE_SHIFT
}

impl Layout {
    /// The layout for a program run with a stack limit of `stack_limit` bytes
    /// (RLIMIT_STACK), randomized by `draws` or not randomized at all.
    pub fn new(stack_limit: u64, draws: Option<Draws>) -> Self {
        let stack_limit = stack_limit.min(STACK_MAX);
        let stack_top = TASK_SIZE - draws.map_or(0, |d| (d.stack & STACK_RANDOM_PAGES) << PAGE_SHIFT);
        let initial_stack_top = draws.map_or(stack_top, |d| (stack_top - d.stack_pointer % STACK_POINTER_RANDOM) & !15);
        // The stack may take whole pages within its limit (at least one).
        let stack_bottom = stack_top - (stack_limit & !(PAGE_SIZE - 1)).max(PAGE_SIZE);
        // mmap_base(): the stack's limit, the guard gap and how far the stack top may
        // move, at least MIN_GAP, below the top of user space (Linux's upper bound,
        // 5/6 of it, is out of reach with STACK_MAX); and never closer to the stack
        // than the guard gap (only a limit under a page or not a whole number of
        // pages could bring it closer).
        let stack_random_range = if draws.is_some() { STACK_RANDOM_PAGES << PAGE_SHIFT } else { 0 };
        let gap = (stack_limit + stack_random_range + STACK_GUARD_GAP).max(MIN_GAP);
        let mmap_top = page_ceil(TASK_SIZE - gap - draws.map_or(0, |d| pages(d.mmap, MMAP_RANDOM_BITS)))
            .min(stack_bottom - STACK_GUARD_GAP);
        let pie_base = ELF_ET_DYN_BASE + draws.map_or(0, |d| pages(d.pie, MMAP_RANDOM_BITS));
        Self { stack_top, stack_bottom, initial_stack_top, mmap_top, pie_base, brk_draw: draws.map(|d| d.brk) }
    }

    /// Whether the layout is randomized.
    pub fn is_randomized(&self) -> bool {
        self.brk_draw.is_some()
    }

    /// Where the heap starts for a program whose last segment ends at `image_end`: the
    /// next page, or (randomized) a page later and up to 1 GiB higher.
    pub fn heap_start(&self, image_end: u64) -> u64 {
        let start = page_ceil(image_end);
        match self.brk_draw {
            Some(draw) => randomize_page(start.saturating_add(PAGE_SIZE), draw),
            None => start,
        }
    }

    /// Where the heap of a static PIE starts (Linux moves it out of the mmap area,
    /// where such a program is loaded, to `ELF_ET_DYN_BASE`): there, or up to 1 GiB
    /// higher.
    pub fn static_pie_heap_start(&self) -> u64 {
        let start = page_ceil(ELF_ET_DYN_BASE);
        self.brk_draw.map_or(start, |draw| randomize_page(start, draw))
    }
}

/// `start` moved up by a whole number of pages below `BRK_RANDOM_RANGE` (Linux's
/// `randomize_page`), never past the top of the address space.
fn randomize_page(start: u64, draw: u64) -> u64 {
    let range = BRK_RANDOM_RANGE.min(u64::MAX - start) >> PAGE_SHIFT;
    if range == 0 { start } else { start + ((draw % range) << PAGE_SHIFT) }
}
