//! `groups [USER]...`: the names of the groups this process (or each USER, as
//! /etc/passwd and /etc/group list them) is in, as `id -Gn` gives them; for a USER
//! after `USER : ` (a USER by name only, as GNU).
use std::ffi::OsString;
use std::io::Write;

use ulib::args::Spec;
use ulib::diag::{quoted, report, report_error};

use super::id::{Identity, all_groups, named_user, this_process};
use crate::cli;
use crate::users::Accounts;

const PROGRAM: &str = "groups";

pub const USAGE: &str = "Usage: groups [USER]...
Print group memberships for each USERNAME or, if no USERNAME is specified, for
the current process (which may differ if the groups database has changed).";

fn names(identity: &Identity, accounts: &Accounts) -> String {
    let names: Vec<String> = all_groups(identity, false).into_iter().map(|gid| accounts.group_or_number(gid)).collect();
    names.join(" ")
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &Spec::NONE) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let accounts = Accounts::load();
    let mut out = cli::stdout();
    if command_line.operands.is_empty() {
        return match this_process() {
            Ok(identity) => cli::print_line(PROGRAM, names(&identity, &accounts)),
            Err(err) => {
                report_error(PROGRAM, "cannot get groups", &err);
                1
            }
        };
    }
    let mut status = 0;
    let result = command_line.operands.iter().try_for_each(|name| {
        let text = name.to_string_lossy();
        match accounts.user(&text).and_then(|_| named_user(&accounts, &text)) {
            Some(identity) => writeln!(out, "{text} : {}", names(&identity, &accounts)),
            None => {
                out.flush()?;
                report(PROGRAM, format_args!("{}: no such user", quoted(&text)));
                status = 1;
                Ok(())
            }
        }
    });
    cli::finish(PROGRAM, out, result.map(|()| status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names() {
        let accounts = Accounts::from_text("user:x:1000:100::/:/bin/sh\n", "users:x:100:\nwheel:x:10:user\n");
        assert_eq!(names(&named_user(&accounts, "user").unwrap(), &accounts), "users wheel");
    }
}
