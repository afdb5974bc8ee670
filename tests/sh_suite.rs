//! The POSIX shell suite (tests/sh/NNN-feature.sh, one feature each): dash and
//! Kestrel's shell run every script on the host, and the scripts tests/sh/boot.list
//! names run in Kestrel too; standard output and exit status must be dash's.
//! Kestrel's shell on the host is the static binary `make user` builds (the one the
//! image holds); dash is Debian's (scripts/deps.sh installs it).
use std::fs;
use std::io::{Read, Seek};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kestrel::Boot;

const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sh");
const KESTREL_SH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/target/x86_64-unknown-linux-musl/release/sh");
/// The whole environment a script gets on the host.
const ENV: [(&str, &str); 2] = [("PATH", "/usr/bin:/bin"), ("HOME", "/")];
/// How long one script may run on the host (each takes well under a second).
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(10);
/// What the runner the image holds (scripts/mkinitramfs.sh) prints around each script.
const MARK: &str = "=== ";
const STATUS_MARK: &str = "=== status ";
const DONE_MARK: &str = "=== done";

/// How one shell ran one script.
#[derive(Debug, Clone)]
struct Outcome {
    stdout: String,
    /// The status as `$?` in a parent shell shows it (128 + n after signal n), or
    /// None when the script did not end in time or did not run.
    status: Option<i32>,
    /// Not compared: shown in reports to help find the cause.
    stderr: String,
}

impl Outcome {
    fn same_as(&self, other: &Outcome) -> bool {
        self.stdout == other.stdout && self.status == other.status
    }
}

/// The suite's scripts, by name, in order.
fn scripts() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(SUITE)
        .expect("tests/sh")
        .map(|entry| entry.expect("tests/sh entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sh"))
        .collect();
    names.sort();
    names
}

/// The scripts that also run in Kestrel.
fn boot_scripts() -> Vec<String> {
    let list = fs::read_to_string(Path::new(SUITE).join("boot.list")).expect("tests/sh/boot.list");
    list.lines().filter(|line| !line.starts_with('#') && !line.is_empty()).map(str::to_string).collect()
}

/// `$?` for a process status.
fn dollar_question(status: ExitStatus) -> Option<i32> {
    status.code().or_else(|| status.signal().map(|signal| 128 + signal))
}

/// Run `script` with `shell` on the host: a clean environment, an empty working
/// directory of its own (also TMPDIR), no input; killed with its process group
/// after `timeout`.
fn run(shell: &str, script: &str, timeout: Duration) -> Outcome {
    let scratch = tempfile::tempdir().expect("temporary directory");
    let mut stdout = tempfile::tempfile().expect("temporary file");
    let mut stderr = tempfile::tempfile().expect("temporary file");
    let mut child = Command::new(shell)
        .arg(Path::new(SUITE).join(script))
        .env_clear()
        .envs(ENV)
        .env("TMPDIR", scratch.path())
        .current_dir(scratch.path())
        .stdin(Stdio::null())
        .stdout(stdout.try_clone().expect("dup"))
        .stderr(stderr.try_clone().expect("dup"))
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {shell}: {e} (dash: scripts/deps.sh; Kestrel's sh: `make user`)"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the shell") {
            break dollar_question(status);
        }
        if start.elapsed() > timeout {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read = |file: &mut fs::File| {
        let mut bytes = Vec::new();
        file.rewind().and_then(|()| file.read_to_end(&mut bytes)).expect("read the output");
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Outcome { stdout: read(&mut stdout), status, stderr: read(&mut stderr) }
}

/// Run every script with `shell`, a few at a time.
fn run_all(shell: &str, names: &[String]) -> Vec<Outcome> {
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; names.len()]);
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(4);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(name) = names.get(index) else { break };
                    let outcome = run(shell, name, SCRIPT_TIMEOUT);
                    results.lock().expect("lock")[index] = Some(outcome);
                }
            });
        }
    });
    results.into_inner().expect("lock").into_iter().map(|outcome| outcome.expect("every script ran")).collect()
}

