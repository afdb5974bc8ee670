//! The same ISO under other firmware and machines: UEFI (OVMF) to a working shell,
//! a USB stick, and Bochs to the shell prompt (as `make bochs` runs it).
use std::time::Duration;

use kestrel::{Boot, OrLog};

#[test]
fn boots_under_uefi_to_a_working_shell_and_powers_off() {
    let mut m = Boot::new("").uefi().start();
    kestrel::session::logged_in(&mut m, Duration::from_secs(180));
    let log = m.log();
    assert!(log.contains("Kestrel 0.1.0"), "{log}");
    assert!(log.contains("framebuffer: ") && log.contains("rgb"), "no framebuffer console under UEFI\n{log}");
    m.send("uname -s\n");
    m.wait_for("Kestrel\n", Duration::from_secs(60)).or_log(&m);
    m.send("poweroff\n");
    let status = m.wait_exit(Duration::from_secs(60));
    assert_eq!(status.and_then(|s| s.code()), Some(0), "no ACPI power-off under UEFI\n{}", m.log());
}

#[test]
fn boots_from_a_usb_stick() {
    let mut m = Boot::new("test=boot").usb().start();
    m.expect_success(Duration::from_secs(90)).or_log(&m);
}

/// `make bochs` without a display: Bochs boots to the shell init logs root in to
/// on the serial console, which is the terminal (with gettys waiting on every
/// virtual console, as in the default image): typed lines reach the guest, and
/// Ctrl-C interrupts the guest's foreground job rather than Bochs; `poweroff`
/// turns Bochs off through its own ACPI tables.
#[test]
fn boots_under_bochs_with_the_serial_console_on_the_terminal() {
    let mut m = kestrel::on_terminal(&kestrel::bochs_command());
    m.wait_for("started /sbin/init as pid 1", Duration::from_secs(300)).or_log(&m);
    m.wait_for(kestrel::session::LOGIN_PROMPT, Duration::from_secs(300)).or_log(&m);
    let log = m.log();
    assert!(log.contains("Kestrel 0.1.0") && log.contains("memory: "), "{log}");
    m.send("echo $((6*7))x\n");
    m.wait_for("42x", Duration::from_secs(120)).or_log(&m);
    m.send("sleep 1000\n");
    std::thread::sleep(Duration::from_secs(5));
    m.send("\x03");
    m.send("echo $((7*8))y\n");
    m.wait_for("56y", Duration::from_secs(120)).or_log(&m);
    m.send("poweroff\n");
    let status = m.wait_exit(Duration::from_secs(120));
    let log = m.log();
    assert!(log.contains("S5 sleep types") && log.contains("reboot: power down"), "{log}");
    assert!(status.is_some() && !log.contains("did not take"), "Bochs did not power off\n{log}");
}
