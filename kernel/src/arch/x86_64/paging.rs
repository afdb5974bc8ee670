//! 4-level page tables (through the `x86_64` crate's OffsetPageTable, which reaches
//! table frames via the direct map): the kernel's own table (direct map of RAM,
//! kernel image W^X, guard pages left out), and the operations address spaces
//! use: map, unmap, translate, change flags, walk and free the user half, activate.
//!
//! A user page's entry says whether its address space owns the frame: a
//! borrowed frame (a shared object's, or a file's under a private mapping) has
//! the software bit `BORROWED` and is never handed back to be freed.
use core::ops::Range;

use x86_64::registers::control::{Cr3, Cr3Flags};
use x86_64::structures::paging::mapper::{MappedFrame, TranslateResult};
use x86_64::structures::paging::page_table::PageTableEntry;
use x86_64::structures::paging::{
    FrameAllocator, Mapper, OffsetPageTable, Page, PageSize, PageTable, PageTableFlags as F, PhysFrame, Size2MiB,
    Size4KiB, Translate,
};
use x86_64::{PhysAddr, VirtAddr};

use crate::layout::{DIRECT_MAP_BASE, KERNEL_VMA, phys_to_virt};

use super::sections::kernel_sections;
use super::stacks;

pub const PAGE_SIZE: u64 = 4096;
pub const HUGE_PAGE_SIZE: u64 = Size2MiB::SIZE;
/// The software-available entry bit marking a frame the address space borrows.
const BORROWED: F = F::BIT_9;
/// PML4 slots 256..512 are the kernel half, shared by every address space.
const KERNEL_HALF: Range<usize> = 256..512;

/// What a mapping allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Access {
    pub write: bool,
    pub execute: bool,
    pub user: bool,
}

impl Access {
    fn flags(self) -> F {
        let mut flags = F::PRESENT;
        flags.set(F::WRITABLE, self.write);
        flags.set(F::NO_EXECUTE, !self.execute);
        flags.set(F::USER_ACCESSIBLE, self.user);
        flags
    }

    fn from_flags(flags: F) -> Self {
        Self {
            write: flags.contains(F::WRITABLE),
            execute: !flags.contains(F::NO_EXECUTE),
            user: flags.contains(F::USER_ACCESSIBLE),
        }
    }
}

/// A mapped user page: its frame, its access, and whether the frame is borrowed
/// (another owner frees it) rather than the address space's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mapped {
    pub frame: u64,
    pub access: Access,
    pub borrowed: bool,
}

impl Mapped {
    fn of(entry: &PageTableEntry) -> Self {
        Self::of_bits(entry.addr().as_u64() | entry.flags().bits())
    }

    /// A leaf entry given as its bits.
    fn of_bits(entry: u64) -> Self {
        let flags = F::from_bits_truncate(entry);
        Self { frame: entry & ENTRY_ADDRESS, access: Access::from_flags(flags), borrowed: flags.contains(BORROWED) }
    }

