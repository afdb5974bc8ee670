//! Interrupt controllers and timers across machines: the boot log's
//! `interrupts:` line names what the kernel chose (local APIC and I/O APIC with
//! the APIC timer, or the 8259s and the PIT with `noapic`), and on each the
//! clocks advance, `sleep` takes as long as the host's clock says, serial input
//! arrives, and MSIs reach their handler. The legacy-free machine (q35 without
//! the 8259s, the PIT and the keyboard controller, under UEFI) must work fully.
use std::time::{Duration, Instant};

use kestrel::session::{self, run};
use kestrel::{Boot, Machine, OrLog};

const TIMEOUT: Duration = Duration::from_secs(240);

/// The boot log's `interrupts:` line.
fn interrupt_line(m: &Machine) -> String {
    let log = m.log();
    let line = log.lines().find(|l| l.contains("] INFO  interrupts: ")).map(str::to_string);
    line.unwrap_or_else(|| panic!("no interrupts line in\n{log}"))
}

/// The line of a `test=boot` run of `boot`.
fn booted_line(boot: Boot) -> String {
    let mut m = boot.start();
    m.expect_success(TIMEOUT).or_log(&m);
    interrupt_line(&m)
}

/// The largest `[ seconds.millis]` stamp in the log.
fn latest_stamp(log: &str) -> f64 {
    let stamps = log.lines().filter_map(|l| l.strip_prefix('[')?.split_once(']')?.0.trim().parse::<f64>().ok());
    stamps.fold(0.0, f64::max)
}

/// The guest's uptime in seconds, from /proc/uptime.
fn uptime(m: &mut Machine) -> f64 {
    let before = m.log().len();
    m.send("cat /proc/uptime\n");
    let parse = |text: &str| {
        text.lines().find_map(|l| {
            let (up, idle) = l.trim().split_once(' ')?;
            idle.parse::<f64>().ok().and(up.parse::<f64>().ok())
        })
    };
    m.wait_until(session::TIMEOUT, |log| log.get(before..).and_then(parse).is_some()).or_log(m);
    parse(&m.log()[before..]).unwrap()
}

/// How long `sleep 1` takes by the host's clock, to the shell's next output.
fn host_seconds_of_sleep_1(m: &mut Machine) -> f64 {
    let start = Instant::now();
    session::type_until(m, "sleep 1; echo slept-$((2+3))\n", "slept-5");
    start.elapsed().as_secs_f64()
}

/// The clocks run at the host's pace: log stamps advance past 0, `sleep 1`
/// takes about a second of host time, /proc/uptime grows by at least that.
fn clocks_run(m: &mut Machine) {
    let stamp = latest_stamp(&m.log());
    assert!(stamp > 0.0, "every log stamp is 0: no timer interrupts\n{}", m.log());
    let up = uptime(m);
    let slept = host_seconds_of_sleep_1(m);
    assert!((0.9..5.0).contains(&slept), "sleep 1 took {slept:.2} s of host time\n{}", m.log());
    let later = uptime(m);
    assert!(later - up >= 1.0 && later - up < 30.0, "/proc/uptime went from {up} to {later}\n{}", m.log());
}

#[test]
fn legacy_free_machine_has_running_clocks_serial_input_and_acpi_power_off() {
    let mut m = Boot::new("").machine("q35,i8042=off,pit=off,pic=off").uefi().start();
    session::logged_in(&mut m, TIMEOUT);
    let line = interrupt_line(&m);
    assert!(line.contains(" + I/O APIC (24 pins at 0xfec00000)"), "{line}");
    assert!(line.contains("timer: APIC periodic 1000 Hz") && line.contains("calibrated against HPET"), "{line}");
    assert!(m.log().contains("clock: TSC ") && m.log().contains("(calibrated against HPET"), "{}", m.log());
    clocks_run(&mut m);
    run(&mut m, "echo typed-$((6*7))", "typed-42");
    m.send("poweroff\n");
    let status = m.wait_exit(TIMEOUT);
    assert_eq!(status.and_then(|s| s.code()), Some(0), "no ACPI power-off\n{}", m.log());
}

