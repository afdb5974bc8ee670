//! `chmod [-Rcfv] MODE FILE...`: changes file mode bits, octal or symbolic
//! (`ulib::mode`, GNU's rules); with -R through directories, leaving symbolic links
//! found there alone. A mode may start with `-` (`chmod -w file`).
use std::ffi::OsString;
use std::fs::{self, Metadata, Permissions};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};
use ulib::mode::{self, Mode};

use crate::cli;
use crate::fileinfo::mode_string;
use crate::recurse::change_each;

const PROGRAM: &str = "chmod";

pub const USAGE: &str = "Usage: chmod [OPTION]... MODE[,MODE]... FILE...
  or:  chmod [OPTION]... OCTAL-MODE FILE...
Change the mode of each FILE to MODE.
  -c   like verbose but report only when a change is made
  -f   suppress most error messages
  -v   output a diagnostic for every file processed
  -R   change files and directories recursively
Each MODE is of the form '[ugoa]*([-+=]([rwxXst]*|[ugo]))+|[-+=]?[0-7]+'.";

const SPEC: Spec = Spec { flags: "Rcfv", ..Spec::NONE };

/// Whether `arg` is a mode such as `-w` or `-x,g+r` rather than options.
fn is_dash_mode(arg: &OsString) -> bool {
    let bytes = arg.as_bytes();
    bytes.len() > 1 && bytes[0] == b'-' && bytes[1..].iter().all(|byte| b"rwxXstugoa,+-=01234567".contains(byte))
}

/// What to say about one file: `-v` everything, `-c` changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Changes,
    All,
}

/// `0755 (rwxr-xr-x)`.
fn described(mode: u32) -> String {
    format!("{mode:04o} ({})", &mode_string(mode)[1..])
}

struct Chmod {
    mode: Mode,
    umask: u32,
    verbosity: Verbosity,
    silent: bool,
}

impl Chmod {
    fn change(&self, path: &Path, metadata: &Metadata) -> bool {
        if metadata.file_type().is_symlink() {
            return true;
        }
        let old = metadata.mode() & 0o7777;
        let new = self.mode.apply(old, metadata.is_dir(), self.umask);
        let result = if new == old { Ok(()) } else { fs::set_permissions(path, Permissions::from_mode(new)) };
        let name = quoted(path.display());
        if let Err(err) = result {
            if !self.silent {
                report_error(PROGRAM, format_args!("changing permissions of {name}"), &err);
            }
            return false;
        }
        let line = match (new == old, self.verbosity) {
            (false, Verbosity::Changes | Verbosity::All) => {
                format!("mode of {name} changed from {} to {}", described(old), described(new))
            }
            (true, Verbosity::All) => format!("mode of {name} retained as {}", described(old)),
            _ => return true,
        };
        cli::print_line(PROGRAM, line) == 0
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let mut dash_mode = None;
    let mut rest = Vec::with_capacity(args.len());
    for arg in args {
        if dash_mode.is_none() && is_dash_mode(&arg) {
            dash_mode = Some(arg);
        } else {
            rest.push(arg);
        }
    }
    let command_line = match cli::parse(PROGRAM, rest, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut operands = command_line.operands.clone();
    let mode_text = match dash_mode {
        Some(mode) => mode,
        None if operands.is_empty() => return cli::missing_operand(PROGRAM),
        None => operands.remove(0),
    };
    if operands.is_empty() {
        return cli::usage_error(PROGRAM, format_args!("missing operand after {}", quoted(mode_text.display())));
    }
    let Ok(mode) = mode::parse(&mode_text.to_string_lossy()) else {
        return cli::usage_error(PROGRAM, format_args!("invalid mode: {}", quoted(mode_text.display())));
    };
    let umask = ulib::process::umask(0);
    ulib::process::umask(umask);
    let verbosity = match command_line.last_of("cv") {
        Some('v') => Verbosity::All,
        Some(_) => Verbosity::Changes,
        None => Verbosity::Quiet,
    };
    let chmod = Chmod { mode, umask, verbosity, silent: command_line.has('f') };
    change_each(PROGRAM, &operands, command_line.has('R'), true, &mut |path, metadata| chmod.change(path, metadata))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::words;

    #[test]
    fn dash_modes() {
        assert!(is_dash_mode(&"-w".into()));
        assert!(is_dash_mode(&"-rwx,g+s".into()));
        assert!(!is_dash_mode(&"-R".into()));
        assert!(!is_dash_mode(&"-v".into()));
        assert!(!is_dash_mode(&"-".into()));
    }

    #[test]
    fn descriptions() {
        assert_eq!(described(0o755), "0755 (rwxr-xr-x)");
        assert_eq!(described(0o4644), "4644 (rwSr--r--)");
    }

    #[test]
    fn changes_files_recursively() {
        let base = std::env::temp_dir().join(format!("kbox-chmod-{}", std::process::id()));
        fs::create_dir_all(base.join("d/e")).unwrap();
        fs::write(base.join("d/e/f"), b"").unwrap();
        fs::set_permissions(base.join("d/e/f"), Permissions::from_mode(0o600)).unwrap();
        let mode_of = |path: &str| fs::metadata(base.join(path)).unwrap().mode() & 0o7777;
        let base_text = base.display().to_string();
        assert_eq!(run(words(&format!("-R go+rX {base_text}/d"))), 0);
        assert_eq!((mode_of("d/e"), mode_of("d/e/f")), (0o755, 0o644));
        assert_eq!(run(words(&format!("-w {base_text}/d/e/f"))), 0);
        assert_eq!(mode_of("d/e/f"), 0o444);
        assert_eq!(run(words(&format!("u=rw {base_text}/d/e/f {base_text}/none"))), 1);
        assert_eq!(mode_of("d/e/f"), 0o644);
        assert_eq!(run(words(&format!("u+q {base_text}/d"))), 1);
        assert_eq!(run(words("755")), 1);
        fs::remove_dir_all(&base).unwrap();
    }
}
