//! A shell session over the serial console: /sbin/init starts /bin/sh, and the test
//! types commands and reads their output.
use std::time::Duration;

use kestrel::{Boot, Machine, OrLog};

const TIMEOUT: Duration = Duration::from_secs(60);

fn shell() -> Machine {
    let mut m = Boot::new("").start();
    m.wait_for("/ # ", Duration::from_secs(90)).or_log(&m);
    m
}

/// Type `line` and wait until `expected` appears after it.
fn run(m: &mut Machine, line: &str, expected: &str) {
    let before = m.log().len();
    m.send(&format!("{line}\n"));
    let wanted = expected.to_string();
    m.wait_until(TIMEOUT, |log| log.get(before..).is_some_and(|new| new.contains(&wanted) && new.ends_with("# ")))
        .or_log(m);
}

#[test]
fn shell_runs_programs_and_reports_errors() {
    let mut m = shell();
    run(&mut m, "echo hi", "hi\n");
    run(&mut m, "ls /bin", "uname\n");
    run(&mut m, "nosuch", "sh: nosuch: command not found");
    run(&mut m, "cat /etc/motd", "Welcome to Kestrel");
    run(&mut m, "uname -a", "Kestrel kestrel 0.1.0");
    run(&mut m, "false; echo status $?", "status 1\n");
    run(&mut m, "cd /etc", "");
    run(&mut m, "pwd", "/etc\n");
}
