//! Copies between kernel memory and the loaded address space's user half through
//! the CPU's own translation, as Linux's copy_from_user: the range is checked to
//! lie below USER_END, then bytes move with `rep movs`/`rep stos`. A page fault on
//! one of those instructions goes to the exception handler, which maps the page
//! if its region allows (the instruction runs again) or resumes at the copy's
//! fixup, which gives back the count not copied: a copy stops at the first page
//! it cannot reach, never faults the kernel. With SMAP on, user access is opened
//! (`stac`) only for the copy.
use core::sync::atomic::{AtomicBool, Ordering};

use crate::layout::USER_END;

/// Whether SMAP is on, so that the copies open user access (`stac` is an invalid
/// instruction on a CPU without SMAP).
static SMAP_ON: AtomicBool = AtomicBool::new(false);

// Each routine moves 8-byte words first, then the tail bytes. A fault on the words
// resumes at the bytes with all that is left (so the copy stops exactly at the bad
// page); a fault on the bytes resumes at the end with RCX = what is left.
//
//   user_copy_bytes(dst: rdi, src: rsi, len: rdx) -> rax = bytes not copied
//   user_zero_bytes(dst: rdi, len: rsi)           -> rax = bytes not cleared
core::arch::global_asm!(
    ".section .text.user_copy, \"ax\"",
    ".global user_copy_bytes, user_copy_words, user_copy_words_fixup, user_copy_tail, user_copy_end",
    "user_copy_bytes:",
    "    cmp byte ptr [rip + {smap}], 0",
    "    je 2f",
    "    stac",
    "2:  mov rcx, rdx",
    "    shr rcx, 3",
    "    and edx, 7",
    "user_copy_words:",
    "    rep movsq",
    "    mov ecx, edx",
    "user_copy_tail:",
    "    rep movsb",
    "user_copy_end:",
    "    mov rax, rcx",
    "    cmp byte ptr [rip + {smap}], 0",
    "    je 3f",
    "    clac",
    "3:  ret",
    "user_copy_words_fixup:",
    "    lea rcx, [rdx + rcx * 8]",
    "    jmp user_copy_tail",
    "",
    ".global user_zero_bytes, user_zero_words, user_zero_words_fixup, user_zero_tail, user_zero_end",
    "user_zero_bytes:",
    "    cmp byte ptr [rip + {smap}], 0",
    "    je 2f",
    "    stac",
    "2:  xor eax, eax",
    "    mov rdx, rsi",
    "    and edx, 7",
    "    mov rcx, rsi",
    "    shr rcx, 3",
    "user_zero_words:",
    "    rep stosq",
    "    mov ecx, edx",
    "user_zero_tail:",
    "    rep stosb",
    "user_zero_end:",
    "    mov rax, rcx",
    "    cmp byte ptr [rip + {smap}], 0",
    "    je 3f",
    "    clac",
    "3:  ret",
    "user_zero_words_fixup:",
    "    lea rcx, [rdx + rcx * 8]",
    "    jmp user_zero_tail",
    smap = sym SMAP_ON,
);

unsafe extern "C" {
    fn user_copy_bytes(dst: *mut u8, src: *const u8, len: usize) -> usize;
    fn user_copy_words();
    fn user_copy_words_fixup();
    fn user_copy_tail();
    fn user_copy_end();
    fn user_zero_bytes(dst: *mut u8, len: usize) -> usize;
    fn user_zero_words();
    fn user_zero_words_fixup();
    fn user_zero_tail();
    fn user_zero_end();
}

/// Called once SMAP is on.
pub(super) fn smap_enabled() {
    SMAP_ON.store(true, Ordering::Relaxed);
}

fn is_user_range(addr: u64, len: usize) -> bool {
    addr.checked_add(len as u64).is_some_and(|end| end <= USER_END)
}

/// Fill `out` from user address `src` of the loaded address space; the count of
/// bytes NOT copied (all of them for a range outside user space).
pub fn read_user(src: u64, out: &mut [u8]) -> usize {
    if !is_user_range(src, out.len()) {
        return out.len();
    }
    // SAFETY: `out` is a valid kernel buffer of that length; the source lies in
    // the user half (checked above), where a fault resumes at the fixup instead of
    // stopping the kernel, and the copy touches nothing else.
    unsafe { user_copy_bytes(out.as_mut_ptr(), src as *const u8, out.len()) }
}

/// Store `data` at user address `dst` of the loaded address space; the count of
/// bytes NOT stored.
pub fn write_user(dst: u64, data: &[u8]) -> usize {
    if !is_user_range(dst, data.len()) {
        return data.len();
    }
    // SAFETY: as in `read_user`, with the user range as the destination: kernel
    // memory is only read, from `data`.
    unsafe { user_copy_bytes(dst as *mut u8, data.as_ptr(), data.len()) }
}

/// Clear `len` bytes at user address `dst` of the loaded address space; the count
/// NOT cleared.
pub fn zero_user(dst: u64, len: usize) -> usize {
    if !is_user_range(dst, len) {
        return len;
    }
    // SAFETY: the range lies in the user half (checked above); faults there resume
    // at the fixup, and no kernel memory is written.
    unsafe { user_zero_bytes(dst as *mut u8, len) }
}

/// Where a page fault at `rip` resumes if it is one of the copies' faulting
/// instructions and its page cannot be mapped: None for any other instruction.
pub fn fixup(rip: u64) -> Option<u64> {
    let address = |f: unsafe extern "C" fn()| f as usize as u64;
    [
        (address(user_copy_words), address(user_copy_words_fixup)),
        (address(user_copy_tail), address(user_copy_end)),
        (address(user_zero_words), address(user_zero_words_fixup)),
        (address(user_zero_tail), address(user_zero_end)),
    ]
    .into_iter()
    .find_map(|(at, resume)| (at == rip).then_some(resume))
}
