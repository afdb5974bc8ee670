//! PCI enumeration under QEMU: the kernel's /proc/bus/pci/devices against what
//! QEMU's monitor (`info pci`) says the machine has (functions, ids, BARs with
//! their addresses and sizes, the ROM's size, interrupt lines), and `lspci -n`
//! naming the chipsets' own devices, on i440fx and on q35 with an e1000 added
//! behind a PCI-to-PCI bridge (found only when added: the bus is read).
use std::collections::BTreeMap;
use std::time::Duration;

use kestrel::session::run;
use kestrel::{Boot, Machine, OrLog};

/// What one function is said to have: ids, IRQ (when it has a pin) and
/// resources (BAR 0..5, 6 the ROM) as (address if mapped, size).
#[derive(Debug, Default, PartialEq, Eq)]
struct Function {
    ids: (u16, u16),
    irq: Option<u32>,
    resources: BTreeMap<usize, (Option<u64>, u64)>,
}

type Slot = (u8, u8, u8);

/// QEMU's `info pci`.
fn from_monitor(text: &str) -> BTreeMap<Slot, Function> {
    let mut functions = BTreeMap::new();
    let mut current: Option<Slot> = None;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Bus") {
            let numbers: Vec<u8> = rest
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().expect("a number"))
                .collect();
            let slot = (numbers[0], numbers[1], numbers[2]);
            functions.insert(slot, Function::default());
            current = Some(slot);
            continue;
        }
        let Some(f) = current.and_then(|slot| functions.get_mut(&slot)) else { continue };
        if let Some((_, ids)) = line.split_once("PCI device ") {
            let (vendor, device) = ids.split_once(':').expect("vendor:device");
            f.ids = (u16::from_str_radix(vendor, 16).unwrap(), u16::from_str_radix(device, 16).unwrap());
        } else if let Some(rest) = line.strip_prefix("IRQ ") {
            let irq: u32 = rest.split(',').next().unwrap().parse().unwrap();
            f.irq = (irq != 255).then_some(irq);
        } else if let Some(rest) = line.strip_prefix("BAR") {
            // "BAR1: I/O at 0xc000 [0xc03f]." or "BAR6: 32 bit memory at 0x... [0x...]."
            let (index, rest) = rest.split_once(':').unwrap();
            let hex = |s: &str| u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap();
            let (_, at) = rest.split_once(" at ").unwrap();
            let (start, end) = at.split_once(" [").unwrap();
            let (start, end) = (hex(start), hex(end.trim_end_matches("].")));
            let mapped = start != u64::MAX;
            f.resources
                .insert(index.parse().unwrap(), (mapped.then_some(start), end.wrapping_sub(start).wrapping_add(1)));
        }
    }
    functions
}

/// The kernel's /proc/bus/pci/devices, in the same terms; `mapped` says which
/// functions QEMU shows each resource of as mapped (an address to compare).
fn from_proc(text: &str, mapped: &BTreeMap<Slot, Function>) -> BTreeMap<Slot, Function> {
    let mut functions = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<u64> =
            line.split('\t').take(17).map(|f| u64::from_str_radix(f.trim(), 16).expect("a hex field")).collect();
        assert_eq!(fields.len(), 17, "a devices line has 17 fields: {line:?}");
        assert!(line.ends_with('\t'), "no driver name after the last tab: {line:?}");
        let slot = ((fields[0] >> 8) as u8, (fields[0] >> 3 & 0x1f) as u8, (fields[0] & 7) as u8);
        let qemu = mapped.get(&slot);
        let mut f = Function {
            ids: ((fields[1] >> 16) as u16, fields[1] as u16),
            irq: qemu.and_then(|q| q.irq).map(|_| fields[2] as u32),
            resources: BTreeMap::new(),
        };
        for index in 0..7 {
            let (base, size) = (fields[3 + index], fields[10 + index]);
            if size == 0 {
                continue;
            }
            let address = if index == 6 {
                base & !0x7ff
            } else if base & 1 == 1 {
                base & !3
            } else {
                base & !0xf
            };
            let shown = qemu.and_then(|q| q.resources.get(&index)).is_some_and(|(a, _)| a.is_some());
            f.resources.insert(index, (shown.then_some(address), size));
        }
        functions.insert(slot, f);
    }
    functions
}

/// Runs `command` at the shell prompt and returns what it printed.
fn output_of(m: &mut Machine, command: &str) -> String {
    let before = m.log().len();
    m.send(&format!("echo BEGIN''MARK; {command}; echo END''MARK\n"));
    m.wait_until(Duration::from_secs(60), |log| log[before..].contains("ENDMARK\n")).or_log(m);
    let log = m.log()[before..].replace('\r', "");
    let start = log.find("BEGINMARK\n").expect("the start mark") + "BEGINMARK\n".len();
    let end = log.find("ENDMARK\n").expect("the end mark");
    log[start..end].to_string()
}

fn boot(machine: Boot) -> Machine {
    let mut m = machine.start();
    kestrel::session::logged_in(&mut m, Duration::from_secs(120));
    m
}

