//! Threads: Rust std threads and their synchronisation, raw futex operations and
//! robust lists, and what a thread does to its process (exit, exit_group,
//! execve, fork, fatal signals, signals to one thread, stop and continue), each a
//! guest program that passes on Linux too; plus a stress run and an exact leak
//! check over 10,000 thread create/join cycles.
use kestrel::run_ktest;

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

#[test]
fn two_hundred_threads_count_exactly_under_a_mutex() {
    run_ktest("threads", "-- stress");
}

#[test]
fn ten_thousand_threads_leak_nothing() {
    run_ktest("threads", "-- churn --exact");
}
