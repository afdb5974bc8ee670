//! `su [-] [-l] [-c COMMAND] [USER]`: runs a shell as another user (root by
//! default) after asking for that user's password (root is not asked). `-`/`-l`
//! make it a login shell: a fresh environment (TERM kept) as login gives, in the
//! user's home; otherwise the environment stays, with HOME and SHELL (and USER and
//! LOGNAME for a user other than root) set. Installed set-user-ID root.
use std::ffi::OsString;
use std::process::ExitCode;

use login::auth;
use login::cli;
use login::session::{self, environment_strings, login_environment, shell_name};
use ulib::accounts::Accounts;
use ulib::args::Spec;
use ulib::diag::{report, report_error};

const PROGRAM: &str = "su";

const USAGE: &str = "Usage: su [-] [-l] [-c COMMAND] [USER]
Run a shell as USER (root by default), after asking for USER's password.
  -, -l, --login   start a login shell: a fresh environment, in USER's home
  -c COMMAND       run COMMAND with the shell's -c instead of an interactive shell";

fn run(args: Vec<OsString>) -> u8 {
    let spec = Spec { flags: "l", valued: "c", long: &["login"], ..Spec::NONE };
    let command_line = match cli::parse(PROGRAM, USAGE, args, &spec) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut operands: Vec<String> =
        command_line.operands.iter().map(|arg| arg.to_string_lossy().into_owned()).collect();
    let dash = operands.first().is_some_and(|first| first == "-");
    if dash {
        operands.remove(0);
    }
    let login_shell = dash || command_line.has('l') || command_line.long("login").is_some();
    if let Some(extra) = operands.get(1) {
        return cli::usage_error(PROGRAM, format_args!("extra operand '{extra}'"));
    }
    let name = operands.first().map_or("root", String::as_str);
    let accounts = Accounts::load();
    let Some(user) = accounts.user_entry(name) else {
        report(
            PROGRAM,
            format_args!("user {name} does not exist or the user entry does not contain all the required fields"),
        );
        return 1;
    };
    // SAFETY: getuid has no preconditions and cannot fail.
    if unsafe { libc::getuid() } != 0
        && let Err(status) = auth::require(PROGRAM, name, "Password: ", "Authentication failure")
    {
        return status;
    }
    if let Err(err) = session::become_user(&accounts, &user) {
        report_error(PROGRAM, "cannot change to the user's ids", &err);
        return 1;
    }
    let environment = if login_shell {
        if std::env::set_current_dir(&user.home).is_err() {
            report(PROGRAM, format_args!("warning: cannot change directory to {}", user.home));
        }
        login_environment(&user, std::env::var_os("TERM").as_deref())
    } else {
        let mut set = vec![("HOME", user.home.as_str()), ("SHELL", user.shell.as_str())];
        if user.uid != 0 {
            set.extend([("USER", user.name.as_str()), ("LOGNAME", user.name.as_str())]);
        }
        let kept = std::env::vars_os().filter(|(name, _)| !set.iter().any(|(replaced, _)| name == replaced));
        let mut environment: Vec<(String, Vec<u8>)> =
            kept.map(|(name, value)| (name.to_string_lossy().into_owned(), value.into_encoded_bytes())).collect();
        environment.extend(set.into_iter().map(|(name, value)| (name.to_owned(), value.as_bytes().to_vec())));
        environment
    };
    let args: Vec<String> = match command_line.value('c') {
        Some(command) => vec!["-c".to_owned(), command.to_string_lossy().into_owned()],
        None => Vec::new(),
    };
    let err =
        session::exec_shell(&user, &shell_name(&user.shell, login_shell), &args, &environment_strings(&environment));
    report_error(PROGRAM, format_args!("failed to execute {}", user.shell), &err);
    1
}

fn main() -> ExitCode {
    ExitCode::from(run(std::env::args_os().skip(1).collect()))
}