    fn flags(self) -> F {
        let mut flags = self.access.flags();
        flags.set(BORROWED, self.borrowed);
        flags
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapError {
    /// No frame for a page table.
    OutOfFrames,
    /// Something is mapped there already.
    AlreadyMapped,
    /// The address is not mapped with a 4 KiB page.
    NotMapped,
    /// The address is not canonical (bits 48..64 are not copies of bit 47).
    NotCanonical,
}

/// The 4 KiB page holding `virt`, if the address is canonical: user numbers reach
/// here, and the `x86_64` crate panics on a non-canonical address.
fn page_of(virt: u64) -> Result<Page<Size4KiB>, MapError> {
    VirtAddr::try_new(virt).map(Page::containing_address).map_err(|_| MapError::NotCanonical)
}

/// Where page-table frames come from and go back to: the memory layer's frame
/// allocator, handed down at boot (`set_frame_source`) so this layer does not
/// reach up to it.
#[derive(Debug, Clone, Copy)]
pub struct FrameSource {
    /// A free frame's physical address, each at most once until freed.
    pub alloc: fn() -> Option<u64>,
    pub free: fn(u64),
}

static FRAME_SOURCE: spin::Once<FrameSource> = spin::Once::new();

/// Install the frame allocator (before the first page table is built).
pub fn set_frame_source(source: FrameSource) {
    FRAME_SOURCE.call_once(|| source);
}

fn frames() -> FrameSource {
    *FRAME_SOURCE.get().expect("the frame source is set before paging starts")
}

/// Hands the x86_64 crate page-table frames from the frame allocator.
struct TableFrames;

// SAFETY: the frame source returns each free frame once; the mapper zeroes new
// tables.
unsafe impl FrameAllocator<Size4KiB> for TableFrames {
    fn allocate_frame(&mut self) -> Option<PhysFrame<Size4KiB>> {
        (frames().alloc)().map(|addr| PhysFrame::containing_address(PhysAddr::new(addr)))
    }
}

/// The physical address of a page-table root (PML4), owned by its address space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Root(u64);

static KERNEL_ROOT: spin::Once<Root> = spin::Once::new();

fn table_at(phys: u64) -> &'static mut PageTable {
    // SAFETY: `phys` is a page-table frame owned by a Root (or being built); the
    // direct map covers it. Callers hold the only live reference (address spaces are
    // changed under their owner's &mut).
    unsafe { &mut *(phys_to_virt(phys) as *mut PageTable) }
}

/// The 512 entries of the page table at `phys` as numbers (0 = unused), to read.
fn entries_at(phys: u64) -> &'static [u64; 512] {
    // SAFETY: `phys` is a page-table frame reached from a Root; the direct map
    // covers it. A PageTable is 512 transparent u64 entries (repr(C)); this view
    // only reads them, while the address space's owner holds it (so none changes
    // under the walk).
    unsafe { &*(phys_to_virt(phys) as *const [u64; 512]) }
}

/// The indices in `slots` of the used entries of the table at `phys`, found by
/// testing eight entries at once: a walk of the user half visits every table,
/// and most entries are empty.
fn used_slots(phys: u64, slots: Range<usize>) -> impl Iterator<Item = usize> {
    const GROUP: usize = 8;
    let raw = entries_at(phys);
    (slots.start / GROUP..slots.end.div_ceil(GROUP))
        .filter(move |&group| raw[group * GROUP..][..GROUP].iter().fold(0, |any, &entry| any | entry) != 0)
        .flat_map(move |group| group * GROUP..(group + 1) * GROUP)
        .filter(move |&i| slots.contains(&i) && raw[i] != 0)
}

fn mapper(root: Root) -> OffsetPageTable<'static> {
    // SAFETY: root.0 is a valid PML4 and the direct map starts at DIRECT_MAP_BASE.
    unsafe { OffsetPageTable::new(table_at(root.0), VirtAddr::new(DIRECT_MAP_BASE)) }
}

fn new_table_frame() -> Result<u64, MapError> {
    let frame = (frames().alloc)().ok_or(MapError::OutOfFrames)?;
    table_at(frame).zero();
    Ok(frame)
}

