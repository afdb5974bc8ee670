//! `chown [-Rhcfv] OWNER[:GROUP] FILE...` and (through `chgrp`) the group change:
//! names from /etc/passwd and /etc/group or numbers, GNU's forms (`user:`, `:group`,
//! `user.group`); -h, and -R, change symbolic links themselves.
use std::ffi::OsString;
use std::fs::Metadata;
use std::os::unix::fs::{MetadataExt, chown, lchown};
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};

use crate::cli;
use crate::recurse::change_each;
use crate::users::Accounts;

pub const USAGE: &str = "Usage: chown [OPTION]... [OWNER][:[GROUP]] FILE...
Change the owner and/or group of each FILE to OWNER and/or GROUP.
  -c   like verbose but report only when a change is made
  -f   suppress most error messages
  -h   affect symbolic links instead of any referenced file
  -v   output a diagnostic for every file processed
  -R   operate on files and directories recursively
OWNER and GROUP are names or numbers; 'OWNER:' means OWNER's login group.";

const SPEC: Spec = Spec { flags: "Rcfhv", ..Spec::NONE };

/// The ids to set; `None` leaves that one as it is.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(super) struct Owner {
    pub uid: Option<u32>,
    pub gid: Option<u32>,
}

/// A user by name or number.
fn user_id(accounts: &Accounts, name: &str) -> Option<(u32, Option<u32>)> {
    match accounts.user(name) {
        Some((uid, gid)) => Some((uid, Some(gid))),
        None => name.parse().ok().map(|uid| (uid, None)),
    }
}

/// A group by name or number.
pub(super) fn group_id(accounts: &Accounts, name: &str) -> Option<u32> {
    accounts.group(name).or_else(|| name.parse().ok())
}

/// `OWNER[:GROUP]` (or `.` for `:` when no user has the whole name): the ids, or the
/// complaint (`invalid user: 'x'`).
fn parse_owner(accounts: &Accounts, spec: &str) -> Result<Owner, String> {
    let split = spec
        .split_once(':')
        .or_else(|| spec.split_once('.').filter(|(user, _)| !user.is_empty() && user_id(accounts, spec).is_none()));
    let (user, group) = match split {
        Some((user, group)) => (user, Some(group)),
        None => (spec, None),
    };
    let invalid = |what: &str| format!("invalid {what}: {}", quoted(spec));
    let (uid, login_group) = if user.is_empty() {
        (None, None)
    } else {
        let (uid, login_group) = user_id(accounts, user).ok_or_else(|| invalid("user"))?;
        (Some(uid), login_group)
    };
    let gid = match group {
        None => None,
        Some("") if uid.is_some() => Some(login_group.ok_or_else(|| invalid("spec"))?),
        Some("") => None,
        Some(group) => Some(group_id(accounts, group).ok_or_else(|| invalid("group"))?),
    };
    Ok(Owner { uid, gid })
}

/// What `chown` and `chgrp` say and do, the same but for their words.
struct Chown<'a> {
    program: &'a str,
    owner: Owner,
    accounts: Accounts,
    dereference: bool,
    verbose: Option<char>,
    silent: bool,
}

