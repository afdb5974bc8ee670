//! `man` on the repository's pages (docs/man, through $MANPATH): a page, the
//! keyword search and summaries, and the messages and status for what is missing.
use std::process::{Command, Output};

fn man(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kbox"))
        .arg("man")
        .args(args)
        .env("MANPATH", concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/man"))
        .env_remove("PAGER")
        .output()
        .expect("run kbox man")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn shows_a_page() {
    let output = man(&["grep"]);
    assert!(output.status.success());
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/man/grep")).unwrap();
    assert_eq!(stdout(&output), page);
    // A section number first is accepted; `.` has its page in the file `dot`.
    assert_eq!(stdout(&man(&["1", "grep"])), page);
    assert!(stdout(&man(&["."])).starts_with(". - "));
}

#[test]
fn searches_names_and_summaries() {
    let found = stdout(&man(&["-k", "DIRECTOR"]));
    assert!(found.lines().any(|line| line.starts_with("mkdir ") && line.contains(" - make directories")), "{found}");
    assert!(found.lines().any(|line| line.starts_with("pwd ")), "{found}");
    assert!(!found.lines().any(|line| line.starts_with("yes ")), "{found}");
    let whatis = stdout(&man(&["-f", "sort"]));
    assert_eq!(whatis, "sort - sort lines of text files\n");
}

#[test]
fn missing_pages_are_reported_with_status_16() {
    let output = man(&["no-such-command"]);
    assert_eq!(output.status.code(), Some(16));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "man: No manual entry for no-such-command\n");
    let output = man(&["../Cargo.toml"]);
    assert_eq!(output.status.code(), Some(16));
    let output = man(&["-k", "zzzzqqq"]);
    assert_eq!(output.status.code(), Some(16));
    assert!(String::from_utf8_lossy(&output.stderr).contains("zzzzqqq: nothing appropriate."));
    assert_eq!(man(&[]).status.code(), Some(2));
}