/// Build the kernel's page table and switch to it: the direct map of
/// `0..direct_map_end` (2 MiB pages, no-execute), the kernel image with 4 KiB pages
/// (text RX, rodata R, data and bss RW-NX, stack guard pages absent), and a
/// table for every kernel-half PML4 slot so all address spaces share them. The
/// trampoline's identity map is gone afterwards.
pub fn init_kernel_table(direct_map_end: u64) -> Root {
    let root = Root(new_table_frame().expect("no frame for the kernel page table"));
    let mut m = mapper(root);
    let rw_nx = F::PRESENT | F::WRITABLE | F::NO_EXECUTE;
    for phys in (0..direct_map_end.next_multiple_of(Size2MiB::SIZE)).step_by(Size2MiB::SIZE as usize) {
        let page = Page::<Size2MiB>::containing_address(VirtAddr::new(phys_to_virt(phys)));
        let frame = PhysFrame::<Size2MiB>::containing_address(PhysAddr::new(phys));
        // SAFETY: the direct map aliases RAM only through this kernel-only window.
        unsafe { m.map_to(page, frame, rw_nx | F::HUGE_PAGE, &mut TableFrames) }.expect("direct map").ignore();
    }
    let s = kernel_sections();
    let guards = stacks::guard_pages();
    let parts = [(s.text.clone(), F::PRESENT), (s.rodata.clone(), F::PRESENT | F::NO_EXECUTE), (s.data.clone(), rw_nx)];
    for (range, flags) in parts {
        for virt in range.step_by(PAGE_SIZE as usize).filter(|v| !guards.contains(v)) {
            let page = Page::<Size4KiB>::containing_address(VirtAddr::new(virt));
            let frame = PhysFrame::containing_address(PhysAddr::new(virt - KERNEL_VMA));
            // SAFETY: maps the kernel image onto the frames GRUB loaded it into.
            unsafe { m.map_to(page, frame, flags, &mut TableFrames) }.expect("kernel image map").ignore();
        }
    }
    let pml4 = table_at(root.0);
    for slot in KERNEL_HALF {
        if pml4[slot].is_unused() {
            let table = new_table_frame().expect("no frame for a kernel page table");
            pml4[slot].set_addr(PhysAddr::new(table), F::PRESENT | F::WRITABLE);
        }
    }
    activate(root);
    *KERNEL_ROOT.call_once(|| root)
}

/// The kernel's own table.
pub fn kernel_root() -> Root {
    *KERNEL_ROOT.get().expect("paging initialised")
}

/// A new root sharing the kernel half, with an empty user half.
pub fn new_root() -> Result<Root, MapError> {
    let frame = new_table_frame()?;
    let kernel = table_at(kernel_root().0);
    let pml4 = table_at(frame);
    for slot in KERNEL_HALF {
        pml4[slot] = kernel[slot].clone();
    }
    Ok(Root(frame))
}

/// Load `root` into CR3.
pub fn activate(root: Root) {
    // Writing CR3 flushes the TLB (under QEMU's TCG its whole software TLB):
    // not for a switch between threads of one address space.
    if active_root() == root {
        return;
    }
    let frame = PhysFrame::containing_address(PhysAddr::new(root.0));
    // SAFETY: every root maps the kernel half identically, so the running code and
    // its stack stay mapped across the switch.
    unsafe { Cr3::write(frame, Cr3Flags::empty()) };
}

/// Map the 4 KiB page at `virt` to `frame`, which the address space owns.
pub fn map(root: Root, virt: u64, frame: u64, access: Access) -> Result<(), MapError> {
    map_page(root, virt, Mapped { frame, access, borrowed: false })
}

/// Map the 4 KiB page at `virt` to `frame`, which another owner lends (never freed
/// through this table).
pub fn map_borrowed(root: Root, virt: u64, frame: u64, access: Access) -> Result<(), MapError> {
    map_page(root, virt, Mapped { frame, access, borrowed: true })
}

fn map_page(root: Root, virt: u64, mapped: Mapped) -> Result<(), MapError> {
    let page = page_of(virt)?;
    let frame = PhysFrame::containing_address(PhysAddr::new(mapped.frame));
    let mut parent = F::PRESENT | F::WRITABLE;
    parent.set(F::USER_ACCESSIBLE, mapped.access.user);
    // SAFETY: the caller owns `frame` (or holds its owner's lease) and hands it to
    // this mapping.
    let result = unsafe { mapper(root).map_to_with_table_flags(page, frame, mapped.flags(), parent, &mut TableFrames) };
    match result {
        Ok(flush) => {
            flush.flush();
            Ok(())
        }
        Err(x86_64::structures::paging::mapper::MapToError::FrameAllocationFailed) => Err(MapError::OutOfFrames),
        Err(_) => Err(MapError::AlreadyMapped),
    }
}

/// Remove the 4 KiB mapping at `virt`; returns the frame it mapped (the caller
/// frees it if it owns it).
pub fn unmap(root: Root, virt: u64) -> Result<u64, MapError> {
    let page = page_of(virt)?;
    let (frame, flush) = mapper(root).unmap(page).map_err(|_| MapError::NotMapped)?;
    flush.flush();
    Ok(frame.start_address().as_u64())
}

