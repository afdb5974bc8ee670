//! Robustness: no program, boot configuration or kernel bug found by a program
//! stops the kernel silently. GRUB set-ups without the module string or without
//! a usable initramfs, the kernel touching user memory (SMAP), the regressions of
//! issue 9 (ktest-robust), corrupt executables (ktest-badelf), resource
//! exhaustion (ktest-exhaust) and a fork bomb, each ending with a working system.
use std::time::Duration;

use kestrel::session::{run, shell};
use kestrel::{Boot, EXIT_FAILURE, Machine, OrLog, run_ktest};

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
    // 2 x 50 unknown calls, 5 s apart: 10 warnings a window, then the count of
    // those suppressed.
    let warnings = log.matches("syscall 600 (unknown) is not implemented").count();
    assert_eq!(warnings, 20, "rate-limited warnings\n{log}");
    assert!(log.contains("WARN  40 messages like the next one suppressed"), "{log}");
    // A non-canonical handler never reaches iretq (which would fault in kernel
    // mode on real hardware): the kernel turns it into SIGSEGV itself.
    assert!(log.contains("rip 0x800000000000, rsp"), "{log}");
    assert!(log.contains("(not canonical): SIGSEGV"), "{log}");
    assert!(log.contains("non-canonical handlers for the signal and for SIGSEGV: SIGSEGV"), "{log}");
}

#[test]
fn exhaustion_tests_each_end_with_a_working_shell() {
    let mut m = shell();
    for part in ["memory", "fds", "recursion", "argv", "rlimits"] {
        run(&mut m, &format!("ktest-exhaust {part}"), "KTEST PASS exhaust");
        run(&mut m, "uname -s", "Kestrel\n");
    }
    assert_kernel_survived(&m.log());
}

/// Start a fork bomb in the background with `options`, check it saturates with
/// EAGAIN, that the shell still answers (its builtin `jobs` lists the bomb), then
/// kill the bomb's group from the shell and wait for the starter's memory check.
fn fork_bomb_round(m: &mut Machine, options: &str) {
    let before = m.log().len();
    m.send(&format!("ktest-forkbomb start {options} &\n"));
    m.wait_until(Duration::from_secs(300), |log| {
        log.get(before..).is_some_and(|new| new.contains("fork failed with EAGAIN") && new.contains("bomb pgid="))
    })
    .or_log(m);
    let log = m.log();
    let pgid: u32 = log[before..]
        .split("bomb pgid=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no bomb pgid\n{log}"));
    // The shell answers through a builtin (a program would need a fork, which may
    // fail while memory is short).
    run(m, "jobs", "Running");
    let killed = m.log().len();
    m.send(&format!("kill -9 -{pgid}\n"));
    m.wait_until(Duration::from_secs(300), |log| {
        log.get(killed..).is_some_and(|new| new.contains("KTEST PASS forkbomb"))
    })
    .or_log(m);
}

/// A bomb from the shell, twice (the second round must be as good as the first),
/// then a program still runs.
fn fork_bomb(options: &str) {
    let mut m = shell();
    fork_bomb_round(&mut m, options);
    fork_bomb_round(&mut m, options);
    run(&mut m, "uname -s", "Kestrel\n");
    assert_kernel_survived(&m.log());
}

#[test]
fn a_fork_bomb_stops_at_rlimit_nproc_and_the_shell_kills_it() {
    fork_bomb("--nproc 60 --max-depth 12");
}

#[test]
fn a_fork_bomb_that_exhausts_memory_leaves_the_shell_usable() {
    fork_bomb("--max-depth 12");
}

/// As init (nothing else running, so the figures are exact): the bomb runs,
/// is killed and reaped, and every frame and heap byte comes back; the first
/// round lets the kernel's tables reach their size.
#[test]
fn killing_a_fork_bomb_returns_every_frame() {
    let log = run_ktest("forkbomb", "norandmaps -- start --kill --exact --rounds 2 --max-depth 12");
    assert!(log.contains("fork failed with EAGAIN"), "{log}");
    assert_kernel_survived(&log);
}

/// 2,036 pipes holding 133 MB, closed: every frame comes back (pipe contents
/// live in frames freed as they are read or closed; the heap gives back what it
/// grew by), exactly in the second round.
#[test]
fn memory_of_closed_pipes_comes_back() {
    let log = run_ktest("pipefill", "norandmaps -- --exact");
    assert!(log.contains("2036 pipes hold 133 MB"), "{log}");
}
