//! Process boot tests: user test programs (user/ktest) run as init with `init=...`;
//! each prints `KTEST PASS <name>` and exits 0, which ends the machine with the
//! success code. The kernel's own view (signals in wait statuses, frame counts) is
//! checked in the serial log.
use std::time::Duration;

use kestrel::{Boot, OrLog};

const TIMEOUT: Duration = Duration::from_secs(120);

/// Boot with `init=/bin/ktest-NAME` (plus `extra` args) and require its pass line.
fn ktest(name: &str, extra: &str) -> String {
    let mut m = Boot::new(&format!("init=/bin/ktest-{name} {extra}")).start();
    m.expect_success(TIMEOUT).or_log(&m);
    let log = m.log();
    assert!(log.contains(&format!("KTEST PASS {name}")), "no pass line for {name}\n{log}");
    log
}

#[test]
fn std_hello_world_runs_as_init() {
    let log = ktest("hello", "-- first second");
    assert!(log.contains("hello from ktest"), "{log}");
}

#[test]
fn fork_and_wait_report_exit_statuses() {
    ktest("fork", "");
}

#[test]
fn exec_passes_argv_and_envp_and_rejects_bad_files() {
    let log = ktest("exec", "");
    assert!(log.contains("ENOEXEC") || log.contains("Exec format error"), "{log}");
}

#[test]
fn user_faults_become_signals_and_the_kernel_runs_on() {
    let log = ktest("fault", "");
    for signal in ["SIGSEGV", "SIGILL", "SIGFPE"] {
        assert!(log.contains(signal), "no kernel log line for {signal}\n{log}");
    }
}

#[test]
fn brk_and_mmap_grow_memory() {
    ktest("mem", "");
}

#[test]
fn busy_processes_are_preempted() {
    ktest("preempt", "");
}

#[test]
fn fpu_state_is_private_to_each_process() {
    ktest("fpu", "");
}

#[test]
fn ten_thousand_forks_leak_no_frames() {
    let log = ktest("forkloop", "-- --exact");
    assert!(log.contains("forkloop: 10000 forks"), "{log}");
    assert!(log.contains("free memory + own resident memory: "), "{log}");
}

#[test]
fn missing_init_is_reported() {
    let mut m = Boot::new("init=/bin/nosuch").start();
    m.expect_exit(kestrel::EXIT_FAILURE, TIMEOUT).or_log(&m);
    assert!(m.log().contains("cannot run init /bin/nosuch: No such file or directory"), "{}", m.log());
}