/// The frame and access of the page containing `virt`, if mapped (any page size).
pub fn translate(root: Root, virt: u64) -> Option<(u64, Access)> {
    match mapper(root).translate(VirtAddr::try_new(virt).ok()?) {
        TranslateResult::Mapped { frame, offset, flags } => {
            let base = match frame {
                MappedFrame::Size4KiB(f) => f.start_address().as_u64(),
                MappedFrame::Size2MiB(f) => f.start_address().as_u64(),
                MappedFrame::Size1GiB(f) => f.start_address().as_u64(),
            };
            Some((base + offset, Access::from_flags(flags)))
        }
        _ => None,
    }
}

/// The user page holding `virt`, if a 4 KiB page maps it. Every user copy asks
/// this, so the walk reads the entries as plain numbers (no per-entry checks of
/// the `x86_64` crate's typed accessors).
pub fn lookup(root: Root, virt: u64) -> Option<Mapped> {
    let table = leaf_table_frame(root, virt)?;
    let entry = entries_at(table)[((virt >> 12) & 0x1ff) as usize];
    (entry != 0).then(|| Mapped::of_bits(entry))
}

/// Map the owned `frames` at the pages from `virt` on, which must all lie in
/// one level-1 table (a kernel stack's slot): the tables are found (or made)
/// once, for the first page. On an error nothing is mapped and the frames are
/// still the caller's.
pub fn map_run(root: Root, virt: u64, frames: &[u64], access: Access) -> Result<(), MapError> {
    let Some((&first, rest)) = frames.split_first() else { return Ok(()) };
    let index = ((virt >> 12) & 0x1ff) as usize;
    if index + frames.len() > 512 {
        return Err(MapError::NotMapped);
    }
    map(root, virt, first, access)?;
    let table = leaf_table(root, virt).expect("mapped just now");
    let flags = Mapped { frame: first, access, borrowed: false }.flags();
    for (done, (entry, &frame)) in table.iter_mut().skip(index + 1).zip(rest).enumerate() {
        if !entry.is_unused() {
            unmap_run(root, virt, done + 1, |_| {});
            return Err(MapError::AlreadyMapped);
        }
        entry.set_addr(PhysAddr::new(frame), flags);
    }
    Ok(())
}

/// Remove the `count` pages mapped from `virt` on (in one level-1 table, as
/// `map_run` made them), handing each frame to `free_page`.
pub fn unmap_run(root: Root, virt: u64, count: usize, mut free_page: impl FnMut(u64)) {
    let Some(table) = leaf_table(root, virt) else { return };
    let index = ((virt >> 12) & 0x1ff) as usize;
    for (i, entry) in table.iter_mut().skip(index).take(count).enumerate() {
        if !entry.is_unused() {
            let frame = entry.addr().as_u64();
            entry.set_unused();
            x86_64::instructions::tlb::flush(VirtAddr::new_truncate(virt + i as u64 * PAGE_SIZE));
            free_page(frame);
        }
    }
}

/// The level-1 table holding `virt`'s entry, if the tables above it exist.
fn leaf_table(root: Root, virt: u64) -> Option<&'static mut PageTable> {
    leaf_table_frame(root, virt).map(table_at)
}

/// The frame of the level-1 table holding canonical `virt`'s entry, if the
/// tables above it exist (and are not huge pages): the walk reads the entries
/// as plain numbers (no per-entry checks of the `x86_64` crate's typed
/// accessors), since every user copy asks it.
fn leaf_table_frame(root: Root, virt: u64) -> Option<u64> {
    if !is_canonical(virt) {
        return None;
    }
    let mut table = root.0;
    for level in (2..=4).rev() {
        let entry = entries_at(table)[((virt >> (12 + 9 * (level - 1))) & 0x1ff) as usize];
        if entry == 0 || entry & F::HUGE_PAGE.bits() != 0 {
            return None;
        }
        table = entry & ENTRY_ADDRESS;
    }
    Some(table)
}

