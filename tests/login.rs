//! Logging in (init's inittab, getty, login, passwd, su, who) and taking the
//! system down through init, typed at the serial console's automatic root login.
use std::time::Duration;

use kestrel::OrLog;
use kestrel::session::{LOGIN_PROMPT, TIMEOUT, run, shell, type_and_expect, type_until};

/// The serial log from `before` on.
fn since(m: &kestrel::Machine, before: usize) -> String {
    m.log()[before..].to_string()
}

#[test]
fn the_console_logs_root_in_and_who_lists_the_session() {
    let mut m = shell();
    let log = m.log();
    assert!(log.contains("kestrel login: root (automatic login)"), "{log}");
    assert!(log.contains("Welcome to Kestrel"), "no motd\n{log}");
    run(&mut m, "echo $HOME $USER $LOGNAME $SHELL $PATH", "/root root root /bin/sh /bin:/sbin:/usr/bin:/usr/sbin\n");
    run(&mut m, "who", "root     ttyS0        20");
    // root is logged in on the serial line and on tty1.
    run(&mut m, "who -q", "root root\n# users=2\n");
    run(&mut m, "who | grep -c ' tty1 '", "1\n");
    run(&mut m, "ls -l /etc/shadow", "-rw------- 1 root root ");
    run(&mut m, "ls -l /bin/passwd", "-rwsr-xr-x 1 root root ");
}

#[test]
fn login_refuses_a_wrong_password_and_accepts_the_right_one() {
    let mut m = shell();
    type_until(&mut m, "login user\n", "Password: ");
    let before = m.log().len();
    type_until(&mut m, "wrong\n", "kestrel login: ");
    let out = since(&m, before);
    assert!(out.contains("Login incorrect") && !out.contains("wrong"), "{out}");
    type_until(&mut m, "user\n", "Password: ");
    type_until(&mut m, "user\n", "/home/user $ ");
    // A user's prompt ends in "$ ", not the harness's "# ".
    type_until(&mut m, "id -u; echo $HOME; pwd\n", "1000\n/home/user\n/home/user\n");
    type_until(&mut m, "id\n", "uid=1000(user) gid=1000(user) groups=1000(user)\n");
    type_until(&mut m, "cat /etc/shadow\n", "cat: /etc/shadow: Permission denied\n");
    type_until(&mut m, "who\n", "user     ttyS0        20");
    type_until(&mut m, "exit\n", "/ # ");
}

#[test]
fn passwd_changes_a_password_that_login_and_su_then_take() {
    let mut m = shell();
    type_until(&mut m, "passwd user\n", "New password: ");
    type_until(&mut m, "s3cret\n", "Retype new password: ");
    type_until(&mut m, "s3cret\n", "passwd: password updated successfully");
    run(&mut m, "ls -l /etc/shadow; grep -c '^user:\\$6\\$' /etc/shadow", "-rw------- 1 root root ");
    // The old password no longer works, the new one does.
    type_until(&mut m, "login user\n", "Password: ");
    type_until(&mut m, "user\n", "Login incorrect");
    type_until(&mut m, "user\n", "Password: ");
    type_until(&mut m, "s3cret\n", "/home/user $ ");
    // The user changes their own password (passwd is set-user-ID root).
    type_until(&mut m, "passwd\n", "Current password: ");
    type_until(&mut m, "s3cret\n", "New password: ");
    type_until(&mut m, "again\n", "Retype new password: ");
    type_until(&mut m, "again\n", "passwd: password updated successfully");
    type_until(&mut m, "passwd root\n", "You may not view or modify password information for root.");
    // su to root asks root's password.
    type_until(&mut m, "su -c 'id -u'\n", "Password: ");
    type_until(&mut m, "nope\n", "su: Authentication failure");
    type_until(&mut m, "su -c 'id -u; echo $HOME'\n", "Password: ");
    type_until(&mut m, "kestrel\n", "0\n/root\n");
    type_until(&mut m, "exit\n", "/ # ");
    // Root's su needs no password; `su -` starts in the user's home.
    run(&mut m, "su user -c 'id -u'", "1000\n");
    run(&mut m, "su - user -c 'pwd; echo $0'", "/home/user\n-sh\n");
    type_until(&mut m, "login user\n", "Password: ");
    type_until(&mut m, "again\n", "/home/user $ ");
}

#[test]
fn init_starts_the_console_login_again_when_it_ends() {
    let mut m = shell();
    let before = m.log().len();
    run(&mut m, "echo shell $$", "shell ");
    let first = since(&m, before);
    let pid =
        first.rsplit("shell ").next().and_then(|rest| rest.split_whitespace().next()).unwrap_or_default().to_owned();
    assert!(pid.parse::<u32>().is_ok(), "{first}");
    let before = m.log().len();
    m.send("kill -9 $$\n");
    m.wait_until(Duration::from_secs(60), |log| log.get(before..).is_some_and(|new| new.contains(LOGIN_PROMPT)))
        .or_log(&m);
    let out = since(&m, before);
    assert!(out.contains("login: root (automatic login)"), "{out}");
    let before = m.log().len();
    run(&mut m, "echo shell $$; who | wc -l", "shell ");
    let second = since(&m, before);
    assert!(!second.contains(&format!("shell {pid}\n")), "the same shell {pid}?\n{second}");
    // ttyS0's new session and tty1's.
    assert!(second.contains("\n2\n"), "the dead session is still listed\n{second}");
}

#[test]
fn poweroff_asks_init_which_stops_every_process_first() {
    let mut m = shell();
    // What the steps print is not what is typed: the typed lines compute it.
    run(&mut m, "printf 'echo rc.%s ran\\n' shutdown > /etc/rc.shutdown", "");
    run(&mut m, "sh -c 'trap \"echo caught SIG\\$((10 + 5)); exit 0\" TERM; while :; do sleep 1; done' &", "[1] ");
    m.send("poweroff\n");
    let status = m.wait_exit(TIMEOUT);
    let log = m.log();
    assert_eq!(status.and_then(|s| s.code()), Some(0), "QEMU did not power off\n{log}");
    let order = ["rc.shutdown ran", "The system is going down NOW!", "caught SIG15", "reboot: power down"];
    let positions: Vec<Option<usize>> = order.iter().map(|text| log.rfind(text)).collect();
    assert!(positions.iter().all(Option::is_some), "missing steps {positions:?}\n{log}");
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "out of order {positions:?}\n{log}");
}

#[test]
fn reboot_and_halt_need_root() {
    let mut m = shell();
    type_and_expect(&mut m, "su user -c 'reboot; halt -f; echo $?'\n", "1\n");
    let log = m.log();
    assert!(log.contains("reboot: Operation not permitted") && log.contains("halt: Operation not permitted"), "{log}");
}

#[test]
fn reboot_goes_through_init_and_halt_stops_the_machine() {
    let mut m = shell();
    m.send("reboot\n");
    let status = m.wait_exit(TIMEOUT);
    let log = m.log();
    assert!(status.is_some(), "QEMU did not reset (it runs with -no-reboot)\n{log}");
    let going_down = log.find("The system is going down NOW!");
    let restarting = log.find("reboot: restarting the system");
    assert!(going_down.is_some() && going_down < restarting, "{log}");

    let mut m = shell();
    type_until(&mut m, "halt\n", "reboot: system halted");
    assert!(m.log().contains("Requesting system halt"), "{}", m.log());
}

#[test]
fn getty_on_a_pseudo_terminal_asks_for_a_login() {
    let mut m = shell();
    run(&mut m, "ktest-getty", "getty: all passed\n");
    run(&mut m, "who", "user     pts/");
}
