//! The physical frame allocator: the `frame_bitmap` crate over the boot memory map,
//! with everything the kernel must keep (first MiB, kernel image, boot information,
//! modules, symbol table, the bitmap itself) reserved.
//!
//! A reserve of free frames is kept for the kernel heap: `alloc` (user pages, page
//! tables, kernel stacks, file data, everything a process can make the kernel
//! take) fails while only the reserve is left, so memory exhaustion is an error for
//! the process (ENOMEM, EAGAIN) and the heap can still grow for the kernel's own
//! needs. Only the heap draws on the reserve (`alloc_for_heap`), and only for the
//! kernel's own allocations.
use core::sync::atomic::{AtomicU64, Ordering};
use frame_bitmap::{FrameBitmap, FrameStats, PhysRange};
use multiboot2::BootInformation;

use spin::Mutex;

use crate::arch::cpu::without_interrupts;
use crate::layout::phys_to_virt;

pub use frame_bitmap::{FRAME_SIZE, FreeError};

static FRAMES: Mutex<Option<FrameBitmap<'static>>> = Mutex::new(None);
/// Free frames only the heap may take: 1/32 of memory, from 2 MiB to 32 MiB.
static RESERVE: AtomicU64 = AtomicU64::new(0);
const RESERVE_MIN: u64 = 512;
const RESERVE_MAX: u64 = 8192;

/// Memory the boot page tables reach through the direct map (the bitmap must lie
/// there, as paging is set up after it).
const BOOT_DIRECT_MAP_END: u64 = 1 << 30;

/// The ranges to keep, as physical byte ranges.
fn reservations(boot: &BootInformation, kernel_phys: core::ops::Range<u64>) -> [PhysRange; 5] {
    let info_start = boot.start_address() as u64 - phys_to_virt(0);
    let info = PhysRange { start: info_start, end: boot.end_address() as u64 - phys_to_virt(0) };
    let [symtab, strtab] = crate::symbols::table_ranges(boot);
    [
        PhysRange { start: 0, end: 0x10_0000 },
        PhysRange { start: kernel_phys.start, end: kernel_phys.end },
        info,
        PhysRange { start: symtab.start, end: symtab.end },
        PhysRange { start: strtab.start, end: strtab.end },
    ]
}

/// Build the allocator from the memory map. Returns its statistics.
pub fn init(
    boot: &BootInformation,
    usable: impl Iterator<Item = PhysRange> + Clone,
    kernel_phys: core::ops::Range<u64>,
) -> FrameStats {
    let modules =
        boot.module_tags().map(|m| PhysRange { start: m.start_address().into(), end: m.end_address().into() });
    let reserved = reservations(boot, kernel_phys).into_iter().chain(modules);
    let max_end = usable.clone().map(|r| r.end).max().unwrap_or(0);
    let words = FrameBitmap::storage_words(max_end);
    let bytes = (words * 8) as u64;
    let storage = FrameBitmap::find_storage(usable.clone(), reserved.clone(), bytes, 0x10_0000)
        .filter(|r| r.start + bytes <= BOOT_DIRECT_MAP_END)
        .unwrap_or_else(|| {
            log::error!("memory: no room for the frame bitmap ({bytes} bytes) in the first GiB of usable RAM");
            log::error!("the machine has too little memory (or none the boot loader reports); the system stops here");
            crate::fatal_stop()
        });
    // SAFETY: `storage` is usable RAM reserved from now on (passed to `new` as reserved), below
    // the boot direct map's end, and nothing else refers to it.
    let words_slice = unsafe { core::slice::from_raw_parts_mut(phys_to_virt(storage.start) as *mut u64, words) };
    let bitmap = FrameBitmap::new(words_slice, usable, reserved.chain([storage]));
    let stats = bitmap.stats();
    RESERVE.store((stats.total / 32).clamp(RESERVE_MIN, RESERVE_MAX), Ordering::Relaxed);
    without_interrupts(|| *FRAMES.lock() = Some(bitmap));
    stats
}

fn with<R>(f: impl FnOnce(&mut FrameBitmap<'static>) -> R) -> R {
    without_interrupts(|| f(FRAMES.lock().as_mut().expect("frame allocator not initialised")))
}

/// A free 4 KiB frame (its contents are whatever was there), unless only the
/// kernel's reserve is left.
pub fn alloc() -> Option<u64> {
    alloc_keeping(0)
}

/// A free frame as `alloc` gives, unless fewer than `keep` frames would be left
/// besides the reserve (fork's copy leaves room for the running processes).
pub fn alloc_keeping(keep: u64) -> Option<u64> {
    let keep = RESERVE.load(Ordering::Relaxed) + keep;
    with(|f| if f.stats().free > keep { f.alloc() } else { None })
}

/// The frames kept for the kernel heap.
pub fn reserve() -> u64 {
    RESERVE.load(Ordering::Relaxed)
}

/// Give a frame back. A double free or a free of a reserved frame is a kernel bug.
pub fn free(addr: u64) {
    if let Err(e) = with(|f| f.free(addr)) {
        panic!("frame allocator: {e}");
    }
}

/// `count` physically contiguous frames aligned to `align` frames, for the heap:
/// it may use the reserve, unless the growth is `for_user` (memory a process
/// asked for), which must leave the reserve whole.
pub fn alloc_for_heap(count: usize, align: usize, for_user: bool) -> Option<u64> {
    let keep = if for_user { RESERVE.load(Ordering::Relaxed) } else { 0 };
    with(|f| if f.stats().free >= keep + count as u64 { f.alloc_contiguous(count, align) } else { None })
}

pub fn stats() -> FrameStats {
    with(|f| f.stats())
}

/// Try a free without panicking (for the allocator self-test of bad frees).
pub fn try_free(addr: u64) -> Result<(), FreeError> {
    with(|f| f.free(addr))
}