/// The bits of an entry that hold the frame's (or next table's) address.
const ENTRY_ADDRESS: u64 = 0x000f_ffff_ffff_f000;

/// Whether bits 48..64 of `virt` are copies of bit 47.
fn is_canonical(virt: u64) -> bool {
    (((virt << 16) as i64) >> 16) as u64 == virt
}

/// Remove every page mapped in `start..end` (user half, page aligned) and hand
/// each frame the address space owns to `free_page` (borrowed ones go back to
/// nobody); page tables left empty are freed. The walk skips absent tables, so it
/// costs what is mapped, not the size of the range. Returns the number of pages
/// removed.
pub fn unmap_range(root: Root, start: u64, end: u64, mut free_page: impl FnMut(u64)) -> usize {
    take_range(root, start, end, |_, mapped| {
        if !mapped.borrowed {
            free_page(mapped.frame);
        }
    })
}

/// Remove every page mapped in `start..end` like `unmap_range`, handing
/// `take(virt, mapped)` each one's place and entry (an owned frame is the
/// caller's from then on).
pub fn take_range(root: Root, start: u64, end: u64, mut take: impl FnMut(u64, Mapped)) -> usize {
    edit_range(root, start, end, &mut |virt, entry| {
        take(virt, Mapped::of(entry));
        entry.set_unused();
    })
}

/// Remove the borrowed pages mapped in `start..end` whose frame `matches` (the
/// frames stay their owner's). Costs what is mapped, like `unmap_range`.
pub fn unmap_borrowed(root: Root, start: u64, end: u64, mut matches: impl FnMut(u64) -> bool) -> usize {
    edit_range(root, start, end, &mut |_, entry| {
        if entry.flags().contains(BORROWED) && matches(entry.addr().as_u64()) {
            entry.set_unused();
        }
    })
}

/// Give every page mapped in `start..end` the access `owned`, or `borrowed` for a
/// borrowed frame (pages not mapped stay so). Costs what is mapped, like
/// `unmap_range`.
pub fn protect_range(root: Root, start: u64, end: u64, owned: Access, borrowed: Access) -> usize {
    edit_range(root, start, end, &mut |_, entry| {
        let mapped = Mapped::of(entry);
        let access = if mapped.borrowed { borrowed } else { owned };
        let frame = PhysFrame::<Size4KiB>::containing_address(entry.addr());
        entry.set_frame(frame, Mapped { access, ..mapped }.flags());
    })
}

/// Apply `leaf(virt, entry)` to every present 4 KiB entry in `start..end` of the
/// user half, free the tables that end up empty, and flush the TLB for what
/// changed. Returns how many entries were visited.
fn edit_range(root: Root, start: u64, end: u64, leaf: &mut dyn FnMut(u64, &mut PageTableEntry)) -> usize {
    let end = end.min(USER_HALF_END);
    if start >= end {
        return 0;
    }
    let mut flush = Flush { count: 0, pages: [0; Flush::ONE_BY_ONE] };
    edit_level(root.0, 4, 0, start, end, &mut |virt, entry| {
        leaf(virt, entry);
        flush.add(virt);
    });
    if active_root() == root {
        flush.run();
    }
    flush.count
}

/// The end of the user half (PML4 slots 0..256).
const USER_HALF_END: u64 = (KERNEL_HALF.start as u64) << 39;

/// Edit the entries of the table at `table` (of `level`, 4 = PML4, covering from
/// `base`) that lie in `start..end`; returns whether the table is empty after.
fn edit_level(
    table: u64,
    level: u32,
    base: u64,
    start: u64,
    end: u64,
    leaf: &mut dyn FnMut(u64, &mut PageTableEntry),
) -> bool {
    let shift = 12 + 9 * (level - 1);
    let entries = table_at(table);
    let first = ((start - base) >> shift) as usize;
    let last = ((end - 1 - base) >> shift) as usize;
    for i in used_slots(table, first..last + 1) {
        let entry = &mut entries[i];
        let at = base + ((i as u64) << shift);
        if level == 1 {
            leaf(at, entry);
        } else if !entry.flags().contains(F::HUGE_PAGE) {
            let child = entry.addr().as_u64();
            let span_end = at + (1u64 << shift);
            if edit_level(child, level - 1, at, start.max(at), end.min(span_end), leaf) {
                entry.set_unused();
                (frames().free)(child);
            }
        }
    }
    level < 4 && used_slots(table, 0..512).next().is_none()
}

