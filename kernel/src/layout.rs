//! The kernel's virtual memory map and its limits, in one place (docs/ARCHITECTURE.md, "Virtual memory map").

/// Every physical address `p` is mapped at `DIRECT_MAP_BASE + p`.
pub const DIRECT_MAP_BASE: u64 = 0xffff_8000_0000_0000;
/// Kernel stacks: slots of `KERNEL_STACK_SLOT` bytes, the first page of each a guard.
pub const KERNEL_STACKS_BASE: u64 = 0xffff_c000_0000_0000;
pub const KERNEL_STACKS_END: u64 = 0xffff_c080_0000_0000;
pub const KERNEL_STACK_SLOT: u64 = 64 * 1024;
pub const GUARD_PAGE_SIZE: u64 = 4096;
/// The kernel image is linked here (code model `kernel`) and loaded at 1 MiB.
pub const KERNEL_VMA: u64 = 0xffff_ffff_8000_0000;

pub const fn phys_to_virt(phys: u64) -> u64 {
    DIRECT_MAP_BASE + phys
}

/// Whether `addr` is in a kernel-stack slot, outside its guard page (whether the
/// slot is in use is the page table's to say).
pub fn is_kernel_stack(addr: u64) -> bool {
    (KERNEL_STACKS_BASE..KERNEL_STACKS_END).contains(&addr) && !is_kernel_stack_guard(addr)
}

/// Whether `addr` is the guard page of a kernel-stack slot.
pub fn is_kernel_stack_guard(addr: u64) -> bool {
    (KERNEL_STACKS_BASE..KERNEL_STACKS_END).contains(&addr)
        && (addr - KERNEL_STACKS_BASE) % KERNEL_STACK_SLOT < GUARD_PAGE_SIZE
}

/// Whether `addr` is in the kernel image and not in a guard page: the only memory a
/// backtrace walk reads.
pub fn is_kernel_address(addr: u64) -> bool {
    let s = crate::arch::sections::kernel_sections();
    let in_image = s.text.start <= addr && addr < s.data.end;
    let in_guard = crate::arch::stack_guard_pages().iter().any(|&g| (g..g + GUARD_PAGE_SIZE).contains(&addr));
    in_image && !in_guard
}

/// User space: nothing below USER_MIN (null-pointer guard), nothing at or above
/// USER_END: the canonical lower half less its last page, Linux's TASK_SIZE_MAX
/// (so the same ranges are EFAULT, EINVAL or ENOMEM as there).
pub const USER_MIN: u64 = 0x40_0000;
pub const USER_END: u64 = 0x7fff_ffff_f000;
/// Static-PIE programs are loaded at this base.
pub const USER_PIE_BASE: u64 = 0x5555_5555_4000;
/// The main stack grows down from here, within a region of RLIMIT_STACK bytes
/// (at most USER_STACK_LIMIT); pages are mapped as the program touches them.
pub const USER_STACK_TOP: u64 = 0x7fff_ffff_f000;
pub const USER_STACK_LIMIT: u64 = 8 << 20;
/// Anonymous and file mappings are placed downwards from here, below the stack's
/// limit and a gap.
pub const USER_MMAP_TOP: u64 = USER_STACK_TOP - USER_STACK_LIMIT - (1 << 20);
/// The vDSO's data page and image (`time::vdso`): halfway into the gap between
/// the mmap area and the main stack of the default limit, touching neither (with
/// a larger stack limit, at the top of the mmap area).
pub const USER_VDSO_BASE: u64 = USER_MMAP_TOP + (512 << 10);

/// The legacy vsyscall page (Linux's VSYSCALL_ADDR): never mapped; a call into it
/// is emulated (`syscall::vsyscall`).
pub const VSYSCALL_PAGE: u64 = 0xffff_ffff_ff60_0000;
