//! `mount`: with no operands lists the mounts (`SRC on DIR type TYPE (OPTS)`);
//! `mount [-rw] [-t TYPE] [-o OPTS] SRC DIR` mounts, `mount -o remount,ro DIR`
//! changes a mount, `mount DIR` and `mount -a` take what /etc/fstab says. Options
//! that are mount(2) flags (ro, nosuid, noexec, remount, bind, ...) become flags, the
//! rest goes to the file system as util-linux passes it. Status 32 when a mount
//! fails (64 when only some of `-a` did).
use std::ffi::{CString, OsString};
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{error_text, report};

use crate::cli;
use crate::mounts::{self, Mount};

const PROGRAM: &str = "mount";
const FSTAB: &str = "/etc/fstab";
/// util-linux's status for a failed mount.
const FAILURE: u8 = 32;
const SOME_FAILED: u8 = 64;

pub const USAGE: &str = "Usage: mount [-l] [-t TYPE]
  or:  mount -a [-t TYPE] [-o OPTIONS]
  or:  mount [OPTION]... SOURCE | DIRECTORY
  or:  mount [OPTION]... SOURCE DIRECTORY
Mount a file system; with no operands list the mounted ones.
  -a           mount all file systems mentioned in /etc/fstab
  -l           list mounts (the default without operands)
  -o OPTIONS   comma-separated mount options (ro, rw, nosuid, nodev, noexec,
               remount, bind, noatime, size=..., mode=..., ...)
  -r           mount read-only (-o ro)
  -t TYPE      the file system type (tmpfs, proc, devtmpfs, devpts, ...)
  -w           mount read-write (-o rw, the default)";

const SPEC: Spec = Spec { flags: "alrw", valued: "ot", ..Spec::NONE };

/// Options that mount(2) takes as flags: (name, flags it sets, flags it clears).
const FLAGS: [(&str, libc::c_ulong, libc::c_ulong); 29] = [
    ("ro", libc::MS_RDONLY, 0),
    ("rw", 0, libc::MS_RDONLY),
    ("nosuid", libc::MS_NOSUID, 0),
    ("suid", 0, libc::MS_NOSUID),
    ("nodev", libc::MS_NODEV, 0),
    ("dev", 0, libc::MS_NODEV),
    ("noexec", libc::MS_NOEXEC, 0),
    ("exec", 0, libc::MS_NOEXEC),
    ("sync", libc::MS_SYNCHRONOUS, 0),
    ("async", 0, libc::MS_SYNCHRONOUS),
    ("remount", libc::MS_REMOUNT, 0),
    ("bind", libc::MS_BIND, 0),
    ("rbind", libc::MS_BIND | libc::MS_REC, 0),
    ("move", libc::MS_MOVE, 0),
    ("noatime", libc::MS_NOATIME, 0),
    ("atime", 0, libc::MS_NOATIME),
    ("nodiratime", libc::MS_NODIRATIME, 0),
    ("diratime", 0, libc::MS_NODIRATIME),
    ("relatime", libc::MS_RELATIME, 0),
    ("norelatime", 0, libc::MS_RELATIME),
    ("strictatime", libc::MS_STRICTATIME, 0),
    ("nostrictatime", 0, libc::MS_STRICTATIME),
    ("lazytime", libc::MS_LAZYTIME, 0),
    ("nolazytime", 0, libc::MS_LAZYTIME),
    ("dirsync", libc::MS_DIRSYNC, 0),
    ("mand", libc::MS_MANDLOCK, 0),
    ("nomand", 0, libc::MS_MANDLOCK),
    ("silent", libc::MS_SILENT, 0),
    ("loud", 0, libc::MS_SILENT),
];

/// Options for mount itself, never passed on (fstab's `noauto`, `user`, ...).
fn is_userspace(option: &str) -> bool {
    matches!(option, "defaults" | "auto" | "noauto" | "user" | "nouser" | "users" | "owner" | "group" | "nofail")
        || option.starts_with("x-")
        || option == "_netdev"
}

/// The mount(2) flags and the file system's data string `options` make.
fn flags_and_data(options: &str) -> (libc::c_ulong, String) {
    let mut flags = 0;
    let mut data = Vec::new();
    for option in options.split(',').filter(|option| !option.is_empty()) {
        if let Some(&(_, set, clear)) = FLAGS.iter().find(|(name, _, _)| *name == option) {
            flags = (flags & !clear) | set;
        } else if !is_userspace(option) {
            data.push(option);
        }
    }
    (flags, data.join(","))
}

