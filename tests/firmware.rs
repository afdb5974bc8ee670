//! The same ISO under other firmware and machines: UEFI (OVMF), a USB stick, Bochs.
use std::time::Duration;

use kestrel::{Boot, OrLog};

#[test]
fn boots_under_uefi() {
    let mut m = Boot::new("test=boot").uefi().start();
    m.expect_success(Duration::from_secs(120)).or_log(&m);
    let log = m.log();
    assert!(log.contains("Kestrel 0.1.0"), "{log}");
    assert!(log.contains("framebuffer: "), "{log}");
}

#[test]
fn boots_from_a_usb_stick() {
    let mut m = Boot::new("test=boot").usb().start();
    m.expect_success(Duration::from_secs(90)).or_log(&m);
}

#[test]
fn boots_under_bochs() {
    let log =
        kestrel::bochs_boot_until("init: starting /bin/sh", Duration::from_secs(240)).unwrap_or_else(|e| panic!("{e}"));
    assert!(log.contains("Kestrel 0.1.0"), "{log}");
    assert!(log.contains("memory: "), "{log}");
    assert!(log.contains("started /sbin/init as pid 1"), "{log}");
}
