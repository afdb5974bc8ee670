//! Shell sessions over the serial console: /sbin/init starts /bin/sh, and the tests
//! type commands (and control keys) and read what comes back, as a user would.
use std::time::Duration;

use kestrel::OrLog;
use kestrel::session::{TIMEOUT, run, shell, type_and_expect};

#[test]
fn programs_builtins_and_errors() {
    let mut m = shell();
    run(&mut m, "echo hi", "hi\n");
    run(&mut m, "ls /bin | cat", "uname\n");
    run(&mut m, "nosuch", "sh: nosuch: command not found");
    run(&mut m, "cat /etc/motd", "Welcome to Kestrel");
    run(&mut m, "uname -a", "Kestrel kestrel 0.1.0");
    run(&mut m, "false; echo status $?", "status 1\n");
    run(&mut m, "cd /etc", "");
    run(&mut m, "pwd", "/etc\n");
}

#[test]
fn files_with_redirection_append_and_pipelines() {
    let mut m = shell();
    run(&mut m, "mkdir -p /tmp/work && cd /tmp/work", "");
    run(&mut m, "echo one two > notes; echo three >> notes; cat notes", "one two\nthree\n");
    run(&mut m, "wc -l notes", "2 notes");
    run(&mut m, "cat notes | tr a-z A-Z | grep -c T", "2\n");
    run(&mut m, "ls /tmp/work", "notes");
    run(&mut m, "nosuch 2> err; cat err", "sh: nosuch: command not found");
}

#[test]
fn and_or_follow_exit_statuses() {
    let mut m = shell();
    run(&mut m, "true && echo yes || echo no", "yes\n");
    run(&mut m, "false && echo yes || echo no", "no\n");
    run(&mut m, "false; echo $?", "1\n");
}

#[test]
fn ctrl_c_interrupts_the_foreground_job_not_the_shell() {
    let mut m = shell();
    m.send("sleep 100\n");
    std::thread::sleep(Duration::from_millis(700));
    type_and_expect(&mut m, "\x03", "^C");
    run(&mut m, "echo $?", "130\n");
    run(&mut m, "echo still here", "still here\n");
}

#[test]
fn ctrl_z_stops_a_job_and_fg_resumes_it() {
    let mut m = shell();
    m.send("sleep 2\n");
    std::thread::sleep(Duration::from_millis(700));
    type_and_expect(&mut m, "\x1a", "Stopped");
    run(&mut m, "jobs", "Stopped                 sleep 2");
    run(&mut m, "fg; echo resumed $?", "sleep 2\nresumed 0\n");
}

#[test]
fn a_pipeline_whose_reader_exits_early_ends() {
    let mut m = shell();
    run(&mut m, "yes | head -n 3", "y\ny\ny\n");
    run(&mut m, "echo done", "done\n");
}

#[test]
fn ps_lists_the_shell_and_itself() {
    let mut m = shell();
    let before = m.log().len();
    run(&mut m, "ps", " ps\n");
    let out = m.log()[before..].to_string();
    assert!(out.contains(" sh\n") && out.contains(" init\n"), "{out}");
}

#[test]
fn up_arrow_recalls_and_tab_completes() {
    let mut m = shell();
    run(&mut m, "echo recalled", "recalled\n");
    type_and_expect(&mut m, "\x1b[A\n", "recalled\nrecalled\n");
    type_and_expect(&mut m, "unam\t -s\n", "Kestrel\n");
}

#[test]
fn id_whoami_and_ls_show_names_from_etc_passwd() {
    let mut m = shell();
    run(&mut m, "id", "uid=0(root) gid=0(root) groups=0(root)\n");
    run(&mut m, "whoami", "\nroot\n");
    run(&mut m, "ls -ld /home/user", "drwxr-xr-x 2 user user ");
    run(&mut m, "grep -E 'Uid|Groups' /proc/self/status", "Uid:\t0\t0\t0\t0\nGroups:\t \n");
}

#[test]
fn a_script_file_runs_with_sh_file() {
    let mut m = shell();
    run(&mut m, "echo 'echo from script' > /tmp/s.sh; echo 'echo second line' >> /tmp/s.sh", "");
    run(&mut m, "sh /tmp/s.sh", "from script\nsecond line\n");
    run(&mut m, "sh -c 'echo via -c'", "via -c\n");
}

#[test]
fn signal_handlers_run_and_interrupted_reads_restart() {
    kestrel::run_ktest("signals", "");
}

#[test]
fn a_background_reader_is_stopped_by_sigttin() {
    let mut m = shell();
    run(&mut m, "cat &", "[1] ");
    std::thread::sleep(Duration::from_millis(500));
    run(&mut m, "jobs", "Stopped (tty input)");
}

#[test]
fn poweroff_turns_the_machine_off() {
    let mut m = shell();
    m.send("poweroff\n");
    let status = m.wait_exit(TIMEOUT);
    assert_eq!(status.and_then(|s| s.code()), Some(0), "QEMU did not power off\n{}", m.log());
    assert!(m.log().contains("reboot: power down"), "{}", m.log());
}

