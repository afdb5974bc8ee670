//! `make bench`: boots `test=bench` and prints the kernel's figures, then boots
//! `init=/bin/ktest-bench` and prints those of user programs (fork, execve, pipes,
//! tmpfs, system calls). Ignored by `cargo test`; figures are printed, never
//! asserted (machines differ). The machines boot one at a time, so that neither
//! slows the other down.
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use kestrel::{Boot, OrLog};

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
