//! Dynamically linked programs: execve loads the interpreter a program names
//! (PT_INTERP) with the auxiliary vector it needs. The dynamically linked test
//! programs (scripts/build-ctests.sh: tests/guest-c/dynamic.c with musl and glibc,
//! as a PIE and not, and tests/guest-rust/dynamic.rs for the host's Rust target),
//! with the host's loaders and libraries in the image (scripts/host-libs.sh), run
//! as init and must print the same `dyn:` lines as on the host. Hand-made programs
//! and interpreters give Linux's errors (ktest-interp), and the layout is
//! randomized unless the command line says `norandmaps` (ktest-aslr).
use std::process::Command;
use std::time::Duration;

use kestrel::{Boot, INIT_ENV, OrLog, build_dir, run_ktest};

/// The program's own lines in `output`.
fn dyn_lines(output: &str) -> Vec<&str> {
    output.lines().filter(|line| line.starts_with("dyn: ")).collect()
}

/// `program` (built into build/ctests and put into the image's /bin) prints the
/// same lines on the host and as Kestrel's init, and says all its checks passed.
fn same_as_on_linux(program: &str) {
    let host_path = build_dir().join("ctests").join(program);
    let host = Command::new(&host_path).env_clear().envs(INIT_ENV).output();
    let host = host.unwrap_or_else(|err| panic!("{}: {err} (run `make iso`)", host_path.display()));
    let expected = String::from_utf8_lossy(&host.stdout).into_owned();
    assert!(host.status.success(), "on the host: {host:?}");
    assert!(expected.contains("dyn: all checks passed"), "on the host:\n{expected}");

    let mut m = Boot::new(&format!("init=/bin/{program}")).start();
    m.expect_success(Duration::from_secs(120)).or_log(&m);
    let log = m.log();
    assert_eq!(dyn_lines(&log), dyn_lines(&expected), "Kestrel's lines, then Linux's\n----- serial log -----\n{log}");
}

#[test]
fn a_musl_program_runs_with_musls_loader_as_on_linux() {
    same_as_on_linux("ktest-dynmusl");
}

#[test]
fn a_glibc_pie_runs_with_glibcs_loader_as_on_linux() {
    same_as_on_linux("ktest-dynglibc");
}

#[test]
fn a_glibc_program_at_fixed_addresses_runs_as_on_linux() {
    same_as_on_linux("ktest-dynglibc-exec");
}

#[test]
fn a_rust_program_for_the_gnu_target_runs_as_on_linux() {
    same_as_on_linux("ktest-dynrust");
}

#[test]
fn bad_interpreters_and_pt_interp_strings_get_linuxs_errors() {
    let log = run_ktest("interp", "");
    assert!(log.contains("an interpreter with a PT_INTERP of its own (ignored): the interpreter ran"), "{log}");
    assert!(log.contains("a PT_INTERP of PATH_MAX + 1 bytes: ENOEXEC"), "{log}");
}

#[test]
fn addresses_are_randomized_by_default() {
    let log = run_ktest("aslr", "");
    assert!(log.contains("randomize_va_space 2"), "{log}");
    assert!(log.contains("/bin/ktest-dynglibc: ") && log.contains("(moved in a second run)"), "{log}");
}

#[test]
fn norandmaps_gives_linuxs_fixed_addresses() {
    let log = run_ktest("aslr", "norandmaps");
    assert!(log.contains("randomize_va_space 0"), "{log}");
    assert!(log.contains("/bin/ktest-dynglibc: code 0x5555555"), "{log}");
}