#[test]
fn the_ps2_keyboard_types_into_the_shell() {
    // The keyboard types into the shell on tty1, on the screen: the command and
    // what it printed show there, and not on the serial line.
    let m = shell();
    m.type_on_keyboard("echo typed on the keyboard\n");
    let start = std::time::Instant::now();
    let screen = loop {
        let screen = m.vga_text();
        let at = screen.iter().position(|row| row.ends_with("# echo typed on the keyboard"));
        if at.is_some_and(|at| screen.get(at + 1).is_some_and(|row| row == "typed on the keyboard")) {
            break screen;
        }
        assert!(start.elapsed() < TIMEOUT, "not on the screen:\n{}", screen.join("\n"));
        std::thread::sleep(Duration::from_millis(300));
    };
    assert!(screen.iter().any(|row| row == "/ #"), "no prompt after it:\n{}", screen.join("\n"));
    assert!(!m.log().contains("typed on the keyboard"), "keyboard input reached the serial line:\n{}", m.log());
}

#[test]
fn long_lines_wrap_edit_in_the_middle_and_ctrl_r_finds_them() {
    let mut m = shell();
    // After the prompt "/ # " the line wraps at the 80th column, between "broken"
    // and the end; the cursor goes back across that boundary to replace "broken".
    let head = "echo first part of a long line that runs past the right margin broken";
    let tail = " and on to the second row | tr a-z A-Z";
    let keys = format!("{head}{tail}{}{}edited\r", "\x1b[D".repeat(tail.len()), "\x7f".repeat("broken".len()));
    let output = "FIRST PART OF A LONG LINE THAT RUNS PAST THE RIGHT MARGIN EDITED AND ON TO THE SECOND ROW\n";
    type_and_expect(&mut m, &keys, output);
    type_and_expect(&mut m, "\x12margin ed\r", output);
    run(&mut m, "PS1='\\u@\\h:\\w [!]\\$ '", "\nroot@kestrel:/ [");
    run(&mut m, "cd /etc", "\nroot@kestrel:/etc [");
}

#[test]
fn the_posix_language_works_at_the_prompt() {
    let mut m = shell();
    run(&mut m, "for i in 1 2 3; do echo n$i; done", "n1\nn2\nn3\n");
    run(&mut m, "if [ -d /etc ]; then echo dir; else echo none; fi", "dir\n");
    run(&mut m, "echo $((1 + 2 * 3)) $(echo sub) `echo back` \"$(echo 'a  b')\"", "7 sub back a  b\n");
    run(&mut m, "f() { echo \"in f: $# $1\"; return 3; }; f x y; echo $?", "in f: 2 x\n3\n");
    run(&mut m, "case kestrel in k*|x) echo matched;; *) echo no;; esac", "matched\n");
    run(
        &mut m,
        "x=/usr/lib/file.tar.gz; echo ${x##*/} ${x%.*} ${#x} ${unset:-default}",
        "file.tar.gz /usr/lib/file.tar 20 default\n",
    );
    run(&mut m, "/etc; echo status $?", "sh: /etc: Is a directory\nstatus 126\n");
}

/// Types `line` and waits for the continuation prompt after it.
fn continue_line(m: &mut kestrel::Machine, line: &str) {
    let before = m.log().len();
    m.send(&format!("{line}\n"));
    m.wait_until(TIMEOUT, |log| log.get(before..).is_some_and(|new| new.ends_with("> "))).or_log(m);
}

#[test]
fn unfinished_commands_continue_on_ps2_lines() {
    let mut m = shell();
    continue_line(&mut m, "for i in a b");
    continue_line(&mut m, "do");
    continue_line(&mut m, "  echo item $i");
    run(&mut m, "done", "item a\nitem b\n");
    continue_line(&mut m, "cat <<EOF");
    continue_line(&mut m, "here $((6 * 7))");
    run(&mut m, "EOF", "here 42\n");
}

#[test]
fn scripts_run_by_their_interpreter_line_and_init_ran_etc_rc() {
    let mut m = shell();
    assert!(m.log().contains("rc: host name kestrel"), "{}", m.log());
    run(&mut m, "cp /bin/sh /tmp/hello; printf '#!/bin/sh\\necho \"hello from $0: $*\"\\n' > /tmp/hello", "");
    run(&mut m, "/tmp/hello a b", "hello from /tmp/hello: a b\n");
    run(
        &mut m,
        "echo 'echo dotted $1' > /tmp/dot.sh; . /tmp/dot.sh; sh -c 'echo $0 $1' name arg",
        "dotted\nname arg\n",
    );
}

#[test]
fn help_lists_the_commands_and_man_shows_their_pages() {
    let mut m = shell();
    // The summaries come from the pages installed in /usr/share/man.
    run(&mut m, "help | grep '^  sort ' | tr -s ' '", " sort - sort lines of text files\n");
    run(&mut m, "help | grep '^  cd ' | tr -s ' '", " cd - change the working directory\n");
    run(&mut m, "man grep | head -n 1", "grep - print lines that match patterns\n");
    run(&mut m, "help umask | grep -c SYNOPSIS", "1\n");
    run(&mut m, "man nosuch; echo status $?", "man: No manual entry for nosuch\nstatus 16\n");
    run(&mut m, "man -k 'working dir' | tr -s ' '", "pwd - print the name of the working directory\n");
}
