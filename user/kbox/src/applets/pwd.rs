//! `pwd [-LP]`: prints the current directory, by default as getcwd resolves it
//! (`-P`); `-L` prints $PWD instead when it names the same directory.
use std::env;
use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::report_error;

use crate::cli;

const PROGRAM: &str = "pwd";

pub const USAGE: &str = "Usage: pwd [-LP]
Print the full filename of the current working directory.
  -L   use PWD from environment, even if it contains symlinks
  -P   avoid all symlinks (the default)";

const SPEC: Spec = Spec { flags: "LP", ..Spec::NONE };

/// Whether $PWD may be printed for `-L`: absolute, without `.` or `..`, and the same
/// file as the current directory.
fn usable_pwd(pwd: &Path) -> bool {
    let bytes = pwd.as_os_str().as_bytes();
    let plain =
        bytes.first() == Some(&b'/') && bytes.split(|&byte| byte == b'/').all(|part| part != b"." && part != b"..");
    let same = |a: &fs::Metadata, b: &fs::Metadata| a.dev() == b.dev() && a.ino() == b.ino();
    plain && matches!((fs::metadata(pwd), fs::metadata(".")), (Ok(a), Ok(b)) if same(&a, &b))
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let logical = command_line.last_of("LP") == Some('L');
    let directory = match env::var_os("PWD") {
        Some(pwd) if logical && usable_pwd(Path::new(&pwd)) => pwd.into(),
        _ => match env::current_dir() {
            Ok(directory) => directory,
            Err(err) => {
                report_error(PROGRAM, "error retrieving current directory", &err);
                return 1;
            }
        },
    };
    let mut out = cli::stdout();
    let mut line = directory.into_os_string().into_vec();
    line.push(b'\n');
    let result = out.write_all(&line).map(|()| 0);
    cli::finish(PROGRAM, out, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pwd_must_name_this_directory_plainly() {
        let here = env::current_dir().unwrap();
        assert!(usable_pwd(&here));
        assert!(!usable_pwd(&here.join(".")));
        assert!(!usable_pwd(&here.join("..")));
        assert!(!usable_pwd(Path::new("relative")));
        assert!(!usable_pwd(Path::new("/nonexistent-kbox-dir")));
    }
}
