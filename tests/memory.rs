//! Memory boot tests: the frame allocator, address spaces, the heap, W^X, and RAM
//! sizes from the least that holds the image to 5 GiB (above 4 GiB must be used).
use std::time::Duration;

use kestrel::{Boot, EXIT_FAILURE, OrLog};

const TIMEOUT: Duration = Duration::from_secs(90);

fn pass(args: &str) -> String {
    let mut m = Boot::new(args).start();
    m.expect_success(TIMEOUT).or_log(&m);
    m.log()
}

#[test]
fn every_free_frame_is_distinct_usable_and_returns() {
    let log = pass("test=frames");
    assert!(log.contains("allocated all"), "{log}");
    assert!(log.contains("user allocations stopped at the reserve"), "{log}");
    assert!(log.contains("double free refused: double free of frame"), "{log}");
    assert!(log.contains("free of a reserved frame refused"), "{log}");
}

#[test]
fn a_thousand_address_spaces_leak_nothing() {
    let log = pass("test=addrspace");
    assert!(log.contains("1000 address spaces:"), "{log}");
}

#[test]
fn heap_collections_work_and_the_heap_grows() {
    let log = pass("test=heap");
    assert!(log.contains("heap: box 42, map of 10000 entries"), "{log}");
}

#[test]
fn a_contained_call_ends_alone_when_it_panics_or_overflows_its_stack() {
    let log = pass("test=contain");
    assert!(log.contains("contained: 42; contained test panic 7 (at kernel/src/ktest/contain.rs:"), "{log}");
    assert!(log.contains("; inner (at kernel/src/ktest/contain.rs:"), "{log}");
    assert!(log.contains("; double fault in kernel mode at 0x"), "{log}");
}

#[test]
fn heap_exhaustion_panics_with_out_of_memory() {
    let mut m = Boot::new("test=oom").start();
    m.expect_exit(EXIT_FAILURE, TIMEOUT).or_log(&m);
    let log = m.log();
    assert!(log.contains("KERNEL PANIC: out of memory: the kernel heap cannot grow for"), "{log}");
}

#[test]
fn writing_kernel_text_faults() {
    let mut m = Boot::new("test=writetext").start();
    m.expect_exit(EXIT_FAILURE, TIMEOUT).or_log(&m);
    let log = m.log();
    assert!(log.contains("EXCEPTION: page fault (vector 14)"), "{log}");
    assert!(log.contains("write to a read-only page"), "{log}");
}

/// (free MiB, total MiB) from the `frames:` banner line.
fn frame_totals(log: &str) -> (u64, u64) {
    let line = log.lines().find(|l| l.contains("frames: ")).unwrap_or_else(|| panic!("no frames line in\n{log}"));
    let numbers: Vec<u64> = line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    (numbers[0], numbers[1])
}

/// The initramfs module's size in MiB, rounded up (`make iso` built it).
fn initramfs_mib() -> u64 {
    let cpio = kestrel::build_dir().join("initramfs.cpio");
    let bytes = std::fs::metadata(&cpio).unwrap_or_else(|err| panic!("{}: {err}", cpio.display())).len();
    bytes.div_ceil(1 << 20)
}

/// A small machine, a middling one and one with memory above 4 GiB. The small one
/// holds the image twice while the kernel unpacks it (the module and the files),
/// with 16 MiB to spare, in steps of 16 MiB (64 MiB for an image of 24 MiB).
#[test]
fn memory_totals_match_the_machine() {
    let image = initramfs_mib();
    let small = (2 * image + 16).next_multiple_of(16).max(64);
    let small_arg = format!("{small}M");
    for (mem, low, high) in [(small_arg.as_str(), small - 4, small), ("512M", 500, 512), ("5G", 5000, 5120)] {
        let mut m = Boot::new("test=boot").memory(mem).start();
        m.expect_success(TIMEOUT).or_log(&m);
        let (free, total) = frame_totals(&m.log());
        assert!((low..=high).contains(&total), "-m {mem}: total {total} MiB\n{}", m.log());
        // Reserved: the initramfs module, the kernel and the bitmap (a few MiB).
        let reserved = image + 6;
        assert!(free + reserved >= total && free <= total, "-m {mem}: free {free} of {total} MiB\n{}", m.log());
    }
}

#[test]
fn mremap_grows_shrinks_and_moves_as_on_linux() {
    let log = kestrel::run_ktest("remap", "");
    assert!(log.contains("the data at the fixed address: [1, 0, 0]"), "{log}");
}

#[test]
fn shared_memory_is_shared_as_on_linux_and_every_frame_returns() {
    let log = kestrel::run_ktest("shm", "norandmaps -- --exact");
    assert!(log.contains("past the end of a file: SIGBUS"), "{log}");
    assert!(log.contains("the shared mapping's permissions: Some(\"rw-s\")"), "{log}");
    assert!(log.contains("shared memory churn:"), "{log}");
    assert!(log.contains("pipes: writes from and reads into file mappings while the file is written"), "{log}");
}

#[test]
fn private_file_mappings_copy_on_write_as_on_linux_and_every_frame_returns() {
    let log = kestrel::run_ktest("filemap", "norandmaps -- --exact");
    assert!(log.contains("filemap: stores are private; pages not written follow the file"), "{log}");
    assert!(log.contains("filemap: past the end of the file: SIGBUS, after a truncate too"), "{log}");
    assert!(log.contains("filemap: a program's .bss is zero where its file holds other bytes"), "{log}");
    assert!(log.contains("filemap churn:"), "{log}");
}
