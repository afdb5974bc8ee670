//! `rmdir [-pv] DIRECTORY...`: removes empty directories (with `-p`, then each
//! parent named in the path, as long as that works).
use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use ulib::args::Spec;
use ulib::diag::{quoted, report_error};

use crate::cli;

const PROGRAM: &str = "rmdir";

pub const USAGE: &str = "Usage: rmdir [OPTION]... DIRECTORY...
Remove the DIRECTORY(ies), if they are empty.
  -p   remove DIRECTORY and its ancestors; e.g., 'rmdir -p a/b' is similar to 'rmdir a/b a'
  -v   output a diagnostic for every directory processed";

const SPEC: Spec = Spec { flags: "pv", ..Spec::NONE };

/// The directories `rmdir -p` removes for `path`, in order: it, then its parents.
fn with_parents(path: &Path) -> Vec<&Path> {
    let mut paths = vec![path];
    let mut current = path;
    while let Some(parent) =
        current.parent().filter(|parent| !parent.as_os_str().is_empty() && *parent != Path::new("/"))
    {
        paths.push(parent);
        current = parent;
    }
    paths
}

pub fn run(args: Vec<OsString>) -> u8 {
    let command_line = match cli::parse_with_operands(PROGRAM, args, &SPEC) {
        Ok(command_line) => command_line,
        Err(status) => return status,
    };
    let mut status = 0;
    for operand in &command_line.operands {
        let path = Path::new(operand);
        let paths = if command_line.has('p') { with_parents(path) } else { vec![path] };
        for path in paths {
            if command_line.has('v') {
                // Only a report: a failing standard output changes nothing here.
                let _ = writeln!(io::stdout(), "{PROGRAM}: removing directory, {}", quoted(path.display()));
            }
            if let Err(err) = fs::remove_dir(path) {
                report_error(PROGRAM, format_args!("failed to remove {}", quoted(path.display())), &err);
                status = 1;
                break;
            }
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_in_order() {
        assert_eq!(with_parents(Path::new("a/b/c")), [Path::new("a/b/c"), Path::new("a/b"), Path::new("a")]);
        assert_eq!(with_parents(Path::new("/x/y")), [Path::new("/x/y"), Path::new("/x")]);
        assert_eq!(with_parents(Path::new("a")), [Path::new("a")]);
    }
}
