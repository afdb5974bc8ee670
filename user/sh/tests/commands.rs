//! The shell binary run on the host: `sh -c`, scripts and piped standard input,
//! checked for output, diagnostics and status (host coreutils provide the programs).
use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const SH: &str = env!("CARGO_BIN_EXE_sh");

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let directory = std::env::temp_dir().join(format!("sh-test-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&directory);
    fs::create_dir_all(&directory).unwrap();
    directory
}

fn output(command: &mut Command) -> (String, String, i32) {
    let Output { status, stdout, stderr } = command.output().expect("run sh");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (text(stdout), text(stderr), status.code().unwrap_or(-1))
}

/// `sh -c line`: stdout, stderr and status.
fn sh(line: &str) -> (String, String, i32) {
    output(Command::new(SH).arg("-c").arg(line).env("PATH", "/usr/bin:/bin").stdin(Stdio::null()))
}

fn stdout(line: &str) -> String {
    let (stdout, stderr, _) = sh(line);
    assert_eq!(stderr, "", "{line}");
    stdout
}

#[test]
fn echo_and_quoting() {
    assert_eq!(stdout("echo hello world"), "hello world\n");
    assert_eq!(stdout("echo 'a  b' \"c  d\" e\\ \\ f"), "a  b c  d e  f\n");
    assert_eq!(stdout("echo \"it's\" 'say \"hi\"'"), "it's say \"hi\"\n");
    assert_eq!(stdout("echo a # comment"), "a\n");
}

#[test]
fn pipelines() {
    assert_eq!(stdout("echo a b | tr a-z A-Z | wc -c"), "4\n");
    assert_eq!(stdout("printf '3\\n1\\n2\\n' | sort | head -n 2 | tr '\\n' ' '"), "1 2 ");
    assert_eq!(stdout("seq 1 100000 | head -n 1"), "1\n");
    assert_eq!(stdout("yes | head -c 3"), "y\ny");
}

#[test]
fn pipeline_status_is_the_last_commands() {
    assert_eq!(sh("false | true").2, 0);
    assert_eq!(sh("true | false").2, 1);
    assert_eq!(sh("true | sh -c 'exit 7'").2, 7);
}

#[test]
fn and_or_lists() {
    assert_eq!(stdout("true && echo yes || echo no"), "yes\n");
    assert_eq!(stdout("false && echo yes || echo no"), "no\n");
    assert_eq!(stdout("false || false || echo third"), "third\n");
    assert_eq!(stdout("echo a; false; echo $?"), "a\n1\n");
    assert_eq!(sh("true && false").2, 1);
}

#[test]
fn redirections() {
    let directory = scratch("redirect");
    let file = directory.join("out");
    let file = file.to_str().unwrap();
    assert_eq!(stdout(&format!("echo one > {file}; echo two >> {file}; cat < {file}")), "one\ntwo\n");
    assert_eq!(stdout(&format!("echo three >{file}; cat {file}")), "three\n");
    assert_eq!(stdout(&format!("ls /nonexistent 2> {file}; wc -l < {file}")), "1\n");
    assert_eq!(stdout("ls /nonexistent 2>&1 | wc -l"), "1\n");
    let (out, err, _) = sh(&format!("echo x 1>&2 2>{file}; cat {file}"));
    assert_eq!((out.as_str(), err.as_str()), ("", "x\n"), "left to right");
    fs::remove_dir_all(directory).unwrap();
}

#[test]
fn redirections_of_builtins_are_undone() {
    let directory = scratch("builtin-redirect");
    let file = directory.join("pwd");
    let file = file.to_str().unwrap();
    let (out, _, status) = sh(&format!("cd /tmp; pwd > {file}; echo after; cat {file}"));
    assert_eq!(out, "after\n/tmp\n");
    assert_eq!(status, 0);
    let (out, err, _) = sh(&format!("> {file}; wc -c < {file}; cd /nonexistent 2>{file}; cat {file}"));
    assert_eq!(out, "0\nsh: cd: /nonexistent: No such file or directory\n");
    assert_eq!(err, "");
    fs::remove_dir_all(directory).unwrap();
}

#[test]
fn redirection_errors() {
    let (out, err, status) = sh("cat < /nonexistent; echo $?");
    assert_eq!(err, "sh: /nonexistent: No such file or directory\n");
    assert_eq!((out.as_str(), status), ("2\n", 0));
    assert_eq!(sh("pwd > /nonexistent/x; echo $? >&2").1, "sh: /nonexistent/x: No such file or directory\n2\n");
    assert_eq!(sh("echo x >&7").1, "sh: 7: Bad file descriptor\n");
    let directory = scratch("redirect-target");
    let cd = format!("cd {} && ", directory.display());
    assert_eq!(stdout(&format!("{cd}X='a b'; echo x > $X; cat 'a b'")), "x\n", "targets are not split");
    fs::remove_dir_all(directory).unwrap();
}

#[test]
fn variables() {
    assert_eq!(stdout("X=1; echo $X ${X}2 \"$X\" '$X'"), "1 12 1 $X\n");
    assert_eq!(stdout("X='a   b'; echo $X; echo \"$X\""), "a b\na   b\n");
    assert_eq!(stdout("echo [$NOPE] \"[$NOPE]\""), "[] []\n");
    assert_eq!(stdout("X=1; sh -c 'echo [$X]'; export X; sh -c 'echo [$X]'"), "[]\n[1]\n");
    assert_eq!(stdout("export Y=2; sh -c 'echo $Y'; unset Y; sh -c 'echo [$Y]'"), "2\n[]\n");
    assert_eq!(stdout("Z=3 sh -c 'echo $Z'; echo [$Z]"), "3\n[]\n");
    assert_eq!(stdout("echo $$ | grep -c '^[0-9][0-9]*$'"), "1\n");
}

#[test]
fn positional_parameters() {
    let (out, _, _) = output(Command::new(SH).args(["-c", "echo $0 $1 $2 $# $@", "name", "a", "b"]));
    assert_eq!(out, "name a b 2 a b\n");
    assert_eq!(stdout("set -- x y; echo $# $2"), "2 y\n");
}

#[test]
fn set_and_export_list_variables() {
    let out = stdout("A='x y'; set | grep '^A='; export B=1; export | grep ' B='");
    assert_eq!(out, "A='x y'\nexport B='1'\n");
    assert_eq!(sh("export 1x=2"), (String::new(), "sh: export: 1x: bad variable name\n".into(), 2));
}

#[test]
fn tilde() {
    let (out, _, _) = output(Command::new(SH).args(["-c", "echo ~ ~/x '~'"]).env("HOME", "/home/k"));
    assert_eq!(out, "/home/k /home/k/x ~\n");
}

#[test]
fn globbing() {
    let directory = scratch("glob");
    for name in ["a.rs", "b.rs", "c.txt", ".hidden.rs"] {
        fs::write(directory.join(name), "").unwrap();
    }
    let cd = format!("cd {} && ", directory.display());
    assert_eq!(stdout(&format!("{cd}echo *.rs")), "a.rs b.rs\n");
    assert_eq!(stdout(&format!("{cd}echo ?.* '*.rs' \\*.rs")), "a.rs b.rs c.txt *.rs *.rs\n");
    assert_eq!(stdout(&format!("{cd}echo *.none [ab].rs")), "*.none a.rs b.rs\n");
    assert_eq!(stdout(&format!("{cd}echo .*.rs")), ".hidden.rs\n");
    assert_eq!(stdout(&format!("echo {}/*.txt", directory.display())), format!("{}/c.txt\n", directory.display()));
    fs::remove_dir_all(directory).unwrap();
}

#[test]
fn cd_and_pwd() {
    assert_eq!(stdout("cd /tmp && pwd && cd / && pwd"), "/tmp\n/\n");
    assert_eq!(stdout("cd /tmp; cd /; cd -; pwd"), "/tmp\n/tmp\n");
    assert_eq!(stdout("cd /tmp; echo $PWD; cd /; echo $OLDPWD"), "/tmp\n/tmp\n");
    let (out, _, _) = output(Command::new(SH).args(["-c", "cd; pwd"]).env("HOME", "/tmp"));
    assert_eq!(out, "/tmp\n");
    assert_eq!(sh("cd /nonexistent").1, "sh: cd: /nonexistent: No such file or directory\n");
}

#[test]
fn missing_commands() {
    let (_, err, status) = sh("nosuch-command-kestrel");
    assert_eq!(err, "sh: nosuch-command-kestrel: command not found\n");
    assert_eq!(status, 127);
    let (_, err, status) = sh("/nonexistent/prog");
    assert_eq!(err, "sh: /nonexistent/prog: No such file or directory\n");
    assert_eq!(status, 127);
    let (_, err, status) = sh("/etc");
    assert_eq!(err, "sh: /etc: Is a directory\n");
    assert_eq!(status, 126);
    assert_eq!(stdout("nosuch-command-kestrel 2>/dev/null | echo piped; echo $?"), "piped\n0\n");
}

#[test]
fn exit_statuses() {
    assert_eq!(sh("exit 3").2, 3);
    assert_eq!(sh("exit 300").2, 44);
    assert_eq!(sh("false; exit").2, 1);
    assert_eq!(sh("exit 4; echo not here").0, "");
    assert_eq!(sh("exit x"), (String::new(), "sh: exit: Illegal number: x\n".into(), 2));
    assert_eq!(sh("sh -c 'exit 5'; echo $?").0, "5\n");
}

#[test]
fn signal_deaths() {
    let (out, err, status) = sh("sh -c 'kill -SEGV $$'; echo $?");
    assert_eq!(out, "139\n");
    assert!(err.starts_with("Segmentation fault"), "{err:?}");
    assert_eq!(status, 0);
    let (out, err, _) = sh("sh -c 'kill -KILL $$'; echo $?");
    assert_eq!((out.as_str(), err.as_str()), ("137\n", "Killed\n"));
    let (out, err, _) = sh("sh -c 'kill -INT $$'; echo $?");
    assert_eq!((out.as_str(), err.as_str()), ("130\n", ""));
}

#[test]
fn syntax_errors() {
    let (_, err, status) = sh("echo a | | b");
    assert_eq!(err, "sh: syntax error near unexpected token '|'\n");
    assert_eq!(status, 2);
    assert_eq!(sh("echo 'open").1, "sh: syntax error: unexpected end of file\n");
    assert_eq!(sh("echo a |").2, 2);
    assert_eq!(sh("if true; then fi").1, "sh: syntax error near unexpected token 'fi'\n");
    assert_eq!(sh("echo ${x:y}"), (String::new(), "sh: bad substitution\n".into(), 2));
}

#[test]
fn background_jobs_and_wait() {
    assert_eq!(stdout("sleep 0.2 && echo late & echo early; wait; echo done"), "early\nlate\ndone\n");
    assert_eq!(stdout("sh -c 'exit 3' & wait $!; echo $?"), "3\n");
    assert_eq!(stdout("sleep 0.1 & wait %1; echo $?; jobs"), "0\n");
    assert_eq!(stdout("sleep 5 & kill $!; wait $!; echo $?"), "143\n");
    assert_eq!(sh("wait 1").1, "sh: wait: pid 1 is not a child of this shell\n");
}

#[test]
fn jobs_lists_background_jobs() {
    let out = stdout("sleep 1 & sleep 2 | cat & jobs; kill %1 %2; wait");
    assert_eq!(out, "[1]-  Running                 sleep 1 &\n[2]+  Running                 sleep 2 | cat &\n");
    assert_eq!(sh("fg").1, "sh: fg: current: no such job\n");
    assert_eq!(sh("bg %3").1, "sh: bg: %3: no such job\n");
}

#[test]
fn kill_takes_jobs_pids_and_signal_names() {
    assert_eq!(stdout("sleep 5 & kill -KILL %1; wait %1; echo $?"), "137\n");
    assert_eq!(stdout("sleep 5 & kill -s HUP $!; wait $!; echo $?"), "129\n");
    assert_eq!(stdout("sleep 5 & kill -9 -- $!; wait; kill -l | head -n 2"), "HUP\nINT\n");
    assert_eq!(sh("kill %4").1, "sh: kill: %4: no such job\n");
    assert_eq!(sh("kill -NOPE 1").1, "sh: kill: NOPE: invalid signal specification\n");
    assert_eq!(sh("kill x").1, "sh: kill: x: arguments must be process or job IDs\n");
    assert_eq!(sh("kill 999999999").1, "sh: kill: (999999999): No such process\n");
}

#[test]
fn builtins_in_pipelines_run_in_a_copy() {
    assert_eq!(stdout("cd /tmp | cat; pwd | cat; X=1 | true; echo [$X]").lines().last(), Some("[]"));
    assert_eq!(stdout("echo x | exit 3; echo $?"), "3\n");
    assert!(stdout("help | head -n 1").starts_with("Kestrel sh"));
}

#[test]
fn scripts() {
    let directory = scratch("script");
    let script = directory.join("script.sh");
    fs::write(&script, "# a script\necho \"$0\" $1 $#\nX=1\nif_missing 2>/dev/null || echo \"status $?\"\necho 'multi\nline'\nexit 4\necho never\n").unwrap();
    let (out, err, status) = output(Command::new(SH).arg(&script).arg("arg"));
    assert_eq!(out, format!("{} arg 1\nstatus 127\nmulti\nline\n", script.display()));
    assert_eq!((err.as_str(), status), ("", 4));
    let (_, err, status) = output(Command::new(SH).arg(directory.join("missing")));
    assert!(err.ends_with("missing: No such file or directory\n"));
    assert_eq!(status, 127);
    fs::remove_dir_all(directory).unwrap();
}

#[test]
fn files_without_a_format_run_as_scripts() {
    let directory = scratch("noexec");
    let script = directory.join("plain");
    fs::write(&script, "echo plain script $1 $GREETING\n").unwrap();
    fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    assert_eq!(stdout(&format!("GREETING=hi {} one", script.display())), "plain script one hi\n");
    fs::remove_dir_all(directory).unwrap();
}

#[test]
fn standard_input_is_read_line_by_line() {
    let mut child = Command::new(SH)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("PATH", "/usr/bin:/bin")
        .spawn()
        .unwrap();
    // `dd` reads the line after its own: the shell must not have taken it.
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"dd bs=1 count=11 2>/dev/null\nfrom stdin\necho 'a\nb'\nexit 6\necho never\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "from stdin\na\nb\n");
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "", "no prompt when not a terminal");
    assert_eq!(out.status.code(), Some(6));
}
