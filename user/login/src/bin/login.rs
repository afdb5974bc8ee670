//! `login [-f] [-p] [-h HOST] [USER]`: begins a session on this terminal. Asks for
//! the user name (unless given) and the password (unless `-f`, for root only),
//! three tries with a delay and "Login incorrect" after each; then gives the
//! terminal to the user (owner, mode 0620, group tty), records the login in
//! /var/run/utmp, becomes the user (groups, gid, uid), sets HOME, SHELL, USER,
//! LOGNAME and PATH (TERM kept; the rest of the environment too with `-p`), goes
//! home, shows /etc/motd (unless ~/.hushlogin exists) and runs the user's shell
//! as a login shell (`-sh`).
use std::ffi::OsString;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};
use std::{env, fs};

use login::auth::{self, Answer};
use login::issue::System;
use login::session::{self, environment_strings, login_environment, shell_name};
use login::{cli, password};
use ulib::accounts::{Accounts, User};
use ulib::args::Spec;
use ulib::diag::{report, report_error};
use ulib::utmp::{self, Record};

const PROGRAM: &str = "login";
const ATTEMPTS: usize = 3;
const MOTD: &str = "/etc/motd";

const USAGE: &str = "Usage: login [-p] [-h HOST] [[-f] USER]
Begin a session on the system.
  -f        do not ask for the password (root only)
  -h HOST   the remote host the login comes from (recorded in utmp)
  -p        keep the environment";

/// The terminal on standard input, without "/dev/" (`ttyS0`, `pts/0`), if any.
fn terminal_line() -> Option<String> {
    let target = fs::read_link("/proc/self/fd/0").ok()?;
    target.to_str()?.strip_prefix("/dev/").map(str::to_owned)
}

/// Asks for a user name until one is typed; `None` at end of input.
fn ask_name(hostname: &str) -> Option<String> {
    loop {
        print!("{hostname} login: ");
        let _ = io::stdout().flush();
        match password::read_line() {
            Ok(Some(name)) if name.trim().is_empty() => {}
            Ok(Some(name)) => return Some(name.trim().to_owned()),
            Ok(None) | Err(_) => return None,
        }
    }
}

/// The user to log in after asking (up to three tries), or the exit status.
fn authenticate(accounts: &Accounts, mut name: Option<String>, force: bool, hostname: &str) -> Result<User, u8> {
    for _ in 0..ATTEMPTS {
        let Some(typed) = name.take().or_else(|| ask_name(hostname)) else { return Err(1) };
        let user = accounts.user_entry(&typed);
        if force {
            return user.ok_or_else(|| {
                report(PROGRAM, format_args!("unknown user: {typed}"));
                1
            });
        }
        match auth::ask(&typed, "Password: ") {
            Ok(Answer::Right) if user.is_some() => return user.ok_or(1),
            Ok(Answer::Ended) => return Err(1),
            Ok(_) => {}
            Err(err) => report_error(PROGRAM, login::shadow::PATH, &err),
        }
        thread::sleep(auth::FAIL_DELAY);
        println!("\nLogin incorrect");
    }
    Err(1)
}

/// The terminal becomes the user's (group tty when there is one), mode 0620.
fn give_terminal(accounts: &Accounts, user: &User) {
    let group = accounts.group_id("tty").unwrap_or(user.gid);
    // SAFETY: fchown and fchmod take a descriptor and plain ids; a failure (stdin
    // not a file this process may change) leaves the terminal as it was.
    unsafe {
        libc::fchown(0, user.uid, group);
        libc::fchmod(0, 0o620);
    }
}

/// Records the login in utmp (nothing when the file cannot be written: there is
/// no one to tell).
fn record_login(user: &User, line: &str, host: &str) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    // SAFETY: getpid and getsid(0) take no pointers and cannot fail for the caller.
    let (pid, session) = unsafe { (libc::getpid(), libc::getsid(0)) };
    let record = Record {
        kind: utmp::USER_PROCESS,
        pid,
        line: line.to_owned(),
        id: utmp::line_id(line),
        user: user.name.clone(),
        host: host.to_owned(),
        session,
        seconds: i32::try_from(now.as_secs()).unwrap_or(i32::MAX),
        microseconds: i32::try_from(now.subsec_micros()).unwrap_or(0),
    };
    let _ = utmp::update(utmp::PATH, &record, |old| old.line == line);
}

fn run(args: Vec<OsString>) -> u8 {
    let spec = Spec { flags: "fp", valued: "h", ..Spec::NONE };
    let command_line = match cli::parse(PROGRAM, USAGE, args, &spec) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    if let Some(extra) = command_line.operands.get(1) {
        return cli::usage_error(PROGRAM, format_args!("extra operand '{}'", extra.display()));
    }
    let force = command_line.has('f');
    // SAFETY: getuid has no preconditions and cannot fail.
    if force && unsafe { libc::getuid() } != 0 {
        report(PROGRAM, "-f is for root only");
        return 1;
    }
    let line = terminal_line().unwrap_or_default();
    let system = System::current(&line);
    let accounts = Accounts::load();
    let name = command_line.operands.first().map(|name| name.to_string_lossy().into_owned());
    let user = match authenticate(&accounts, name, force, &system.hostname) {
        Ok(user) => user,
        Err(status) => return status,
    };
    give_terminal(&accounts, &user);
    if !line.is_empty() {
        let host = command_line.value('h').map(|host| host.to_string_lossy().into_owned()).unwrap_or_default();
        record_login(&user, &line, &host);
    }
    if let Err(err) = session::become_user(&accounts, &user) {
        report_error(PROGRAM, "cannot change to the user's ids", &err);
        return 1;
    }
    let mut environment = login_environment(&user, env::var_os("TERM").as_deref());
    if command_line.has('p') {
        let kept = env::vars_os().filter(|(name, _)| !environment.iter().any(|(set, _)| name == set.as_str()));
        let kept: Vec<_> =
            kept.map(|(name, value)| (name.to_string_lossy().into_owned(), value.into_encoded_bytes())).collect();
        environment.extend(kept);
    }
    if env::set_current_dir(&user.home).is_err() {
        println!("No directory {}!\nLogging in with home = \"/\".", user.home);
        let _ = env::set_current_dir("/");
        environment.retain(|(name, _)| name != "HOME");
        environment.push(("HOME".to_owned(), b"/".to_vec()));
    }
    if !Path::new(&user.home).join(".hushlogin").exists()
        && let Ok(motd) = fs::read_to_string(MOTD)
    {
        print!("{motd}");
    }
    let _ = io::stdout().flush();
    let err = session::exec_shell(&user, &shell_name(&user.shell, true), &[], &environment_strings(&environment));
    report_error(PROGRAM, &user.shell, &err);
    1
}

fn main() -> ExitCode {
    ExitCode::from(run(env::args_os().skip(1).collect()))
}