/// TLB invalidation after a range edit: page by page for a few pages, else the
/// whole (non-global) TLB by reloading CR3.
struct Flush {
    count: usize,
    pages: [u64; Flush::ONE_BY_ONE],
}

impl Flush {
    const ONE_BY_ONE: usize = 32;

    fn add(&mut self, virt: u64) {
        if let Some(slot) = self.pages.get_mut(self.count) {
            *slot = virt;
        }
        self.count += 1;
    }

    fn run(&self) {
        if self.count > Self::ONE_BY_ONE {
            let (frame, flags) = Cr3::read();
            // SAFETY: reloading the same root keeps every mapping; it only drops
            // stale TLB entries.
            unsafe { Cr3::write(frame, flags) };
        } else {
            for &virt in &self.pages[..self.count] {
                x86_64::instructions::tlb::flush(VirtAddr::new_truncate(virt));
            }
        }
    }
}

/// Fill the empty user half of `dst` from `src` in one walk of both (fork's
/// copy): `copy(virt, mapped)` gives, for each page `src` maps, the frame `dst`
/// maps there with the same access as its own, or None to leave the page out.
/// Tables are made as the pages need them. On an error the walk stops; what was
/// mapped stays in `dst` for its owner to free.
pub fn copy_user_half(
    src: Root,
    dst: Root,
    copy: &mut dyn FnMut(u64, Mapped) -> Result<Option<u64>, MapError>,
) -> Result<(), MapError> {
    copy_level(src.0, dst.0, 4, 0, copy).map(|_| ())
}

/// `copy_user_half` for the table at `src` (of `level`, covering from `base`)
/// into the empty one at `dst`; returns whether anything was mapped in it.
fn copy_level(
    src: u64,
    dst: u64,
    level: u32,
    base: u64,
    copy: &mut dyn FnMut(u64, Mapped) -> Result<Option<u64>, MapError>,
) -> Result<bool, MapError> {
    let shift = 12 + 9 * (level - 1);
    let slots = if level == 4 { KERNEL_HALF.start } else { 512 };
    let (from, to) = (table_at(src), table_at(dst));
    let mut any = false;
    for i in used_slots(src, 0..slots) {
        let entry = &from[i];
        if level > 1 && entry.flags().contains(F::HUGE_PAGE) {
            continue;
        }
        let at = base + ((i as u64) << shift);
        if level == 1 {
            let mapped = Mapped::of(entry);
            if let Some(frame) = copy(at, mapped)? {
                let flags = Mapped { frame, borrowed: false, ..mapped }.flags();
                to[i].set_addr(PhysAddr::new(frame), flags);
                any = true;
            }
            continue;
        }
        let child = new_table_frame()?;
        let filled = copy_level(entry.addr().as_u64(), child, level - 1, at, copy);
        if matches!(filled, Ok(false)) {
            (frames().free)(child);
        } else {
            to[i].set_addr(PhysAddr::new(child), entry.flags());
            any = true;
        }
        filled?;
    }
    Ok(any)
}

/// Count the user half: 4 KiB pages, those of them whose frame is owned, and
/// page-table frames below the root.
pub fn count_user_half(root: Root) -> (usize, usize, usize) {
    let (mut pages, mut owned, mut tables) = (0, 0, 0);
    let count = &mut |_, entry: &PageTableEntry| {
        pages += 1;
        owned += usize::from(!entry.flags().contains(BORROWED));
    };
    walk_user_half(root, count, &mut |_| tables += 1);
    (pages, owned, tables)
}

