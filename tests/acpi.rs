//! ACPI and power: the boot log's table summary reflects the machine QEMU was
//! given (its processor count, q35's PCIe ECAM, the power registers its chipset
//! decodes), and `poweroff` and `reboot` end the machine through the registers the
//! tables name (or the fallbacks), on i440fx and q35, under SeaBIOS and OVMF.
use std::time::Duration;

use kestrel::{Boot, Machine, OrLog};

const TIMEOUT: Duration = Duration::from_secs(180);

/// The kernel's one-line ACPI summary from a `test=boot` run of `boot`.
fn acpi_line(boot: Boot) -> String {
    let mut m = boot.start();
    m.expect_success(TIMEOUT).or_log(&m);
    let log = m.log();
    let line = log.lines().find(|l| l.contains("acpi: revision ")).map(str::to_string);
    line.unwrap_or_else(|| panic!("no ACPI summary in\n{log}"))
}

/// Boot `boot` to the automatic login's shell, in /.
fn shell_on(boot: Boot) -> Machine {
    let mut m = boot.start();
    kestrel::session::logged_in(&mut m, TIMEOUT);
    m
}

/// Type `command` and expect QEMU to exit by itself with status 0 (with
/// -no-reboot a reset ends QEMU as a power-off does), the log showing `said`.
fn ends_machine(mut m: Machine, command: &str, said: &str) -> String {
    m.send(&format!("{command}\n"));
    let status = m.wait_exit(TIMEOUT);
    let log = m.log();
    assert_eq!(status.and_then(|s| s.code()), Some(0), "QEMU did not end after {command}\n{log}");
    assert!(log.contains(said), "missing {said:?} in\n{log}");
    log
}

#[test]
fn summary_counts_the_processors_qemu_was_given() {
    let one = acpi_line(Boot::new("test=boot"));
    let two = acpi_line(Boot::new("test=boot").smp(2));
    for (line, cpus) in [(&one, 1), (&two, 2)] {
        assert!(line.contains(&format!("madt: cpus {cpus}, local APIC 0xfee00000")), "{line}");
        assert!(line.contains("I/O APIC 0 at 0xfec00000 (GSI 0)"), "{line}");
        // QEMU routes the PIT's IRQ 0 to GSI 2.
        assert!(line.contains("ISA overrides 0->2"), "{line}");
        for table in ["FACP", "APIC", "HPET"] {
            assert!(line.contains(table), "no {table} in {line}");
        }
        assert!(line.contains("hpet 0xfed00000"), "{line}");
        // i440fx has no PCIe, so no MCFG.
        assert!(line.contains("ecam none"), "{line}");
        assert!(line.contains("S5 sleep types 0/0"), "{line}");
    }
}

/// The start of the I/O region QEMU's memory tree calls `name` (`acpi-cnt` is
/// the PM1a control block the chipset decodes, where the firmware put it).
fn qemu_io_region(m: &Machine, name: &str) -> Option<String> {
    let tree = m.monitor("info mtree");
    let line = tree.lines().find(|l| l.trim_end().ends_with(&format!("): {name}")))?;
    let start = u64::from_str_radix(line.trim().split('-').next()?, 16).ok()?;
    Some(format!("{start:#x}"))
}

/// The register the summary line gives after `field` (`PM1a io 0x604` -> `0x604`).
fn summary_port(line: &str, field: &str) -> Option<String> {
    line.split(&format!("{field} io ")).nth(1)?.split([',', ';', '=']).next().map(str::to_string)
}

