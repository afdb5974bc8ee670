//! time and nohup against the host's GNU programs.
mod common;

use common::{folder, host_has, kbox, same};

#[test]
fn nohup_runs_the_command_immune_to_hangups() {
    if !host_has("nohup") {
        return;
    }
    let dir = folder(&[]);
    same(dir.path(), "nohup", &["sh", "-c", "kill -HUP $$; echo alive $#", "x", "y"], b"", true);
    same(dir.path(), "nohup", &["nosuch-command"], b"", true);
    same(dir.path(), "nohup", &["/dev/null"], b"", true);
    same(dir.path(), "nohup", &[], b"", true);
    same(dir.path(), "nohup", &["sh", "-c", "exit 7"], b"", true);
    same(dir.path(), "nohup", &["cat"], b"input is kept when it is no terminal", true);
    assert!(!dir.path().join("nohup.out").exists());
}

#[test]
fn time_reports_and_passes_the_status_on() {
    let dir = folder(&[]);
    let timed = kbox(dir.path(), "time", &["-p", "sleep", "0.3"], b"");
    assert_eq!(timed.status, Some(0));
    let lines: Vec<&str> = timed.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", timed.stderr);
    let real: f64 = lines[0].strip_prefix("real ").unwrap().parse().unwrap();
    assert!((0.3..2.0).contains(&real), "{real}");
    assert!(lines[1].starts_with("user ") && lines[2].starts_with("sys "));
    let timed = kbox(dir.path(), "time", &["sh", "-c", "echo out; exit 3"], b"");
    assert_eq!((timed.status, timed.stdout.as_slice()), (Some(3), &b"out\n"[..]));
    assert!(timed.stderr.starts_with("Command exited with non-zero status 3\n0."), "{}", timed.stderr);
    assert!(timed.stderr.contains("elapsed ") && timed.stderr.contains("maxresident)k\n"), "{}", timed.stderr);
    let timed = kbox(dir.path(), "time", &["-f", "%x %C", "sh", "-c", "kill -TERM $$"], b"");
    assert_eq!(timed.status, Some(143));
    assert_eq!(timed.stderr, "Command terminated by signal 15\n0 sh -c kill -TERM $$\n");
    if host_has("/usr/bin/time") {
        for args in [&["-f", "%C %x", "nosuch-command"][..], &["-f", "%x", "/dev/null"], &[], &["-f", "[%x]", "false"]]
        {
            let ours = kbox(dir.path(), "time", args, b"");
            let theirs = common::host(dir.path(), "/usr/bin/time", args, b"");
            assert_eq!(ours.status, theirs.status, "{args:?}");
            assert_eq!(
                ours.stderr.replace("time:", "/usr/bin/time:").replace("'time --help'", "'/usr/bin/time --help'"),
                theirs.stderr,
                "{args:?}"
            );
        }
    }
}
