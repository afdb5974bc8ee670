//! `umount [-fl] DIR|SRC...`: umount2(2) of each mount (named by its directory, or
//! by its source as /proc/mounts lists it); -l detaches lazily (MNT_DETACH), -f
//! forces (MNT_FORCE). util-linux's messages, and its status 32 for a failure.
use std::ffi::{CString, OsString};
use std::io;

use ulib::args::Spec;
use ulib::diag::{error_text, report};

use crate::cli;
use crate::mounts;

const PROGRAM: &str = "umount";
const FAILURE: u8 = 32;

pub const USAGE: &str = "Usage: umount [-fl] DIRECTORY|SOURCE...
Unmount file systems.
  -f   force an unmount (in case of an unreachable NFS system)
  -l   detach the file system now, clean up things later";

const SPEC: Spec = Spec { flags: "fl", ..Spec::NONE };

/// The directory to unmount for `name`: itself (made absolute), unless it is only a
/// mount's source.
fn target(name: &str, mounts: &[mounts::Mount]) -> String {
    let directory = mounts::canonical(name);
    if mounts.iter().any(|mount| mount.target == directory) {
        return directory;
    }
    mounts.iter().rev().find(|mount| mount.source == name).map_or(directory, |mount| mount.target.clone())
}

/// util-linux's words for a failed unmount, after `umount: TARGET: `.
fn failure(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(libc::EINVAL) => "not mounted.".into(),
        Some(libc::ENOENT) => "no mount point specified.".into(),
        Some(libc::EBUSY) => "target is busy.".into(),
        Some(libc::EPERM | libc::EACCES) => "must be superuser to unmount.".into(),
        _ => format!("umount failed: {}.", error_text(err)),
    }
}

fn umount2(target: &str, flags: libc::c_int) -> io::Result<()> {
    let target = CString::new(target).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
    // SAFETY: `target` is NUL-terminated and alive for the call.
    ulib::sys::check(unsafe { libc::umount2(target.as_ptr(), flags) })?;
    Ok(())
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse_with_operands(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut flags = 0;
    if command_line.has('l') {
        flags |= libc::MNT_DETACH;
    }
    if command_line.has('f') {
        flags |= libc::MNT_FORCE;
    }
    let mounts = mounts::current().unwrap_or_default();
    let mut status = 0;
    for operand in &command_line.operands {
        let target = target(&operand.to_string_lossy(), &mounts);
        if let Err(err) = umount2(&target, flags) {
            report(PROGRAM, format_args!("{target}: {}", failure(&err)));
            status = FAILURE;
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_name_their_mounts() {
        let mounts =
            mounts::parse("proc /proc proc rw 0 0\nscratch /tmp/a tmpfs rw 0 0\nscratch /tmp/b tmpfs rw 0 0\n");
        assert_eq!(target("/proc", &mounts), "/proc");
        assert_eq!(target("scratch", &mounts), "/tmp/b");
        assert_eq!(target("/tmp/x", &mounts), "/tmp/x");
        assert_eq!(failure(&io::Error::from_raw_os_error(libc::EINVAL)), "not mounted.");
    }
}
