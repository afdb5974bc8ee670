//! File-system boot tests: the user/ktest programs for files, directories,
//! symlinks, descriptors, close-on-exec, pipes, /proc and /dev run as init and
//! check results and errno values against Linux's (they pass on Linux too), and a
//! leak test creates and deletes 10,000 files.
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
fn files_create_write_append_truncate_rename_unlink() {
    ktest("files", "");
}

#[test]
fn directories_and_getdents64() {
    ktest("dirs", "");
}

#[test]
fn symlinks_and_eloop() {
    ktest("symlinks", "");
}

#[test]
fn dup_family_and_redirection() {
    ktest("dup", "");
}

#[test]
fn close_on_exec_across_execve() {
    ktest("cloexec", "");
}

#[test]
fn pipes_eof_sigpipe_nonblocking_poll() {
    ktest("pipes", "");
}

#[test]
fn proc_lists_processes_and_system_files() {
    ktest("proc", "");
}

#[test]
fn dev_null_zero_full_random() {
    ktest("dev", "");
}

#[test]
fn ten_thousand_files_leak_no_frames() {
    let log = ktest("fileleak", "-- --exact");
    assert!(log.contains("free memory + own resident memory: "), "{log}");
}
