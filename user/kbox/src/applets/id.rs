//! `id [-Ggnu] [USER]`: prints the user and group ids (of this process, or USER's
//! from /etc/passwd and /etc/group), with names where those files give them.
use std::ffi::OsString;
use std::io;

use ulib::args::Spec;
use ulib::diag::{quoted, report};

use crate::cli;
use ulib::accounts::Accounts;

const PROGRAM: &str = "id";

pub const USAGE: &str = "Usage: id [OPTION]... [USER]
Print user and group information for USER, or (when USER omitted) for the current
process.
  -g   print only the effective group ID
  -G   print all group IDs
  -n   print a name instead of a number, for -u, -g or -G
  -u   print only the effective user ID";

const SPEC: Spec = Spec { flags: "gGnu", ..Spec::NONE };

/// Whose ids: real and effective uid and gid, and the groups.
#[derive(Debug, PartialEq, Eq)]
struct Identity {
    uid: u32,
    euid: u32,
    gid: u32,
    egid: u32,
    groups: Vec<u32>,
}

fn this_process() -> io::Result<Identity> {
    // SAFETY: these calls take no pointers and cannot fail.
    let (uid, euid, gid, egid) = unsafe { (libc::getuid(), libc::geteuid(), libc::getgid(), libc::getegid()) };
    // SAFETY: with a size of 0, getgroups only counts the groups.
    let count = unsafe { libc::getgroups(0, std::ptr::null_mut()) };
    let mut groups = vec![0; usize::try_from(count).map_err(|_| io::Error::last_os_error())?];
    // SAFETY: getgroups writes at most `count` gids to `groups`, which holds that many.
    let count = unsafe { libc::getgroups(count, groups.as_mut_ptr()) };
    groups.truncate(usize::try_from(count).map_err(|_| io::Error::last_os_error())?);
    Ok(Identity { uid, euid, gid, egid, groups })
}

fn named_user(accounts: &Accounts, name: &str) -> Option<Identity> {
    let (uid, gid) = accounts.user(name)?;
    Some(Identity { uid, euid: uid, gid, egid: gid, groups: accounts.supplementary_groups(name) })
}

/// The groups `id` lists: the effective group first, then the others once each.
fn all_groups(identity: &Identity) -> Vec<u32> {
    let mut groups = vec![identity.egid];
    for &group in &identity.groups {
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups
}

/// The default line: `uid=0(root) gid=0(root) groups=0(root)`.
fn summary(identity: &Identity, accounts: &Accounts) -> String {
    let user = |id: u32| accounts.user_name(id).map_or_else(|| id.to_string(), |name| format!("{id}({name})"));
    let group = |id: u32| accounts.group_name(id).map_or_else(|| id.to_string(), |name| format!("{id}({name})"));
    let mut line = format!("uid={} gid={}", user(identity.uid), group(identity.gid));
    if identity.euid != identity.uid {
        line.push_str(&format!(" euid={}", user(identity.euid)));
    }
    if identity.egid != identity.gid {
        line.push_str(&format!(" egid={}", group(identity.egid)));
    }
    let groups: Vec<String> = all_groups(identity).into_iter().map(group).collect();
    line.push_str(&format!(" groups={}", groups.join(",")));
    line
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let accounts = Accounts::load();
    let identity = match &command_line.operands[..] {
        [] => match this_process() {
            Ok(identity) => identity,
            Err(err) => {
                ulib::diag::report_error(PROGRAM, "cannot get groups", &err);
                return 1;
            }
        },
        [name] => match named_user(&accounts, &name.to_string_lossy()) {
            Some(identity) => identity,
            None => {
                report(PROGRAM, format_args!("{}: no such user", quoted(name.display())));
                return 1;
            }
        },
        [_, extra, ..] => return cli::extra_operand(PROGRAM, extra.display()),
    };
    let names = command_line.has('n');
    let user = |id: u32| if names { accounts.user_or_number(id) } else { id.to_string() };
    let group = |id: u32| if names { accounts.group_or_number(id) } else { id.to_string() };
    let line = match command_line.last_of("gGu") {
        Some('u') => user(identity.euid),
        Some('g') => group(identity.egid),
        Some(_) => all_groups(&identity).into_iter().map(group).collect::<Vec<_>>().join(" "),
        None if names => return cli::usage_error(PROGRAM, "cannot print only names or real IDs in default format"),
        None => summary(&identity, &accounts),
    };
    cli::print_line(PROGRAM, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        let accounts = Accounts::from_text(
            "root:x:0:0::/:/bin/sh\nuser:x:1000:100::/:/bin/sh\n",
            "root:x:0:\nusers:x:100:\nwheel:x:10:user\n",
        );
        let root = Identity { uid: 0, euid: 0, gid: 0, egid: 0, groups: vec![0] };
        assert_eq!(summary(&root, &accounts), "uid=0(root) gid=0(root) groups=0(root)");
        let user = named_user(&accounts, "user").unwrap();
        assert_eq!(summary(&user, &accounts), "uid=1000(user) gid=100(users) groups=100(users),10(wheel)");
        let odd = Identity { uid: 5, euid: 0, gid: 7, egid: 7, groups: Vec::new() };
        assert_eq!(summary(&odd, &accounts), "uid=5 gid=7 euid=0(root) groups=7");
        assert_eq!(named_user(&accounts, "nobody"), None);
    }

    #[test]
    fn this_process_has_ids() {
        let identity = this_process().unwrap();
        assert!(all_groups(&identity).contains(&identity.egid));
    }
}
