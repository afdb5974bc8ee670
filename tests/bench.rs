//! `make bench`: boots `test=bench` and prints the kernel's figures, then boots
//! `init=/bin/ktest-bench` and prints those of user programs (fork, execve, pipes,
//! tmpfs, system calls), and runs the same program under Debian's Linux beside
//! Kestrel (`beside_linux`: a table of both, written as CSV under build/). Ignored
//! by `cargo test`; figures are printed, never asserted (machines differ). The
//! machines boot one at a time, so that neither slows the other down.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use kestrel::{Boot, OrLog, build_dir};

const MEMORY: &str = "512M";
/// Held while a machine runs: the tests may run in parallel, the machines must not.
static ONE_MACHINE: Mutex<()> = Mutex::new(());

/// Boots with `args`, requires a clean exit, prints the figures (the `BENCH` lines)
/// under `title`, and returns the serial log.
fn print_figures(title: &str, args: &str, timeout: Duration) -> String {
    let _only = ONE_MACHINE.lock().unwrap_or_else(PoisonError::into_inner);
    let mut m = Boot::new(args).memory(MEMORY).start();
    m.expect_success(timeout).or_log(&m);
    let log = m.log();
    println!("{title} (QEMU TCG, 512 MiB):");
    for line in log.lines().filter_map(|l| l.split("BENCH ").nth(1)) {
        println!("  {line}");
    }
    log
}

#[test]
#[ignore = "run by `make bench`"]
fn kernel_figures() {
    print_figures("Kestrel figures", "test=bench", Duration::from_secs(180));
}

#[test]
#[ignore = "run by `make bench`"]
fn user_program_figures() {
    let log = print_figures("Kestrel user-program figures", "init=/bin/ktest-bench", Duration::from_secs(600));
    assert!(log.contains("KTEST PASS bench"), "no pass line for bench\n{log}");
}

/// One boot's figures: name -> (value, unit), from its `BENCH name value unit` lines.
fn figures(log: &str) -> BTreeMap<String, (f64, String)> {
    log.lines()
        .filter_map(|line| line.split("BENCH ").nth(1))
        .filter_map(|figure| {
            let mut words = figure.split_whitespace();
            let name = words.next()?.to_string();
            let value = words.next()?.parse().ok()?;
            Some((name, (value, words.next().unwrap_or("").to_string())))
        })
        .collect()
}

/// The samples of one kernel: name -> values, and each figure's unit.
#[derive(Default)]
struct Samples {
    values: BTreeMap<String, Vec<f64>>,
    units: BTreeMap<String, String>,
}

impl Samples {
    fn add(&mut self, log: &str) {
        for (name, (value, unit)) in figures(log) {
            self.values.entry(name.clone()).or_default().push(value);
            self.units.insert(name, unit);
        }
    }

    /// The best and the median sample of `name` (best: the lowest time, the highest
    /// rate).
    fn best_and_median(&self, name: &str) -> Option<(f64, f64)> {
        let mut values = self.values.get(name)?.clone();
        values.sort_by(f64::total_cmp);
        let higher_is_better = self.units.get(name).is_some_and(|unit| unit.ends_with("/s"));
        let best = if higher_is_better { *values.last()? } else { values[0] };
        Some((best, values[values.len() / 2]))
    }
}

/// Kestrel's cost over Linux's for one figure: below 1 Kestrel is faster.
fn ratio(unit: &str, linux: f64, kestrel: f64) -> f64 {
    if unit.ends_with("/s") { linux / kestrel } else { kestrel / linux }
}

/// Boots Debian's Linux (scripts/linux-kernel.sh) with ktest-bench as its init
/// (scripts/linux-bench-initramfs.sh), then Kestrel with the same program, in turns,
/// `KESTREL_BENCH_ROUNDS` times each (3), with the wall clock and under `-icount`;
/// prints one table per mode (best and median of each, and Kestrel's cost over
/// Linux's) and writes it to build/bench-MODE.csv.
#[test]
#[ignore = "run by `make bench`"]
fn beside_linux() {
    let kernel = build_dir().join("linux/vmlinuz");
    let initrd = build_dir().join("linux/bench.cpio");
    assert!(kernel.exists() && initrd.exists(), "run `make bench` (it fetches Linux and builds {})", initrd.display());
    let rounds: usize = std::env::var("KESTREL_BENCH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(3);
    let _only = ONE_MACHINE.lock().unwrap_or_else(PoisonError::into_inner);
    for icount in [false, true] {
        let mode = if icount { "icount" } else { "wall" };
        let (mut linux, mut kestrel) = (Samples::default(), Samples::default());
        for round in 1..=rounds {
            let mut boot = Boot::new("").memory(MEMORY).kernel(
                &kernel,
                &initrd,
                "console=ttyS0 rdinit=/bin/ktest-bench panic=-1 quiet",
            );
            if icount {
                boot = boot.icount();
            }
            let mut m = boot.start();
            m.wait_until(Duration::from_secs(900), |log| {
                log.contains("KTEST PASS bench") || log.contains("KTEST FAIL")
            })
            .or_log(&m);
            assert!(m.log().contains("KTEST PASS bench"), "Linux: {}", m.log());
            linux.add(&m.log());
            drop(m);
            let mut boot = Boot::new("init=/bin/ktest-bench").memory(MEMORY);
            if icount {
                boot = boot.icount();
            }
            let mut m = boot.start();
            m.expect_success(Duration::from_secs(900)).or_log(&m);
            kestrel.add(&m.log());
            println!("{mode}: round {round} of {rounds} done");
        }
        let mut table =
            String::from("figure,unit,linux_best,kestrel_best,ratio_best,linux_median,kestrel_median,ratio_median\n");
        println!(
            "\nKestrel beside Linux ({mode} clock, QEMU TCG, {MEMORY}, {rounds} boots each; ratio = Kestrel's cost / Linux's):"
        );
        println!(
            "  {:<28} {:>12} {:>12} {:>7} {:>12} {:>12} {:>7}",
            "figure", "Linux best", "Kestrel", "ratio", "Linux med", "Kestrel", "ratio"
        );
        for (name, unit) in &kestrel.units {
            let (Some((linux_best, linux_median)), Some((kestrel_best, kestrel_median))) =
                (linux.best_and_median(name), kestrel.best_and_median(name))
            else {
                continue;
            };
            let (best, median) = (ratio(unit, linux_best, kestrel_best), ratio(unit, linux_median, kestrel_median));
            println!(
                "  {:<28} {linux_best:>9.2} {unit:<2} {kestrel_best:>9.2} {unit:<2} {best:>7.2} {linux_median:>9.2} {unit:<2} {kestrel_median:>9.2} {unit:<2} {median:>7.2}",
                name
            );
            let _ = writeln!(
                table,
                "{name},{unit},{linux_best},{kestrel_best},{best:.3},{linux_median},{kestrel_median},{median:.3}"
            );
        }
        let csv = build_dir().join(format!("bench-{mode}.csv"));
        std::fs::write(&csv, table).expect("write the CSV table");
        println!("  (written to {})", csv.display());
    }
}
