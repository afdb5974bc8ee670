//! Kernel backtraces by walking the frame-pointer chain (the kernel is built with
//! frame pointers), each return address with its function name.
use core::fmt::Write;

use crate::layout::is_kernel_address;

const MAX_FRAMES: usize = 32;

/// Write the call chain starting at frame pointer `rbp`.
pub fn write(out: &mut impl Write, mut rbp: u64) -> core::fmt::Result {
    writeln!(out, "  backtrace:")?;
    for depth in 0..MAX_FRAMES {
        if rbp == 0 || rbp % 8 != 0 || !is_kernel_address(rbp) || !is_kernel_address(rbp + 8) {
            return Ok(());
        }
        // SAFETY: rbp is an aligned kernel address; frames are [saved rbp, return
        // address]. A corrupt chain can point at unmapped kernel memory, so the walk
        // stays within the kernel image and stacks (is_kernel_address checks).
        let (next, ret) = unsafe { ((rbp as *const u64).read(), ((rbp + 8) as *const u64).read()) };
        if ret == 0 {
            return Ok(());
        }
        writeln!(out, "    #{depth:<2} {ret:#018x} {}", crate::symbols::Describe(ret.saturating_sub(1)))?;
        if next <= rbp {
            return Ok(());
        }
        rbp = next;
    }
    writeln!(out, "    ...")
}

/// The current frame pointer.
pub fn current_frame() -> u64 {
    let rbp: u64;
    // SAFETY: reads RBP; no memory or flags are touched.
    unsafe { core::arch::asm!("mov {}, rbp", out(reg) rbp, options(nomem, nostack, preserves_flags)) };
    rbp
}