#[test]
fn default_machine_uses_the_local_apic_and_the_io_apic() {
    let one = booted_line(Boot::new("test=boot"));
    let two = booted_line(Boot::new("test=boot").smp(2));
    for line in [one, two] {
        assert!(line.contains("interrupts: xAPIC id 0 + I/O APIC (24 pins at 0xfec00000), 8259 masked"), "{line}");
        assert!(
            line.contains("; timer: APIC periodic 1000 Hz (") && line.contains("calibrated against HPET)"),
            "{line}"
        );
    }
}

/// A machine without COM1 boots all the same (the kernel's test mode ends it
/// with the success status).
#[test]
fn boots_without_a_serial_port() {
    let mut m = Boot::new("test=boot").without_serial().start();
    m.expect_success(TIMEOUT).or_log(&m);
}

/// Without an HPET the ACPI PM timer (the FADT's port) is the reference clock.
#[test]
fn without_an_hpet_the_pm_timer_calibrates_the_timers() {
    let mut m = Boot::new("test=boot").machine("pc,hpet=off").start();
    m.expect_success(TIMEOUT).or_log(&m);
    let line = interrupt_line(&m);
    assert!(
        line.contains("; timer: APIC periodic 1000 Hz (") && line.contains("calibrated against ACPI PM timer)"),
        "{line}"
    );
    assert!(m.log().contains("(calibrated against ACPI PM timer, within "), "{}", m.log());
}

/// QEMU's TCG has neither x2APIC nor TSC-deadline mode; Bochs's Haswell model
/// has both. The tick starts periodic (it calibrates the TSC) and moves to
/// TSC-deadline mode; a sleep ends only if every tick arms the next.
#[test]
fn x2apic_and_the_tsc_deadline_timer_are_used_when_the_cpu_has_them() {
    let command = format!("KESTREL_BOCHS_CPU=corei7_haswell_4770 {}", kestrel::bochs_command());
    let mut m = kestrel::on_terminal(&command);
    m.wait_for(session::LOGIN_PROMPT, TIMEOUT).or_log(&m);
    let line = interrupt_line(&m);
    assert!(line.contains("interrupts: x2APIC id 0 + I/O APIC (24 pins at 0xfec00000)"), "{line}");
    assert!(line.contains("timer: APIC periodic 1000 Hz"), "{line}");
    let log = m.log();
    assert!(log.contains("INFO  timer: APIC TSC-deadline 1000 Hz ("), "{log}");
    run(&mut m, "echo typed-$((6*7))", "typed-42");
    run(&mut m, "cat /proc/uptime; sleep 1; cat /proc/uptime; echo slept-$((2*3))", "slept-6");
    let log = m.log();
    let uptimes: Vec<f64> =
        log.lines().filter_map(|l| l.split_whitespace().next()?.parse().ok()).filter(|&u: &f64| u > 0.0).collect();
    let [.., before, after] = uptimes[..] else { panic!("no uptimes in\n{log}") };
    assert!(after - before >= 1.0, "uptime {before} -> {after} across sleep 1\n{log}");
    m.send("poweroff\n");
    assert!(m.wait_exit(TIMEOUT).is_some(), "Bochs did not power off\n{}", m.log());
}

#[test]
fn noapic_falls_back_to_the_8259_and_the_pit() {
    let mut m = Boot::new("noapic").start();
    session::logged_in(&mut m, TIMEOUT);
    assert!(interrupt_line(&m).ends_with("interrupts: 8259 PIC (noapic); timer: PIT 1000 Hz"), "{}", m.log());
    clocks_run(&mut m);
}

#[test]
fn msi_reaches_its_handler_through_the_local_apic() {
    let mut m = Boot::new("test=msi").device("edu").start();
    m.expect_success(TIMEOUT).or_log(&m);
    assert!(m.log().contains("msi: 3 interrupts on vector 48 from 00:"), "{}", m.log());
    let mut m = Boot::new("test=msi noapic").device("edu").start();
    m.expect_success(TIMEOUT).or_log(&m);
    assert!(m.log().contains("msi: refused without the local APIC"), "{}", m.log());
}
