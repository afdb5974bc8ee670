//! lspci against pciutils: fixtures/lspci/virtio holds a machine's
//! /proc/bus/pci (its `devices` and 256 bytes of each function's configuration
//! space), and virtio.expected what pciutils 3.9's lspci printed for it, case by
//! case (`### ARGS`, the output, `### status N`), with an ids file holding only
//! pci.ids's class list (`lspci -i classes.ids ARGS`) and its "Kernel driver in
//! use" lines left out (Kestrel binds no drivers). Each case runs
//! `kbox lspci -O proc.path=FIXTURE ARGS`.
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lspci")
}

/// Runs lspci on the fixture `dir`: standard output then error, and the status.
fn lspci(dir: &str, args: &[&str]) -> (String, i32) {
    let path = fixtures().join(dir);
    let output = Command::new(env!("CARGO_BIN_EXE_kbox"))
        .arg("lspci")
        .arg(format!("-Oproc.path={}", path.display()))
        .args(args)
        .output()
        .expect("kbox runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (text, output.status.code().unwrap_or(-1))
}

/// The cases of an .expected file: (arguments, output, status).
fn cases(text: &str) -> Vec<(String, String, i32)> {
    let mut cases = Vec::new();
    let mut lines = text.lines();
    while let Some(header) = lines.next() {
        let args = header.strip_prefix("### ").expect("a case header").to_string();
        let mut output = String::new();
        let status = loop {
            let line = lines.next().expect("a status line");
            if let Some(status) = line.strip_prefix("### status ") {
                break status.parse().expect("a number");
            }
            output.push_str(line);
            output.push('\n');
        };
        cases.push((args, output, status));
    }
    cases
}

#[test]
fn output_matches_pciutils() {
    let expected = std::fs::read_to_string(fixtures().join("virtio.expected")).expect("the expected outputs");
    let cases = cases(&expected);
    assert!(cases.len() > 20);
    let mut failures = Vec::new();
    for (args, output, status) in cases {
        let words: Vec<&str> = args.split_whitespace().collect();
        let got = lspci("virtio", &words);
        if got != (output.clone(), status) {
            failures.push(format!(
                "lspci {args}\n--- expected (status {status})\n{output}--- got (status {})\n{}",
                got.1, got.0
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_reader_without_the_whole_config_space_sees_no_capabilities() {
    // Linux gives others than root the 64-byte header only.
    let (text, status) = lspci("virtio-user", &["-v", "-s", "01.0"]);
    assert_eq!(status, 0);
    assert!(text.contains("\tMemory at 4000000000 (64-bit, non-prefetchable) [size=512K]\n"), "{text}");
    assert!(text.ends_with("\tCapabilities: <access denied>\n\n"), "{text}");
    let (dump, _) = lspci("virtio-user", &["-xxx", "-s", "01.0"]);
    assert_eq!(dump.lines().filter(|l| l.len() == 51).count(), 4, "{dump}");
}

#[test]
fn a_missing_proc_tree_or_a_bad_line_is_an_error() {
    assert_eq!(lspci("nowhere", &[]), ("lspci: Cannot find any working access method.\n".to_string(), 1));
    // fixtures/lspci/broken: a devices line that stops after the ids.
    let (text, status) = lspci("broken", &[]);
    assert_eq!(status, 1);
    assert!(text.contains("parse error"), "{text}");
}
