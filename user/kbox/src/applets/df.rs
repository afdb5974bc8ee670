//! `df [-ahikPT] [FILE]...`: each mounted file system's (or each FILE's) size and
//! use, by statfs of the mounts /proc/mounts lists, in GNU's columns; without -a,
//! pseudo file systems, those of no blocks and second mounts of a device are left out.
use std::ffi::{CString, OsString};
use std::fs;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use ulib::args::Spec;
use ulib::diag::{report, report_error};

use crate::cli;
use crate::human::human_size;
use crate::mounts::{self, Mount};

const PROGRAM: &str = "df";

pub const USAGE: &str = "Usage: df [OPTION]... [FILE]...
Show information about the file system on which each FILE resides,
or all file systems by default.
  -a   include pseudo, duplicate, inaccessible file systems
  -h   print sizes in powers of 1024 (e.g., 1023M)
  -i   list inode information instead of block usage
  -k   like --block-size=1K (the default)
  -P   use the POSIX output format
  -T   print file system type";

const SPEC: Spec = Spec { flags: "ahikPT", ..Spec::NONE };

/// File system types that are not storage (GNU's `ME_DUMMY`).
const PSEUDO: [&str; 13] = [
    "autofs",
    "proc",
    "subfs",
    "debugfs",
    "devpts",
    "fusectl",
    "mqueue",
    "rpc_pipefs",
    "sysfs",
    "devfs",
    "kernfs",
    "ignore",
    "rootfs",
];

/// What statfs says, in bytes and inodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Usage {
    size: u64,
    free: u64,
    available: u64,
    inodes: u64,
    free_inodes: u64,
}

fn statfs(path: &str) -> io::Result<Usage> {
    let path = CString::new(path).map_err(|_| io::Error::from_raw_os_error(libc::ENOENT))?;
    // SAFETY: statfs only writes the struct; all-zero bytes are a valid one.
    let mut buf: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is NUL-terminated and `buf` a statfs struct, both alive for the call.
    ulib::sys::check(unsafe { libc::statfs(path.as_ptr(), &mut buf) })?;
    let unit = u64::try_from(if buf.f_frsize > 0 { buf.f_frsize } else { buf.f_bsize }).unwrap_or(0);
    Ok(Usage {
        size: buf.f_blocks * unit,
        free: buf.f_bfree * unit,
        available: buf.f_bavail * unit,
        inodes: buf.f_files,
        free_inodes: buf.f_ffree,
    })
}

/// `used` of `used + available` in percent, rounded up; `-` when both are 0.
fn percent(used: u64, available: u64) -> String {
    let total = u128::from(used) + u128::from(available);
    if total == 0 {
        return "-".into();
    }
    let hundred = u128::from(used) * 100;
    format!("{}%", hundred.div_ceil(total))
}

#[derive(Clone, Copy)]
struct Format {
    human: bool,
    inodes: bool,
    posix: bool,
    types: bool,
}

impl Format {
    fn header(self) -> Vec<&'static str> {
        let mut header = vec!["Filesystem"];
        if self.types {
            header.push("Type");
        }
        header.extend(match (self.inodes, self.human, self.posix) {
            (true, _, _) => ["Inodes", "IUsed", "IFree", "IUse%"],
            (false, true, _) => ["Size", "Used", "Avail", "Use%"],
            (false, false, true) => ["1024-blocks", "Used", "Available", "Capacity"],
            (false, false, false) => ["1K-blocks", "Used", "Available", "Use%"],
        });
        header.push("Mounted on");
        header
    }

    fn row(self, mount: &Mount, usage: Usage) -> Vec<String> {
        let mut row = vec![mount.source.clone()];
        if self.types {
            row.push(mount.fs_type.clone());
        }
        let number = |count: u64, unit: u64| if self.human { human_size(count * unit) } else { count.to_string() };
        if self.inodes {
            let used = usage.inodes.saturating_sub(usage.free_inodes);
            row.extend([
                number(usage.inodes, 1),
                number(used, 1),
                number(usage.free_inodes, 1),
                percent(used, usage.free_inodes),
            ]);
        } else {
            let used = usage.size.saturating_sub(usage.free);
            let kib = |bytes: u64| bytes.div_ceil(1024);
            row.extend([
                number(kib(usage.size), 1024),
                number(kib(used), 1024),
                number(kib(usage.available), 1024),
                percent(used, usage.available),
            ]);
        }
        row.push(mount.target.clone());
        row
    }
}

/// The rows as GNU aligns them: the first columns (and Type) to the left, numbers to
/// the right, each at least as wide as GNU's minimum, the last column unpadded.
fn table(rows: &[Vec<String>], types: bool) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let minimum = |column: usize| match (column, types) {
        (0, _) => 14,
        (1, true) => 4,
        _ if column + 2 == columns => 4,
        _ => 5,
    };
    let widths: Vec<usize> = (0..columns)
        .map(|column| rows.iter().map(|row| row[column].chars().count()).max().unwrap_or(0).max(minimum(column)))
        .collect();
    let mut text = String::new();
    for row in rows {
        let mut cells = Vec::new();
        for (column, cell) in row.iter().enumerate() {
            let width = widths[column];
            cells.push(match column {
                _ if column + 1 == columns => cell.clone(),
                0 => format!("{cell:<width$}"),
                1 if types => format!("{cell:<width$}"),
                _ => format!("{cell:>width$}"),
            });
        }
        text.push_str(&cells.join(" "));
        text.push('\n');
    }
    text
}

