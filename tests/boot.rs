//! Boot tests: the banner, the command line, and the fatal-error reports, each a
//! headless QEMU boot of build/os.iso judged by its serial log and exit status.
use std::time::Duration;

use kestrel::{Boot, EXIT_FAILURE, OrLog};

const BOOT_TIMEOUT: Duration = Duration::from_secs(60);

#[test]
fn banner_shows_memory_modules_and_command_line() {
    let mut m = Boot::new("test=boot").start();
    m.expect_success(BOOT_TIMEOUT).or_log(&m);
    let log = m.log();
    for needle in [
        "Kestrel 0.1.0",
        "boot loader: GRUB",
        "command line: 'init=/sbin/init test=boot'",
        "module: 'initramfs'",
        "; timer: APIC periodic 1000 Hz (",
        "KTEST PASS",
    ] {
        assert!(log.contains(needle), "missing {needle:?} in\n{log}");
    }
    let usable_kib: u64 = log
        .lines()
        .find_map(|l| l.split("memory: ").nth(1)?.split(" KiB").next()?.parse().ok())
        .unwrap_or_else(|| panic!("no memory line in\n{log}"));
    // -m 256M: nearly all of it is usable RAM.
    assert!((240 * 1024..=256 * 1024).contains(&usable_kib), "usable {usable_kib} KiB\n{log}");
}

#[test]
fn unknown_option_warns_and_boot_continues() {
    let mut m = Boot::new("frobnicate=3 lapic=periodic test=boot").start();
    m.expect_success(BOOT_TIMEOUT).or_log(&m);
    assert!(m.log().contains("unknown kernel option 'frobnicate' ignored"), "{}", m.log());
    assert!(m.log().contains("lapic=periodic: only lapic=notscdeadline is known; ignored"), "{}", m.log());
}

/// Boot with `test=NAME`, expect the kernel's failure exit and every `needle` in the
/// report (so a triple fault, a hang or a silent halt all fail).
fn expect_report(test: &str, needles: &[&str]) {
    let mut m = Boot::new(&format!("test={test}")).start();
    m.expect_exit(EXIT_FAILURE, BOOT_TIMEOUT).or_log(&m);
    let log = m.log();
    for needle in needles {
        assert!(log.contains(needle), "missing {needle:?} in\n{log}");
    }
}

#[test]
fn panic_prints_message_location_and_backtrace() {
    expect_report(
        "panic",
        &[
            "KERNEL PANIC: test panic requested on the command line",
            "at kernel/src/ktest/mod.rs:",
            "backtrace:",
            "kernel::ktest::run+0x",
            "kmain+0x",
        ],
    );
}

#[test]
fn a_panic_inside_a_system_call_backtraces_to_the_entry() {
    // test=syscallpanic lets init run and makes uname(2) panic in its handler.
    // (syscall::handle is not named: the compiler may inline it into the entry's
    // Rust half.)
    expect_report(
        "syscallpanic init=/bin/uname",
        &[
            "KERNEL PANIC: test panic inside the uname system call",
            "kernel::syscall::info::uname+0x",
            "kernel::syscall::dispatch+0x",
            "syscall_entry+0x",
        ],
    );
}

#[test]
fn page_fault_is_reported() {
    expect_report(
        "pagefault",
        &[
            "EXCEPTION: page fault (vector 14) in kernel mode",
            "CR2 0x00000000deadb000",
            "read from an unmapped page",
            "RIP ",
            "RAX ",
            "backtrace:",
        ],
    );
}

#[test]
fn null_pointer_faults_once_the_identity_map_is_gone() {
    expect_report("nullptr", &["EXCEPTION: page fault", "CR2 0x0000000000000000"]);
}

#[test]
fn invalid_opcode_is_reported() {
    expect_report("invalidopcode", &["EXCEPTION: invalid opcode (vector 6)", "RIP "]);
}

#[test]
fn kernel_stack_overflow_hits_the_guard_page() {
    expect_report("stackoverflow", &["EXCEPTION: double fault (vector 8)", "kernel stack overflow"]);
}

#[test]
fn cpu_without_long_mode_gets_a_message() {
    let mut m = Boot::new("").cpu("qemu32").start();
    m.wait_for("this CPU does not support 64-bit long mode", BOOT_TIMEOUT).or_log(&m);
}

#[test]
fn the_vga_screen_shows_the_banner_and_the_shell() {
    let mut m = Boot::new("").start();
    m.wait_for(kestrel::session::LOGIN_PROMPT, BOOT_TIMEOUT).or_log(&m);
    // tty1's automatic root login at the bottom (getty's messages for the serial
    // line and init's go to the serial line only), the kernel's log above it and,
    // what scrolled off, in tty1's scrollback (Shift-PageUp).
    let screen = m.wait_for_screen("tty1's prompt", |screen| screen.iter().any(|row| row == "/root #")).join("\n");
    assert!(screen.contains("login: root (automatic login)\n") && screen.contains("\n/root #"), "{screen}");
    assert!(screen.contains("started /sbin/init as pid 1") && screen.contains(" on tty1\n"), "{screen}");
    let needles = ["Kestrel 0.1.0 (x86_64)", "boot loader: GRUB", "memory: "];
    let seen = m.screen_with_scrollback(&needles, 6);
    for needle in needles {
        assert!(seen.contains(needle), "missing {needle:?} on the VGA screen and in its scrollback:\n{seen}");
    }
    assert!(!seen.contains("on ttyS0") && !seen.contains("rc: host name"), "the serial line's on the screen:\n{seen}");
    assert!(m.log().contains("on ttyS0\n") && !m.log().contains("on tty1\n"), "{}", m.log());
}
