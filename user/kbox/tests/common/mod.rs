//! Differential testing against the host's GNU tools: run the built kbox applet and
//! the host's program of the same name on the same arguments and input, in the same
//! temporary folder, and compare what they print and their exit statuses.
#![allow(dead_code)]
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// What a program did.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub status: Option<i32>,
}

/// Whether the host has `tool` on its PATH (else its comparisons are skipped).
pub fn host_has(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        eprintln!("skipped: the host has no {tool}");
    }
    found
}

/// Runs `program` with `args` in `dir`, `stdin` on its standard input.
fn run(mut command: Command, dir: &Path, args: &[&str], stdin: &[u8]) -> Outcome {
    let mut child = command
        .args(args)
        .current_dir(dir)
        .env("LC_ALL", "C.UTF-8")
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    // Written from another thread, so that a program writing while it reads cannot
    // block on a full pipe.
    let writer = std::thread::spawn(move || input.write_all(&stdin).ok());
    let output = child.wait_with_output().expect("wait");
    writer.join().ok();
    Outcome {
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        status: output.status.code(),
    }
}

/// kbox's applet `name` with `args`.
pub fn kbox(dir: &Path, name: &str, args: &[&str], stdin: &[u8]) -> Outcome {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kbox"));
    command.arg(name);
    run(command, dir, args, stdin)
}

/// The host's `name` with `args`.
pub fn host(dir: &Path, name: &str, args: &[&str], stdin: &[u8]) -> Outcome {
    run(Command::new(name), dir, args, stdin)
}

/// Asserts that kbox's `name` and the host's do the same with `args` and `stdin`,
/// comparing standard error too unless `stderr` is false (then only whether there
/// was any); returns kbox's outcome.
pub fn same(dir: &Path, name: &str, args: &[&str], stdin: &[u8], stderr: bool) -> Outcome {
    let ours = kbox(dir, name, args, stdin);
    let theirs = host(dir, name, args, stdin);
    let show = |outcome: &Outcome| {
        format!("{}{}{:?}", String::from_utf8_lossy(&outcome.stdout), outcome.stderr, outcome.status)
    };
    assert_eq!(ours.stdout, theirs.stdout, "{name} {args:?}: stdout\nkbox: {}\nhost: {}", show(&ours), show(&theirs));
    assert_eq!(ours.status, theirs.status, "{name} {args:?}: status\nkbox: {}\nhost: {}", show(&ours), show(&theirs));
    if stderr {
        assert_eq!(ours.stderr, theirs.stderr, "{name} {args:?}: stderr");
    } else {
        assert_eq!(
            ours.stderr.is_empty(),
            theirs.stderr.is_empty(),
            "{name} {args:?}: stderr\nkbox: {}\nhost: {}",
            ours.stderr,
            theirs.stderr
        );
    }
    ours
}

/// A temporary folder holding `files` (name, contents).
pub fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, contents) in files {
        std::fs::write(dir.path().join(name), contents).expect("write");
    }
    dir
}
