//! The kernel's virtual memory map and its limits, in one place (docs/ARCHITECTURE.md, "Virtual memory map").

/// Every physical address `p` is mapped at `DIRECT_MAP_BASE + p`.
pub const DIRECT_MAP_BASE: u64 = 0xffff_8000_0000_0000;
/// Kernel stacks: slots of `KERNEL_STACK_SLOT` bytes, the first page of each a guard.
pub const KERNEL_STACKS_BASE: u64 = 0xffff_c000_0000_0000;
pub const KERNEL_STACKS_END: u64 = 0xffff_c080_0000_0000;
pub const KERNEL_STACK_SLOT: u64 = 64 * 1024;
/// Device registers (PCI BARs), mapped uncached by arch's `mmio`.
pub const MMIO_BASE: u64 = 0xffff_d000_0000_0000;
pub const MMIO_END: u64 = 0xffff_d010_0000_0000;
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
/// Within user space each program gets Linux's layout (the `aslr` crate): the
/// main stack below USER_END, the mmap area below it (with the interpreter, a
/// static PIE and the vDSO at its top), a PIE at 2/3 of user space, each moved by
/// a random amount unless the command line says `norandmaps`.
const _: () = assert!(USER_END == aslr::TASK_SIZE);

/// The legacy vsyscall page (Linux's VSYSCALL_ADDR): never mapped; a call into it
/// is emulated (`syscall::vsyscall`).
pub const VSYSCALL_PAGE: u64 = 0xffff_ffff_ff60_0000;
