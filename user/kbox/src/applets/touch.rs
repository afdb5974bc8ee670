//! `touch [-acm] [-r FILE] FILE...`: sets files' access and modification times to
//! now (or to FILE's), creating missing files unless `-c`.
use std::ffi::{CString, OsString};
use std::fs::{self, OpenOptions};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};
use ulib::sys::check;

use crate::cli;

const PROGRAM: &str = "touch";

pub const USAGE: &str = "Usage: touch [OPTION]... FILE...
Update the access and modification times of each FILE to the current time.
A FILE argument that does not exist is created empty, unless -c is supplied.
  -a        change only the access time
  -c        do not create any files
  -m        change only the modification time
  -r FILE   use this file's times instead of the current time";

const SPEC: Spec = Spec { flags: "acm", valued: "r", ..Spec::NONE };

const NOW: libc::timespec = libc::timespec { tv_sec: 0, tv_nsec: libc::UTIME_NOW };
const OMIT: libc::timespec = libc::timespec { tv_sec: 0, tv_nsec: libc::UTIME_OMIT };

/// The access and modification times utimensat gets: the new ones (`NOW` or a
/// reference file's), or `OMIT` for the one left alone.
fn times(access: bool, modification: bool, new: [libc::timespec; 2]) -> [libc::timespec; 2] {
    let (access, modification) = if access || modification { (access, modification) } else { (true, true) };
    [if access { new[0] } else { OMIT }, if modification { new[1] } else { OMIT }]
}

fn set_times(path: &Path, times: &[libc::timespec; 2]) -> io::Result<()> {
    let path = CString::new(path.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: `path` is NUL-terminated and `times` points at two timespecs, both alive
    // for the call.
    check(unsafe { libc::utimensat(libc::AT_FDCWD, path.as_ptr(), times.as_ptr(), 0) }).map(drop)
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let new = match command_line.value('r') {
        None => [NOW, NOW],
        Some(reference) => match fs::metadata(reference) {
            Ok(metadata) => [
                libc::timespec { tv_sec: metadata.atime(), tv_nsec: metadata.atime_nsec() },
                libc::timespec { tv_sec: metadata.mtime(), tv_nsec: metadata.mtime_nsec() },
            ],
            Err(err) => {
                report_error(
                    PROGRAM,
                    format_args!("failed to get attributes of {}", quoted(reference.display())),
                    &err,
                );
                return 1;
            }
        },
    };
    if command_line.operands.is_empty() {
        return cli::usage_error(PROGRAM, "missing file operand");
    }
    let times = times(command_line.has('a'), command_line.has('m'), new);
    let mut status = 0;
    for operand in &command_line.operands {
        let path = Path::new(operand);
        if !command_line.has('c')
            && let Err(err) = OpenOptions::new().write(true).create(true).truncate(false).open(path)
            && err.kind() != io::ErrorKind::IsADirectory
        {
            report_error(PROGRAM, format_args!("cannot touch {}", quoted(path.display())), &err);
            status = 1;
            continue;
        }
        match set_times(path, &times) {
            Ok(()) => {}
            Err(err) if command_line.has('c') && err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => {
                report_error(PROGRAM, format_args!("setting times of {}", quoted(path.display())), &err);
                status = 1;
            }
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_times_change() {
        let new = [libc::timespec { tv_sec: 1, tv_nsec: 0 }, libc::timespec { tv_sec: 2, tv_nsec: 0 }];
        let nanos = |times: [libc::timespec; 2]| times.map(|time| (time.tv_sec, time.tv_nsec));
        assert_eq!(nanos(times(false, false, new)), [(1, 0), (2, 0)]);
        assert_eq!(nanos(times(true, false, new)), [(1, 0), (0, libc::UTIME_OMIT)]);
        assert_eq!(nanos(times(false, true, new)), [(0, libc::UTIME_OMIT), (2, 0)]);
    }

    #[test]
    fn sets_a_files_times() {
        let path = std::env::temp_dir().join(format!("kbox-touch-{}", std::process::id()));
        fs::write(&path, b"").unwrap();
        set_times(&path, &times(false, true, [OMIT, libc::timespec { tv_sec: 86_400, tv_nsec: 5 }])).unwrap();
        let metadata = fs::metadata(&path).unwrap();
        fs::remove_file(&path).unwrap();
        assert_eq!((metadata.mtime(), metadata.mtime_nsec()), (86_400, 5));
    }
}
