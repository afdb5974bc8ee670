//! The kernel log: syslog(2) and /dev/kmsg as Linux has them
//! (tests/guest-c/klog.c), and `dmesg` in a shell showing what the kernel logged
//! at boot and what a user wrote to /dev/kmsg.
use kestrel::run_ktest;
use kestrel::session::{run, shell};

#[test]
fn syslog_and_dev_kmsg_as_on_linux() {
    run_ktest("klog", "");
}

/// Whether `line` is `[SSSSS.UUUUUU] ` (seconds right-aligned in five columns,
/// six digits of microseconds) and then `text`.
fn dmesg_line(line: &str, text: &str) -> bool {
    let Some(rest) = line.strip_prefix('[') else { return false };
    let Some((time, after)) = rest.split_once("] ") else { return false };
    let Some((seconds, micros)) = time.split_once('.') else { return false };
    seconds.len() >= 5
        && seconds.trim_start().chars().all(|c| c.is_ascii_digit())
        && micros.len() == 6
        && micros.chars().all(|c| c.is_ascii_digit())
        && after == text
}

#[test]
fn dmesg_shows_the_boot_and_what_users_write() {
    let mut m = shell();
    // The kernel said this while booting, before the shell started.
    run(&mut m, "dmesg | grep initramfs:", "KiB unpacked into the root file system\n");
    let log = m.log();
    let shown =
        |l: &str| l.split_once("] ").is_some_and(|(_, text)| text.starts_with("initramfs: ") && dmesg_line(l, text));
    assert!(log.lines().any(shown), "{log}");
    run(&mut m, "dmesg | grep -c 'started /sbin/init as pid 1'", "1\n");
    run(&mut m, "echo hello from the shell >/dev/kmsg; dmesg | tail -1", "] hello from the shell\n");
    let log = m.log();
    let last = log.lines().rev().find(|l| l.ends_with("] hello from the shell")).unwrap_or_default();
    assert!(dmesg_line(last, "hello from the shell"), "{last:?}\n{log}");
    run(&mut m, "dmesg -x | tail -1", "user  :warn  : [");
    run(&mut m, "echo '<3>broken' >/dev/kmsg; dmesg -t -l err | tail -1", "\nbroken\n");
    run(&mut m, "dmesg -k | grep -c 'from the shell'", "0\n");
    run(&mut m, "dmesg -r | grep 'from the shell'", "<12>[");
    run(&mut m, "dmesg -C; dmesg | wc -l", "0\n");
    run(&mut m, "dmesg -l loud; echo $?", "dmesg: unknown level 'loud'\n1\n");
    run(&mut m, "man dmesg | head -1", "dmesg - print or control the kernel ring buffer\n");
}

/// `profile=2` (kernel/src/profile.rs): the ticks that land in the kernel while
/// programs make system calls are counted by function in /proc/kprofile, most
/// first, with names from the kernel's symbol table; without the option the
/// file says the profiler is off.
#[test]
fn the_profiler_counts_kernel_functions_when_asked() {
    let mut m = shell();
    run(&mut m, "head -1 /proc/kprofile", "# the kernel profiler is off: boot with profile=SHIFT\n");
    drop(m);
    let mut m = kestrel::Boot::new("profile=2").start();
    kestrel::session::logged_in(&mut m, std::time::Duration::from_secs(180));
    run(&mut m, "cat /dev/zero | head -c 50000000 | wc -c; echo done", "50000000\ndone\n");
    run(&mut m, "grep -c 'kernel::' /proc/kprofile; echo counted", "counted\n");
    let log = m.log();
    let counted = log.lines().rev().find_map(|l| l.trim().parse::<u32>().ok()).unwrap_or(0);
    assert!(counted >= 3, "kernel functions in /proc/kprofile: {counted}\n{log}");
    run(&mut m, "sort -rn -c /proc/kprofile && echo sorted", "sorted\n");
}
