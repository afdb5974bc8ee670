//! The boot stack and the double-fault stack (both in boot.S's .bss), and their
//! guard pages, which paging leaves unmapped so an overflow faults.
mod symbols {
    unsafe extern "C" {
        pub static boot_stack_guard: u8;
        pub static boot_stack_top: u8;
        pub static fault_stack_guard: u8;
        pub static fault_stack_top: u8;
    }
}
use symbols::*;

pub const GUARD_SIZE: u64 = 4096;

/// Virtual addresses of the guard pages below the boot and double-fault stacks.
pub fn guard_pages() -> [u64; 2] {
    [(&raw const boot_stack_guard) as u64, (&raw const fault_stack_guard) as u64]
}

/// Top of the double-fault stack (the TSS's IST entry).
pub fn fault_stack_top() -> u64 {
    (&raw const symbols::fault_stack_top) as u64
}

/// Top of the boot stack kmain runs on.
pub fn boot_stack_top() -> u64 {
    (&raw const symbols::boot_stack_top) as u64
}

/// Whether `addr` lies in a kernel stack's guard page.
pub fn is_guard(addr: u64) -> bool {
    guard_pages().iter().any(|&g| (g..g + GUARD_SIZE).contains(&addr)) || crate::layout::is_kernel_stack_guard(addr)
}