fn c_string(text: &str) -> io::Result<CString> {
    CString::new(text).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

/// mount(2).
fn mount(source: &str, target: &str, fs_type: &str, options: &str) -> io::Result<()> {
    let (flags, data) = flags_and_data(options);
    let (source, target, fs_type, data) = (c_string(source)?, c_string(target)?, c_string(fs_type)?, c_string(&data)?);
    // SAFETY: the four strings are NUL-terminated and alive for the call.
    ulib::sys::check(unsafe {
        libc::mount(source.as_ptr(), target.as_ptr(), fs_type.as_ptr(), flags, data.as_ptr().cast())
    })?;
    Ok(())
}

/// util-linux's words for a failed mount, after `mount: TARGET: `.
fn failure(err: &io::Error, entry: &Mount) -> String {
    let remount = flags_and_data(&entry.options).0 & libc::MS_REMOUNT != 0;
    match err.raw_os_error() {
        Some(libc::EPERM | libc::EACCES) => "must be superuser to use mount.".into(),
        Some(libc::ENODEV) => format!("unknown filesystem type '{}'.", entry.fs_type),
        Some(libc::ENOTDIR) => "mount point is not a directory.".into(),
        Some(libc::ENOENT) if !Path::new(&entry.target).exists() => "mount point does not exist.".into(),
        Some(libc::ENOENT) => format!("special device {} does not exist.", entry.source),
        Some(libc::EBUSY) => format!("{} already mounted or mount point busy.", entry.source),
        Some(libc::EROFS) => format!("cannot mount {} read-only.", entry.source),
        Some(libc::EINVAL) if remount => "mount point not mounted or bad option.".into(),
        Some(libc::EINVAL) => format!(
            "wrong fs type, bad option, bad superblock on {}, missing codepage or helper program, or other error.",
            entry.source
        ),
        _ => format!("mount(2) system call failed: {}.", error_text(err)),
    }
}

/// Mounts `entry`, reporting a failure: whether it worked.
fn mount_entry(entry: &Mount) -> bool {
    match mount(&entry.source, &entry.target, &entry.fs_type, &entry.options) {
        Ok(()) => true,
        Err(err) => {
            report(PROGRAM, format_args!("{}: {}", entry.target, failure(&err, entry)));
            false
        }
    }
}

/// The list: every mount (of `fs_type`, if given) as `SRC on DIR type TYPE (OPTS)`.
fn list(fs_type: Option<&str>) -> u8 {
    let mounts = match mounts::current() {
        Ok(mounts) => mounts,
        Err(err) => {
            ulib::diag::report_error(PROGRAM, "/proc/mounts", &err);
            return FAILURE;
        }
    };
    let mut out = cli::stdout();
    let result =
        mounts.iter().filter(|mount| fs_type.is_none_or(|wanted| mount.fs_type == wanted)).try_for_each(|mount| {
            writeln!(out, "{} on {} type {} ({})", mount.source, mount.target, mount.fs_type, mount.options)
        });
    cli::finish(PROGRAM, out, result.map(|()| 0))
}

fn fstab() -> Vec<Mount> {
    fs::read_to_string(FSTAB).map(|text| mounts::parse(&text)).unwrap_or_default()
}

/// `fstab`'s options, then those given.
fn joined(first: &str, then: &str) -> String {
    [first, then].into_iter().filter(|options| !options.is_empty()).collect::<Vec<_>>().join(",")
}

/// What `mount -a` mounts of `fstab`: all but `noauto`, swap and other `fs_type`s,
/// and what is `mounted` already; with the options given after fstab's.
fn to_mount(fstab: Vec<Mount>, mounted: &[Mount], fs_type: Option<&str>, options: &str) -> Vec<Mount> {
    fstab
        .into_iter()
        .filter(|entry| {
            !(entry.options.split(',').any(|option| option == "noauto")
                || matches!(entry.fs_type.as_str(), "swap" | "ignore")
                || fs_type.is_some_and(|wanted| entry.fs_type != wanted)
                || mounted.iter().any(|mount| mount.target == entry.target))
        })
        .map(|entry| Mount { options: joined(&entry.options, options), ..entry })
        .collect()
}

/// `mount -a`: each of `to_mount`; 32 when all failed, 64 when some did.
fn mount_all(fs_type: Option<&str>, options: &str) -> u8 {
    let mounted = mounts::current().unwrap_or_default();
    let (mut worked, mut failed) = (0, 0);
    for entry in to_mount(fstab(), &mounted, fs_type, options) {
        if mount_entry(&entry) { worked += 1 } else { failed += 1 }
    }
    match (worked, failed) {
        (_, 0) => 0,
        (0, _) => FAILURE,
        _ => SOME_FAILED,
    }
}

/// `mount DIR` or `mount SRC`: the entry fstab has for it; for a remount, the
/// mount itself.
fn mount_one(name: &str, fs_type: Option<&str>, options: &str) -> u8 {
    let remount = flags_and_data(options).0 & libc::MS_REMOUNT != 0;
    let known = if remount { mounts::current().unwrap_or_default() } else { fstab() };
    let directory = mounts::canonical(name);
    let Some(entry) = known.into_iter().rev().find(|entry| entry.target == directory || entry.source == name) else {
        let place = if remount { "mount point not mounted or bad option." } else { "can't find in /etc/fstab." };
        report(PROGRAM, format_args!("{name}: {place}"));
        return if remount { FAILURE } else { 1 };
    };
    let options = if remount { options.to_owned() } else { joined(&entry.options, options) };
    let entry = Mount { fs_type: fs_type.map_or(entry.fs_type, str::to_owned), options, ..entry };
    if mount_entry(&entry) { 0 } else { FAILURE }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let fs_type = command_line.value('t').map(|value| value.to_string_lossy().into_owned());
    let mut options: Vec<String> = command_line.values('o').map(|value| value.to_string_lossy().into_owned()).collect();
    match command_line.last_of("rw") {
        Some('r') => options.push("ro".into()),
        Some(_) => options.push("rw".into()),
        None => {}
    }
    let options = options.join(",");
    let operands: Vec<String> =
        command_line.operands.iter().map(|operand| operand.to_string_lossy().into_owned()).collect();
    match (&operands[..], command_line.has('a')) {
        ([], true) => mount_all(fs_type.as_deref(), &options),
        ([], false) => list(fs_type.as_deref()),
        ([name], false) => mount_one(name, fs_type.as_deref(), &options),
        ([source, target], false) => {
            let fs_type = fs_type.unwrap_or_else(|| "auto".into());
            let entry = Mount { source: source.clone(), target: mounts::canonical(target), fs_type, options };
            if mount_entry(&entry) { 0 } else { FAILURE }
        }
        (_, true) => cli::usage_error(PROGRAM, "bad usage"),
        ([_, _, extra, ..], false) => cli::extra_operand(PROGRAM, extra),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_become_flags_and_data() {
        assert_eq!(flags_and_data(""), (0, String::new()));
        assert_eq!(flags_and_data("defaults"), (0, String::new()));
        assert_eq!(
            flags_and_data("remount,ro,nosuid"),
            (libc::MS_REMOUNT | libc::MS_RDONLY | libc::MS_NOSUID, String::new())
        );
        assert_eq!(flags_and_data("ro,size=1m,rw,mode=700,noauto"), (0, "size=1m,mode=700".into()));
        assert_eq!(flags_and_data("noexec,exec,noexec,x-systemd.foo"), (libc::MS_NOEXEC, String::new()));
        assert_eq!(flags_and_data("rbind"), (libc::MS_BIND | libc::MS_REC, String::new()));
    }

    #[test]
    fn failures_in_util_linux_words() {
        let entry =
            Mount { source: "x".into(), target: "/nonexistent".into(), fs_type: "nofs".into(), options: "".into() };
        let err = |code| io::Error::from_raw_os_error(code);
        assert_eq!(failure(&err(libc::ENODEV), &entry), "unknown filesystem type 'nofs'.");
        assert_eq!(failure(&err(libc::ENOENT), &entry), "mount point does not exist.");
        let entry = Mount { target: "/".into(), ..entry };
        assert_eq!(failure(&err(libc::ENOENT), &entry), "special device x does not exist.");
        assert_eq!(failure(&err(libc::EPERM), &entry), "must be superuser to use mount.");
        let remount = Mount { options: "remount,ro".into(), ..entry };
        assert_eq!(failure(&err(libc::EINVAL), &remount), "mount point not mounted or bad option.");
    }

    #[test]
    fn fstab_entries_to_mount() {
        let fstab = mounts::parse(
            "# fstab\nproc /proc proc defaults 0 0\nscratch /tmp tmpfs size=1m 0 0\nlater /mnt tmpfs noauto 0 0\n\
             /dev/sda2 none swap sw 0 0\ndev /dev devtmpfs mode=755\n",
        );
        let mounted = mounts::parse("proc /proc proc rw 0 0\n");
        let chosen = to_mount(fstab.clone(), &mounted, None, "ro");
        let described: Vec<(&str, &str)> =
            chosen.iter().map(|entry| (entry.target.as_str(), entry.options.as_str())).collect();
        assert_eq!(described, [("/tmp", "size=1m,ro"), ("/dev", "mode=755,ro")]);
        let tmpfs = to_mount(fstab, &[], Some("tmpfs"), "");
        assert_eq!(tmpfs.iter().map(|entry| entry.source.as_str()).collect::<Vec<_>>(), ["scratch"]);
    }

    #[test]
    fn options_from_fstab_come_first() {
        assert_eq!(joined("defaults", "ro"), "defaults,ro");
        assert_eq!(joined("", "ro"), "ro");
        assert_eq!(joined("rw", ""), "rw");
    }
}
