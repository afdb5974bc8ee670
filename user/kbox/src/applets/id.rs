//! `id [-aGgnruz] [USER]...`: prints the user and group ids (of this process, or
//! each USER's, by name or number, from /etc/passwd and /etc/group), with names
//! where those files give them; GNU's options, long ones too (`--user`, ...).
use std::ffi::OsString;
use std::io::{self, Write};

use ulib::args::Spec;
use ulib::diag::{quoted, report};

use crate::cli;
use crate::users::Accounts;

const PROGRAM: &str = "id";

pub const USAGE: &str = "Usage: id [OPTION]... [USER]...
Print user and group information for each specified USER,
or (when USER omitted) for the current process.
  -a             ignore, for compatibility with other versions
  -g, --group    print only the effective group ID
  -G, --groups   print all group IDs
  -n, --name     print a name instead of a number, for -u, -g or -G
  -r, --real     print the real ID instead of the effective ID, with -u, -g or -G
  -u, --user     print only the effective user ID
  -z, --zero     delimit entries with NUL characters, not whitespace;
                 not permitted in default format";

const SPEC: Spec = Spec { flags: "agGnruz", long: &["group", "groups", "name", "real", "user", "zero"], ..Spec::NONE };

/// The short flag each long option stands for.
const LONG: [(&str, char); 6] =
    [("group", 'g'), ("groups", 'G'), ("name", 'n'), ("real", 'r'), ("user", 'u'), ("zero", 'z')];

/// Whose ids: real and effective uid and gid, and the groups.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Identity {
    uid: u32,
    euid: u32,
    gid: u32,
    egid: u32,
    groups: Vec<u32>,
}

pub(super) fn this_process() -> io::Result<Identity> {
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

/// A user's ids, by name or else by number.
pub(super) fn named_user(accounts: &Accounts, name: &str) -> Option<Identity> {
    let name = match accounts.user(name) {
        Some(_) => name,
        None => accounts.user_name(name.parse().ok()?)?,
    };
    let (uid, gid) = accounts.user(name)?;
    Some(Identity { uid, euid: uid, gid, egid: gid, groups: accounts.supplementary_groups(name) })
}

/// The groups `id` lists: the effective (or `real`) group first, then the others
/// once each.
pub(super) fn all_groups(identity: &Identity, real: bool) -> Vec<u32> {
    let mut groups = vec![if real { identity.gid } else { identity.egid }];
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
    let groups: Vec<String> = all_groups(identity, false).into_iter().map(group).collect();
    line.push_str(&format!(" groups={}", groups.join(",")));
    line
}

/// What to print: the default line, or only some ids (-u, -g, -G).
struct Choice {
    only: Option<char>,
    names: bool,
    real: bool,
    zero: bool,
}

impl Choice {
    /// The text for one identity, with its line end.
    fn text(&self, identity: &Identity, accounts: &Accounts) -> String {
        let user = |id: u32| if self.names { accounts.user_or_number(id) } else { id.to_string() };
        let group = |id: u32| if self.names { accounts.group_or_number(id) } else { id.to_string() };
        let items = match self.only {
            Some('u') => vec![user(if self.real { identity.uid } else { identity.euid })],
            Some('g') => vec![group(if self.real { identity.gid } else { identity.egid })],
            Some(_) => all_groups(identity, self.real).into_iter().map(group).collect(),
            None => return format!("{}\n", summary(identity, accounts)),
        };
        if self.zero {
            items.iter().map(|item| format!("{item}\0")).collect()
        } else {
            format!("{}\n", items.join(" "))
        }
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let given = |flag: char| {
        command_line.has(flag) || LONG.iter().any(|&(long, short)| short == flag && command_line.long(long).is_some())
    };
    let chosen: Vec<char> = ['u', 'g', 'G'].into_iter().filter(|&flag| given(flag)).collect();
    if chosen.len() > 1 {
        report(PROGRAM, "cannot print \"only\" of more than one choice");
        return 1;
    }
    let choice = Choice { only: chosen.first().copied(), names: given('n'), real: given('r'), zero: given('z') };
    if choice.only.is_none() && (choice.names || choice.real) {
        report(PROGRAM, "cannot print only names or real IDs in default format");
        return 1;
    }
    if choice.only.is_none() && choice.zero {
        report(PROGRAM, "option --zero not permitted in default format");
        return 1;
    }
    let accounts = Accounts::load();
    let mut text = String::new();
    let mut status = 0;
    if command_line.operands.is_empty() {
        match this_process() {
            Ok(identity) => text.push_str(&choice.text(&identity, &accounts)),
            Err(err) => {
                ulib::diag::report_error(PROGRAM, "cannot get groups", &err);
                return 1;
            }
        }
    }
    for name in &command_line.operands {
        match named_user(&accounts, &name.to_string_lossy()) {
            Some(identity) => text.push_str(&choice.text(&identity, &accounts)),
            None => {
                report(PROGRAM, format_args!("{}: no such user", quoted(name.display())));
                status = 1;
            }
        }
    }
    let mut out = cli::stdout();
    let result = out.write_all(text.as_bytes());
    cli::finish(PROGRAM, out, result.map(|()| status))
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
        assert_eq!(named_user(&accounts, "1000"), named_user(&accounts, "user"));
        assert_eq!(named_user(&accounts, "1234"), None);
    }

    #[test]
    fn choices() {
        let accounts = Accounts::from_text("user:x:1000:100::/:/bin/sh\n", "users:x:100:\nwheel:x:10:user\n");
        let user = named_user(&accounts, "user").unwrap();
        let choice = |only, names, zero| Choice { only, names, real: false, zero };
        assert_eq!(choice(Some('G'), true, false).text(&user, &accounts), "users wheel\n");
        assert_eq!(choice(Some('G'), false, true).text(&user, &accounts), "100\u{0}10\u{0}");
        assert_eq!(choice(Some('u'), true, false).text(&user, &accounts), "user\n");
        assert_eq!(
            choice(None, false, false).text(&user, &accounts),
            "uid=1000(user) gid=100(users) groups=100(users),10(wheel)\n"
        );
    }

    #[test]
    fn this_process_has_ids() {
        let identity = this_process().unwrap();
        assert!(all_groups(&identity, false).contains(&identity.egid));
        assert_eq!(all_groups(&identity, true)[0], identity.gid);
    }
}
