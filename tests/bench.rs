//! `make bench`: boots `test=bench` and prints the kernel's figures, then boots
//! `init=/bin/ktest-bench` and prints those of user programs (fork, execve, pipes,
//! tmpfs, system calls), and runs the same program under Debian's Linux beside
//! Kestrel (`beside_linux`: a table of both, written as CSV under build/).
//! `make bench-check` compares the deterministic table with
//! benchmarks/baseline.csv (`against_the_baseline`). Ignored by `cargo test`;
//! figures are printed, never asserted (machines differ), but for the baseline
//! check. The machines boot one at a time, so that neither slows the other down.
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

/// How much slower than the fastest seen a boot's calibration loop may run before
/// the boot is taken again (the host was busy).
const NOISE_LIMIT: f64 = 1.2;
/// Boots of one kernel in one round at most, the first included.
const TRIES: usize = 3;
/// How much worse than the baseline a figure may get before `make bench-check`
/// flags it.
const REGRESSION_LIMIT: f64 = 1.25;
/// The deterministic mode's table, and the saved one it is checked against.
const ICOUNT_TABLE: &str = "bench-icount.csv";
const BASELINE: &str = "benchmarks/baseline.csv";

/// One of the two kernels the comparison boots.
#[derive(Clone, Copy)]
enum Kernel {
    Linux,
    Kestrel,
}

impl Kernel {
    /// Boots it with ktest-bench as its first program, to the pass line; the log.
    fn run_bench(self, icount: bool) -> String {
        let mut boot = match self {
            Kernel::Linux => Boot::new("").kernel(
                &build_dir().join("linux/vmlinuz"),
                &build_dir().join("linux/bench.cpio"),
                "console=ttyS0 rdinit=/bin/ktest-bench panic=-1 quiet",
            ),
            Kernel::Kestrel => Boot::new("init=/bin/ktest-bench"),
        }
        .memory(MEMORY);
        if icount {
            boot = boot.icount();
        }
        let mut m = boot.start();
        m.wait_until(Duration::from_secs(900), |log| log.contains("KTEST PASS bench") || log.contains("KTEST FAIL"))
            .or_log(&m);
        let log = m.log();
        assert!(log.contains("KTEST PASS bench"), "{}\n{log}", self.name());
        log
    }

    fn name(self) -> &'static str {
        match self {
            Kernel::Linux => "Linux",
            Kernel::Kestrel => "Kestrel",
        }
    }
}

/// The noise guard: boots `kernel` until its calibration loop ran within
/// [`NOISE_LIMIT`] of the fastest one seen (`fastest`, updated), [`TRIES`] boots
/// at most (the last is kept whatever its speed, and said so).
fn quiet_boot(kernel: Kernel, icount: bool, fastest: &mut f64) -> String {
    for attempt in 1..=TRIES {
        let log = kernel.run_bench(icount);
        let calibration = figures(&log).get("calibration").map_or(f64::NAN, |(ms, _)| *ms);
        *fastest = fastest.min(calibration);
        if calibration <= *fastest * NOISE_LIMIT || attempt == TRIES {
            if attempt == TRIES && calibration > *fastest * NOISE_LIMIT {
                println!(
                    "  {}: the host stayed busy ({calibration:.1} ms against {fastest:.1} ms); kept",
                    kernel.name()
                );
            }
            return log;
        }
        println!(
            "  {}: calibration {calibration:.1} ms against {fastest:.1} ms: the host was busy, booting again",
            kernel.name()
        );
    }
    unreachable!("the last try returns")
}

/// The spread of `name`'s samples: the worst over the best (1 when they agree).
fn spread(samples: &Samples, name: &str) -> f64 {
    let values = &samples.values[name];
    let (low, high) = values.iter().fold((f64::MAX, f64::MIN), |(low, high), &v| (low.min(v), high.max(v)));
    high / low
}

