//! `mkdir [-pv] [-m MODE] DIRECTORY...`: creates directories (with `-p`, their
//! parents too, and no complaint when one exists); `-m` gives the mode, in octal.
use std::ffi::OsString;
use std::fs::{self, DirBuilder};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{quoted, report, report_error};

use crate::cli;

const PROGRAM: &str = "mkdir";

pub const USAGE: &str = "Usage: mkdir [OPTION]... DIRECTORY...
Create the DIRECTORY(ies), if they do not already exist.
  -m MODE   set file mode (an octal number, as in chmod), not a=rwx - umask
  -p        no error if existing, make parent directories as needed
  -v        print a message for each created directory";

const SPEC: Spec = Spec { flags: "pv", valued: "m", ..Spec::NONE };

/// An octal mode such as `755`.
fn octal_mode(text: &str) -> Option<u32> {
    u32::from_str_radix(text, 8).ok().filter(|&mode| mode <= 0o7777 && !text.is_empty())
}

struct Maker {
    parents: bool,
    verbose: bool,
    mode: Option<u32>,
}

impl Maker {
    fn created(&self, path: &Path) {
        if self.verbose {
            // Only a report: a failing standard output changes nothing here.
            let _ = writeln!(io::stdout(), "{PROGRAM}: created directory {}", quoted(path.display()));
        }
    }

    /// Creates `path`'s missing ancestors with the default mode.
    fn make_parents(&self, path: &Path) -> io::Result<()> {
        let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) else { return Ok(()) };
        if parent.is_dir() {
            return Ok(());
        }
        self.make_parents(parent)?;
        match DirBuilder::new().create(parent) {
            Ok(()) => {
                self.created(parent);
                Ok(())
            }
            Err(_) if parent.is_dir() => Ok(()),
            Err(err) => Err(err),
        }
    }

    fn make(&self, path: &Path) -> io::Result<()> {
        if self.parents {
            self.make_parents(path)?;
        }
        match DirBuilder::new().mode(self.mode.unwrap_or(0o777)).create(path) {
            Err(err) if self.parents && path.is_dir() && err.kind() == io::ErrorKind::AlreadyExists => return Ok(()),
            result => result?,
        }
        self.created(path);
        // The mode given is the mode meant, whatever the umask.
        match self.mode {
            Some(mode) => fs::set_permissions(path, fs::Permissions::from_mode(mode)),
            None => Ok(()),
        }
    }
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mode = match command_line.value('m').map(|mode| mode.to_string_lossy().into_owned()) {
        None => None,
        Some(text) => match octal_mode(&text) {
            Some(mode) => Some(mode),
            None => {
                report(PROGRAM, format_args!("invalid mode {}", quoted(text)));
                return 1;
            }
        },
    };
    if command_line.operands.is_empty() {
        return cli::missing_operand(PROGRAM);
    }
    let maker = Maker { parents: command_line.has('p'), verbose: command_line.has('v'), mode };
    let mut status = 0;
    for operand in &command_line.operands {
        let path = Path::new(operand);
        if let Err(err) = maker.make(path) {
            report_error(PROGRAM, format_args!("cannot create directory {}", quoted(path.display())), &err);
            status = 1;
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_modes() {
        assert_eq!(octal_mode("755"), Some(0o755));
        assert_eq!(octal_mode("1777"), Some(0o1777));
        assert_eq!(octal_mode("8"), None);
        assert_eq!(octal_mode("u+x"), None);
        assert_eq!(octal_mode("77777"), None);
        assert_eq!(octal_mode(""), None);
    }

    #[test]
    fn parents_and_modes() {
        let base = std::env::temp_dir().join(format!("kbox-mkdir-{}", std::process::id()));
        let deep = base.join("a/b/c");
        let maker = Maker { parents: true, verbose: false, mode: Some(0o700) };
        maker.make(&deep).unwrap();
        maker.make(&deep).unwrap();
        let mode = fs::metadata(&deep).unwrap().permissions().mode() & 0o7777;
        let plain = Maker { parents: false, verbose: false, mode: None };
        let again = plain.make(&deep);
        let orphan = plain.make(&base.join("x/y"));
        fs::remove_dir_all(&base).unwrap();
        assert_eq!(mode, 0o700);
        assert_eq!(again.unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(orphan.unwrap_err().kind(), io::ErrorKind::NotFound);
    }
}
