//! `passwd [USER]`: changes a password. A user changes their own after giving the
//! current one; root changes anyone's without it. The new password is asked twice
//! (echo off), hashed with SHA-512-crypt and a random salt, and /etc/shadow is
//! replaced at once (a new file renamed over it). Installed set-user-ID root, so
//! it acts for the real user id.
use std::ffi::OsString;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};
use std::{env, fs};

use login::auth;
use login::{cli, password, shadow};
use ulib::accounts::Accounts;
use ulib::args::Spec;
use ulib::diag::{report, report_error};

const PROGRAM: &str = "passwd";

const USAGE: &str = "Usage: passwd [USER]
Change USER's password (your own by default; only root may name another user).";

/// Days since 1970, shadow(5)'s unit for the last change.
fn today() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() / 86_400
}

/// Asks for the new password twice; `None` (after saying why) unless both agree.
fn new_password() -> Option<String> {
    let first = password::ask("New password: ").ok()??;
    if first.is_empty() {
        report(PROGRAM, "empty password; password unchanged");
        return None;
    }
    let second = password::ask("Retype new password: ").ok()??;
    if first != second {
        println!("Sorry, passwords do not match.");
        report(PROGRAM, "password unchanged");
        return None;
    }
    Some(first)
}

fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, USAGE, args, &Spec::NONE) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    if let Some(extra) = command_line.operands.get(1) {
        return cli::usage_error(PROGRAM, format_args!("extra operand '{}'", extra.display()));
    }
    // SAFETY: getuid has no preconditions and cannot fail.
    let caller = unsafe { libc::getuid() };
    let accounts = Accounts::load();
    let Some(own_name) = accounts.user_name(caller).map(str::to_owned) else {
        report(PROGRAM, format_args!("cannot determine your user name (uid {caller})"));
        return 1;
    };
    let name = command_line.operands.first().map_or(own_name.clone(), |name| name.to_string_lossy().into_owned());
    if accounts.user_entry(&name).is_none() {
        report(PROGRAM, format_args!("user '{name}' does not exist"));
        return 1;
    }
    if caller != 0 && name != own_name {
        report(PROGRAM, format_args!("You may not view or modify password information for {name}."));
        return 1;
    }
    println!("Changing password for {name}.");
    if caller != 0
        && let Err(status) = auth::require(
            PROGRAM,
            &name,
            "Current password: ",
            "Authentication token manipulation error\npasswd: password unchanged",
        )
    {
        return status;
    }
    let Some(new) = new_password() else { return 1 };
    let stored = shadow::random_salt().and_then(|salt| {
        let hash = shadow::hash(&new, &salt);
        let text = match fs::read_to_string(shadow::PATH) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            other => other?,
        };
        let text = shadow::with_hash(&text, &name, &hash, today())
            .unwrap_or_else(|| text.clone() + &shadow::new_line(&name, &hash, today()));
        shadow::store(shadow::PATH, &text)
    });
    match stored {
        Ok(()) => {
            println!("passwd: password updated successfully");
            0
        }
        Err(err) => {
            report_error(PROGRAM, shadow::PATH, &err);
            report(PROGRAM, "password unchanged");
            1
        }
    }
}

fn main() -> ExitCode {
    ExitCode::from(run(env::args_os().skip(1).collect()))
}