impl Chown<'_> {
    /// `user:group`, or `group` for chgrp.
    fn describe(&self, uid: u32, gid: u32) -> String {
        let group = self.accounts.group_or_number(gid);
        if self.program == "chgrp" { group } else { format!("{}:{group}", self.accounts.user_or_number(uid)) }
    }

    /// Changes one file (`follow`: a symbolic link's target).
    fn change(&self, path: &Path, metadata: &Metadata, follow: bool) -> bool {
        let (old_uid, old_gid) = (metadata.uid(), metadata.gid());
        let (uid, gid) = (self.owner.uid.unwrap_or(old_uid), self.owner.gid.unwrap_or(old_gid));
        let result = if follow {
            chown(path, self.owner.uid, self.owner.gid)
        } else {
            lchown(path, self.owner.uid, self.owner.gid)
        };
        let what = if self.program == "chgrp" { "group" } else { "ownership" };
        let name = quoted(path.display());
        if let Err(err) = result {
            if !self.silent {
                let doing = if self.program == "chgrp" { "changing group of" } else { "changing ownership of" };
                report_error(self.program, format_args!("{doing} {name}"), &err);
            }
            return false;
        }
        let changed = (uid, gid) != (old_uid, old_gid);
        let line = match (changed, self.verbose) {
            (true, Some(_)) => {
                format!(
                    "changed {what} of {name} from {} to {}",
                    self.describe(old_uid, old_gid),
                    self.describe(uid, gid)
                )
            }
            (false, Some('v')) => format!("{what} of {name} retained as {}", self.describe(uid, gid)),
            _ => return true,
        };
        cli::print_line(self.program, line) == 0
    }

    /// Changes every operand (and, with `recursive`, what is below it, never
    /// following symbolic links there, nor then the operands, as GNU's default -P).
    fn run(&self, operands: &[OsString], recursive: bool) -> u8 {
        let follow = self.dereference && !recursive;
        change_each(self.program, operands, recursive, follow, &mut |path, metadata| {
            self.change(path, metadata, follow)
        })
    }
}

/// `chown` or `chgrp`: the first operand names the owner (`owner_of` reads it, or
/// says what is wrong with it), the others the files.
pub(super) fn run_as(
    program: &str,
    args: Vec<OsString>,
    owner_of: impl Fn(&Accounts, &str) -> Result<Owner, String>,
) -> u8 {
    let command_line = match cli::parse_with_operands(program, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let (spec, operands) = command_line.operands.split_first().expect("an operand");
    if operands.is_empty() {
        return cli::usage_error(program, format_args!("missing operand after {}", quoted(spec.display())));
    }
    let accounts = Accounts::load();
    let owner = match owner_of(&accounts, &spec.to_string_lossy()) {
        Ok(owner) => owner,
        Err(message) => {
            ulib::diag::report(program, message);
            return 1;
        }
    };
    let chown = Chown {
        program,
        owner,
        accounts,
        dereference: !command_line.has('h'),
        verbose: command_line.last_of("cv"),
        silent: command_line.has('f'),
    };
    chown.run(operands, command_line.has('R'))
}

pub fn run(args: Vec<OsString>) -> u8 {
    run_as("chown", args, parse_owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accounts() -> Accounts {
        Accounts::from_text(
            "root:x:0:0::/:/bin/sh\nuser:x:1000:100::/:/bin/sh\n",
            "root:x:0:\nusers:x:100:\nwheel:x:10:\n",
        )
    }

    fn owner(uid: Option<u32>, gid: Option<u32>) -> Result<Owner, String> {
        Ok(Owner { uid, gid })
    }

    #[test]
    fn owner_specs() {
        let accounts = accounts();
        assert_eq!(parse_owner(&accounts, "user"), owner(Some(1000), None));
        assert_eq!(parse_owner(&accounts, "user:wheel"), owner(Some(1000), Some(10)));
        assert_eq!(parse_owner(&accounts, "user:"), owner(Some(1000), Some(100)));
        assert_eq!(parse_owner(&accounts, ":users"), owner(None, Some(100)));
        assert_eq!(parse_owner(&accounts, "user.wheel"), owner(Some(1000), Some(10)));
        assert_eq!(parse_owner(&accounts, "55:66"), owner(Some(55), Some(66)));
        assert_eq!(parse_owner(&accounts, ":"), owner(None, None));
        assert_eq!(parse_owner(&accounts, "nobody"), Err("invalid user: 'nobody'".into()));
        assert_eq!(parse_owner(&accounts, "root:nogroup"), Err("invalid group: 'root:nogroup'".into()));
        assert_eq!(parse_owner(&accounts, "55:"), Err("invalid spec: '55:'".into()));
    }
}
