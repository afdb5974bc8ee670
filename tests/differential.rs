//! Differential tests: tests/differential/busybox.sh, run by Debian's busybox-static
//! (its sh and applets) and by bash-static with busybox's applets, on the host Linux
//! and as Kestrel's init (scripts/fetch-debs.sh fetches them, `make iso` puts them
//! into the image); every `check` line must be the same on both.
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use kestrel::checks::differences;
use kestrel::{Boot, INIT_ENV, build_dir};

/// The script both shells run.
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/differential/busybox.sh");

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
    same_checks_as_on_linux(host, "init=/usr/bin/busybox -- sh /usr/share/tests/differential/busybox.sh");
}

/// bash-static runs the same script with busybox's applets.
#[test]
fn bash_and_busybox_applets_behave_as_on_linux() {
    let mut host = Command::new(deb_file("bash-static/bin/bash-static"));
    host.arg(SCRIPT).arg(deb_file("busybox-static/bin/busybox"));
    same_checks_as_on_linux(
        host,
        "init=/usr/bin/bash-static -- /usr/share/tests/differential/busybox.sh /usr/bin/busybox",
    );
}
