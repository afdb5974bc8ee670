//! Threads: Rust std threads and their synchronisation, raw futex operations and
//! robust lists, and what a thread does to its process (exit, exit_group,
//! execve, fork, fatal signals, signals to one thread, stop and continue), each a
//! guest program that passes on Linux too; plus a stress run and an exact leak
//! check over 10,000 thread create/join cycles; and C programs (tests/guest-c/):
//! POSIX threads under musl, and glibc's fork; and rayon and tokio (user/threaddemo)
//! printing what they print on the host.
use std::process::Command;
use std::time::Duration;

use kestrel::{Boot, OrLog, run_ktest};

#[test]
fn std_threads_and_their_synchronisation_work() {
    let log = run_ktest("threads", "");
    assert!(log.contains("gettid in the main thread is getpid"), "{log}");
}

#[test]
fn futex_operations_behave_as_on_linux() {
    run_ktest("futex", "");
}

#[test]
fn threads_exit_exec_fork_and_take_signals_as_on_linux() {
    let log = run_ktest("threadexit", "");
    assert!(log.contains("exit_group(42) in a second thread"), "{log}");
}

/// Resource limits, the alarm, the umask, the working directory, the process group,
/// signal handlers and process-directed pending signals belong to the whole process.
#[test]
fn threads_share_limits_alarms_cwd_and_process_signals() {
    run_ktest("threadgroup", "");
}

#[test]
fn two_hundred_threads_count_exactly_under_a_mutex() {
    run_ktest("threads", "-- stress");
}

#[test]
fn ten_thousand_threads_leak_nothing() {
    run_ktest("threads", "norandmaps -- churn --exact");
}

/// The same report as on the host Linux, byte for byte.
#[test]
fn rayon_and_tokio_give_the_same_output_as_on_linux() {
    // The static musl build that `make iso` puts into the image runs on the host too.
    let host_binary = concat!(env!("CARGO_MANIFEST_DIR"), "/target/x86_64-unknown-linux-musl/release/threaddemo");
    let host = Command::new(host_binary)
        .arg("--ktest")
        .output()
        .unwrap_or_else(|err| panic!("{host_binary}: {err} (run `make iso`)"));
    let expected = String::from_utf8_lossy(&host.stdout).into_owned();
    assert!(host.status.success() && expected.ends_with("KTEST PASS threaddemo\n"), "on the host: {host:?}");
    let mut m = Boot::new("init=/bin/threaddemo -- --ktest").start();
    m.expect_success(Duration::from_secs(120)).or_log(&m);
    let log = m.log();
    let guest: Vec<&str> =
        log.lines().filter(|line| line.starts_with("threaddemo: ") || line.starts_with("KTEST ")).collect();
    assert_eq!(guest, expected.lines().collect::<Vec<_>>(), "{log}");
}

#[test]
fn c_pthreads_under_musl_work() {
    run_ktest("cpthreads", "");
}

#[test]
fn glibc_fork_never_fails_with_efault() {
    run_ktest("glibcfork", "");
}
