//! Kernel backtraces by walking the frame-pointer chain (the kernel is built with
//! frame pointers), each return address with its function name. Repeated frames
//! (deep recursion) are folded into one line. The chain is followed on the boot
//! stack (in the kernel image) and on processes' kernel stacks (mapped slots of
//! the kernel-stack region), through system calls and interrupts up to the entry
//! stub, where it reaches a user frame pointer and stops.
use core::fmt::Write;

use crate::layout::{is_kernel_address, is_kernel_stack};

use super::sections::kernel_sections;

const MAX_FRAMES: usize = 64;

/// Write the call chain starting at frame pointer `rbp`.
pub fn write(out: &mut impl Write, mut rbp: u64) -> core::fmt::Result {
    writeln!(out, "  backtrace:")?;
    let text = kernel_sections().text;
    let mut last = (0u64, 0usize); // (return address, times repeated)
    for depth in 0..MAX_FRAMES {
        if !rbp.is_multiple_of(8) || !readable_frame(rbp) {
            break;
        }
        // SAFETY: rbp is an aligned address inside the mapped kernel image (checked
        // above) and not a guard page; frames are [saved rbp, return address].
        let (next, ret) = unsafe { ((rbp as *const u64).read(), ((rbp + 8) as *const u64).read()) };
        if !text.contains(&ret) {
            break;
        }
        if ret == last.0 {
            last.1 += 1;
        } else {
            fold(out, last.1)?;
            writeln!(out, "    #{depth:<2} {ret:#018x} {}", crate::symbols::Describe(ret - 1))?;
            last = (ret, 0);
        }
        if next <= rbp {
            break;
        }
        rbp = next;
    }
    fold(out, last.1)
}

/// Whether both words of a frame at `rbp` (saved rbp, return address) can be
/// read: in the kernel image, or in a mapped page of a kernel stack.
fn readable_frame(rbp: u64) -> bool {
    let readable = |addr: u64| {
        is_kernel_address(addr)
            || (is_kernel_stack(addr) && super::paging::translate(super::paging::kernel_root(), addr).is_some())
    };
    readable(rbp) && readable(rbp + 8)
}

fn fold(out: &mut impl Write, repeats: usize) -> core::fmt::Result {
    if repeats > 0 {
        writeln!(out, "        (the frame above repeats {repeats} more times)")?;
    }
    Ok(())
}

/// The current frame pointer.
pub fn current_frame() -> u64 {
    let rbp: u64;
    // SAFETY: reads RBP; no memory or flags are touched.
    unsafe { core::arch::asm!("mov {}, rbp", out(reg) rbp, options(nomem, nostack, preserves_flags)) };
    rbp
}
