//! Becoming a user, as `login` and `su` do: the supplementary groups of
//! /etc/group (initgroups), the primary group, the user id; the environment a
//! login gives (HOME, SHELL, USER, LOGNAME, PATH, TERM kept); and running the
//! user's shell, as a login shell (`-sh`) or not.
use std::ffi::{CString, OsStr};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use ulib::accounts::{Accounts, User};
use ulib::process;
use ulib::sys::check;

/// root's PATH, and everyone else's.
pub const ROOT_PATH: &str = "/bin:/sbin:/usr/bin:/usr/sbin";
pub const USER_PATH: &str = "/bin:/usr/bin";

/// setgroups (the groups listing the user, and its primary group), setgid, setuid:
/// in that order, since the last one gives up the right to do the others.
pub fn become_user(accounts: &Accounts, user: &User) -> io::Result<()> {
    let mut groups: Vec<libc::gid_t> = vec![user.gid];
    groups.extend(accounts.supplementary_groups(&user.name).into_iter().filter(|&gid| gid != user.gid));
    // SAFETY: `groups` holds `groups.len()` gids for the kernel to read.
    check(unsafe { libc::setgroups(groups.len(), groups.as_ptr()) })?;
    // SAFETY: setgid and setuid take plain ids.
    check(unsafe { libc::setgid(user.gid) })?;
    // SAFETY: as above.
    check(unsafe { libc::setuid(user.uid) })?;
    Ok(())
}

/// The environment of a login as `user`: `term` (the caller's TERM) kept, the rest
/// made afresh.
pub fn login_environment(user: &User, term: Option<&OsStr>) -> Vec<(String, Vec<u8>)> {
    let path = if user.uid == 0 { ROOT_PATH } else { USER_PATH };
    let mut environment = vec![
        ("HOME".to_owned(), user.home.as_bytes().to_vec()),
        ("SHELL".to_owned(), user.shell.as_bytes().to_vec()),
        ("USER".to_owned(), user.name.as_bytes().to_vec()),
        ("LOGNAME".to_owned(), user.name.as_bytes().to_vec()),
        ("PATH".to_owned(), path.as_bytes().to_vec()),
    ];
    if let Some(term) = term {
        environment.push(("TERM".to_owned(), term.as_bytes().to_vec()));
    }
    environment
}

/// `NAME=value` strings for execve.
pub fn environment_strings(environment: &[(String, Vec<u8>)]) -> Vec<CString> {
    environment
        .iter()
        .filter_map(|(name, value)| {
            let mut entry = format!("{name}=").into_bytes();
            entry.extend_from_slice(value);
            CString::new(entry).ok()
        })
        .collect()
}

/// The shell's argv[0]: its file name, with a `-` in front for a login shell.
pub fn shell_name(shell: &str, login: bool) -> String {
    let name = Path::new(shell).file_name().map_or(shell.into(), |name| name.to_string_lossy());
    if login { format!("-{name}") } else { name.into_owned() }
}

/// Runs the user's shell (execve): `argv0`, then `args`. Returns only on failure.
pub fn exec_shell(user: &User, argv0: &str, args: &[String], environment: &[CString]) -> io::Error {
    let (Ok(shell), Ok(argv0)) = (CString::new(user.shell.as_str()), CString::new(argv0)) else {
        return io::Error::from_raw_os_error(libc::EINVAL);
    };
    let mut argv = vec![argv0];
    argv.extend(args.iter().filter_map(|arg| CString::new(arg.as_str()).ok()));
    process::execve(&shell, &argv, environment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(uid: u32) -> User {
        User { name: "ann".into(), uid, gid: 100, home: "/home/ann".into(), shell: "/bin/sh".into() }
    }

    #[test]
    fn environments_of_root_and_users() {
        let environment = login_environment(&user(1000), Some(OsStr::new("vt100")));
        let strings = environment_strings(&environment);
        let strings: Vec<&str> = strings.iter().map(|s| s.to_str().unwrap()).collect();
        assert_eq!(
            strings,
            ["HOME=/home/ann", "SHELL=/bin/sh", "USER=ann", "LOGNAME=ann", "PATH=/bin:/usr/bin", "TERM=vt100"]
        );
        let root = login_environment(&user(0), None);
        assert!(root.contains(&("PATH".to_owned(), ROOT_PATH.as_bytes().to_vec())));
        assert!(!root.iter().any(|(name, _)| name == "TERM"));
    }

    #[test]
    fn login_shells_start_with_a_dash() {
        assert_eq!(shell_name("/bin/sh", true), "-sh");
        assert_eq!(shell_name("/usr/bin/bash-static", false), "bash-static");
    }
}
