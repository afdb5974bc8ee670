//! Robustness: no program, boot configuration or kernel bug found by a program
//! stops the kernel silently. GRUB set-ups without the module string or without
//! a usable initramfs, the kernel touching user memory (SMAP), the regressions of
//! issue 9 (ktest-robust), corrupt executables (ktest-badelf), resource
//! exhaustion (ktest-exhaust) and a fork bomb, each ending with a working system.
use std::time::Duration;

use kestrel::{Boot, EXIT_FAILURE, OrLog, run_ktest};

const TIMEOUT: Duration = Duration::from_secs(120);

/// A log with no kernel panic and no exception report from kernel mode.
fn assert_kernel_survived(log: &str) {
    assert!(!log.contains("KERNEL PANIC"), "the kernel panicked\n{log}");
    assert!(!log.contains("in kernel mode"), "an exception in kernel mode\n{log}");
}

#[test]
fn a_module_without_a_string_is_taken_as_the_initramfs() {
    let mut m = Boot::new("")
        .grub_entry("multiboot2 /boot/kernel.elf init=/bin/ktest-hello\nmodule2 /boot/initramfs.cpio")
        .start();
    m.expect_success(TIMEOUT).or_log(&m);
    let log = m.log();
    assert!(log.contains("module: '' at"), "the module has no string\n{log}");
    assert!(log.contains("KTEST PASS hello"), "{log}");
}

#[test]
fn no_initramfs_stops_with_a_message_not_a_panic() {
    let mut m = Boot::new("").grub_entry("multiboot2 /boot/kernel.elf test=boot").start();
    m.expect_exit(EXIT_FAILURE, TIMEOUT).or_log(&m);
    let log = m.log();
    assert!(log.contains("no initramfs: GRUB loaded no module"), "{log}");
    assert!(log.contains("nothing to run; the system stops here"), "{log}");
    assert_kernel_survived(&log);
}

#[test]
fn an_initramfs_that_is_not_cpio_stops_with_a_message() {
    let mut m = Boot::new("")
        .grub_entry("multiboot2 /boot/kernel.elf test=boot\nmodule2 /boot/grub/grub.cfg initramfs")
        .start();
    m.expect_exit(EXIT_FAILURE, TIMEOUT).or_log(&m);
    let log = m.log();
    assert!(log.contains("initramfs: cannot unpack the module"), "{log}");
    assert_kernel_survived(&log);
}

#[test]
fn the_kernel_touching_user_memory_is_reported_under_smap() {
    let mut m = Boot::new("test=usertouch").cpu("max").start();
    m.expect_exit(EXIT_FAILURE, TIMEOUT).or_log(&m);
    let log = m.log();
    assert!(log.contains("cpu protections: NX W^X SMEP SMAP"), "SMEP and SMAP are on under -cpu max\n{log}");
    assert!(log.contains("EXCEPTION: page fault (vector 14) in kernel mode"), "{log}");
    assert!(log.contains("the kernel touched user memory outside a user copy: SMAP"), "{log}");
}

#[test]
fn issue_9_failures_are_errors_or_signals() {
    let log = run_ktest("robust", "");
    assert_kernel_survived(&log);
    assert!(log.contains("munmap of 16 TiB of nothing: returned at once"), "{log}");
    assert!(log.contains("reserved MXCSR bits in a signal frame: SIGSEGV"), "{log}");
}