/// Free the user half: `free_page(frame)` for each mapped page the address space
/// owns, and every page-table frame below the root. The root itself stays (the
/// caller frees it).
pub fn release_user_half(root: Root, mut free_page: impl FnMut(u64)) {
    let leaf = &mut |_, entry: &PageTableEntry| {
        if !entry.flags().contains(BORROWED) {
            free_page(entry.addr().as_u64());
        }
    };
    walk_user_half(root, leaf, &mut frames().free);
    let pml4 = table_at(root.0);
    for slot in 0..KERNEL_HALF.start {
        pml4[slot].set_unused();
    }
}

/// Free a root frame (after `release_user_half`).
pub fn free_root(root: Root) {
    assert_ne!(root, kernel_root(), "freeing the kernel's page table");
    (frames().free)(root.0);
}

/// Visit the user half: `leaf` for each 4 KiB page, then `table` for each page-table
/// frame below the PML4 (children before parents).
fn walk_user_half(root: Root, leaf: &mut dyn FnMut(u64, &PageTableEntry), table: &mut dyn FnMut(u64)) {
    let pml4 = table_at(root.0);
    for i4 in used_slots(root.0, 0..KERNEL_HALF.start) {
        let pdpt = pml4[i4].addr().as_u64();
        for i3 in used_slots(pdpt, 0..512) {
            let pd = table_at(pdpt)[i3].addr().as_u64();
            for i2 in used_slots(pd, 0..512) {
                let pt = table_at(pd)[i2].addr().as_u64();
                for i1 in used_slots(pt, 0..512) {
                    let virt = ((i4 as u64) << 39) | ((i3 as u64) << 30) | ((i2 as u64) << 21) | ((i1 as u64) << 12);
                    leaf(virt, &table_at(pt)[i1]);
                }
                table(pt);
            }
            table(pd);
        }
        table(pdpt);
    }
}

/// The root CR3 holds now.
pub fn active_root() -> Root {
    Root(Cr3::read().0.start_address().as_u64())
}

/// Map `bytes` of device memory at physical `phys` into the kernel half at
/// `virt` (page-aligned, unused), uncached (PCD and PWT: every access reaches the
/// device, in order) and not executable; in 2 MiB pages where `virt` and `phys`
/// are both at a 2 MiB boundary with 2 MiB still to map. Device memory is never
/// freed.
pub fn map_device(virt: u64, phys: u64, bytes: u64) -> Result<(), MapError> {
    let first = phys & !(PAGE_SIZE - 1);
    let end = (phys + bytes).next_multiple_of(PAGE_SIZE);
    let flags = F::PRESENT | F::WRITABLE | F::NO_EXECUTE | F::NO_CACHE | F::WRITE_THROUGH;
    let mut at = first;
    while at < end {
        let page_virt = virt + (at - first);
        let huge =
            page_virt.is_multiple_of(HUGE_PAGE_SIZE) && at.is_multiple_of(HUGE_PAGE_SIZE) && end - at >= HUGE_PAGE_SIZE;
        let mut m = mapper(kernel_root());
        let mapped = if huge {
            let page = Page::<Size2MiB>::containing_address(page_of(page_virt)?.start_address());
            let frame = PhysFrame::<Size2MiB>::containing_address(PhysAddr::new(at));
            // SAFETY: the frame is device memory (an APIC, the HPET, ECAM, a
            // BAR), not RAM any owner hands out; the kernel-half tables exist
            // already, so every address space sees the page.
            unsafe { m.map_to(page, frame, flags | F::HUGE_PAGE, &mut TableFrames) }.map(|f| f.flush()).is_ok()
        } else {
            let frame = PhysFrame::<Size4KiB>::containing_address(PhysAddr::new(at));
            // SAFETY: as for the 2 MiB page.
            unsafe { m.map_to(page_of(page_virt)?, frame, flags, &mut TableFrames) }.map(|f| f.flush()).is_ok()
        };
        if !mapped {
            return Err(MapError::AlreadyMapped);
        }
        at += if huge { HUGE_PAGE_SIZE } else { PAGE_SIZE };
    }
    Ok(())
}
