//! The same ISO under other firmware and machines: UEFI (OVMF) to a working shell,
//! a USB stick, and Bochs to the shell prompt.
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

#[test]
fn boots_under_bochs() {
    let log = kestrel::bochs_boot_until(kestrel::session::LOGIN_PROMPT, Duration::from_secs(240))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(log.contains("Kestrel 0.1.0"), "{log}");
    assert!(log.contains("memory: "), "{log}");
    assert!(log.contains("started /sbin/init as pid 1"), "{log}");
}