/// One side of a report: its status and its lines, each prefixed by `side`.
fn describe(report: &mut String, side: &str, outcome: &Outcome) {
    let status = match outcome.status {
        Some(status) if status > 128 => format!("status {status} (signal {}?)", status - 128),
        Some(status) => format!("status {status}"),
        None => "no status (timed out, or did not run)".to_string(),
    };
    report.push_str(&format!("  {side} {status}\n"));
    for line in outcome.stdout.lines() {
        report.push_str(&format!("  {side} | {line}\n"));
    }
    if !outcome.stdout.is_empty() && !outcome.stdout.ends_with('\n') {
        report.push_str(&format!("  {side} (no newline at the end)\n"));
    }
    for line in outcome.stderr.lines() {
        report.push_str(&format!("  {side} stderr: {line}\n"));
    }
}

/// Every script whose outcomes differ, with dash's output and Kestrel's; empty when
/// they all agree.
fn differences(names: &[String], dash: &[Outcome], kestrel: &[Outcome]) -> String {
    let mut report = String::new();
    let mut differing = Vec::new();
    for ((name, dash), kestrel) in names.iter().zip(dash).zip(kestrel) {
        if dash.same_as(kestrel) {
            continue;
        }
        differing.push(name.as_str());
        report.push_str(&format!("--- {name}\n"));
        describe(&mut report, "dash   ", dash);
        describe(&mut report, "kestrel", kestrel);
    }
    if differing.is_empty() {
        return report;
    }
    format!("{} of {} scripts differ from dash: {}\n{report}", differing.len(), names.len(), differing.join(" "))
}

/// Whether a serial line is the kernel's log (`[    5.149] INFO  ...`), not a script's.
fn is_kernel_log(line: &str) -> bool {
    line.strip_prefix('[').and_then(|rest| rest.split_once("] ")).is_some_and(|(time, _)| {
        let time = time.trim_start();
        time.split_once('.').is_some_and(|(secs, frac)| {
            [secs, frac].iter().all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        })
    })
}

/// Each script's outcome in the runner's serial log: the lines between `=== NAME`
/// and `=== status N` (without the kernel's log lines); a script that did not run
/// or did not end has no status.
fn outcomes_in_log(log: &str, names: &[String]) -> Vec<Outcome> {
    let mut outcomes: Vec<Outcome> =
        names.iter().map(|_| Outcome { stdout: String::new(), status: None, stderr: String::new() }).collect();
    let mut current: Option<usize> = None;
    for line in log.lines() {
        if let Some(status) = line.strip_prefix(STATUS_MARK) {
            if let Some(index) = current.take() {
                outcomes[index].status = status.parse().ok();
            }
        } else if let Some(index) = line.strip_prefix(MARK).and_then(|name| names.iter().position(|n| n == name)) {
            current = Some(index);
        } else if let Some(index) = current
            && !is_kernel_log(line)
        {
            outcomes[index].stdout.push_str(line);
            outcomes[index].stdout.push('\n');
        }
    }
    outcomes
}

/// Every script, on the host: Kestrel's shell must do as dash does.
#[test]
fn every_script_behaves_as_with_dash() {
    assert!(Path::new(KESTREL_SH).exists(), "{KESTREL_SH} is missing: run `make user`");
    let names = scripts();
    assert!(!names.is_empty(), "no scripts in {SUITE}");
    let dash = run_all("dash", &names);
    let kestrel = run_all(KESTREL_SH, &names);
    let report = differences(&names, &dash, &kestrel);
    assert!(report.is_empty(), "{report}");
}