/// /proc/bus/pci/devices says what QEMU says, and each function has a
/// configuration file starting with its ids.
fn proc_matches_monitor(m: &mut Machine) -> BTreeMap<Slot, Function> {
    let monitor = from_monitor(&m.monitor("info pci"));
    assert!(monitor.len() >= 4, "QEMU shows few functions:\n{}", m.monitor("info pci"));
    let devices = output_of(m, "cat /proc/bus/pci/devices");
    let proc = from_proc(&devices, &monitor);
    assert_eq!(proc, monitor, "/proc/bus/pci/devices:\n{devices}");
    for (&(bus, dev, func), f) in &proc {
        let dump = output_of(m, &format!("xxd -l 4 -p /proc/bus/pci/{bus:02x}/{dev:02x}.{func:x}"));
        let ids = format!("{:02x}{:02x}{:02x}{:02x}", f.ids.0 & 0xff, f.ids.0 >> 8, f.ids.1 & 0xff, f.ids.1 >> 8);
        assert_eq!(dump.trim(), ids, "the configuration file of {bus:02x}:{dev:02x}.{func}");
    }
    proc
}

#[test]
fn i440fx_functions_match_qemu_and_lspci_names_them() {
    let mut m = boot(Boot::new(""));
    let functions = proc_matches_monitor(&mut m);
    let log = m.log();
    let summary = format!("INFO  pci: {} functions on 1 bus ", functions.len());
    assert!(log.contains(&summary), "no {summary:?} line\n{log}");
    // Each function's line is a debug record: in dmesg, not on the console.
    assert!(!log.contains("pci 00:00.0 8086:1237"), "{log}");
    run(&mut m, "dmesg | grep 'pci 00:00.0'", "] pci 00:00.0 8086:1237 class 0600 rev 02\n");
    assert!(functions.values().all(|f| f.ids != (0x1b36, 0x0001)), "no bridge was added");
    let lspci = output_of(&mut m, "lspci -n");
    assert!(lspci.contains("00:00.0 0600: 8086:1237 (rev 02)\n"), "{lspci}");
    assert!(lspci.contains("00:01.0 0601: 8086:7000\n"), "{lspci}");
    assert_eq!(lspci.lines().count(), functions.len(), "{lspci}");
    let named = output_of(&mut m, "lspci -s 1.1");
    assert_eq!(named, "00:01.1 IDE interface: Device 8086:7010\n");
    let config = output_of(&mut m, "wc -c < /proc/bus/pci/00/00.0");
    assert_eq!(config.trim(), "256");
    assert!(log.contains(" through ports 0xcf8/0xcfc (lspci"), "i440fx has no MCFG\n{log}");
}

#[test]
fn q35_functions_behind_a_bridge_match_qemu() {
    let machine = Boot::new("")
        .machine("q35")
        .device("pci-bridge,chassis_nr=1,id=bridge1,addr=5")
        .device("e1000,bus=bridge1,addr=3");
    let mut m = boot(machine);
    let functions = proc_matches_monitor(&mut m);
    assert_eq!(functions.get(&(1, 3, 0)).map(|f| f.ids), Some((0x8086, 0x100e)), "the e1000 behind the bridge");
    let lspci = output_of(&mut m, "lspci -n");
    assert!(lspci.contains("00:00.0 0600: 8086:29c0\n"), "{lspci}");
    assert!(lspci.contains("00:1f.2 0106: 8086:2922 (rev 02)\n"), "{lspci}");
    assert!(lspci.contains("01:03.0 0200: 8086:100e (rev 03)\n"), "{lspci}");
    let verbose = output_of(&mut m, "lspci -v -s 00:05.0");
    assert!(verbose.starts_with("00:05.0 PCI bridge: Device 1b36:0001 (prog-if 00 [Normal decode])\n"), "{verbose}");
    assert!(verbose.contains("\tBus: primary=00, secondary=01, subordinate=01, sec-latency=0\n"), "{verbose}");
    let sata = output_of(&mut m, "lspci -v -d 8086:2922");
    assert!(sata.contains("(prog-if 01 [AHCI 1.0])"), "{sata}");
    assert!(sata.contains("\tCapabilities: [80] MSI: Enable"), "{sata}");
    // q35's MCFG gives ECAM: a PCI Express function (the e1000e at 00:02.0) has
    // 4 KiB of configuration space, its extended capabilities from 0x100 on
    // (QEMU's e1000e: AER, id 1, version 2, the next at 0x140); a conventional
    // one (the SATA controller) 256 bytes, as Linux's cfg_size.
    assert!(m.log().contains(" through ECAM (lspci"), "{}", m.log());
    assert_eq!(output_of(&mut m, "wc -c < /proc/bus/pci/00/02.0").trim(), "4096");
    assert_eq!(output_of(&mut m, "wc -c < /proc/bus/pci/00/1f.2").trim(), "256");
    assert_eq!(output_of(&mut m, "xxd -s 256 -l 4 -p /proc/bus/pci/00/02.0").trim(), "01000214");
}