/// The heading and a row for each file system, aligned.
fn listing(format: Format, shown: &[(Mount, Usage)]) -> String {
    let mut rows = vec![format.header().into_iter().map(String::from).collect::<Vec<_>>()];
    rows.extend(shown.iter().map(|(mount, usage)| format.row(mount, *usage)));
    table(&rows, format.types)
}

/// The mount a file is on: the last mount of the longest target above it.
fn mount_of<'a>(mounts: &'a [Mount], path: &Path) -> Option<&'a Mount> {
    let path = fs::canonicalize(path).unwrap_or_else(|_| PathBuf::from(path));
    let mut best: Option<&Mount> = None;
    for mount in mounts {
        let longer = best.is_none_or(|best| mount.target.len() >= best.target.len());
        if path.starts_with(&mount.target) && longer {
            best = Some(mount);
        }
    }
    best
}

/// The mounts to show without operands, one per device unless `all`: GNU prefers a
/// source that is a path, then the target nearer the root, then the later mount of
/// the same target.
fn shown_mounts(mounts: Vec<Mount>, all: bool) -> Vec<(Mount, Usage)> {
    let mut shown: Vec<(Mount, Usage, Option<u64>)> = Vec::new();
    for mount in mounts {
        if !all && PSEUDO.contains(&mount.fs_type.as_str()) {
            continue;
        }
        let Ok(usage) = statfs(&mount.target) else { continue };
        if !all && usage.size == 0 {
            continue;
        }
        let device = fs::metadata(&mount.target).ok().map(|metadata| metadata.dev());
        let seen = if all { None } else { shown.iter().position(|(_, _, seen)| seen.is_some() && *seen == device) };
        match seen {
            Some(index) => {
                let old = &shown[index].0;
                let better = (mount.source.contains('/') && !old.source.contains('/'))
                    || mount.target.len() < old.target.len()
                    || (mount.target == old.target && mount.source != old.source);
                if better {
                    shown[index] = (mount, usage, device);
                }
            }
            None => shown.push((mount, usage, device)),
        }
    }
    shown.into_iter().map(|(mount, usage, _)| (mount, usage)).collect()
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let format = Format {
        human: command_line.last_of("hk") == Some('h'),
        inodes: command_line.has('i'),
        posix: command_line.has('P'),
        types: command_line.has('T'),
    };
    let mounts = match mounts::current() {
        Ok(mounts) => mounts,
        Err(err) => {
            report_error(PROGRAM, "cannot read table of mounted file systems", &err);
            return 1;
        }
    };
    let mut status = 0;
    let shown = if command_line.operands.is_empty() {
        shown_mounts(mounts, command_line.has('a'))
    } else {
        let mut shown = Vec::new();
        for operand in &command_line.operands {
            let path = Path::new(operand);
            let found = fs::metadata(path).and_then(|_| {
                let mount = mount_of(&mounts, path).ok_or_else(|| io::Error::from_raw_os_error(libc::ENOENT))?;
                Ok((mount.clone(), statfs(&mount.target)?))
            });
            match found {
                Ok(entry) => shown.push(entry),
                Err(err) => {
                    report_error(PROGRAM, String::from_utf8_lossy(operand.as_bytes()), &err);
                    status = 1;
                }
            }
        }
        shown
    };
    if shown.is_empty() {
        if status == 0 {
            report(PROGRAM, "no file systems processed");
        }
        return 1;
    }
    let mut out = cli::stdout();
    let result = out.write_all(listing(format, &shown).as_bytes());
    cli::finish(PROGRAM, out, result.map(|()| status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mount(source: &str, target: &str) -> Mount {
        Mount { source: source.into(), target: target.into(), fs_type: "tmpfs".into(), options: "rw".into() }
    }

    #[test]
    fn percentages_round_up() {
        assert_eq!(percent(0, 0), "-");
        assert_eq!(percent(0, 10), "0%");
        assert_eq!(percent(1, 999), "1%");
        assert_eq!(percent(36, 64), "36%");
        assert_eq!(percent(10, 0), "100%");
    }

    #[test]
    fn rows_in_gnu_columns() {
        let usage = Usage { size: 1 << 20, free: 1 << 19, available: 1 << 18, inodes: 10, free_inodes: 4 };
        let shown = [(mount("scratch", "/tmp/m"), usage)];
        let format = Format { human: false, inodes: false, posix: false, types: false };
        assert_eq!(
            listing(format, &shown),
            "Filesystem     1K-blocks  Used Available Use% Mounted on\nscratch             1024   512       256  67% /tmp/m\n"
        );
        let format = Format { human: true, inodes: false, posix: false, types: true };
        assert_eq!(
            listing(format, &shown),
            "Filesystem     Type   Size  Used Avail Use% Mounted on\nscratch        tmpfs  1.0M  512K  256K  67% /tmp/m\n"
        );
        let format = Format { human: false, inodes: true, posix: false, types: false };
        assert_eq!(format.row(&mount("s", "/"), usage)[1..5], ["10", "6", "4", "60%"]);
    }

    #[test]
    fn files_are_on_the_deepest_mount() {
        let mounts = [mount("root", "/"), mount("a", "/tmp"), mount("b", "/tmp/m"), mount("c", "/tmp")];
        assert_eq!(mount_of(&mounts, Path::new("/nonexistent/x")).unwrap().source, "root");
        assert_eq!(mount_of(&mounts, Path::new("/tmp/x")).unwrap().source, "c");
        assert_eq!(mount_of(&mounts, Path::new("/tmp/m/x")).unwrap().source, "b");
        assert_eq!(mount_of(&mounts, Path::new("/tmpx")).unwrap().source, "root");
    }
}
