//! The make targets as a user meets them: `make run` (scripts/run.sh) passes the
//! control keys to the guest and exits 0 when a test program passes; the ISO that
//! `make iso` (iso.sh) packs holds only what it should.
use std::process::Command;
use std::time::Duration;

use kestrel::{OrLog, build_dir, iso};

/// An argument disk with `args` (scripts/args-disk.sh) in a fresh temporary folder.
fn args_disk(args: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let disk = dir.path().join("args.img");
    let status = Command::new("scripts/args-disk.sh").arg(&disk).arg(args).status().expect("scripts/args-disk.sh");
    assert!(status.success(), "args-disk.sh failed");
    (dir, disk)
}

/// scripts/run.sh's exit status for a boot with `args` (no terminal, no display).
fn run_status(args: &str) -> Option<i32> {
    let (_dir, disk) = args_disk(args);
    let output = Command::new("timeout")
        .args(["120", "scripts/run.sh"])
        .arg(iso())
        .arg(&disk)
        .args(["-display", "none"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("scripts/run.sh");
    output.status.code()
}

#[test]
fn make_run_exits_0_when_a_test_program_passes_and_not_when_it_fails() {
    assert_eq!(run_status("init=/bin/ktest-hello"), Some(0));
    // init exiting with status 1 is a reported failure (isa-debug-exit 35).
    assert_eq!(run_status("init=/bin/false"), Some(35));
}

/// On a terminal, Ctrl-C interrupts the guest's foreground job (QEMU keeps running),
/// Ctrl-Z stops it, and Ctrl-A x leaves QEMU.
#[test]
fn make_run_passes_control_keys_to_the_guest() {
    let (_dir, disk) = args_disk("");
    let mut m = kestrel::on_terminal(&format!("scripts/run.sh {} {} -display none", iso().display(), disk.display()));
    m.wait_for("started /sbin/init as pid 1", Duration::from_secs(120)).or_log(&m);
    m.wait_for("# ", Duration::from_secs(60)).or_log(&m);
    m.send("sleep 1000\n");
    std::thread::sleep(Duration::from_secs(2));
    m.send("\x03");
    m.send("echo $((6*7))x\n");
    m.wait_for("42x", Duration::from_secs(60)).or_log(&m);
    m.send("sleep 1000\n");
    std::thread::sleep(Duration::from_secs(2));
    m.send("\x1a");
    m.wait_for("Stopped", Duration::from_secs(60)).or_log(&m);
    m.send("kill %1; echo $((7*8))y\n");
    m.wait_for("56y", Duration::from_secs(60)).or_log(&m);
    m.send("\x01x");
    assert!(m.wait_exit(Duration::from_secs(30)).is_some(), "Ctrl-A x did not leave QEMU\n{}", m.log());
    assert!(!m.log().contains("terminating on signal"), "{}", m.log());
}

/// Every file of the ISO outside GRUB's own (its modules, its EFI image and the
/// files grub-mkrescue adds for Macs): the kernel, the initramfs and grub.cfg; and the
/// initramfs is the one `make` built.
#[test]
fn the_iso_holds_only_the_kernel_the_initramfs_and_grub_cfg() {
    let output = Command::new("xorriso")
        .args(["-indev"])
        .arg(iso())
        .args(["-find", "/", "-type", "f"])
        .output()
        .expect("xorriso (make deps)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let listing = String::from_utf8_lossy(&output.stdout);
    let ours: Vec<&str> = listing
        .lines()
        .map(|line| line.trim_matches('\''))
        .filter(|path| {
            !path.starts_with("/boot/grub/i386-pc/")
                && !path.starts_with("/boot/grub/x86_64-efi/")
                && !path.starts_with("/System/Library/CoreServices/")
                && !matches!(*path, "/efi.img" | "/mach_kernel")
        })
        .collect();
    assert_eq!(ours, ["/boot/grub/grub.cfg", "/boot/initramfs.cpio", "/boot/kernel.elf"], "{listing}");
    let scratch = tempfile::tempdir().expect("temporary directory");
    let extracted = scratch.path().join("initramfs.cpio");
    let status = Command::new("osirrox")
        .args(["-indev"])
        .arg(iso())
        .args(["-extract", "/boot/initramfs.cpio"])
        .arg(&extracted)
        .output()
        .expect("osirrox");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let built = std::fs::read(build_dir().join("initramfs.cpio")).expect("build/initramfs.cpio");
    assert!(
        std::fs::read(&extracted).expect("extracted initramfs") == built,
        "the ISO's initramfs is not build/initramfs.cpio"
    );
}
