//! The USB driver on QEMU's xHCI controller (qemu-xhci) with no PS/2 controller
//! (`i8042=off`): keys sent to a USB keyboard (the monitor's sendkey) reach the
//! shell on tty1, on the screen, directly and through a hub; Shift and Ctrl work,
//! a held key repeats, and a keyboard plugged in after boot works until it is
//! pulled out. The controller signals by MSI-X (polled at each tick with
//! `noapic`). Each command's output is something the shell computed, not the
//! keys typed.
use std::time::{Duration, Instant};

use kestrel::session::{LOGIN_PROMPT, TIMEOUT, run};
use kestrel::{Boot, Machine, OrLog};

/// A q35 machine without PS/2, an xHCI controller and `devices` on it, at the
/// serial console's prompt and tty1's.
fn boot(devices: &[&str]) -> Machine {
    boot_with("", devices)
}

/// [`boot`] with kernel arguments `args`.
fn boot_with(args: &str, devices: &[&str]) -> Machine {
    let mut boot = Boot::new(args).machine("q35,i8042=off").device("qemu-xhci,id=xhci");
    for device in devices {
        boot = boot.device(device);
    }
    let mut m = boot.start();
    m.wait_for(LOGIN_PROMPT, Duration::from_secs(90)).or_log(&m);
    m.wait_for_screen_text("/root #");
    m
}

/// Send each of `keys` (QEMU key names) with the monitor's sendkey.
fn press(m: &Machine, keys: &[&str]) {
    for key in keys {
        m.monitor(&format!("sendkey {key}"));
    }
}

/// Run a monitor command and wait for the kernel's `line` after it.
fn monitor_until(m: &mut Machine, command: &str, line: &str) {
    let before = m.log().len();
    m.monitor(command);
    m.wait_until(TIMEOUT, |log| log[before..].contains(line)).or_log(m);
}

/// Keys for `echo $((A*B))` and Enter (A and B digits): shifted keys for `$`,
/// the parentheses and `*`.
fn echo_product(a: u8, b: u8) -> Vec<String> {
    let mut keys: Vec<String> = ["e", "c", "h", "o", "spc", "shift-4", "shift-9", "shift-9"].map(String::from).to_vec();
    keys.extend([a.to_string(), "shift-8".into(), b.to_string()]);
    keys.extend(["shift-0", "shift-0", "ret"].map(String::from));
    keys
}

/// Type `echo $((A*B))` on the USB keyboard and wait for the product on the
/// screen, on the row after the command (which follows the prompt, or the
/// kernel's line about a keyboard plugged in).
fn product_on_screen(m: &Machine, a: u8, b: u8) {
    let keys = echo_product(a, b);
    press(m, &keys.iter().map(String::as_str).collect::<Vec<_>>());
    let command = format!("echo $(({a}*{b}))");
    let product = (a * b).to_string();
    m.wait_for_screen(&format!("{command} then {product}"), |screen| {
        screen.iter().position(|row| row.ends_with(&command)).is_some_and(|at| screen.get(at + 1) == Some(&product))
    });
}

#[test]
fn a_usb_keyboard_types_into_the_shell_without_ps2() {
    let mut m = boot(&["usb-kbd,bus=xhci.0"]);
    let log = m.log();
    assert!(log.contains("usb: xHCI 0000:00:"), "no controller line:\n{log}");
    assert!(log.contains("usb 1-1: keyboard (HID boot protocol)"), "no keyboard line:\n{log}");
    assert!(!log.contains("usb 1-1: new"), "the details reached the console:\n{log}");
    assert!(log.contains("events by MSI on vector"), "qemu-xhci has MSI-X, the local APIC is on:\n{log}");
    product_on_screen(&m, 6, 7);
    // The details are in dmesg: speed (QEMU's usb-kbd is a USB 2 device), slot, ids.
    run(&mut m, "dmesg | grep 'usb 1-1: new'", "usb 1-1: new high-speed device, slot 1, 0627:0001 class 00");
    // The controller's events arrived as interrupts, not only at the ticks.
    run(&mut m, "dmesg | grep -c 'first interrupt (MSI vector'", "\n1\n");
}