#[test]
fn power_registers_are_the_ones_the_chipset_decodes() {
    for (machine, ecam) in [("pc", "ecam none"), ("q35", "ecam 0xb0000000 (segment 0, buses 0-255)")] {
        let m = shell_on(Boot::new("").machine(machine));
        let log = m.log();
        let line = log.lines().find(|l| l.contains("acpi: revision ")).unwrap_or_else(|| panic!("{log}"));
        assert!(line.contains(ecam), "{machine}: {line}");
        let pm1a = summary_port(line, "PM1a");
        assert!(pm1a.is_some(), "{machine}: {line}");
        assert_eq!(pm1a, qemu_io_region(&m, "acpi-cnt"), "{machine}: {line}\n{}", m.monitor("info mtree"));
        assert_eq!(summary_port(line, "PM timer"), qemu_io_region(&m, "acpi-tmr"), "{machine}: {line}");
    }
}

/// `Scope (\_SB.PCI0) { Method (KTST) { Return (0x2a) } }`: it adds to the
/// DSDT's namespace.
const GOOD_SSDT: [u8; 22] = [
    0x10, 0x15, 0x5c, 0x2e, b'_', b'S', b'B', b'_', b'P', b'C', b'I', b'0', //
    0x14, 0x09, b'K', b'T', b'S', b'T', 0x00, 0xa4, 0x0a, 0x2a,
];

/// An ExtOpPrefix followed by no operator AML has.
const BROKEN_SSDT: [u8; 3] = [0x5b, 0xff, 0x00];

/// `Store (Zero, Debug)` at the table's top level: the interpreter crate's
/// store to Debug is not implemented (it panics), so parsing this table panics in it.
const PANICKING_SSDT: [u8; 4] = [0x70, 0x00, 0x5b, 0x31];

/// `(parsed, total)` from the kernel's debug line `AML of P of T definition
/// blocks parsed` (in `dmesg`, not on the console).
fn parsed_blocks(m: &mut Machine) -> (u32, u32) {
    m.send("dmesg | grep 'definition blocks'\n");
    m.wait_for("blocks parsed, ", TIMEOUT).or_log(m);
    let log = m.log();
    let line = log.lines().find(|l| l.contains("definition blocks parsed")).expect("the AML count");
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "AML").expect("AML of P of T");
    (words[at + 2].parse().expect("P"), words[at + 4].parse().expect("T"))
}

#[test]
fn every_definition_block_is_interpreted_and_a_broken_one_is_skipped() {
    for machine in ["pc", "q35"] {
        let mut plain = shell_on(Boot::new("").machine(machine));
        let (parsed, total) = parsed_blocks(&mut plain);
        assert_eq!(parsed, total, "{machine}: QEMU's own tables all parse\n{}", plain.log());
        drop(plain);
        let mut m = shell_on(Boot::new("").machine(machine).ssdt(&GOOD_SSDT).ssdt(&BROKEN_SSDT));
        assert_eq!(parsed_blocks(&mut m), (total + 1, total + 2), "{machine}\n{}", m.log());
        let log = m.log();
        let warning =
            log.lines().find(|l| l.contains("does not parse")).unwrap_or_else(|| panic!("no warning in\n{log}"));
        let broken = format!("the AML of the SSDT {} at 0x", total + 1);
        assert!(warning.contains(&broken), "{machine}: {warning}");
        // QEMU's DSDT, on both machines: Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero }).
        let line = log.lines().find(|l| l.contains("acpi: revision ")).expect("the ACPI summary");
        assert!(line.contains("S5 sleep types 0/0"), "{machine}: {line}");
        ends_machine(m, "poweroff", "reboot: power down");
    }
}

#[test]
fn a_panic_in_the_aml_interpreter_skips_only_its_table() {
    let mut plain = shell_on(Boot::new(""));
    let (_, total) = parsed_blocks(&mut plain);
    drop(plain);
    let mut m = shell_on(Boot::new("").ssdt(&GOOD_SSDT).ssdt(&PANICKING_SSDT));
    // The interpreter panicked in the second SSDT; the namespace was built again
    // without it, the good SSDT included.
    assert_eq!(parsed_blocks(&mut m), (total + 1, total + 2), "{}", m.log());
    let log = m.log();
    let stopped = format!("the AML interpreter stopped in the SSDT {} at 0x", total + 1);
    let warning = log.lines().find(|l| l.contains(&stopped)).unwrap_or_else(|| panic!("no {stopped:?} in\n{log}"));
    assert!(warning.contains("it panicked: not implemented (at "), "{warning}");
    assert!(warning.contains("stable-aml"), "{warning}");
    assert!(!log.contains("KERNEL PANIC"), "{log}");
    let line = log.lines().find(|l| l.contains("acpi: revision ")).expect("the ACPI summary");
    assert!(line.contains("S5 sleep types 0/0"), "{line}");
    ends_machine(m, "poweroff", "reboot: power down");
}

