//! ktest-mem: memory a process asks for works: brk grows the heap by 1 MiB (then
//! gives it back), an anonymous 4 MiB mmap is zeroed and holds what every page is
//! given, munmap removes it (a child touching it dies by SIGSEGV), and std's
//! allocator serves a 16 MiB Vec.
use std::hint::black_box;
use std::process::ExitCode;
use std::slice;

use ktest::{Outcome, brk, ensure, expect_signal, fork_and_wait, map_anonymous, store_byte};

const MIB: usize = 1 << 20;
const PAGE_SIZE: usize = 4096;

/// The byte the tests write at `index` of a region.
fn pattern(index: usize) -> u8 {
    (index % 251) as u8 ^ (index / PAGE_SIZE) as u8
}

/// Checks that `region` is zero, fills it with the pattern and reads it back.
fn fill_and_check(what: &str, region: &mut [u8]) -> Outcome {
    let first_dirty = region.iter().position(|&byte| byte != 0);
    ensure(first_dirty.is_none(), || format!("{what}: byte {first_dirty:?} of new memory is not zero"))?;
    for (index, byte) in region.iter_mut().enumerate() {
        *byte = pattern(index);
    }
    let first_wrong = black_box(&*region).iter().enumerate().position(|(index, &byte)| byte != pattern(index));
    ensure(first_wrong.is_none(), || format!("{what}: byte {first_wrong:?} does not read back as written"))
}

fn heap_by_brk() -> Outcome {
    // Nothing is allocated between moving the break up and back: the C library's
    // allocator may remember the break it last saw.
    // SAFETY: brk(0) only reads the break.
    let start = unsafe { brk(0) };
    // SAFETY: moving the break up frees nothing.
    let grown = unsafe { brk(start + MIB) };
    ensure(grown == start + MIB, || format!("brk({:#x}) returned {grown:#x}", start + MIB))?;
    // SAFETY: brk just made [start, start + 1 MiB) readable and writable memory
    // that nothing else uses.
    let region = unsafe { slice::from_raw_parts_mut(start as *mut u8, MIB) };
    let checked = fill_and_check("brk", region);
    // SAFETY: nothing the allocator handed out lies above `start`, where the break
    // was when the test began; `region` is not used after this.
    let shrunk = unsafe { brk(start) };
    checked?;
    ensure(shrunk == start, || format!("brk({start:#x}) back down returned {shrunk:#x}"))?;
    println!("brk: grew the heap by 1 MiB at {start:#x}, wrote and read it, shrank it");
    Ok(())
}

fn anonymous_mmap() -> Outcome {
    let length = 4 * MIB;
    let address = map_anonymous(length).map_err(|e| format!("mmap 4 MiB: {e}"))?;
    // SAFETY: mmap returned `length` bytes of readable, writable memory for us alone.
    let region = unsafe { slice::from_raw_parts_mut(address, length) };
    fill_and_check("mmap", region)?;
    // SAFETY: the mapping is ours and `region` is not used after this.
    let unmapped = unsafe { libc::munmap(address.cast(), length) };
    ensure(unmapped == 0, || format!("munmap: {}", std::io::Error::last_os_error()))?;
    println!("mmap: 4 MiB at {address:p}, every page written and read, unmapped");
    let status = fork_and_wait(|| {
        // SAFETY: the mapping is gone, so the store faults (the point of the child).
        unsafe { store_byte(address as usize + length / 2) };
        0
    })?;
    expect_signal(status, libc::SIGSEGV).map_err(|reason| format!("after munmap: {reason}"))?;
    println!("mmap: a child touching the unmapped range died by SIGSEGV");
    Ok(())
}

fn big_vec() -> Outcome {
    let length = 16 * MIB;
    let mut data = vec![0u8; length];
    fill_and_check("Vec", &mut data)?;
    let sum: u64 = black_box(&data).iter().map(|&byte| u64::from(byte)).sum();
    let expected: u64 = (0..length).map(|index| u64::from(pattern(index))).sum();
    ensure(sum == expected, || format!("Vec checksum {sum} differs from {expected}"))?;
    println!("Vec: 16 MiB allocated, written, checksum {sum}");
    Ok(())
}

fn memory() -> Outcome {
    heap_by_brk()?;
    anonymous_mmap()?;
    big_vec()
}

fn main() -> ExitCode {
    ktest::run("mem", memory)
}