/// With `noapic` there are no MSI vectors: the controller is polled at each
/// tick, and the keyboard works the same.
#[test]
fn without_msi_the_controller_is_polled() {
    let m = boot_with("noapic", &["usb-kbd,bus=xhci.0"]);
    assert!(m.log().contains("no MSI, events polled at each tick"), "{}", m.log());
    product_on_screen(&m, 5, 9);
}

#[test]
fn keyboards_behind_a_hub_type_too_and_come_and_go() {
    let mut m = boot(&["usb-hub,bus=xhci.0,port=1", "usb-kbd,bus=xhci.0,port=1.3"]);
    let log = m.log();
    assert!(log.contains("usb 1-1: hub, 8 ports"), "no hub line:\n{log}");
    assert!(log.contains("usb 1-1.3: keyboard (HID boot protocol)"), "no keyboard behind the hub:\n{log}");
    product_on_screen(&m, 7, 8);
    // A second keyboard on the hub's port 2 (QEMU sends keys to the newest).
    monitor_until(&mut m, "device_add usb-kbd,bus=xhci.0,port=1.2,id=k2", "usb 1-1.2: keyboard (HID boot protocol)");
    product_on_screen(&m, 2, 9);
    monitor_until(&mut m, "device_del k2", "usb 1-1.2: USB disconnect");
    product_on_screen(&m, 3, 7);
}

#[test]
fn ctrl_c_interrupts_a_command_and_a_held_key_repeats() {
    let m = boot(&["usb-kbd,bus=xhci.0"]);
    press(&m, &["s", "l", "e", "e", "p", "spc", "1", "0", "0", "ret"]);
    m.wait_for_screen_text("# sleep 100");
    let started = Instant::now();
    press(&m, &["ctrl-c"]);
    product_on_screen(&m, 3, 5);
    assert!(started.elapsed() < Duration::from_secs(60), "sleep 100 was not interrupted");
    // One second held: the first press, then a repeat every 33 ms after 250 ms.
    m.monitor("sendkey x 1000");
    let screen =
        m.wait_for_screen("a row of repeated x", |screen| screen.iter().any(|row| row.contains("# xxxxxxxxxx")));
    let row = screen.iter().find(|row| row.contains("# xxxxxxxxxx")).expect("the row");
    let count = row.rsplit("# ").next().unwrap_or("").len();
    assert!(count < 60, "too many repeats ({count}) for one second:\n{row}");
}

#[test]
fn a_keyboard_plugged_in_after_boot_works_until_pulled_out() {
    let mut m = boot(&[]);
    monitor_until(&mut m, "device_add usb-kbd,bus=xhci.0,id=k2", "usb 1-1: keyboard (HID boot protocol)");
    product_on_screen(&m, 4, 9);
    monitor_until(&mut m, "device_del k2", "usb 1-1: USB disconnect");
    // Plugged in again (QEMU may pick another port), it is found again.
    monitor_until(&mut m, "device_add usb-kbd,bus=xhci.0,id=k3", ": keyboard (HID boot protocol)");
    product_on_screen(&m, 9, 9);
}

/// Issue 15's legacy-free machine (no 8259, PIT or PS/2; UEFI, so the screen is
/// a framebuffer): keys on the USB keyboard reach tty1's shell, which writes
/// what it computed to a file that the serial console's shell reads back.
#[test]
fn the_legacy_free_machine_takes_keys_from_the_usb_keyboard() {
    let mut m = Boot::new("")
        .machine("q35,i8042=off,pit=off,pic=off")
        .uefi()
        .device("qemu-xhci,id=xhci")
        .device("usb-kbd,bus=xhci.0")
        .start();
    kestrel::session::logged_in(&mut m, Duration::from_secs(180));
    assert!(m.log().contains("usb 1-1: keyboard (HID boot protocol)"), "{}", m.log());
    // `echo $((6*7))>/tmp/k` on tty1, typed on the USB keyboard.
    let mut keys = echo_product(6, 7);
    keys.pop();
    keys.extend(["shift-dot", "slash", "t", "m", "p", "slash", "k", "ret"].map(String::from));
    press(&m, &keys.iter().map(String::as_str).collect::<Vec<_>>());
    run(&mut m, "while [ ! -s /tmp/k ]; do sleep 1; done; cat /tmp/k", "\n42\n");
}
