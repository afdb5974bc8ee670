//! Differential tests: tests/differential/busybox.sh, run by Debian's busybox-static
//! (its sh and applets) and by bash-static with busybox's applets, on the host Linux
//! and as Kestrel's init (scripts/fetch-debs.sh fetches them, `make iso` puts them
//! into the image); every `check` line must be the same on both.
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use kestrel::{Boot, build_dir};

/// The script both shells run.
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/differential/busybox.sh");

/// What init's environment holds in Kestrel (kernel/src/main.rs); the host run gets
/// the same.
const INIT_ENV: [(&str, &str); 3] = [("HOME", "/"), ("PATH", "/bin:/sbin"), ("TERM", "linux")];

/// A script's output as its checks in order: each label (`check NN name`) with
/// the lines it printed.
fn checks(output: &str) -> Vec<(&str, Vec<&str>)> {
    let mut checks: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in output.lines().filter(|line| line.starts_with("check ")) {
        let (label, text) = line.split_once(": ").unwrap_or((line, ""));
        match checks.last_mut() {
            Some((last, lines)) if *last == label => lines.push(text),
            _ => checks.push((label, vec![text])),
        }
    }
    checks
}

/// The lines check `label` printed, if it ran.
fn lines_of<'a>(checks: &'a [(&str, Vec<&str>)], label: &str) -> Option<&'a Vec<&'a str>> {
    checks.iter().find(|(l, _)| *l == label).map(|(_, lines)| lines)
}

/// The checks whose lines differ (or that only one side printed), each with the
/// host's lines and Kestrel's; empty when the outputs agree.
fn differences(host: &str, guest: &str) -> String {
    let (host, guest) = (checks(host), checks(guest));
    let mut labels: Vec<&str> = host.iter().map(|(label, _)| *label).collect();
    for (label, _) in &guest {
        if !labels.contains(label) {
            labels.push(label);
        }
    }
    let mut report = String::new();
    for label in labels {
        let (on_host, on_guest) = (lines_of(&host, label), lines_of(&guest, label));
        if on_host == on_guest {
            continue;
        }
        report.push_str(label);
        report.push('\n');
        for (side, lines) in [("linux  ", on_host), ("kestrel", on_guest)] {
            match lines {
                Some(lines) => lines.iter().for_each(|line| report.push_str(&format!("  {side} | {line}\n"))),
                None => report.push_str(&format!("  {side}   (no output)\n")),
            }
        }
    }
    report
}

/// A file fetch-debs.sh unpacked (`make iso` runs it).
fn deb_file(path: &str) -> PathBuf {
    let file = build_dir().join("debs").join(path);
    assert!(file.exists(), "{} is missing: run `make iso` (scripts/fetch-debs.sh, needs apt)", file.display());
    file
}

/// The script as `host` runs it on Linux and as `init` (the kernel command line's
/// `init=` with its arguments) runs it in Kestrel: the same checks must print the
/// same lines, and the script must end (init's exit with status 0 ends the run).
fn same_checks_as_on_linux(mut host: Command, init: &str) {
    let host = host.env_clear().envs(INIT_ENV).output().expect("run the script on the host");
    let expected = String::from_utf8_lossy(&host.stdout).into_owned();
    assert!(host.status.success() && expected.ends_with("\ndone\n"), "on the host: {host:?}");
    let mut m = Boot::new(init).start();
    let status = m.wait_exit(Duration::from_secs(600));
    let log = m.log();
    let report = differences(&expected, &log);
    assert!(report.is_empty(), "checks that differ from Linux:\n{report}\n----- serial log -----\n{log}");
    assert!(log.lines().any(|line| line == "done"), "the script did not finish\n{log}");
    assert_eq!(status.and_then(|s| s.code()), Some(kestrel::EXIT_SUCCESS), "init did not exit with 0\n{log}");
}

/// busybox's sh runs the script (122 checks of applets and the shell).
#[test]
fn busybox_sh_and_applets_behave_as_on_linux() {
    let mut host = Command::new(deb_file("busybox-static/bin/busybox"));
    host.arg("sh").arg(SCRIPT);
    same_checks_as_on_linux(host, "init=/usr/bin/busybox -- sh /usr/share/tests/busybox.sh");
}

/// bash-static runs the same script with busybox's applets.
#[test]
fn bash_and_busybox_applets_behave_as_on_linux() {
    let mut host = Command::new(deb_file("bash-static/bin/bash-static"));
    host.arg(SCRIPT).arg(deb_file("busybox-static/bin/busybox"));
    same_checks_as_on_linux(host, "init=/usr/bin/bash-static -- /usr/share/tests/busybox.sh /usr/bin/busybox");
}

#[test]
fn differences_name_each_differing_check() {
    let host = "check 01 a: x\ncheck 02 b: y\ncheck 02 b: z\ndone\n";
    let guest = "[ 1.0] INFO boot\ncheck 01 a: x\ncheck 02 b: y\n";
    assert_eq!(differences(host, host), "");
    assert_eq!(differences(host, guest), "check 02 b\n  linux   | y\n  linux   | z\n  kestrel | y\n");
    assert_eq!(
        differences(host, "check 01 a: x\n"),
        "check 02 b\n  linux   | y\n  linux   | z\n  kestrel   (no output)\n"
    );
}