/// Boots Debian's Linux (scripts/linux-kernel.sh) with ktest-bench as its init
/// (scripts/linux-bench-initramfs.sh), then Kestrel with the same program, in turns,
/// `KESTREL_BENCH_ROUNDS` times each (3), with the wall clock and under `-icount`
/// (`KESTREL_BENCH_MODES`, default `wall,icount`); a boot whose calibration loop
/// ran slow is taken again (`quiet_boot`). Prints one table per mode (best and
/// median of each, Kestrel's cost over Linux's, and the samples' spread) and
/// writes it to build/bench-MODE.csv.
#[test]
#[ignore = "run by `make bench`"]
fn beside_linux() {
    let (kernel, initrd) = (build_dir().join("linux/vmlinuz"), build_dir().join("linux/bench.cpio"));
    assert!(kernel.exists() && initrd.exists(), "run `make bench` (it fetches Linux and builds {})", initrd.display());
    let rounds: usize = std::env::var("KESTREL_BENCH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(3);
    let modes = std::env::var("KESTREL_BENCH_MODES").unwrap_or_else(|_| "wall,icount".into());
    let _only = ONE_MACHINE.lock().unwrap_or_else(PoisonError::into_inner);
    for mode in modes.split(',') {
        let icount = match mode {
            "wall" => false,
            "icount" => true,
            other => panic!("KESTREL_BENCH_MODES: no mode {other:?} (wall, icount)"),
        };
        let (mut linux, mut kestrel) = (Samples::default(), Samples::default());
        let mut fastest = f64::MAX;
        for round in 1..=rounds {
            linux.add(&quiet_boot(Kernel::Linux, icount, &mut fastest));
            kestrel.add(&quiet_boot(Kernel::Kestrel, icount, &mut fastest));
            println!("{mode}: round {round} of {rounds} done");
        }
        let mut table = String::from(
            "figure,unit,linux_best,kestrel_best,ratio_best,linux_median,kestrel_median,ratio_median,spread\n",
        );
        println!(
            "\nKestrel beside Linux ({mode} clock, QEMU TCG, {MEMORY}, {rounds} boots each; ratio = Kestrel's cost / Linux's; spread = worst / best sample):"
        );
        println!(
            "  {:<28} {:>12} {:>12} {:>7} {:>12} {:>12} {:>7} {:>7}",
            "figure", "Linux best", "Kestrel", "ratio", "Linux med", "Kestrel", "ratio", "spread"
        );
        for (name, unit) in &kestrel.units {
            let (Some((linux_best, linux_median)), Some((kestrel_best, kestrel_median))) =
                (linux.best_and_median(name), kestrel.best_and_median(name))
            else {
                continue;
            };
            let (best, median) = (ratio(unit, linux_best, kestrel_best), ratio(unit, linux_median, kestrel_median));
            let spread = spread(&linux, name).max(spread(&kestrel, name));
            println!(
                "  {:<28} {linux_best:>9.2} {unit:<2} {kestrel_best:>9.2} {unit:<2} {best:>7.2} {linux_median:>9.2} {unit:<2} {kestrel_median:>9.2} {unit:<2} {median:>7.2} {spread:>7.2}",
                name
            );
            let _ = writeln!(
                table,
                "{name},{unit},{linux_best},{kestrel_best},{best:.3},{linux_median},{kestrel_median},{median:.3},{spread:.3}"
            );
        }
        let csv = build_dir().join(format!("bench-{mode}.csv"));
        std::fs::write(&csv, table).expect("write the CSV table");
        println!("  (written to {})", csv.display());
    }
}

/// A table's Kestrel figures: name -> (unit, best value).
fn kestrel_bests(csv: &str) -> BTreeMap<String, (String, f64)> {
    csv.lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            Some((fields.first()?.to_string(), (fields.get(1)?.to_string(), fields.get(3)?.parse().ok()?)))
        })
        .collect()
}

/// The figures more than [`REGRESSION_LIMIT`] worse in `now` than in `baseline`:
/// (name, how many times worse).
fn regressions(baseline: &str, now: &str) -> Vec<(String, f64)> {
    let before = kestrel_bests(baseline);
    kestrel_bests(now)
        .into_iter()
        .filter(|(name, _)| name != "calibration")
        .filter_map(|(name, (unit, value))| {
            let (_, old) = before.get(&name)?;
            let worse = ratio(&unit, *old, value);
            (worse > REGRESSION_LIMIT).then_some((name, worse))
        })
        .collect()
}

/// `make bench-check`: the deterministic table `make bench-check` just made
/// against benchmarks/baseline.csv (replace that file with build/bench-icount.csv
/// deliberately, when a change is meant to move the figures).
#[test]
#[ignore = "run by `make bench-check`"]
fn against_the_baseline() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let baseline = std::fs::read_to_string(root.join(BASELINE)).expect("benchmarks/baseline.csv");
    let now = std::fs::read_to_string(build_dir().join(ICOUNT_TABLE))
        .expect("the deterministic table: run `make bench-check`");
    let worse = regressions(&baseline, &now);
    for (name, times) in &worse {
        println!("  {name}: {times:.2} times the baseline's cost");
    }
    assert!(worse.is_empty(), "{} figures got more than {REGRESSION_LIMIT} times worse than {BASELINE}", worse.len());
    println!("no figure is more than {REGRESSION_LIMIT} times worse than {BASELINE}");
}

#[test]
fn regressions_are_flagged_by_cost_and_rate() {
    let baseline = "figure,unit,linux_best,kestrel_best\ngetpid,ns,1,100\npipe,MB/s,1,100\nfork,us,1,10\n";
    let now = "figure,unit,linux_best,kestrel_best\ngetpid,ns,1,130\npipe,MB/s,1,70\nfork,us,1,12\nnew,us,1,5\n";
    let worse: Vec<String> = regressions(baseline, now).into_iter().map(|(name, _)| name).collect();
    assert_eq!(worse, ["getpid", "pipe"]);
}
