//! ktest-remap: mremap as Linux gives it: growing keeps the data and gives zero
//! pages after it (in place when the pages after are free, moved with
//! MREMAP_MAYMOVE when they are not, ENOMEM without it), shrinking stays in
//! place, MREMAP_FIXED moves to the address given and frees the old one; and the
//! errors: EINVAL for an unaligned address, a length of 0 or MREMAP_FIXED without
//! MREMAP_MAYMOVE, EFAULT for a range that is not mapped.
//!
//! Usage: `ktest-remap`.
use std::ffi::c_long;
use std::process::ExitCode;
use std::ptr;

use ktest::{Outcome, check, ensure, expect_eq, expect_failure};

const NAME: &str = "remap";
const PAGE: usize = 4096;
const RW: i32 = libc::PROT_READ | libc::PROT_WRITE;
const ANON: i32 = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;

fn map(addr: usize, pages: usize, prot: i32, flags: i32) -> Result<usize, String> {
    // SAFETY: anonymous mappings where this program keeps nothing else.
    let at = unsafe { libc::mmap(addr as *mut libc::c_void, pages * PAGE, prot, flags, -1, 0) };
    if at == libc::MAP_FAILED { Err(format!("mmap: {}", std::io::Error::last_os_error())) } else { Ok(at as usize) }
}

fn remap(old: usize, old_pages: usize, new_pages: usize, flags: i32, to: usize) -> std::io::Result<c_long> {
    // SAFETY: only this program's own test mappings are moved or resized.
    check(unsafe { libc::syscall(libc::SYS_mremap, old, old_pages * PAGE, new_pages * PAGE, flags, to) })
}

/// Mark each page of `pages` at `at` with its number (one byte at its start).
fn fill(at: usize, pages: usize) {
    for page in 0..pages {
        // SAFETY: the pages are mapped read-write for this program.
        unsafe { ptr::write_volatile((at + page * PAGE) as *mut u8, page as u8 + 1) };
    }
}

fn marks(at: usize, pages: usize) -> Vec<u8> {
    // SAFETY: the pages are mapped and readable.
    (0..pages).map(|page| unsafe { ptr::read_volatile((at + page * PAGE) as *const u8) }).collect()
}

fn remap_test() -> Outcome {
    // A reserved stretch of 32 pages to place mappings at known addresses.
    let base = map(0, 32, libc::PROT_NONE, ANON)?;
    let a = map(base, 2, RW, ANON | libc::MAP_FIXED)?;
    let _b = map(base + 2 * PAGE, 2, RW, ANON | libc::MAP_FIXED)?;
    fill(a, 2);
    expect_failure("growing with the next pages taken, without MAYMOVE", remap(a, 2, 4, 0, 0), libc::ENOMEM)?;
    let moved = remap(a, 2, 4, libc::MREMAP_MAYMOVE, 0).map_err(|e| format!("mremap MAYMOVE: {e}"))? as usize;
    ensure(moved != a, || "MAYMOVE kept a mapping whose next pages are taken".into())?;
    expect_eq("the data after a move, and zero pages after it", marks(moved, 4), vec![1, 2, 0, 0])?;
    let shrunk = remap(moved, 4, 1, libc::MREMAP_MAYMOVE, 0).map_err(|e| format!("mremap shrink: {e}"))? as usize;
    expect_eq("shrinking stays in place", shrunk, moved)?;
    let grown = remap(moved, 1, 3, 0, 0).map_err(|e| format!("mremap grow in place: {e}"))? as usize;
    expect_eq("growing into free pages stays in place", grown, moved)?;
    expect_eq("the data after growing in place", marks(grown, 3), vec![1, 0, 0])?;
    let target = base + 16 * PAGE;
    let fixed = remap(grown, 3, 3, libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED, target)
        .map_err(|e| format!("mremap FIXED: {e}"))? as usize;
    expect_eq("MREMAP_FIXED's address", fixed, target)?;
    expect_eq("the data at the fixed address", marks(fixed, 3), vec![1, 0, 0])?;
    let again = map(grown, 3, RW, ANON | libc::MAP_FIXED_NOREPLACE)?;
    expect_eq("the old place is free after the move", again, grown)?;
    expect_failure("an unaligned address", remap(fixed + 1, 1, 2, libc::MREMAP_MAYMOVE, 0), libc::EINVAL)?;
    expect_failure("a new length of 0", remap(fixed, 1, 0, libc::MREMAP_MAYMOVE, 0), libc::EINVAL)?;
    expect_failure("MREMAP_FIXED without MAYMOVE", remap(fixed, 1, 1, libc::MREMAP_FIXED, base), libc::EINVAL)?;
    // SAFETY: unmaps this program's own test pages.
    unsafe { libc::munmap(fixed as *mut libc::c_void, 3 * PAGE) };
    expect_failure("a range that is not mapped", remap(fixed, 1, 2, libc::MREMAP_MAYMOVE, 0), libc::EFAULT)?;
    Ok(())
}

fn main() -> ExitCode {
    ktest::run(NAME, remap_test)
}