/// The scripts of tests/sh/boot.list, run in Kestrel by /usr/share/tests/sh/boot.sh
/// as init, must print and end as with dash on the host.
#[test]
fn boot_scripts_behave_in_kestrel_as_with_dash() {
    let names = boot_scripts();
    let all = scripts();
    let unknown: Vec<&String> = names.iter().filter(|name| !all.contains(name)).collect();
    assert!(unknown.is_empty(), "tests/sh/boot.list names scripts that do not exist: {unknown:?}");
    let dash = run_all("dash", &names);
    let mut m = Boot::new("init=/bin/sh -- /usr/share/tests/sh/boot.sh").start();
    let status = m.wait_exit(Duration::from_secs(600));
    let log = m.log();
    let kestrel = outcomes_in_log(&log, &names);
    let report = differences(&names, &dash, &kestrel);
    assert!(report.is_empty(), "{report}\n----- serial log -----\n{log}");
    assert!(log.lines().any(|line| line == DONE_MARK), "the runner did not finish\n{log}");
    assert_eq!(status.and_then(|s| s.code()), Some(kestrel::EXIT_SUCCESS), "init did not exit with 0\n{log}");
}

#[test]
fn differences_list_every_differing_script_with_both_outputs() {
    let names: Vec<String> = ["001-a.sh", "002-b.sh", "003-c.sh"].map(String::from).to_vec();
    let outcome = |stdout: &str, status| Outcome { stdout: stdout.into(), status, stderr: String::new() };
    let dash = [outcome("x\n", Some(0)), outcome("y\n", Some(1)), outcome("z\n", Some(138))];
    assert_eq!(differences(&names, &dash, &dash), "");
    let mut kestrel = dash.clone();
    kestrel[0].stdout = "x\nextra".into();
    kestrel[0].stderr = "sh: oops\n".into();
    kestrel[2].status = None;
    assert_eq!(
        differences(&names, &dash, &kestrel),
        "2 of 3 scripts differ from dash: 001-a.sh 003-c.sh\n\
         --- 001-a.sh\n  dash    status 0\n  dash    | x\n  kestrel status 0\n  kestrel | x\n  kestrel | extra\n  \
         kestrel (no newline at the end)\n  kestrel stderr: sh: oops\n\
         --- 003-c.sh\n  dash    status 138 (signal 10?)\n  dash    | z\n  \
         kestrel no status (timed out, or did not run)\n  kestrel | z\n"
    );
    kestrel = dash.clone();
    kestrel[1].stderr = "stderr is not compared\n".into();
    assert_eq!(differences(&names, &dash, &kestrel), "");
}

#[test]
fn outcomes_are_read_from_the_serial_log() {
    let names: Vec<String> = ["001-a.sh", "002-b.sh", "003-c.sh"].map(String::from).to_vec();
    let log = "[    1.000] INFO  boot\n=== 001-a.sh\n[a][b]\n[    2.500] WARN  noise\n\n=== status 3\n\
               === 002-b.sh\n=== status 0\n=== 003-c.sh\npartial\n";
    let outcomes = outcomes_in_log(log, &names);
    assert_eq!((outcomes[0].stdout.as_str(), outcomes[0].status), ("[a][b]\n\n", Some(3)));
    assert_eq!((outcomes[1].stdout.as_str(), outcomes[1].status), ("", Some(0)));
    assert_eq!((outcomes[2].stdout.as_str(), outcomes[2].status), ("partial\n", None));
    assert!(is_kernel_log("[   12.345] INFO  x") && !is_kernel_log("[12] x") && !is_kernel_log("[a.b] x"));
}

#[test]
fn a_script_that_does_not_end_is_stopped() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let script: PathBuf = dir.path().join("forever.sh");
    fs::write(&script, "echo started\nwhile :; do :; done\n").expect("write the script");
    let start = Instant::now();
    let outcome = run("dash", script.to_str().expect("utf-8 path"), Duration::from_secs(1));
    assert_eq!((outcome.stdout.as_str(), outcome.status), ("started\n", None));
    assert!(start.elapsed() < Duration::from_secs(5));
}
