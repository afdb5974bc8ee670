//! `which [-a] NAME...`: the executable each NAME runs as, by a search of PATH as
//! execvp makes it (Debian's `which`: status 1 when any is not found).
use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use ulib::args::Spec;
use ulib::process::{is_executable_file, path_candidates};

use crate::cli;

const PROGRAM: &str = "which";

pub const USAGE: &str = "Usage: which [-a] NAME...
Print the path of the executable each NAME runs, searching the directories of PATH.
  -a   print every matching executable in PATH, not just the first";

const SPEC: Spec = Spec { flags: "a", ..Spec::NONE };

/// The executables `name` could run, in PATH order; only the first unless `all`.
fn find(name: &OsStr, path: Option<&OsStr>, all: bool) -> Vec<PathBuf> {
    let found = path_candidates(name, path).into_iter().filter(|candidate| is_executable_file(candidate));
    if all { found.collect() } else { found.take(1).collect() }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    // Debian's which: no NAME is a quiet failure.
    if command_line.operands.is_empty() {
        return 1;
    }
    let path = std::env::var_os("PATH");
    let mut out = cli::stdout();
    let mut status = 0;
    let result = command_line.operands.iter().try_for_each(|name| {
        let found = find(name, path.as_deref(), command_line.has('a'));
        if found.is_empty() {
            status = 1;
        }
        found.iter().try_for_each(|path| {
            out.write_all(path.as_os_str().as_bytes())?;
            out.write_all(b"\n")
        })
    });
    cli::finish(PROGRAM, out, result.map(|()| status))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn searches_in_order_for_executables() {
        let base = std::env::temp_dir().join(format!("kbox-which-{}", std::process::id()));
        let (first, second) = (base.join("first"), base.join("second"));
        fs::create_dir_all(&first).unwrap();
        fs::create_dir_all(&second).unwrap();
        for (dir, mode) in [(&first, 0o644), (&second, 0o755)] {
            fs::write(dir.join("tool"), b"").unwrap();
            fs::set_permissions(dir.join("tool"), fs::Permissions::from_mode(mode)).unwrap();
        }
        fs::write(base.join("second/both"), b"").unwrap();
        fs::set_permissions(base.join("second/both"), fs::Permissions::from_mode(0o700)).unwrap();
        fs::copy(base.join("second/both"), base.join("first/both")).unwrap();
        let path = OsString::from(format!("{}:{}", first.display(), second.display()));
        assert_eq!(find(OsStr::new("tool"), Some(&path), true), [second.join("tool")]);
        assert_eq!(find(OsStr::new("both"), Some(&path), false), [first.join("both")]);
        assert_eq!(find(OsStr::new("both"), Some(&path), true), [first.join("both"), second.join("both")]);
        assert!(find(OsStr::new("none"), Some(&path), true).is_empty());
        assert!(find(OsStr::new("second"), Some(&path), true).is_empty());
        let direct = base.join("second/tool");
        assert_eq!(find(direct.as_os_str(), Some(&path), false), vec![direct.clone()]);
        fs::remove_dir_all(&base).unwrap();
    }
}