/// A whole table whose signature is `signature` (with a 4-byte body), its
/// checksum right.
fn table(signature: [u8; 4]) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(&signature);
    t.extend_from_slice(&40u32.to_le_bytes());
    t.extend_from_slice(&[1, 0]); // revision, checksum
    t.extend_from_slice(b"KESTRLBADTABLE"); // OEM id, OEM table id
    t.extend_from_slice(&1u32.to_le_bytes());
    t.extend_from_slice(b"KSTL");
    t.extend_from_slice(&1u32.to_le_bytes());
    t.extend_from_slice(&[0; 4]);
    t[9] = 0u8.wrapping_sub(t.iter().fold(0u8, |sum, b| sum.wrapping_add(*b)));
    t
}

#[test]
fn a_table_whose_signature_is_not_text_leaves_the_others_usable() {
    // The acpi crate's walk over the tables panics formatting such a signature.
    let mut m = Boot::new("test=boot").acpi_table(&table([0xff, 0xfe, b'X', b'Y'])).start();
    m.expect_success(TIMEOUT).or_log(&m);
    let log = m.log();
    let warning = log
        .lines()
        .find(|l| l.contains("acpi: the list of tables cannot be read: it panicked: "))
        .unwrap_or_else(|| panic!("no warning in\n{log}"));
    assert!(warning.contains("Utf8Error"), "{warning}");
    assert!(!log.contains("KERNEL PANIC"), "{log}");
    let line = log.lines().find(|l| l.contains("acpi: revision ")).expect("the ACPI summary");
    assert!(line.contains("tables (unreadable); madt: cpus 1, local APIC 0xfee00000"), "{line}");
    assert!(line.contains("hpet 0xfed00000") && line.contains("S5 sleep types 0/0"), "{line}");
    assert!(log.contains("interrupts: xAPIC id 0 + I/O APIC"), "{log}");
}

#[test]
fn poweroff_on_q35() {
    ends_machine(shell_on(Boot::new("").machine("q35")), "poweroff", "reboot: power down");
}

#[test]
fn poweroff_on_q35_under_uefi() {
    ends_machine(shell_on(Boot::new("").machine("q35").uefi()), "poweroff", "reboot: power down");
}

#[test]
fn reboot_on_q35_uses_the_acpi_reset_register() {
    let log = ends_machine(shell_on(Boot::new("").machine("q35")), "reboot", "reboot: restarting the system");
    // QEMU's ICH9 reset control register, with the value the FADT gives.
    assert!(log.contains(", reset io 0xcf9="), "{log}");
    assert!(!log.contains("did not reset"), "the ACPI reset register was not enough\n{log}");
}

#[test]
fn reboot_on_i440fx_falls_back_to_the_keyboard_controller() {
    // QEMU's i440fx FADT is ACPI 1.0: no reset register.
    let log = ends_machine(shell_on(Boot::new("")), "reboot", "reboot: restarting the system");
    assert!(log.contains(", reset none"), "{log}");
    assert!(!log.contains("triple fault"), "the keyboard controller was not enough\n{log}");
}

#[test]
fn reboot_without_reset_register_or_8042_triple_faults() {
    let m = shell_on(Boot::new("").machine("pc,i8042=off"));
    let log = ends_machine(m, "reboot", "reboot: the keyboard controller did not reset the machine; triple fault");
    assert!(log.contains(", reset none"), "{log}");
}
